// OB 3.0 credential status in the store: see detail/status_store.hpp for the tables and the
// allocation rule.
#include <cstring>

#include "detail/random.hpp"
#include "detail/status_store.hpp"
#include "laurel/status_list.hpp"

namespace laurel::detail {
namespace {

using kv::Cursor;
using kv::storage_error;
using kv::Txn;

constexpr std::size_t kIdBytes = 16;
constexpr std::size_t kCountBytes = 4;
constexpr std::size_t kRecordBytes = kCountBytes + 2 * kStatusListBytes;
constexpr std::size_t kSlotBytes = kIdBytes + kStatusListIdBytes + 4;
// A list takes new assignments until half full: a random draw then hits a free bit with
// probability >= 1/2, and every list keeps at least 65,536 holders in its herd.
constexpr std::uint32_t kFillLimit = kStatusListBits / 2;
constexpr std::size_t kRandomBatch = 4096;  // bytes drawn from the CSPRNG at a time
static_assert((kStatusListBits & (kStatusListBits - 1)) == 0, "masking needs a power of two");

void put_u32(std::string& out, std::size_t at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out[at + i] = char(value >> (8 * (3 - i)));
}
std::uint32_t get_u32(std::string_view in, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | std::uint8_t(in[at + i]);
  return value;
}

std::string list_id_text(std::string_view raw) { return base64url_encode(raw); }

Result<std::string> list_key(const RawId& issuer, std::string_view list_id) {
  auto raw = base64url_decode(list_id);
  if (!raw || raw->size() != kStatusListIdBytes) {
    return not_found("list_id", "no status list with id " + quoted(list_id));
  }
  return std::string(raw_bytes(issuer)) + *raw;
}

Result<std::string> read_record(Txn& txn, const StatusTables& tables,
                                 std::string_view key) {
  std::string_view stored;
  int rc = txn.get(tables.lists, key, &stored);
  if (rc == kv::kNotFound) {
    return not_found("list_id",
                     "no status list with id " + quoted(list_id_text(key.substr(kIdBytes))));
  }
  if (rc != 0) return storage_error(rc, "read status list");
  if (stored.size() != kRecordBytes) {
    return Error{ErrorCode::Internal, "list_id", "stored status list is corrupt"};
  }
  return std::string(stored);
}

Status write_records(Txn& txn, const StatusTables& tables,
                     const std::map<std::string, std::string>& records) {
  for (const auto& [key, record] : records) {
    int rc = txn.put(tables.lists, key, record);
    if (rc != 0) return storage_error(rc, "write status list");
  }
  return {};
}

}  // namespace

Result<StatusTables> status_tables(const Store::Impl& impl) {
  auto lists = impl.env->db("status_lists");
  if (!lists.ok()) return lists.error();
  auto entries = impl.env->db("assertion_status");
  if (!entries.ok()) return entries.error();
  return StatusTables{lists.value(), entries.value()};
}

Result<std::optional<StatusSlot>> read_status_slot(Txn& txn, const StatusTables& tables,
                                                   std::string_view assertion_id) {
  std::string_view stored;
  int rc = txn.get(tables.entries, assertion_id, &stored);
  if (rc == kv::kNotFound) return std::optional<StatusSlot>();
  if (rc != 0) return storage_error(rc, "read credential status");
  if (stored.size() != kSlotBytes) {
    return Error{ErrorCode::Internal, "id", "stored credential status is corrupt"};
  }
  StatusSlot slot;
  std::memcpy(slot.issuer.data(), stored.data(), kIdBytes);
  slot.list_id = list_id_text(stored.substr(kIdBytes, kStatusListIdBytes));
  slot.index = get_u32(stored, kIdBytes + kStatusListIdBytes);
  return std::optional<StatusSlot>(std::move(slot));
}

Result<std::string> read_revocation_bits(Txn& txn, const StatusTables& tables,
                                         const RawId& issuer, std::string_view list_id) {
  auto key = list_key(issuer, list_id);
  if (!key.ok()) return key.error();
  auto record = read_record(txn, tables, key.value());
  if (!record.ok()) return record.error();
  return record->substr(kCountBytes + kStatusListBytes);
}

Result<std::vector<std::string>> read_status_list_ids(Txn& txn, const StatusTables& tables,
                                                      const RawId& issuer) {
  std::vector<std::string> ids;
  Cursor cursor(txn, tables.lists);
  if (cursor.open_rc() != 0) return storage_error(cursor.open_rc(), "open cursor");
  const std::string_view prefix = raw_bytes(issuer);
  std::string_view key;
  int rc = cursor.move(kv::Move::kSetRange, &key, nullptr, prefix);
  for (; rc == 0 && key.starts_with(prefix); rc = cursor.move(kv::Move::kNext, &key, nullptr)) {
    ids.push_back(list_id_text(key.substr(kIdBytes)));
  }
  if (rc != 0 && rc != kv::kNotFound) return storage_error(rc, "list status lists");
  return ids;
}

// ---- allocation ------------------------------------------------------------------------------

std::uint32_t StatusAllocator::random_index() {
  if (random_used_ + 4 > random_.size()) {
    random_.resize(kRandomBatch);
    random_bytes(random_.data(), random_.size());
    random_used_ = 0;
  }
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | random_[random_used_++];
  return value & (kStatusListBits - 1);
}

Status StatusAllocator::open_list(Txn& txn) {
  // Reuse a list that still takes assignments, else open one with a fresh random id.
  Cursor cursor(txn, tables_.lists);
  if (cursor.open_rc() != 0) return storage_error(cursor.open_rc(), "open cursor");
  const std::string_view prefix = raw_bytes(issuer_);
  std::string_view key, value;
  int rc = cursor.move(kv::Move::kSetRange, &key, &value, prefix);
  for (; rc == 0 && key.starts_with(prefix); rc = cursor.move(kv::Move::kNext, &key, &value)) {
    if (finished_.count(std::string(key)) != 0 || value.size() != kRecordBytes) continue;
    if (get_u32(value, 0) < kFillLimit) {
      list_key_ = key;
      record_ = value;
      return {};
    }
  }
  if (rc != 0 && rc != kv::kNotFound) return storage_error(rc, "list status lists");
  std::string list_id(kStatusListIdBytes, '\0');
  random_bytes(reinterpret_cast<std::uint8_t*>(list_id.data()), list_id.size());
  list_key_ = std::string(prefix) + list_id;
  record_.assign(kRecordBytes, '\0');
  return {};
}

Result<StatusSlot> StatusAllocator::allocate(Txn& txn, std::string_view assertion_id) {
  if (list_key_.empty() || get_u32(record_, 0) >= kFillLimit) {
    if (!list_key_.empty()) finished_[list_key_] = std::move(record_);
    LAUREL_TRY(open_list(txn));
  }
  std::uint32_t index = random_index();
  // Below the fill limit at least half the bits are free: two draws on average.
  while (status_bit(std::string_view(record_).substr(kCountBytes, kStatusListBytes), index)) {
    index = random_index();
  }
  record_[kCountBytes + index / 8] =
      char(std::uint8_t(record_[kCountBytes + index / 8]) | (0x80u >> (index % 8)));
  put_u32(record_, 0, get_u32(record_, 0) + 1);

  std::string slot(kSlotBytes, '\0');
  std::memcpy(slot.data(), list_key_.data(), kIdBytes + kStatusListIdBytes);
  put_u32(slot, kIdBytes + kStatusListIdBytes, index);
  int rc = txn.put(tables_.entries, assertion_id, slot);
  if (rc != 0) return storage_error(rc, "write credential status");
  return StatusSlot{issuer_, list_id_text(std::string_view(list_key_).substr(kIdBytes)), index};
}

Status StatusAllocator::finish(Txn& txn) {
  if (!list_key_.empty()) finished_[list_key_] = std::move(record_);
  list_key_.clear();
  return write_records(txn, tables_, finished_);
}

// ---- revocation ------------------------------------------------------------------------------

Status StatusRevoker::revoke(Txn& txn, std::string_view assertion_id) {
  std::string_view stored;
  int rc = txn.get(tables_.entries, assertion_id, &stored);
  if (rc == kv::kNotFound) return {};
  if (rc != 0) return storage_error(rc, "read credential status");
  if (stored.size() != kSlotBytes) {
    return Error{ErrorCode::Internal, "id", "stored credential status is corrupt"};
  }
  const std::string key(stored.substr(0, kIdBytes + kStatusListIdBytes));
  const std::uint32_t index = get_u32(stored, kIdBytes + kStatusListIdBytes);
  auto found = changed_.find(key);
  if (found == changed_.end()) {
    auto record = read_record(txn, tables_, key);
    if (!record.ok()) return record.error();
    found = changed_.emplace(key, std::move(record).value()).first;
  }
  std::string& record = found->second;
  const std::size_t at = kCountBytes + kStatusListBytes + index / 8;
  record[at] = char(std::uint8_t(record[at]) | (0x80u >> (index % 8)));
  return {};
}

Status StatusRevoker::finish(Txn& txn) { return write_records(txn, tables_, changed_); }

}  // namespace laurel::detail

namespace laurel {

using kv::storage_error;
using kv::Txn;

Result<std::vector<std::string>> Store::status_lists(std::string_view issuer_id) const {
  auto issuer = parse_id(issuer_id, "issuer_id", "issuer");
  if (!issuer.ok()) return issuer.error();
  auto tables = detail::status_tables(*impl_);
  if (!tables.ok()) return tables.error();
  return impl_->env->read([&](Txn& txn) -> Result<std::vector<std::string>> {
    int rc = txn.get(impl_->issuers, detail::raw_bytes(issuer.value()), nullptr);
    if (rc == kv::kNotFound) {
      return not_found("issuer_id", "no issuer with id " + quoted(issuer_id));
    }
    if (rc != 0) return storage_error(rc, "read issuer");
    return detail::read_status_list_ids(txn, tables.value(), issuer.value());
  });
}

Result<std::string> Store::status_list_bits(std::string_view issuer_id,
                                            std::string_view list_id) const {
  auto issuer = parse_id(issuer_id, "issuer_id", "issuer");
  if (!issuer.ok()) return issuer.error();
  auto tables = detail::status_tables(*impl_);
  if (!tables.ok()) return tables.error();
  return impl_->env->read([&](Txn& txn) {
    return detail::read_revocation_bits(txn, tables.value(), issuer.value(), list_id);
  });
}

Result<Json> Store::status_entry(std::string_view assertion_id) const {
  auto id = parse_id(assertion_id, "entityId", "assertion");
  if (!id.ok()) return id.error();
  auto tables = detail::status_tables(*impl_);
  if (!tables.ok()) return tables.error();
  return impl_->env->read([&](Txn& txn) -> Result<Json> {
    int rc = txn.get(impl_->assertions, detail::raw_bytes(id.value()), nullptr);
    if (rc == kv::kNotFound) {
      return not_found("entityId", "no assertion with id " + quoted(assertion_id));
    }
    if (rc != 0) return storage_error(rc, "read assertion");
    auto slot = detail::read_status_slot(txn, tables.value(), detail::raw_bytes(id.value()));
    if (!slot.ok()) return slot.error();
    if (!slot->has_value()) return Json();
    const detail::StatusSlot& found = slot->value();
    return Json::object({{"issuer", id_to_text(found.issuer)},
                         {"list", found.list_id},
                         {"index", std::int64_t(found.index)}});
  });
}

}  // namespace laurel
