// OB 3.0 credential status in the store (core/src/store_status.cpp): which bit of which
// Bitstring Status List each assertion owns, and the lists' bits.
//
// Tables (of the store, detail/kv.hpp):
//   status_lists      issuer id (16) + list id (8 random bytes) -> list record: allocated count
//                     (4 bytes big-endian), then the allocation bitmap and the revocation bitmap
//                     (kStatusListBytes each)
//   assertion_status  assertion id (16) -> issuer id (16) + list id (8) + index (4, big-endian)
//
// Privacy (Bitstring Status List §6.1): an assertion gets a uniformly random free index of a
// list of kStatusListBits entries, so neither its index nor the lists reveal issue order or
// how many badges an issuer awarded beyond "fewer than this many lists' worth". A list takes new
// assignments until half of it is allocated (so a random draw finds a free bit in two tries on
// average); then a new list with a random id opens.
//
// Both helpers run inside the caller's write transaction, so an award and its status bit, or a
// revocation and its status bit, commit together. Bodies may run again (LMDB grows its map and
// retries): build a helper inside the transaction body, never outside it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detail/kv.hpp"
#include "detail/store_impl.hpp"

namespace laurel::detail {

inline constexpr std::size_t kStatusListIdBytes = 8;

struct StatusTables {
  kv::Table lists = 0;
  kv::Table entries = 0;
};
/// Opens (creating) the two tables. Call outside any transaction of this thread.
Result<StatusTables> status_tables(const Store::Impl& impl);

/// Where an assertion's status lives.
struct StatusSlot {
  RawId issuer{};
  std::string list_id;  // 11 characters of base64url (8 bytes)
  std::uint32_t index = 0;
};

/// The assertion's slot, or nullopt for an assertion issued before status lists existed.
Result<std::optional<StatusSlot>> read_status_slot(kv::Txn& txn,
                                                   const StatusTables& tables,
                                                   std::string_view assertion_id);

/// The revocation bitstring of a list (kStatusListBytes). NotFound (field "list_id").
Result<std::string> read_revocation_bits(kv::Txn& txn, const StatusTables& tables,
                                         const RawId& issuer, std::string_view list_id);

/// The ids of the issuer's lists, in key order.
Result<std::vector<std::string>> read_status_list_ids(kv::Txn& txn,
                                                      const StatusTables& tables,
                                                      const RawId& issuer);

/// Hands out random free indexes of the issuer's open list, opening lists as they fill.
class StatusAllocator {
 public:
  StatusAllocator(const StatusTables& tables, const RawId& issuer)
      : tables_(tables), issuer_(issuer) {}
  /// Gives `assertion_id` (16 raw bytes) a slot and records it.
  Result<StatusSlot> allocate(kv::Txn& txn, std::string_view assertion_id);
  /// Writes the lists it changed. Call once, before the transaction commits.
  Status finish(kv::Txn& txn);

 private:
  Status open_list(kv::Txn& txn);
  std::uint32_t random_index();

  StatusTables tables_;
  RawId issuer_;
  std::string list_key_;  // issuer + list id of the list being filled; empty before the first
  std::string record_;    // its record, changed in memory
  std::map<std::string, std::string> finished_;  // filled lists waiting to be written
  std::vector<std::uint8_t> random_;
  std::size_t random_used_ = 0;
};

/// Sets the revocation bits of revoked assertions, writing each changed list once.
class StatusRevoker {
 public:
  explicit StatusRevoker(const StatusTables& tables) : tables_(tables) {}
  /// Sets the bit of `assertion_id` (16 raw bytes); nothing for an assertion without a slot.
  Status revoke(kv::Txn& txn, std::string_view assertion_id);
  Status finish(kv::Txn& txn);

 private:
  StatusTables tables_;
  std::map<std::string, std::string> changed_;  // list key -> record
};

}  // namespace laurel::detail
