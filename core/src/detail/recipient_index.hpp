// The recipient index, partitioned by epoch so that an award's cost does not grow with the store.
//
// Its keys are epoch (4 bytes, big-endian) + recipient key (16) + assertion id (16), value the
// badge class id. The epoch advances every `epoch_entries` entries written (1,000,000 unless the
// store was created with another size; a big batch may advance it early, see start_batch), so a
// batch inserts into the B-tree of one or two epochs, bounded like the first batches into an
// empty store, however many epochs lie before it. A
// recipient key is an HMAC, random: without the epoch prefix every batch would land all over one
// tree as large as the store and copy nearly all its pages.
//
// A lookup must not seek every epoch, so each epoch has a Bloom filter (~10 bits per entry, a
// 64-byte block per key, 7 bits in it: about 1% false positives), stored in the store as fixed
// 1024-byte chunks (key: epoch + chunk number) written in the transaction that adds the entries:
// the filter is exact at every commit, with no false negatives. Closed epochs never change again,
// so readers keep copies of their filters in memory (loaded once per store handle) and read only
// the current epoch's chunk from the transaction.
//
// Stores from before the epochs keep their index in the old table ("recipient_assertions", keys
// recipient key + id): it is read as a legacy epoch, always seeked, never written again.
//
// Everything that reads or writes the recipient index goes through RecipientIndex.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "detail/kv.hpp"
#include "laurel/result.hpp"

namespace laurel::detail {

inline constexpr std::size_t kRecipientKeyBytes = 16;
inline constexpr std::size_t kEpochBytes = 4;
inline constexpr std::size_t kFilterChunkBytes = 1024;
inline constexpr std::uint64_t kDefaultEpochEntries = 1'000'000;

/// The tables behind the index and the filter copies of closed epochs (shared by the readers of
/// one store handle; closed epochs are immutable, so a copy never goes stale).
struct RecipientTables {
  kv::Table meta = 0;
  kv::Table legacy = 0;   // "recipient_assertions": recipient key + id -> badge class (old stores)
  kv::Table entries = 0;  // "recipient_index": epoch + recipient key + id -> badge class
  kv::Table filters = 0;  // "recipient_filters": epoch + chunk number -> 1024 filter bytes
  std::uint64_t create_epoch_entries = kDefaultEpochEntries;  // for a store that has none yet

  /// The closed epochs' filters, interleaved: block b of every epoch side by side, so a probe
  /// reads one run of `epochs` consecutive 64-byte blocks (the hardware prefetches it) rather
  /// than one line in each of `epochs` separate megabytes.
  struct Filters {
    std::uint32_t epochs = 0;
    std::vector<std::uint64_t> words;  // [block][epoch][8 words]
    const std::uint64_t* run(std::uint64_t block) const {
      return words.data() + block * epochs * 8;
    }
  };
  struct ClosedFilters {
    std::mutex mutex;
    std::shared_ptr<const Filters> filters = std::make_shared<const Filters>();
  };
  std::shared_ptr<ClosedFilters> closed = std::make_shared<ClosedFilters>();
};

/// Where the index stands: the epoch being filled and how many entries it holds.
struct EpochState {
  std::uint64_t epoch_entries = kDefaultEpochEntries;
  std::uint32_t epoch = 0;
  std::uint64_t in_epoch = 0;
  bool stored = false;  // false: nothing written yet (the epoch size is not fixed yet)
};

/// Filter geometry for an epoch of `epoch_entries`: chunks per epoch.
std::uint32_t filter_chunks(std::uint64_t epoch_entries);
/// The chunk and the bit positions (within the chunk) of a recipient key in a filter.
struct FilterProbe {
  std::uint64_t block = 0;  // over the whole filter
  std::uint32_t chunk = 0;
  std::uint32_t bits[7] = {};  // within the chunk
  std::uint64_t mask[8] = {};  // the same 7 bits within the block, as 8 little-endian words
};
FilterProbe filter_probe(std::string_view recipient_key, std::uint32_t chunks);
bool filter_has(std::string_view chunk_bytes, const FilterProbe& probe);
/// The same test on a run of `count` 64-byte blocks side by side (8 words each, one per closed
/// epoch): appends the numbers of the blocks holding the probe's bits to `hits`.
void blocks_holding(const std::uint64_t* run, std::uint32_t count, const FilterProbe& probe,
                    std::vector<std::uint32_t>& hits);

/// The key of a filter chunk: epoch + chunk number, both big-endian.
std::string filter_key(std::uint32_t epoch, std::uint32_t chunk);
/// 4 big-endian bytes.
std::string epoch_bytes(std::uint32_t epoch);
std::uint32_t read_epoch(std::string_view bytes);

/// Fixes the epoch size of a store whose recipient index is still empty (a test knob: small
/// epochs let tests cross many epochs). Conflict once entries exist.
Status set_epoch_entries(const RecipientTables& tables, kv::Txn& txn,
                         std::uint64_t epoch_entries);

/// Empties the epochs, their filters and the state, and forgets the in-memory filter copies
/// (test hooks only: turning a store back into the layout from before the epochs).
Status drop_epochs(RecipientTables& tables, kv::Txn& txn);

/// Reads the state (meta "recipient-index-epoch" and "recipient-index-epoch-size").
Result<EpochState> read_epoch_state(const RecipientTables& tables, kv::Txn& txn);

class RecipientIndex {
 public:
  /// fn(assertion id, badge class id) -> keep going.
  using Visit = std::function<bool(std::string_view, std::string_view)>;

  /// The index as `txn` sees it. A write transaction then adds with add() and ends with finish().
  static Result<RecipientIndex> open(const RecipientTables& tables, kv::Txn& txn);

  /// Calls fn for the recipient's entries in assertion id order, newest first when `older`,
  /// starting after `from` (an assertion id, exclusive; empty: from the newest or oldest end).
  Status walk(std::string_view recipient_key, std::string_view from, bool older,
              const Visit& fn) const;
  /// Calls fn for the recipient's entries in no particular order, until it returns false: the
  /// duplicate check of a batch, which needs no order, with no allocation per call.
  Status visit(std::string_view recipient_key, const Visit& fn) const;
  /// visit() split in two for a batch, so that the writing thread does not pay for the closed
  /// epochs, whose number grows with the store: visit_closed calls fn for the recipient's entries
  /// in the epochs closed before this transaction (in-memory filters pick them; nothing there
  /// ever changes again), read through `reader`, any transaction that sees them; it is safe from
  /// several threads at once, each with its own reader (the batch's prepare workers).
  /// visit_others calls fn for the rest: the legacy table and the epochs this transaction fills.
  Status visit_closed(kv::Txn& reader, std::string_view recipient_key, const Visit& fn) const;
  Status visit_others(std::string_view recipient_key, const Visit& fn) const;
  /// True when the index holds (recipient key, assertion id).
  Result<bool> contains(std::string_view recipient_key, std::string_view assertion_id) const;

  /// Before a batch of `coming` entries (write transactions only): when the batch and the open
  /// epoch each hold at least half an epoch, the batch starts a new epoch. Inserting it into the
  /// open one would copy nearly all of that epoch's B-tree pages (copy-on-write: a random key
  /// lands on every leaf) to add entries that fit in a fresh tree, and each such batch would
  /// write a sixth more bytes and run a tenth slower than one into a fresh epoch. Epochs then
  /// hold half an epoch or more, so there are at most twice as many filters to probe.
  void start_batch(std::uint64_t coming);
  /// Adds an entry (write transactions only); the filter chunk is written by finish().
  Status add(kv::Txn& txn, std::string_view recipient_key, std::string_view assertion_id,
             std::string_view badgeclass_id);
  /// Writes the touched filter chunks and the state; call once, before the commit.
  Status finish(kv::Txn& txn);

  const EpochState& state() const { return state_; }

 private:
  RecipientIndex(const RecipientTables& tables, kv::Txn& txn) : tables_(&tables), txn_(&txn) {}
  /// Fills `epochs` with the epochs whose filter may hold the key, ascending: the closed ones
  /// (from the in-memory copies; appended by closed_candidates, thread-safe) and the open ones
  /// (read through the transaction; appended by open_candidates).
  Status candidate_epochs(std::string_view recipient_key,
                          std::vector<std::uint32_t>& epochs) const;
  void closed_candidates(const FilterProbe& probe, std::vector<std::uint32_t>& epochs) const;
  Status open_candidates(const FilterProbe& probe, std::vector<std::uint32_t>& epochs) const;
  /// Calls fn for the recipient's entries in the legacy table; false once fn said stop.
  Result<bool> scan_legacy(std::string_view recipient_key, const Visit& fn) const;
  /// Calls fn for the entries of `recipient_key` in `epochs`, through `cursor` (opened on
  /// `txn`'s entries table when null); false once fn said stop.
  Result<bool> scan_epochs(kv::Txn& txn, std::unique_ptr<kv::Cursor>& cursor,
                           std::string_view recipient_key,
                           const std::vector<std::uint32_t>& epochs, const Visit& fn) const;
  Result<std::string_view> chunk(std::uint32_t epoch, std::uint32_t number) const;

  const RecipientTables* tables_;
  kv::Txn* txn_;
  EpochState state_;
  std::uint32_t start_epoch_ = 0;  // epochs below it were closed when the transaction began
  std::uint32_t chunks_ = 1;
  std::shared_ptr<const RecipientTables::Filters> closed_;  // epochs < start_epoch_
  // The filter chunks this transaction changed: epoch -> its chunks (empty: untouched).
  std::map<std::uint32_t, std::vector<std::string>> dirty_;
  std::unique_ptr<kv::Cursor> writer_;
  bool legacy_empty_ = false;  // the store never had the old table's entries (or lost them all)
  // Reused by visit(): cursors on the legacy table and the epochs, and the candidate list.
  mutable std::unique_ptr<kv::Cursor> legacy_cursor_, entries_cursor_;
  mutable std::vector<std::uint32_t> candidates_;
};

/// For check(): every entry, legacy ones (epoch -1) first, each tested against its epoch's filter
/// as stored (not the in-memory copies).
struct RecipientEntry {
  std::int64_t epoch = -1;
  std::string_view recipient_key;
  std::string_view assertion_id;
  std::string_view badgeclass_id;
  bool malformed = false;  // a key or value of the wrong size (the views are then empty)
  bool in_filter = true;   // false: the epoch's filter says no (a false negative: corruption)
};
Status scan_recipient_entries(const RecipientTables& tables, kv::Txn& txn,
                              const std::function<void(const RecipientEntry&)>& fn);

}  // namespace laurel::detail
