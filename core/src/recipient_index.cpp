// The epoch-partitioned recipient index and its per-epoch Bloom filters (see
// detail/recipient_index.hpp for the layout and why).
#include "detail/recipient_index.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

namespace laurel::detail {
namespace {

using kv::Cursor;
using kv::storage_error;
using kv::Txn;

constexpr std::size_t kIdBytes = 16;
constexpr std::size_t kBlockBytes = 64;  // a key's 7 bits fall in one block (one cache line)
constexpr std::size_t kBlocksPerChunk = kFilterChunkBytes / kBlockBytes;
constexpr std::uint64_t kBitsPerBlock = kBlockBytes * 8;
constexpr std::uint64_t kBitsPerEntry = 10;
constexpr char kStateKey[] = "recipient-index-epoch";
constexpr char kSizeKey[] = "recipient-index-epoch-size";

std::uint64_t load_be(std::string_view bytes, std::size_t count) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < count; ++i) value = (value << 8) | std::uint8_t(bytes[i]);
  return value;
}

void append_be(std::string& out, std::uint64_t value, std::size_t count) {
  for (std::size_t i = count; i-- > 0;) out.push_back(char(value >> (8 * i)));
}

/// One source of a merged walk: the legacy table or one epoch of the index.
struct Source {
  std::unique_ptr<Cursor> cursor;
  std::string prefix;  // [epoch +] recipient key
  std::string_view key, value;
  bool valid = false;

  std::string_view id() const { return key.substr(prefix.size()); }
  Status settle(int rc) {
    if (rc != 0 && rc != kv::kNotFound) return storage_error(rc, "read recipient index");
    valid = rc == 0 && key.size() == prefix.size() + kIdBytes && key.starts_with(prefix);
    return {};
  }
  /// Positions on the first entry after `from` (exclusive) in the walk's direction.
  Status start(std::string_view from, bool older) {
    if (cursor->open_rc() != 0) return storage_error(cursor->open_rc(), "open cursor");
    // Keys are exactly prefix + 16 bytes, so prefix + 17 x 0xff sorts after all of this prefix.
    std::string seek = prefix + (from.empty() ? std::string(older ? kIdBytes + 1 : 0, '\xff')
                                              : std::string(from));
    int rc = cursor->move(kv::Move::kSetRange, &key, &value, seek);
    if (older) {
      rc = rc == kv::kNotFound ? cursor->move(kv::Move::kLast, &key, &value)
           : rc == 0           ? cursor->move(kv::Move::kPrev, &key, &value)
                               : rc;
    } else if (rc == 0 && key == seek) {
      rc = cursor->move(kv::Move::kNext, &key, &value);
    }
    return settle(rc);
  }
  Status step(bool older) {
    return settle(cursor->move(older ? kv::Move::kPrev : kv::Move::kNext, &key, &value));
  }
};

}  // namespace

std::uint32_t filter_chunks(std::uint64_t epoch_entries) {
  const std::uint64_t bytes = (epoch_entries * kBitsPerEntry + 7) / 8;
  return std::uint32_t(std::max<std::uint64_t>(1, (bytes + kFilterChunkBytes - 1) / kFilterChunkBytes));
}

FilterProbe filter_probe(std::string_view recipient_key, std::uint32_t chunks) {
  // The recipient key is an HMAC output: its bytes are already uniformly random.
  const std::uint64_t h1 = load_be(recipient_key, 8);
  const std::uint64_t h2 = load_be(recipient_key.substr(8), 8);
  FilterProbe probe;
  probe.block = h1 % (std::uint64_t(chunks) * kBlocksPerChunk);
  probe.chunk = std::uint32_t(probe.block / kBlocksPerChunk);
  const std::uint32_t base = std::uint32_t(probe.block % kBlocksPerChunk) * kBlockBytes * 8;
  for (int i = 0; i < 7; ++i) {
    const std::uint32_t bit = std::uint32_t((h2 >> (9 * i)) & 511);
    probe.bits[i] = base + bit;
  }
  return probe;
}

void sliced_candidates(const RecipientTables::Filters& filters, const FilterProbe& probe,
                       std::uint32_t count, std::vector<std::uint32_t>& hits) {
  const std::uint64_t first_bit = probe.block * kBitsPerBlock;
  const std::uint8_t* rows[7];
  for (int i = 0; i < 7; ++i) rows[i] = filters.row(first_bit + probe.bits[i] % kBitsPerBlock);
  for (std::uint32_t offset = 0; offset < filters.stride; offset += 8) {
    const std::uint32_t bytes = std::min<std::uint32_t>(8, filters.stride - offset);
    std::uint64_t hit = ~std::uint64_t(0);
    for (const std::uint8_t* row : rows) {
      std::uint64_t word = 0;  // epochs offset * 8 .. + 63, epoch e at bit e - offset * 8
      for (std::uint32_t i = 0; i < bytes; ++i) word |= std::uint64_t(row[offset + i]) << (8 * i);
      hit &= word;
    }
    for (; hit != 0; hit &= hit - 1) {
      const std::uint32_t epoch = offset * 8 + std::uint32_t(std::countr_zero(hit));
      if (epoch >= count) return;
      hits.push_back(epoch);
    }
  }
}

bool filter_has(std::string_view chunk_bytes, const FilterProbe& probe) {
  if (chunk_bytes.size() != kFilterChunkBytes) return false;
  for (std::uint32_t bit : probe.bits) {
    if ((std::uint8_t(chunk_bytes[bit / 8]) & (1u << (bit % 8))) == 0) return false;
  }
  return true;
}

std::string filter_key(std::uint32_t epoch, std::uint32_t chunk) {
  std::string key = epoch_bytes(epoch);
  append_be(key, chunk, 4);
  return key;
}

std::string epoch_bytes(std::uint32_t epoch) {
  std::string out;
  append_be(out, epoch, kEpochBytes);
  return out;
}

std::uint32_t read_epoch(std::string_view bytes) {
  return std::uint32_t(load_be(bytes, kEpochBytes));
}

Result<EpochState> read_epoch_state(const RecipientTables& tables, Txn& txn) {
  EpochState state;
  state.epoch_entries = tables.create_epoch_entries;
  std::string_view size;
  int rc = txn.get(tables.meta, kSizeKey, &size);
  if (rc == 0 && size.size() == 8 && load_be(size, 8) > 0) {
    state.epoch_entries = load_be(size, 8);
  } else if (rc != kv::kNotFound) {
    return rc == 0 ? Error{ErrorCode::Storage, "", "the recipient index's epoch size is corrupt"}
                   : storage_error(rc, "read recipient index state");
  }
  std::string_view stored;
  rc = txn.get(tables.meta, kStateKey, &stored);
  if (rc == kv::kNotFound) return state;
  if (rc != 0) return storage_error(rc, "read recipient index state");
  if (stored.size() != kEpochBytes + 8) {
    return Error{ErrorCode::Storage, "", "the recipient index's state is corrupt"};
  }
  state.epoch = read_epoch(stored);
  state.in_epoch = load_be(stored.substr(kEpochBytes), 8);
  state.stored = true;
  return state;
}

namespace {

/// Sets epoch bits of `filters` from 8 epochs' filters at once (`group`: the stride byte they
/// share; missing epochs are null): for each filter byte, an 8x8 bit transpose turns "byte i of
/// epochs g..g+7" into "epochs g..g+7 of bits 8i..8i+7", one row byte each.
void slice_group(RecipientTables::Filters& filters, std::uint32_t group,
                 const std::array<const std::uint8_t*, 8>& epochs, std::uint64_t filter_bytes) {
  for (std::uint64_t at = 0; at < filter_bytes; ++at) {
    std::uint64_t matrix = 0;  // byte k: epoch group*8+k's filter byte `at`
    for (int k = 0; k < 8; ++k) {
      if (epochs[k] != nullptr) matrix |= std::uint64_t(epochs[k][at]) << (8 * k);
    }
    if (matrix == 0) continue;
    // Transpose the 8x8 bit matrix (rows = epochs, columns = bits): afterwards byte j holds bit
    // j of every epoch's byte, epoch k at bit k.
    std::uint64_t t = (matrix ^ (matrix >> 7)) & 0x00AA00AA00AA00AAULL;
    matrix ^= t ^ (t << 7);
    t = (matrix ^ (matrix >> 14)) & 0x0000CCCC0000CCCCULL;
    matrix ^= t ^ (t << 14);
    t = (matrix ^ (matrix >> 28)) & 0x00000000F0F0F0F0ULL;
    matrix ^= t ^ (t << 28);
    for (int j = 0; j < 8; ++j) {
      filters.rows[(at * 8 + j) * filters.stride + group] |= std::uint8_t(matrix >> (8 * j));
    }
  }
}

/// `have` plus the filters of epochs have.epochs .. epochs-1 read from `txn`, bit-sliced.
Result<std::shared_ptr<const RecipientTables::Filters>> load_closed(
    const RecipientTables& tables, Txn& txn, const RecipientTables::Filters& have,
    std::uint32_t epochs, std::uint32_t chunks) {
  const std::uint64_t filter_bytes = std::uint64_t(chunks) * kFilterChunkBytes;
  auto grown = std::make_shared<RecipientTables::Filters>();
  grown->epochs = epochs;
  grown->stride = (epochs + 7) / 8;
  grown->rows.assign(filter_bytes * 8 * grown->stride, 0);
  if (have.epochs != 0 && have.stride == grown->stride) {
    std::memcpy(grown->rows.data(), have.rows.data(), have.rows.size());
  } else {
    for (std::uint64_t bit = 0; have.epochs != 0 && bit < filter_bytes * 8; ++bit) {
      std::memcpy(grown->rows.data() + bit * grown->stride, have.row(bit), have.stride);
    }
  }
  // Each new epoch's filter as one run of bytes (absent chunks stay zero), 8 epochs at a time.
  std::vector<std::vector<std::uint8_t>> read(8);
  for (std::uint32_t group = have.epochs / 8; group * 8 < epochs; ++group) {
    std::array<const std::uint8_t*, 8> in_group{};
    for (std::uint32_t k = 0; k < 8; ++k) {
      const std::uint32_t epoch = group * 8 + k;
      if (epoch < have.epochs || epoch >= epochs) continue;
      std::vector<std::uint8_t>& bytes = read[k];
      bytes.assign(filter_bytes, 0);
      Cursor cursor(txn, tables.filters);
      if (cursor.open_rc() != 0) return storage_error(cursor.open_rc(), "open cursor");
      const std::string prefix = epoch_bytes(epoch);
      std::string_view key, value;
      int rc = cursor.move(kv::Move::kSetRange, &key, &value, prefix);
      for (; rc == 0 && key.starts_with(prefix); rc = cursor.move(kv::Move::kNext, &key, &value)) {
        const std::uint64_t number =
            key.size() == kEpochBytes + 4 ? load_be(key.substr(kEpochBytes), 4) : chunks;
        if (number >= chunks || value.size() != kFilterChunkBytes) continue;
        std::memcpy(bytes.data() + number * kFilterChunkBytes, value.data(), kFilterChunkBytes);
      }
      if (rc != 0 && rc != kv::kNotFound) return storage_error(rc, "read recipient filter");
      in_group[k] = bytes.data();
    }
    slice_group(*grown, group, in_group, filter_bytes);
  }
  return std::shared_ptr<const RecipientTables::Filters>(std::move(grown));
}

}  // namespace

// ---- RecipientIndex ------------------------------------------------------------------------------

Result<RecipientIndex> RecipientIndex::open(const RecipientTables& tables, Txn& txn) {
  RecipientIndex index(tables, txn);
  auto state = read_epoch_state(tables, txn);
  if (!state.ok()) return state.error();
  index.state_ = state.value();
  index.start_epoch_ = index.state_.epoch;
  index.chunks_ = filter_chunks(index.state_.epoch_entries);
  std::uint64_t legacy_entries = 0;
  if (int rc = txn.count(tables.legacy, &legacy_entries, nullptr); rc != 0) {
    return storage_error(rc, "stat recipient index");
  }
  index.legacy_empty_ = legacy_entries == 0;

  // Copies of the closed epochs' filters: load the ones this handle has not seen yet. They are
  // committed and never change again, so any transaction may load them for all.
  RecipientTables::ClosedFilters& closed = *tables.closed;
  {
    std::lock_guard lock(closed.mutex);
    index.closed_ = closed.filters;
  }
  if (index.closed_->epochs < index.start_epoch_) {
    auto grown = load_closed(tables, txn, *index.closed_, index.start_epoch_, index.chunks_);
    if (!grown.ok()) return grown.error();
    std::lock_guard lock(closed.mutex);
    if (closed.filters->epochs < grown.value()->epochs) closed.filters = grown.value();
    index.closed_ = std::move(grown.value());
  }
  return index;
}

Result<std::string_view> RecipientIndex::chunk(std::uint32_t epoch, std::uint32_t number) const {
  if (auto dirty = dirty_.find(epoch); dirty != dirty_.end() && !dirty->second[number].empty()) {
    return std::string_view(dirty->second[number]);
  }
  std::string_view bytes;
  int rc = txn_->get(tables_->filters, filter_key(epoch, number), &bytes);
  if (rc == kv::kNotFound) return std::string_view();
  if (rc != 0) return storage_error(rc, "read recipient filter");
  return bytes;
}

void RecipientIndex::closed_candidates(const FilterProbe& probe,
                                       std::vector<std::uint32_t>& epochs) const {
  const std::uint32_t in_memory = std::min(start_epoch_, closed_->epochs);
  if (in_memory == 0) return;
  sliced_candidates(*closed_, probe, in_memory, epochs);
}

Status RecipientIndex::open_candidates(const FilterProbe& probe,
                                       std::vector<std::uint32_t>& epochs) const {
  // The open epoch (and any this transaction filled): from the transaction.
  for (std::uint32_t epoch = std::min(start_epoch_, closed_->epochs); epoch <= state_.epoch;
       ++epoch) {
    auto bytes = chunk(epoch, probe.chunk);
    if (!bytes.ok()) return bytes.error();
    if (filter_has(bytes.value(), probe)) epochs.push_back(epoch);
  }
  return {};
}

Status RecipientIndex::candidate_epochs(std::string_view recipient_key,
                                        std::vector<std::uint32_t>& epochs) const {
  epochs.clear();
  if (!state_.stored) return {};
  const FilterProbe probe = filter_probe(recipient_key, chunks_);
  closed_candidates(probe, epochs);
  return open_candidates(probe, epochs);
}

Result<bool> RecipientIndex::scan_epochs(kv::Txn& txn, std::unique_ptr<Cursor>& cursor,
                                         std::string_view recipient_key,
                                         const std::vector<std::uint32_t>& epochs,
                                         const Visit& fn) const {
  char prefix[kEpochBytes + kRecipientKeyBytes];
  std::memcpy(prefix + kEpochBytes, recipient_key.data(), kRecipientKeyBytes);
  for (std::uint32_t epoch : epochs) {
    for (std::size_t i = 0; i < kEpochBytes; ++i) prefix[i] = char(epoch >> (8 * (3 - i)));
    const std::string_view seek(prefix, sizeof prefix);
    if (!cursor) {
      cursor = std::make_unique<Cursor>(txn, tables_->entries);
      if (cursor->open_rc() != 0) return storage_error(cursor->open_rc(), "open cursor");
    }
    std::string_view key, value;
    int rc = cursor->move(kv::Move::kSetRange, &key, &value, seek);
    for (; rc == 0 && key.starts_with(seek); rc = cursor->move(kv::Move::kNext, &key, &value)) {
      if (key.size() != seek.size() + kIdBytes) continue;
      if (!fn(key.substr(seek.size()), value)) return false;
    }
    if (rc != 0 && rc != kv::kNotFound) return storage_error(rc, "read recipient index");
  }
  return true;
}

Result<bool> RecipientIndex::scan_legacy(std::string_view recipient_key, const Visit& fn) const {
  if (legacy_empty_) return true;
  if (!legacy_cursor_) {
    legacy_cursor_ = std::make_unique<Cursor>(*txn_, tables_->legacy);
    if (legacy_cursor_->open_rc() != 0) {
      return storage_error(legacy_cursor_->open_rc(), "open cursor");
    }
  }
  std::string_view key, value;
  int rc = legacy_cursor_->move(kv::Move::kSetRange, &key, &value, recipient_key);
  for (; rc == 0 && key.starts_with(recipient_key);
       rc = legacy_cursor_->move(kv::Move::kNext, &key, &value)) {
    if (key.size() != recipient_key.size() + kIdBytes) continue;
    if (!fn(key.substr(recipient_key.size()), value)) return false;
  }
  if (rc != 0 && rc != kv::kNotFound) return storage_error(rc, "read recipient index");
  return true;
}

Status RecipientIndex::visit(std::string_view recipient_key, const Visit& fn) const {
  if (recipient_key.size() != kRecipientKeyBytes) return {};
  auto go_on = scan_legacy(recipient_key, fn);
  if (!go_on.ok()) return go_on.error();
  if (!go_on.value()) return {};
  LAUREL_TRY(candidate_epochs(recipient_key, candidates_));
  go_on = scan_epochs(*txn_, entries_cursor_, recipient_key, candidates_, fn);
  if (!go_on.ok()) return go_on.error();
  return {};
}

Status RecipientIndex::visit_closed(kv::Txn& reader, std::string_view recipient_key,
                                    const Visit& fn) const {
  if (recipient_key.size() != kRecipientKeyBytes || !state_.stored) return {};
  std::vector<std::uint32_t> epochs;  // allocates only for a key some filter may hold
  closed_candidates(filter_probe(recipient_key, chunks_), epochs);
  if (epochs.empty()) return {};
  std::unique_ptr<Cursor> cursor;
  auto go_on = scan_epochs(reader, cursor, recipient_key, epochs, fn);
  if (!go_on.ok()) return go_on.error();
  return {};
}

Status RecipientIndex::visit_others(std::string_view recipient_key, const Visit& fn) const {
  if (recipient_key.size() != kRecipientKeyBytes) return {};
  auto go_on = scan_legacy(recipient_key, fn);
  if (!go_on.ok()) return go_on.error();
  if (!go_on.value() || !state_.stored) return {};
  candidates_.clear();
  LAUREL_TRY(open_candidates(filter_probe(recipient_key, chunks_), candidates_));
  go_on = scan_epochs(*txn_, entries_cursor_, recipient_key, candidates_, fn);
  if (!go_on.ok()) return go_on.error();
  return {};
}

Status RecipientIndex::walk(std::string_view recipient_key, std::string_view from, bool older,
                            const Visit& fn) const {
  std::vector<std::uint32_t> epochs;
  LAUREL_TRY(candidate_epochs(recipient_key, epochs));
  std::vector<Source> sources(epochs.size() + 1);
  sources[0].cursor = std::make_unique<Cursor>(*txn_, tables_->legacy);
  sources[0].prefix = recipient_key;
  for (std::size_t i = 0; i < epochs.size(); ++i) {
    sources[i + 1].cursor = std::make_unique<Cursor>(*txn_, tables_->entries);
    sources[i + 1].prefix = epoch_bytes(epochs[i]).append(recipient_key);
  }
  for (Source& source : sources) LAUREL_TRY(source.start(from, older));
  // Merge by assertion id: each entry lives in exactly one source.
  for (;;) {
    Source* next = nullptr;
    for (Source& source : sources) {
      if (!source.valid) continue;
      if (next == nullptr || (older ? source.id() > next->id() : source.id() < next->id())) {
        next = &source;
      }
    }
    if (next == nullptr) return {};
    if (!fn(next->id(), next->value)) return {};
    LAUREL_TRY(next->step(older));
  }
}

Result<bool> RecipientIndex::contains(std::string_view recipient_key,
                                      std::string_view assertion_id) const {
  std::string key = std::string(recipient_key).append(assertion_id);
  int rc = txn_->get(tables_->legacy, key, nullptr);
  if (rc == 0) return true;
  if (rc != kv::kNotFound) return storage_error(rc, "read recipient index");
  std::vector<std::uint32_t> epochs;
  LAUREL_TRY(candidate_epochs(recipient_key, epochs));
  for (std::uint32_t epoch : epochs) {
    rc = txn_->get(tables_->entries, epoch_bytes(epoch).append(key), nullptr);
    if (rc == 0) return true;
    if (rc != kv::kNotFound) return storage_error(rc, "read recipient index");
  }
  return false;
}

Status RecipientIndex::start_batch(std::uint64_t coming) {
  const std::uint64_t half = state_.epoch_entries / 2;
  if (!state_.stored || half == 0 || state_.in_epoch < half || coming < half) return {};
  // Only before this transaction added entries (then the stored filter is the whole filter).
  const bool load = state_.epoch == start_epoch_ && dirty_.empty() &&
                    closed_->epochs == start_epoch_;
  ++state_.epoch;
  state_.in_epoch = 0;
  if (!load) return {};
  auto grown = load_closed(*tables_, *txn_, *closed_, state_.epoch, chunks_);
  if (!grown.ok()) return grown.error();
  closed_ = std::move(grown.value());
  start_epoch_ = state_.epoch;
  return {};
}

Status RecipientIndex::add(Txn& txn, std::string_view recipient_key, std::string_view assertion_id,
                           std::string_view badgeclass_id) {
  if (recipient_key.size() != kRecipientKeyBytes || assertion_id.size() != kIdBytes) {
    return Error{ErrorCode::Internal, "", "recipient index entry of the wrong size"};
  }
  if (!writer_) {
    writer_ = std::make_unique<Cursor>(txn, tables_->entries);
    if (writer_->open_rc() != 0) return storage_error(writer_->open_rc(), "open cursor");
  }
  char key[kEpochBytes + kRecipientKeyBytes + kIdBytes];
  for (std::size_t i = 0; i < kEpochBytes; ++i) key[i] = char(state_.epoch >> (8 * (3 - i)));
  std::memcpy(key + kEpochBytes, recipient_key.data(), kRecipientKeyBytes);
  std::memcpy(key + kEpochBytes + kRecipientKeyBytes, assertion_id.data(), kIdBytes);
  if (int rc = writer_->put(std::string_view(key, sizeof key), badgeclass_id, 0); rc != 0) {
    return storage_error(rc, "write recipient index");
  }
  const FilterProbe probe = filter_probe(recipient_key, chunks_);
  std::vector<std::string>& chunks = dirty_[state_.epoch];
  if (chunks.empty()) chunks.resize(chunks_);
  std::string& slot = chunks[probe.chunk];
  if (slot.empty()) {
    std::string_view stored;
    int rc = txn.get(tables_->filters, filter_key(state_.epoch, probe.chunk), &stored);
    if (rc != 0 && rc != kv::kNotFound) return storage_error(rc, "read recipient filter");
    slot = rc == 0 && stored.size() == kFilterChunkBytes ? std::string(stored)
                                                         : std::string(kFilterChunkBytes, '\0');
  }
  for (std::uint32_t bit : probe.bits) slot[bit / 8] |= char(1u << (bit % 8));
  state_.stored = true;
  if (++state_.in_epoch >= state_.epoch_entries) {
    ++state_.epoch;
    state_.in_epoch = 0;
  }
  return {};
}

Status RecipientIndex::finish(Txn& txn) {
  if (!state_.stored) return {};
  for (const auto& [epoch, chunks] : dirty_) {
    for (std::uint32_t number = 0; number < chunks.size(); ++number) {
      if (chunks[number].empty()) continue;
      if (int rc = txn.put(tables_->filters, filter_key(epoch, number), chunks[number]); rc != 0) {
        return storage_error(rc, "write recipient filter");
      }
    }
  }
  std::string size, stored = epoch_bytes(state_.epoch);
  append_be(size, state_.epoch_entries, 8);
  append_be(stored, state_.in_epoch, 8);
  if (int rc = txn.put(tables_->meta, kSizeKey, size); rc != 0) {
    return storage_error(rc, "write recipient index state");
  }
  if (int rc = txn.put(tables_->meta, kStateKey, stored); rc != 0) {
    return storage_error(rc, "write recipient index state");
  }
  return {};
}

Status set_epoch_entries(const RecipientTables& tables, Txn& txn, std::uint64_t epoch_entries) {
  auto state = read_epoch_state(tables, txn);
  if (!state.ok()) return state.error();
  if (state->stored) {
    return Error{ErrorCode::Conflict, "epoch_entries", "the recipient index is not empty"};
  }
  std::string size;
  append_be(size, epoch_entries, 8);
  if (int rc = txn.put(tables.meta, kSizeKey, size); rc != 0) {
    return storage_error(rc, "write recipient index state");
  }
  return {};
}

Status drop_epochs(RecipientTables& tables, Txn& txn) {
  for (kv::Table dbi : {tables.entries, tables.filters}) {
    if (int rc = txn.clear(dbi); rc != 0) return storage_error(rc, "empty table");
  }
  for (const char* key : {kStateKey, kSizeKey}) {
    if (int rc = txn.del(tables.meta, key); rc != 0 && rc != kv::kNotFound) {
      return storage_error(rc, "delete recipient index state");
    }
  }
  tables.closed = std::make_shared<RecipientTables::ClosedFilters>();
  return {};
}

// ---- check -------------------------------------------------------------------------------------

Status scan_recipient_entries(const RecipientTables& tables, Txn& txn,
                              const std::function<void(const RecipientEntry&)>& fn) {
  auto state = read_epoch_state(tables, txn);
  if (!state.ok()) return state.error();
  const std::uint32_t chunks = filter_chunks(state->epoch_entries);
  for (kv::Table dbi : {tables.legacy, tables.entries}) {
    const std::size_t epoch_size = dbi == tables.legacy ? 0 : kEpochBytes;
    Cursor cursor(txn, dbi);
    if (cursor.open_rc() != 0) return storage_error(cursor.open_rc(), "open recipient index");
    std::string_view key, value;
    int rc = cursor.move(kv::Move::kFirst, &key, &value);
    for (; rc == 0; rc = cursor.move(kv::Move::kNext, &key, &value)) {
      RecipientEntry entry;
      if (key.size() != epoch_size + kRecipientKeyBytes + kIdBytes || value.size() < kIdBytes) {
        entry.malformed = true;
        fn(entry);
        continue;
      }
      entry.recipient_key = key.substr(epoch_size, kRecipientKeyBytes);
      entry.assertion_id = key.substr(epoch_size + kRecipientKeyBytes);
      entry.badgeclass_id = value.substr(0, kIdBytes);
      if (epoch_size != 0) {
        entry.epoch = read_epoch(key);
        const FilterProbe probe = filter_probe(entry.recipient_key, chunks);
        std::string_view bytes;
        int got = txn.get(tables.filters, filter_key(std::uint32_t(entry.epoch), probe.chunk), &bytes);
        if (got != 0 && got != kv::kNotFound) return storage_error(got, "read recipient filter");
        entry.in_filter = got == 0 && filter_has(bytes, probe);
      }
      fn(entry);
    }
    if (rc != kv::kNotFound) return storage_error(rc, "read recipient index");
  }
  return {};
}

}  // namespace laurel::detail
