// What a PostgreSQL transaction holds in memory: the bytes its views point at (an arena that
// lives as long as the transaction) and, per table, the keys it has read or written (the
// overlay). Gets and cursors consult the overlay before the database, so a transaction sees its
// own writes long before they are sent; the commit sends the dirty entries in bulk.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <memory_resource>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace laurel::detail::pg {

/// Copies of bytes, stable until the arena dies (views handed out stay valid to the txn's end).
class Arena {
 public:
  std::string_view copy(std::string_view bytes) {
    if (bytes.empty()) return {};
    if (bytes.size() > kBlock / 4) {
      big_.push_back(std::make_unique<char[]>(bytes.size()));
      std::memcpy(big_.back().get(), bytes.data(), bytes.size());
      return {big_.back().get(), bytes.size()};
    }
    if (blocks_.empty() || used_ + bytes.size() > kBlock) {
      blocks_.push_back(std::make_unique<char[]>(kBlock));
      used_ = 0;
    }
    char* at = blocks_.back().get() + used_;
    std::memcpy(at, bytes.data(), bytes.size());
    used_ += bytes.size();
    return {at, bytes.size()};
  }

 private:
  static constexpr std::size_t kBlock = 1 << 20;
  std::vector<std::unique_ptr<char[]>> blocks_, big_;
  std::size_t used_ = 0;
};

/// Whether the database holds a key (as of this transaction).
enum class InDb : std::uint8_t { kUnknown, kAbsent, kPresent };

struct Entry {
  std::string_view value;  // in the arena or a kept result; meaningful when present
  bool present = false;    // false: deleted here, or read and found missing
  bool dirty = false;      // written by this transaction, not yet sent
  InDb in_db = InDb::kUnknown;
};

/// Entries by key. The keys are views into the transaction's arena and the nodes come from its
/// monotonic memory resource: a batch of 50,000 awards makes 250,000 entries, and a malloc and a
/// free for each key and node showed as a fifth of the writer's time.
using Entries = std::pmr::map<std::string_view, Entry>;

/// One table's entries. Nodes are never erased while the transaction lives (cursor keys view
/// them); clear() retires the whole map instead.
struct Overlay {
  explicit Overlay(std::pmr::memory_resource* memory = std::pmr::get_default_resource())
      : entries(memory) {}
  Entries entries;
  std::uint64_t generation = 0;  // bumped when the database side changed under cursors (clear)
  std::size_t dirty = 0;         // dirty entries (a flush is due when > 0)
  // The table's last key as the transaction sees it, kept for kAppend's order check.
  bool last_known = false;
  bool last_none = false;  // the table is empty
  std::string last;
};

}  // namespace laurel::detail::pg
