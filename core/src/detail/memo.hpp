// A small process-wide memo for pure results that are costly to recompute and met again and
// again (a status list's decoded bits, a status list's verified signature): keyed by a digest of
// everything the result depends on, so changed input is a miss, never a stale hit. Bounded in
// entries and bytes; the oldest entries go first. Thread-safe (the batch calls run on threads).
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace laurel::detail {

template <class Value>
class Memo {
 public:
  Memo(std::size_t max_entries, std::size_t max_bytes)
      : max_entries_(max_entries), max_bytes_(max_bytes) {}

  std::optional<Value> find(const std::string& key) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end()) return std::nullopt;
    return found->second.value;
  }

  /// Keeps `value` under `key`; `bytes` is what it costs to hold (beside the key).
  void put(const std::string& key, Value value, std::size_t bytes) {
    if (bytes > max_bytes_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (entries_.count(key) != 0) return;
    while (!order_.empty() && (entries_.size() >= max_entries_ || bytes_ + bytes > max_bytes_)) {
      auto oldest = entries_.find(order_.front());
      bytes_ -= oldest->second.bytes;
      entries_.erase(oldest);
      order_.pop_front();
    }
    entries_.emplace(key, Entry{std::move(value), bytes});
    order_.push_back(key);
    bytes_ += bytes;
  }

 private:
  struct Entry {
    Value value;
    std::size_t bytes;
  };
  const std::size_t max_entries_;
  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::deque<std::string> order_;  // keys, oldest first
  std::size_t bytes_ = 0;
};

}  // namespace laurel::detail
