// Export at scale: every assertion as a canonical Badgr v2 JSON line, streamed in chunks from one
// read transaction, so memory stays constant whatever the store holds (blocks of 16,384 records
// are copied out of the map and formatted on every core, in order). Each line is written by
// append_canonical_json (the same bytes as to_json(assertion).dump(), without building a tree);
// the walk follows the issuer index backwards (newest first, as listings are) and reads each
// document by id, which the time-ordered ids make a nearly sequential walk of the table.
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

class ChunkedSink {
 public:
  explicit ChunkedSink(const ExportSink& sink) : sink_(sink) { buffer_.reserve(kChunkBytes + 4096); }
  std::string& buffer() { return buffer_; }
  /// Hands the buffer over once it holds a chunk (or always, when `final`); false to stop.
  bool flush(bool final) {
    if (buffer_.empty() || (!final && buffer_.size() < kChunkBytes)) return true;
    const bool go_on = sink_(buffer_);
    buffer_.clear();
    return go_on;
  }

 private:
  const ExportSink& sink_;
  std::string buffer_;
};

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

/// A stored assertion copied out of the map, to be formatted off the reading thread.
struct RawRecord {
  RawId id{};
  std::string document;
  std::optional<std::string> revocation;  // the revocation record, when revoked
};

/// The JSON lines of `records[begin, end)`, in order.
Result<std::string> format_records(const std::vector<RawRecord>& records, std::size_t begin,
                                   std::size_t end) {
  std::string lines;
  lines.reserve((end - begin) * 520);
  for (std::size_t i = begin; i < end; ++i) {
    const RawRecord& record = records[i];
    auto assertion = decode_stored_assertion(record.document, record.id, "");
    if (!assertion.ok()) return assertion.error();
    if (record.revocation) {
      auto revocation = Json::parse(*record.revocation);
      if (!revocation.ok()) return Error{ErrorCode::Internal, "", "stored revocation is corrupt"};
      assertion->revoked = true;
      assertion->revocation_reason = revocation->get_string("revocationReason");
    }
    append_canonical_json(lines, assertion.value());
    lines.push_back('\n');
  }
  return lines;
}

/// Formats a block of records on every core (decoding is most of an export's work; the reading
/// thread only copies bytes out of the map) and appends the lines in order.
Status format_block(const std::vector<RawRecord>& records, ChunkedSink& out) {
  const std::size_t threads =
      std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
  const std::size_t per = (records.size() + threads - 1) / threads;
  std::vector<std::future<Result<std::string>>> parts;
  for (std::size_t begin = 0; begin < records.size(); begin += per) {
    const std::size_t end = std::min(records.size(), begin + per);
    parts.push_back(std::async(std::launch::async, format_records, std::cref(records), begin, end));
  }
  for (auto& part : parts) {
    auto lines = part.get();
    if (!lines.ok()) return lines.error();
    out.buffer() += lines.value();
  }
  return {};
}

/// One issuer's assertions, newest first, appended to `out`. Returns how many.
Result<std::uint64_t> export_issuer(const Store::Impl& impl, Txn& txn, const RawId& issuer,
                                    ChunkedSink& out) {
  constexpr std::size_t kBlock = 16384;
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
  std::uint64_t count = 0;
  std::vector<RawRecord> block;
  block.reserve(kBlock);
  auto flush_block = [&]() -> Status {
    LAUREL_TRY(format_block(block, out));
    count += block.size();
    block.clear();
    if (!out.flush(false)) return Error{ErrorCode::Cancelled, "", "export stopped"};
    return {};
  };
  while (rc == 0 && key.starts_with(prefix)) {
    RawRecord& record = block.emplace_back();
    std::copy(key.begin() + kIdBytes, key.end(), reinterpret_cast<char*>(record.id.data()));
    std::string_view document;
    int got = txn.get(impl.assertions, raw_bytes(record.id), &document);
    if (got != 0) return storage_error(got, "read assertion");
    record.document.assign(document);
    std::string_view revocation;
    got = txn.get(impl.revocations, raw_bytes(record.id), &revocation);
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
    if (!out.flush(true)) return Error{ErrorCode::Cancelled, "", "export stopped"};
    return total;
  });
}

}  // namespace laurel
