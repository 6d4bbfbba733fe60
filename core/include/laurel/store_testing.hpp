// Test-only corruption of a store, so tests can show that Store::check finds damage done behind
// the store's back. Never call outside tests: it breaks the store on purpose.
#pragma once

#include <string_view>

#include "laurel/result.hpp"
#include "laurel/store.hpp"

namespace laurel::test_hooks {

/// Deletes assertion `assertion_id`'s entry from `index` ("badgeclass", "issuer" or "recipient")
/// and nothing else. Errors: Invalid (index), NotFound (no such entry), Storage.
Status remove_index_entry(Store& store, std::string_view index, std::string_view assertion_id);

}  // namespace laurel::test_hooks
