// Export at scale: every assertion as a canonical Badgr v2 JSON line, streamed from one read
// transaction in constant memory, however large the store. The walk follows the issuer index
// backwards (newest first, as listings are) and reads each document by id, which the
// time-ordered ids make a nearly sequential walk of the table. Blocks of 1,024 records (views of
// the stored bytes, nothing copied) go through a pipeline: while the reading thread collects a
// block, the one before is formatted on every core and the one before that is handed to the
// sink. Each line is spliced from the stored bytes (append_canonical_json_of_stored: the same
// bytes as to_json(assertion).dump() of the assertion read by id); documents in an older form
// are decoded and written by append_canonical_json.
#include <algorithm>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "detail/kv.hpp"
#include "detail/store_impl.hpp"
#include "laurel/store.hpp"

namespace laurel {
namespace {

using detail::raw_bytes;
using kv::Cursor;
using kv::storage_error;
using kv::Txn;

constexpr std::size_t kIdBytes = 16;
constexpr std::size_t kChunkBytes = 1 << 20;

Result<std::vector<RawId>> issuer_ids(const Store::Impl& impl, Txn& txn) {
  std::vector<RawId> ids;
  Cursor cursor(txn, impl.issuers);
  if (cursor.open_rc() != 0) return storage_error(cursor.open_rc(), "open issuers");
  std::string_view key;
  int rc = cursor.move(kv::Move::kFirst, &key, nullptr);
  while (rc == 0) {
    RawId id{};
    if (key.size() == id.size()) {
      std::copy(key.begin(), key.end(), reinterpret_cast<char*>(id.data()));
      ids.push_back(id);
    }
    rc = cursor.move(kv::Move::kNext, &key, nullptr);
  }
  if (rc != kv::kNotFound) return storage_error(rc, "read issuers");
  return ids;
}

/// A stored assertion as the read transaction holds it, to be formatted off the reading thread.
/// The views stay valid to the end of the transaction (it never writes), which outlives every
/// block in flight: the workers read the stored bytes where they lie, nothing is copied.
struct RawRecord {
  RawId id{};
  std::string_view document;
  std::optional<std::string_view> revocation;  // the revocation record, when revoked
};

/// The JSON lines of the records [first, last), in order: spliced from the stored bytes, or for
/// a document not in the stored form (an older store's), decoded and written out again.
Result<std::string> format_records(const RawRecord* first, const RawRecord* last) {
  std::string lines;
  lines.reserve(std::size_t(last - first) * 620);
  for (const RawRecord* record = first; record != last; ++record) {
    std::string reason;
    if (record->revocation) {
      auto revocation = Json::parse(*record->revocation);
      if (!revocation.ok()) return Error{ErrorCode::Internal, "", "stored revocation is corrupt"};
      reason = revocation->get_string("revocationReason");
    }
    const std::string id = id_to_text(record->id);
    if (!append_canonical_json_of_stored(lines, record->document, id,
                                         record->revocation.has_value(), reason)) {
      auto assertion = decode_stored_assertion(record->document, record->id, "");
      if (!assertion.ok()) return assertion.error();
      if (record->revocation) {
        assertion->revoked = true;
        assertion->revocation_reason = reason;
      }
      append_canonical_json(lines, assertion.value());
    }
    lines.push_back('\n');
  }
  return lines;
}

/// The export's output, a pipeline of three stages: while the reading thread copies a block of
/// records out of the map, the block before it is formatted on every core, and the one before
/// that is handed to the sink (by the reading thread, in order). Two blocks in flight at most, so
/// memory stays constant; the sink gets large pieces (each core's share of a block, or 1 MB of
/// small ones gathered).
class ChunkedSink {
 public:
  explicit ChunkedSink(const ExportSink& sink) : sink_(sink) {}
  ChunkedSink(const ChunkedSink&) = delete;
  ChunkedSink& operator=(const ChunkedSink&) = delete;

  /// Starts formatting `records` (taking them; `records` is left with spent ones to reuse) and
  /// hands the block before it to the sink. Errors: the earlier block's (Internal when a stored
  /// record is corrupt, Cancelled when the sink stopped).
  Status add(std::vector<RawRecord>& records) {
    Block current;
    std::swap(current.records, records);
    const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
    const std::size_t per = (current.records.size() + threads - 1) / threads;
    const RawRecord* first = current.records.data();
    const RawRecord* end = first + current.records.size();
    for (const RawRecord* begin = first; begin < end; begin += per) {
      current.parts.push_back(
          std::async(std::launch::async, format_records, begin, std::min(end, begin + per)));
    }
    Status written = write(previous_);
    std::swap(records, previous_.records);
    records.clear();
    previous_ = std::move(current);  // the records' heap storage, which the workers read, stays
    return written;
  }

  /// Hands the last block to the sink, and what is gathered.
  Status finish() {
    LAUREL_TRY(write(previous_));
    return hand_over(true);
  }

 private:
  struct Block {
    std::vector<RawRecord> records;
    std::vector<std::future<Result<std::string>>> parts;
  };

  Status write(Block& block) {
    Status status;
    for (auto& part : block.parts) {
      auto lines = part.get();  // every part is waited for, even after an error
      if (!status.ok()) continue;
      if (!lines.ok()) {
        status = lines.error();
      } else if (lines->size() >= kChunkBytes) {
        status = hand_over(true);
        if (status.ok() && !sink_(lines.value())) status = stopped();
      } else {
        buffer_ += lines.value();
        status = hand_over(false);
      }
    }
    block.parts.clear();
    return status;
  }

  /// Hands the gathered lines to the sink once they make a chunk (or always, when `final`).
  Status hand_over(bool final) {
    if (buffer_.empty() || (!final && buffer_.size() < kChunkBytes)) return {};
    const bool go_on = sink_(buffer_);
    buffer_.clear();
    return go_on ? Status{} : stopped();
  }

  static Error stopped() { return Error{ErrorCode::Cancelled, "", "export stopped"}; }

  const ExportSink& sink_;
  std::string buffer_;
  Block previous_;
};

/// Looks up keys that come in descending order (one issuer's assertion ids, newest first) in a
/// table keyed by assertion id, with a cursor that only moves backwards: it rests on the largest
/// key below the last one asked for, so a key that is there (the next document of a one-issuer
/// store) costs one step and a key below it (the revocation of an unrevoked award) costs nothing.
/// Only a key with others between it and the last one (other issuers' documents) seeks from the
/// root, as a get would.
class DescendingLookup {
 public:
  DescendingLookup(Txn& txn, kv::Table table) : cursor_(txn, table) {}
  int open_rc() const { return cursor_.open_rc(); }

  /// kOk (and *value) when the table holds `key`, kNotFound when not, or the backend's error.
  int find(std::string_view key, std::string_view* value) {
    if (!started_) {
      started_ = true;
      if (int rc = rest(kv::Move::kLast); rc != kv::kOk && rc != kv::kNotFound) return rc;
    }
    if (!has_below_ || below_key_ < key) return kv::kNotFound;
    bool found = below_key_ == key;
    if (found) {
      *value = below_value_;
    } else {  // keys between: seek (the first key >= `key` exists, below_key_ is one)
      std::string_view at_key, at_value;
      int rc = cursor_.move(kv::Move::kSetRange, &at_key, &at_value, key);
      if (rc != kv::kOk) return rc;
      found = at_key == key;
      if (found) *value = at_value;
    }
    if (int rc = rest(kv::Move::kPrev); rc != kv::kOk && rc != kv::kNotFound) return rc;
    return found ? kv::kOk : kv::kNotFound;
  }

 private:
  /// Moves the cursor to its new resting place.
  int rest(kv::Move move) {
    const int rc = cursor_.move(move, &below_key_, &below_value_);
    has_below_ = rc == kv::kOk;
    return rc;
  }

  Cursor cursor_;
  bool started_ = false;
  bool has_below_ = false;  // false: no key below (the table's start was passed)
  std::string_view below_key_, below_value_;
};

/// One issuer's assertions, newest first, appended to `out`. Returns how many.
Result<std::uint64_t> export_issuer(const Store::Impl& impl, Txn& txn, const RawId& issuer,
                                    ChunkedSink& out) {
  constexpr std::size_t kBlock = 1024;
  const std::string_view prefix = raw_bytes(issuer);
  // The last key with this prefix: seek just past it (prefix + 0xff...) and step back.
  std::string past(prefix);
  past.append(kIdBytes, '\xff');
  Cursor index(txn, impl.issuer_assertions);
  if (index.open_rc() != 0) return storage_error(index.open_rc(), "open issuer index");
  std::string_view key;
  int rc = index.move(kv::Move::kSetRange, &key, nullptr, past);
  rc = rc == 0 ? index.move(kv::Move::kPrev, &key, nullptr)
               : index.move(kv::Move::kLast, &key, nullptr);
  DescendingLookup documents(txn, impl.assertions), revocations(txn, impl.revocations);
  if (documents.open_rc() != 0) return storage_error(documents.open_rc(), "open assertions");
  if (revocations.open_rc() != 0) return storage_error(revocations.open_rc(), "open revocations");
  std::uint64_t count = 0;
  std::vector<RawRecord> block;
  block.reserve(kBlock);
  auto flush_block = [&]() -> Status {
    count += block.size();
    return out.add(block);
  };
  while (rc == 0 && key.starts_with(prefix)) {
    RawRecord& record = block.emplace_back();
    std::copy(key.begin() + kIdBytes, key.end(), reinterpret_cast<char*>(record.id.data()));
    std::string_view document;
    int got = documents.find(raw_bytes(record.id), &document);
    if (got != 0) return storage_error(got, "read assertion");
    record.document = document;
    std::string_view revocation;
    got = revocations.find(raw_bytes(record.id), &revocation);
    if (got == 0) {
      record.revocation.emplace(revocation);
    } else if (got != kv::kNotFound) {
      return storage_error(got, "read revocation");
    }
    if (block.size() == kBlock) LAUREL_TRY(flush_block());
    rc = index.move(kv::Move::kPrev, &key, nullptr);
  }
  if (rc != 0 && rc != kv::kNotFound) return storage_error(rc, "read issuer index");
  if (!block.empty()) LAUREL_TRY(flush_block());
  return count;
}

}  // namespace

Result<std::uint64_t> Store::export_assertions(std::string_view issuer_id,
                                               const ExportSink& sink) const {
  std::optional<RawId> only;
  if (!issuer_id.empty()) {
    auto parsed = parse_id(issuer_id, "issuer", "issuer");
    if (!parsed.ok()) return parsed.error();
    only = parsed.value();
  }
  return impl_->env->read([&](Txn& txn) -> Result<std::uint64_t> {
    std::vector<RawId> issuers;
    if (only) {
      if (txn.get(impl_->issuers, raw_bytes(*only), nullptr) != 0) {
        return not_found("issuer", "no issuer with id " + quoted(issuer_id));
      }
      issuers.push_back(*only);
    } else {
      auto all = issuer_ids(*impl_, txn);
      if (!all.ok()) return all.error();
      issuers = std::move(all.value());
    }
    ChunkedSink out(sink);
    std::uint64_t total = 0;
    for (const RawId& issuer : issuers) {
      auto count = export_issuer(*impl_, txn, issuer, out);
      if (!count.ok()) return count.error();
      total += count.value();
    }
    LAUREL_TRY(out.finish());
    return total;
  });
}

}  // namespace laurel
