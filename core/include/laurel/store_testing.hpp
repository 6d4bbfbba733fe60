// Test-only corruption of a store, so tests can show that Store::check finds damage done behind
// the store's back. Never call outside tests: it breaks the store on purpose.
#pragma once

#include <cstdint>
#include <string_view>

#include "laurel/result.hpp"
#include "laurel/store.hpp"

namespace laurel::test_hooks {

/// Deletes assertion `assertion_id`'s entry from `index` ("badgeclass", "issuer", "recipient" or
/// "recipient-legacy") and nothing else. Errors: Invalid (index), NotFound (no such entry),
/// Storage.
Status remove_index_entry(Store& store, std::string_view index, std::string_view assertion_id);

/// Fixes the recipient index's epoch size (entries per epoch; 1,000,000 by default) of a store
/// that has no awards yet, so tests cross many epochs with few awards. Conflict once it has some.
Status set_recipient_epoch_entries(Store& store, std::uint64_t epoch_entries);

/// Zeroes the recipient filter chunk that holds assertion `assertion_id`'s recipient in its
/// epoch: a false negative, which check() must report. Errors: NotFound, Storage.
Status clear_recipient_filter(Store& store, std::string_view assertion_id);

/// Rewrites the recipient index in the layout of stores made before the epochs (one table keyed
/// by recipient key + assertion id, no filters), as an old store would hold it.
Status to_legacy_recipient_index(Store& store);

/// Rewrites assertion `assertion_id`'s stored document in the full form that stores wrote before
/// the compact one (to_json of the assertion as read: entityId, defaults and all), as an old store
/// holds it. Errors: NotFound, Storage.
Status to_full_form_document(Store& store, std::string_view assertion_id);

}  // namespace laurel::test_hooks
