// The store's rules, over detail/kv.hpp. Layout (see detail/store_impl.hpp): entity documents keyed by raw id, revocation
// records apart from the assertion document (revoking is one small put), and prefix indexes whose
// keys end in the assertion id, so a backwards prefix scan lists newest first.
#include "laurel/store.hpp"

#include <sys/stat.h>

#include <cryptopp/hmac.h>
#include <cryptopp/sha.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <optional>
#include <limits>
#include <mutex>
#include <system_error>
#include <thread>

#include "detail/hash.hpp"
#include "detail/kv.hpp"
#include "detail/pg_kv.hpp"
#include "detail/random.hpp"
#include "detail/status_store.hpp"
#include "detail/store_impl.hpp"
#include "laurel/datetime.hpp"
#include "laurel/ids.hpp"
#include "laurel/recipient.hpp"
#include "laurel/validate.hpp"

namespace laurel {
namespace {

using detail::raw_bytes;
using kv::Cursor;
using kv::storage_error;
using kv::Txn;

constexpr std::size_t kIdBytes = 16;
constexpr std::size_t kSecretBytes = 32;        // HMAC-SHA256 key: one full block of entropy
using detail::kRecipientKeyBytes;  // 128 bits of the HMAC: collisions need 2^64 ids
constexpr char kSecretKey[] = "recipient-index-secret";
// Items per chunk of a batch: the progress callback runs between chunks, and a prepare worker
// hands over one chunk at a time (1000 keeps the hand-over cost far below the work).
constexpr std::size_t kChunk = 1000;
// How many prepared chunks may wait for the writer: bounds a batch's memory to ~8 MB of documents.
constexpr std::size_t kChunksAhead = 8;
constexpr std::size_t kListMax = 1000;

// ---- small helpers ---------------------------------------------------------------------------


Status put(Txn& txn, kv::Table dbi, std::string_view key, std::string_view value, unsigned flags,
           const char* what) {
  int rc = txn.put(dbi, key, value, flags);
  if (rc != 0) return storage_error(rc, what);
  return {};
}

Status del(Txn& txn, kv::Table dbi, std::string_view key, const char* what) {
  int rc = txn.del(dbi, key);
  if (rc != 0 && rc != kv::kNotFound) return storage_error(rc, what);
  return {};
}

/// Calls fn(key, value) for each entry whose key starts with `prefix`, in key order, until fn
/// returns false.
template <class Fn>
Status scan_prefix(Txn& txn, kv::Table dbi, std::string_view prefix, Fn&& fn) {
  Cursor cursor(txn, dbi);
  if (cursor.open_rc() != 0) return storage_error(cursor.open_rc(), "open cursor");
  std::string_view key, value;
  int rc = prefix.empty() ? cursor.move(kv::Move::kFirst, &key, &value)
                          : cursor.move(kv::Move::kSetRange, &key, &value, prefix);
  while (rc == 0 && key.starts_with(prefix)) {
    if (!fn(key, value)) return {};
    rc = cursor.move(kv::Move::kNext, &key, &value);
  }
  if (rc != 0 && rc != kv::kNotFound) return storage_error(rc, "scan index");
  return {};
}

/// True when the database is empty or every key in it sorts before `key` (kv::kAppend is legal).
Result<bool> sorts_after_last(Cursor& cursor, std::string_view key) {
  std::string_view last;
  int rc = cursor.move(kv::Move::kLast, &last, nullptr);
  if (rc == kv::kNotFound) return true;
  if (rc != 0) return storage_error(rc, "read last key");
  return last < key;
}

template <class T>
Result<T> load(Txn& txn, kv::Table dbi, const RawId& id, Result<T> (*from_json)(const Json&),
               const char* field, const char* what) {
  std::string_view bytes;
  int rc = txn.get(dbi, raw_bytes(id), &bytes);
  if (rc == kv::kNotFound) {
    return not_found(field, std::string("no ") + what + " with id " + quoted(id_to_text(id)));
  }
  if (rc != 0) return storage_error(rc, std::string("read ") + what);
  auto json = Json::parse(bytes);
  if (!json.ok()) {
    return Error{ErrorCode::Internal, field,
                 std::string("stored ") + what + " is corrupt: " + json.error().message};
  }
  auto entity = from_json(json.value());
  if (!entity.ok()) {
    return Error{ErrorCode::Internal, field,
                 std::string("stored ") + what + " is invalid: " + entity.error().field + " " +
                     entity.error().message};
  }
  return entity;
}

Result<Issuer> load_issuer(const Store::Impl& impl, Txn& txn, const RawId& id,
                           const char* field) {
  return load<Issuer>(txn, impl.issuers, id, &issuer_from_json, field, "issuer");
}
Result<BadgeClass> load_badgeclass(const Store::Impl& impl, Txn& txn, const RawId& id,
                                   const char* field) {
  return load<BadgeClass>(txn, impl.badgeclasses, id, &badgeclass_from_json, field, "badge class");
}

/// The assertion document with its revocation record merged in.
Result<Assertion> load_assertion(const Store::Impl& impl, Txn& txn, const RawId& id,
                                 const char* field) {
  std::string_view bytes;
  int found = txn.get(impl.assertions, raw_bytes(id), &bytes);
  if (found == kv::kNotFound) {
    return not_found(field, "no assertion with id " + quoted(id_to_text(id)));
  }
  if (found != 0) return storage_error(found, "read assertion");
  auto assertion = decode_stored_assertion(bytes, id, field);
  if (!assertion.ok()) return assertion;
  std::string_view record;
  int rc = txn.get(impl.revocations, raw_bytes(id), &record);
  if (rc == kv::kNotFound) return assertion;
  if (rc != 0) return storage_error(rc, "read revocation");
  auto json = Json::parse(record);
  if (!json.ok()) return Error{ErrorCode::Internal, field, "stored revocation is corrupt"};
  assertion->revoked = true;
  assertion->revocation_reason = json->get_string("revocationReason");
  return assertion;
}

Status exists(Txn& txn, kv::Table dbi, const RawId& id, const char* field, const char* what) {
  int rc = txn.get(dbi, raw_bytes(id), nullptr);
  if (rc == kv::kNotFound) {
    return not_found(field, std::string("no ") + what + " with id " + quoted(id_to_text(id)));
  }
  if (rc != 0) return storage_error(rc, std::string("read ") + what);
  return {};
}

std::string concat(std::string_view a, std::string_view b) {
  std::string out;
  out.reserve(a.size() + b.size());
  out.append(a).append(b);
  return out;
}

/// True when the recipient behind `recipient_key` holds an unrevoked assertion of the badge class:
/// one of `closed_holdings` (its awards of the badge class in the index's closed epochs, found by
/// the prepare workers: 16-byte ids) or an entry of the rest of the index.
Result<bool> holds_unrevoked(const Store::Impl& impl, Txn& txn,
                             const detail::RecipientIndex& by_recipient,
                             std::string_view recipient_key, std::string_view closed_holdings,
                             std::string_view badgeclass_id) {
  for (std::size_t at = 0; at + kIdBytes <= closed_holdings.size(); at += kIdBytes) {
    int rc = txn.get(impl.revocations, closed_holdings.substr(at, kIdBytes), nullptr);
    if (rc == kv::kNotFound) return true;
    if (rc != 0) return storage_error(rc, "read revocation");
  }
  struct Search {
    const Store::Impl& impl;
    Txn& txn;
    std::string_view badgeclass_id;
    bool held = false;
    Status failed;
  } search{impl, txn, badgeclass_id, false, {}};
  // One captured pointer: the callback fits std::function's inline buffer (no allocation).
  LAUREL_TRY(by_recipient.visit_others(recipient_key, [s = &search](std::string_view assertion_id,
                                                                     std::string_view badgeclass) {
    if (badgeclass.substr(0, kIdBytes) != s->badgeclass_id) return true;
    int rc = s->txn.get(s->impl.revocations, assertion_id, nullptr);
    if (rc == kv::kNotFound) s->held = true;
    if (rc != 0 && rc != kv::kNotFound) s->failed = storage_error(rc, "read revocation");
    return !s->held && s->failed.ok();
  }));
  LAUREL_TRY(search.failed);
  return search.held;
}

// ---- batch issue -----------------------------------------------------------------------------

/// Everything an item needs, fixed before the write starts so that preparing an item is a pure
/// function of its index: a retry after the map grew prepares the very same documents.
struct IssueContext {
  const Store::Impl* impl = nullptr;
  const std::vector<RecipientInput>* inputs = nullptr;
  BadgeClass badgeclass;
  RawId badgeclass_id{};
  RawId issuer_id{};
  std::string created_by;
  std::int64_t now = 0;
  std::string now_text;
  std::vector<RawId> ids;                 // ascending, one per input
  std::vector<std::uint8_t> salt_random;  // kSaltBytes per input
  // Set inside the write when duplicates are refused: the prepare workers look each recipient up
  // in the index's closed epochs (read transactions of their own; nothing there changes), so the
  // writer's duplicate check does not grow with the number of epochs.
  const detail::RecipientIndex* recipients = nullptr;
};

struct PreparedItem {
  bool ok = false;
  Error error;
  std::string recipient_key;  // kRecipientKeyBytes
  std::string document;       // canonical JSON
  std::string expires;        // encode_expires
  std::string closed_holdings;  // ids of the recipient's awards of the badge in closed epochs
  bool storage_failed = false;  // `error` is the store's, not the item's: the batch stops
};

/// HMAC-SHA256 keyed once per thread and store secret: re-keying costs as much as the MAC.
std::string recipient_key_fast(const std::string& secret, std::string_view type,
                               std::string_view normalized_identity) {
  struct Keyed {
    std::string secret;
    CryptoPP::HMAC<CryptoPP::SHA256> mac;
  };
  thread_local std::unique_ptr<Keyed> keyed;
  if (!keyed || keyed->secret != secret) {
    keyed = std::make_unique<Keyed>();
    keyed->secret = secret;
    keyed->mac.SetKey(reinterpret_cast<const CryptoPP::byte*>(secret.data()), secret.size());
  }
  auto& mac = keyed->mac;
  mac.Update(reinterpret_cast<const CryptoPP::byte*>(type.data()), type.size());
  mac.Update(reinterpret_cast<const CryptoPP::byte*>(":"), 1);
  mac.Update(reinterpret_cast<const CryptoPP::byte*>(normalized_identity.data()),
             normalized_identity.size());
  CryptoPP::byte digest[CryptoPP::SHA256::DIGESTSIZE];
  mac.Final(digest);  // also resets the MAC for the next message, same key
  return std::string(reinterpret_cast<const char*>(digest), kRecipientKeyBytes);
}

/// Prepares item `index`; with `reader` (and ctx.recipients), also finds the recipient's awards
/// of the badge class in the recipient index's closed epochs.
PreparedItem prepare_item(const IssueContext& ctx, std::size_t index, Txn* reader) {
  const RecipientInput& input = (*ctx.inputs)[index];
  PreparedItem item;
  auto normalized = normalize_identity(input.identity, input.type);
  if (!normalized.ok()) {
    item.error = normalized.error();
    return item;
  }
  Assertion assertion;
  assertion.entity_id = id_to_text(ctx.ids[index]);
  assertion.badgeclass = ctx.badgeclass.entity_id;
  assertion.issuer = ctx.badgeclass.issuer;

  std::int64_t issued_epoch = ctx.now;
  if (input.issued_on.empty()) {
    assertion.issued_on = ctx.now_text;
  } else {
    auto issued_on = normalize_datetime(input.issued_on);
    if (!issued_on) {
      item.error =
          invalid("issuedOn", "must be an ISO 8601 date-time, not " + quoted(input.issued_on));
      return item;
    }
    assertion.issued_on = *issued_on;
    issued_epoch = parse_datetime(*issued_on).value_or(ctx.now);
  }
  if (!input.expires.empty()) {
    auto expires = normalize_datetime(input.expires);
    if (!expires) {
      item.error =
          invalid("expires", "must be an ISO 8601 date-time, not " + quoted(input.expires));
      return item;
    }
    assertion.expires = *expires;
  } else if (ctx.badgeclass.expires) {
    // The badge class's {amount, duration} counts from issuedOn (Badgr's BadgeClass.expires).
    auto expires = add_duration(issued_epoch, ctx.badgeclass.expires->amount,
                                ctx.badgeclass.expires->duration);
    if (!expires) {
      item.error = invalid("expires", "the badge class's expires.duration is not a known unit");
      return item;
    }
    assertion.expires = format_datetime(*expires);
  }

  Recipient& recipient = assertion.recipient;
  recipient.type = input.type;
  recipient.hashed = input.hashed;
  if (input.hashed) {
    // OB 2.0 §IdentityObject: "sha256$" + hex(SHA-256(identity + salt)), a fresh salt per award.
    recipient.salt = hex_encode(std::string_view(
        reinterpret_cast<const char*>(ctx.salt_random.data() + index * kSaltBytes), kSaltBytes));
    recipient.identity = "sha256$" + hex_encode(detail::sha256(normalized.value(), recipient.salt));
  } else {
    recipient.identity = normalized.value();
  }
  if (ctx.impl->options.keep_plaintext) recipient.plaintext_identity = normalized.value();
  recipient.subject_id = input.subject_id;

  assertion.narrative = input.narrative;
  assertion.evidence = input.evidence;
  assertion.extensions = input.extensions;
  assertion.created_at = ctx.now_text;
  assertion.created_by = ctx.created_by;
  if (Status valid = validate(assertion); !valid.ok()) {
    item.error = valid.error();
    return item;
  }
  item.expires = encode_expires(expires_epoch(assertion.expires));
  item.recipient_key =
      recipient_key_fast(ctx.impl->recipient_secret, input.type, normalized.value());
  if (ctx.recipients != nullptr && reader != nullptr) {
    struct Find {
      std::string_view badgeclass_id;
      std::string& holdings;
    } find{raw_bytes(ctx.badgeclass_id), item.closed_holdings};
    Status read = ctx.recipients->visit_closed(
        *reader, item.recipient_key,
        [f = &find](std::string_view assertion_id, std::string_view badgeclass) {
          if (badgeclass.substr(0, kIdBytes) == f->badgeclass_id) f->holdings.append(assertion_id);
          return true;
        });
    if (!read.ok()) {
      item.error = read.error();
      item.storage_failed = true;
      return item;
    }
  }
  item.document.reserve(320);
  append_stored_assertion(item.document, assertion);
#ifndef NDEBUG
  auto stored = decode_stored_assertion(item.document, ctx.ids[index], "");
  if (!stored.ok() || stored.value() != assertion ||
      item.recipient_key != ctx.impl->recipient_key(input.type, normalized.value())) {
    item.error =
        Error{ErrorCode::Internal, "", "the store's assertion writer disagrees with the model's"};
    return item;
  }
#endif
  item.ok = true;
  return item;
}

/// Calls the caller's progress callback; a callback that throws cancels the batch (no exception
/// crosses the store's API).
Result<bool> report_progress(const ProgressFn& progress, std::size_t done, std::size_t total) {
  if (!progress) return true;
  try {
    return progress(done, total);
  } catch (...) {
    return Error{ErrorCode::Cancelled, "", "the progress callback failed; nothing was written"};
  }
}

Error cancelled() {
  return Error{ErrorCode::Cancelled, "", "the batch was cancelled; nothing was written"};
}

/// Prepares chunks of a batch (hashing, validation, JSON) on worker threads while the calling
/// thread writes earlier chunks into LMDB; the calling thread also prepares whenever the chunk it
/// needs next is not ready, so both cores stay busy.
class PreparePipeline {
 public:
  /// `writer` is the batch's write transaction: the writing thread reads through it when it
  /// prepares a chunk itself (one transaction per thread), the workers open read transactions.
  PreparePipeline(const IssueContext& ctx, std::size_t total, Txn& writer)
      : ctx_(ctx),
        writer_(writer),
        total_(total),
        chunk_count_((total + kChunk - 1) / kChunk),
        chunks_(chunk_count_),
        ready_(chunk_count_, false) {
    std::size_t workers = 0;
    if (chunk_count_ > 1) {
      unsigned cores = std::thread::hardware_concurrency();
      workers = std::clamp<std::size_t>(cores > 1 ? cores - 1 : 1, 1, 3);
    }
    try {
      for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
    } catch (const std::system_error&) {
      // No thread to spare: the writing thread prepares every chunk itself.
    }
  }
  PreparePipeline(const PreparePipeline&) = delete;
  PreparePipeline& operator=(const PreparePipeline&) = delete;
  ~PreparePipeline() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    for (auto& thread : threads_) thread.join();
  }

  std::size_t chunk_count() const { return chunk_count_; }

  /// The prepared items of chunk `index`; called in order by the writing thread.
  std::vector<PreparedItem>& wait(std::size_t index) {
    std::unique_lock lock(mutex_);
    while (!ready_[index]) {
      if (next_ < chunk_count_) {
        std::size_t claimed = next_++;
        lock.unlock();
        prepare(claimed, &writer_);
        lock.lock();
      } else {
        changed_.wait(lock);
      }
    }
    return chunks_[index];
  }

  /// Frees a written chunk and lets the workers run further ahead.
  void release(std::size_t index) {
    std::vector<PreparedItem> done;
    {
      std::lock_guard lock(mutex_);
      done.swap(chunks_[index]);
      released_ = index + 1;
    }
    changed_.notify_all();
  }

 private:
  void work() {
    for (;;) {
      std::size_t claimed;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] {
          return stop_ || next_ >= chunk_count_ || next_ < released_ + kChunksAhead;
        });
        if (stop_ || next_ >= chunk_count_) return;
        claimed = next_++;
      }
      prepare(claimed, nullptr);
    }
  }

  /// Prepares chunk `index`, reading the index's closed epochs through `txn`, or (null) through a
  /// read transaction of its own.
  void prepare(std::size_t index, Txn* txn) {
    std::size_t begin = index * kChunk;
    std::size_t end = std::min(begin + kChunk, total_);
    std::vector<PreparedItem> items;
    items.reserve(end - begin);
    auto fill = [&](Txn* reader) {
      for (std::size_t i = begin; i < end; ++i) items.push_back(prepare_item(ctx_, i, reader));
    };
    if (ctx_.recipients == nullptr || txn != nullptr) {
      fill(txn);
    } else if (Status read = ctx_.impl->env->read([&](Txn& reader) -> Status {
                 fill(&reader);
                 return {};
               });
               !read.ok()) {
      items.assign(end - begin, PreparedItem{});
      for (PreparedItem& item : items) {
        item.error = read.error();
        item.storage_failed = true;
      }
    }
    {
      std::lock_guard lock(mutex_);
      chunks_[index] = std::move(items);
      ready_[index] = true;
    }
    changed_.notify_all();
  }

  const IssueContext& ctx_;
  Txn& writer_;
  std::size_t total_;
  std::size_t chunk_count_;
  std::vector<std::vector<PreparedItem>> chunks_;
  std::vector<bool> ready_;
  std::size_t next_ = 0;      // next chunk to prepare
  std::size_t released_ = 0;  // chunks written
  bool stop_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::thread> threads_;
};

Result<IssueBatchResult> issue_many(Store::Impl& impl, std::string_view badgeclass_id,
                                    const std::vector<RecipientInput>& recipients,
                                    const IssueOptions& options, const ProgressFn& progress) {
  auto parsed_badgeclass = parse_id(badgeclass_id, "badgeclass", "badge class");
  if (!parsed_badgeclass.ok()) return parsed_badgeclass.error();

  IssueContext ctx;
  ctx.impl = &impl;
  ctx.inputs = &recipients;
  ctx.badgeclass_id = parsed_badgeclass.value();
  auto badgeclass = impl.env->read(
      [&](Txn& txn) { return load_badgeclass(impl, txn, ctx.badgeclass_id, "badgeclass"); });
  if (!badgeclass.ok()) return badgeclass.error();
  ctx.badgeclass = std::move(badgeclass.value());
  auto issuer_id = id_from_text(ctx.badgeclass.issuer);
  if (!issuer_id)
    return Error{ErrorCode::Internal, "issuer", "stored badge class has a bad issuer id"};
  ctx.issuer_id = *issuer_id;
  ctx.created_by = options.created_by;

  const std::size_t total = recipients.size();
  IssueBatchResult empty;
  empty.committed = true;
  if (total == 0) return empty;

  // All randomness for the batch in one draw: 10 bytes per id, kSaltBytes per salt.
  const std::uint64_t millis = now_millis();
  ctx.now = std::int64_t(millis / 1000);
  ctx.now_text = format_datetime(ctx.now);
  std::vector<std::uint8_t> id_random(total * 10);
  detail::random_bytes(id_random.data(), id_random.size());
  ctx.salt_random.resize(total * kSaltBytes);
  detail::random_bytes(ctx.salt_random.data(), ctx.salt_random.size());
  // Same millisecond, random tails: sorting makes the batch's keys ascend, so LMDB can append.
  auto make_ids = [&](std::uint64_t id_millis) {
    ctx.ids.resize(total);
    for (std::size_t i = 0; i < total; ++i) ctx.ids[i] = make_raw_id(id_millis, &id_random[i * 10]);
    std::sort(ctx.ids.begin(), ctx.ids.end());
  };
  make_ids(millis);

  // Grow the map once up front rather than failing and redoing the batch: documents, four
  // index entries and a status slot of ~60 bytes with LMDB's node overhead.
  {
    PreparedItem sample = prepare_item(ctx, 0, nullptr);
    std::size_t per_item = (sample.ok ? sample.document.size() : 512) + 5 * 64;
    if (Status grown = impl.env->reserve_more(total * per_item); !grown.ok()) {
      return grown.error();
    }
  }

  const std::string bc_key(raw_bytes(ctx.badgeclass_id));
  const std::string issuer_key(raw_bytes(ctx.issuer_id));
  auto status_tables = detail::status_tables(impl);
  if (!status_tables.ok()) return status_tables.error();

  return impl.env->write([&](Txn& txn) -> Result<IssueBatchResult> {
    IssueBatchResult result;
    // Every award gets its OB 3.0 status bit in the transaction that writes it.
    detail::StatusAllocator status(status_tables.value(), ctx.issuer_id);
    result.items.resize(total);
    Cursor docs(txn, impl.assertions), by_badgeclass(txn, impl.badgeclass_assertions),
        by_issuer(txn, impl.issuer_assertions);
    for (Cursor* cursor : {&docs, &by_badgeclass, &by_issuer}) {
      if (cursor->open_rc() != 0) return storage_error(cursor->open_rc(), "open cursor");
    }
    auto by_recipient = detail::RecipientIndex::open(impl.recipients, txn);
    if (!by_recipient.ok()) return by_recipient.error();
    // The id's time prefix is a logical clock: later than the newest stored assertion, even in
    // the same millisecond or after the wall clock stepped back, so "newest first" is exactly
    // the order of writes and the batch can append. The tails stay 80 random bits.
    {
      std::string_view last;
      int rc = docs.move(kv::Move::kLast, &last, nullptr);
      if (rc != 0 && rc != kv::kNotFound) return storage_error(rc, "read last assertion");
      std::uint64_t last_millis = 0;
      for (std::size_t i = 0; rc == 0 && i < 6 && i < last.size(); ++i) {
        last_millis = (last_millis << 8) | std::uint8_t(last[i]);
      }
      make_ids(std::max(millis, last_millis + 1));
    }
    by_recipient->start_batch(total);
    ctx.recipients = options.allow_duplicate_awards ? nullptr : &by_recipient.value();
    PreparePipeline pipeline(ctx, total, txn);
    const std::string_view first_id = raw_bytes(ctx.ids.front());
    auto append_docs = sorts_after_last(docs, first_id);
    auto append_badgeclass = sorts_after_last(by_badgeclass, concat(bc_key, first_id));
    auto append_issuer = sorts_after_last(by_issuer, concat(issuer_key, first_id));
    for (auto* append : {&append_docs, &append_badgeclass, &append_issuer}) {
      if (!append->ok()) return append->error();
    }
    const unsigned docs_flags = append_docs.value() ? kv::kAppend : 0;
    const unsigned badgeclass_flags = append_badgeclass.value() ? kv::kAppend : 0;
    const unsigned issuer_flags = append_issuer.value() ? kv::kAppend : 0;

    bool aborting = false;  // an invalid item with skip_invalid=false: report, write no more
    std::string key(2 * kIdBytes, '\0');
    for (std::size_t chunk = 0; chunk < pipeline.chunk_count(); ++chunk) {
      std::vector<PreparedItem>& items = pipeline.wait(chunk);
      for (std::size_t offset = 0; offset < items.size(); ++offset) {
        const std::size_t index = chunk * kChunk + offset;
        PreparedItem& item = items[offset];
        IssueItemResult& out = result.items[index];
        out.index = index;
        if (!item.ok) {
          if (item.storage_failed) return item.error;
          out.code = "invalid";
          out.error = std::move(item.error);
          ++result.invalid;
          if (!options.skip_invalid) aborting = true;
          continue;
        }
        if (aborting) continue;
        const std::string_view id = raw_bytes(ctx.ids[index]);
        if (!options.allow_duplicate_awards) {
          // Sees this batch's own earlier items too: they are in this transaction.
          auto duplicate = holds_unrevoked(impl, txn, by_recipient.value(), item.recipient_key,
                                           item.closed_holdings, bc_key);
          if (!duplicate.ok()) return duplicate.error();
          if (duplicate.value()) {
            out.code = "duplicate";
            ++result.duplicates;
            continue;
          }
        }
        int rc = docs.put(id, item.document, docs_flags);
        if (rc != 0) return storage_error(rc, "write assertion");
        key.replace(0, kIdBytes, bc_key);
        key.replace(kIdBytes, kIdBytes, id);
        if ((rc = by_badgeclass.put(key, item.expires, badgeclass_flags)) != 0) {
          return storage_error(rc, "write badge class index");
        }
        key.replace(0, kIdBytes, issuer_key);
        if ((rc = by_issuer.put(key, item.expires, issuer_flags)) != 0) {
          return storage_error(rc, "write issuer index");
        }
        LAUREL_TRY(by_recipient->add(txn, item.recipient_key, id, bc_key));
        if (auto slot = status.allocate(txn, id); !slot.ok()) return slot.error();
        out.issued = true;
        out.entity_id = id_to_text(ctx.ids[index]);
        ++result.issued;
      }
      pipeline.release(chunk);
      auto go_on = report_progress(progress, std::min((chunk + 1) * kChunk, total), total);
      if (!go_on.ok()) return go_on.error();
      if (!go_on.value()) return cancelled();
    }
    if (aborting) {
      txn.rollback_on_return();
      for (IssueItemResult& out : result.items) {
        out.issued = false;
        out.entity_id.clear();
      }
      result.issued = 0;
      result.committed = false;
    } else {
      LAUREL_TRY(status.finish(txn));
      LAUREL_TRY(by_recipient->finish(txn));
      result.committed = true;
    }
    return result;
  });
}

// ---- batch revoke ----------------------------------------------------------------------------

Result<std::vector<RevokeItemResult>> revoke_many(Store::Impl& impl,
                                                  const std::vector<RevokeItem>& items,
                                                  const ProgressFn& progress) {
  const std::string now_text = format_datetime(now_seconds());
  auto status_tables = detail::status_tables(impl);
  if (!status_tables.ok()) return status_tables.error();
  return impl.env->write([&](Txn& txn) -> Result<std::vector<RevokeItemResult>> {
    std::vector<RevokeItemResult> results(items.size());
    // The OB 3.0 status bits flip in the transaction that records the revocations.
    detail::StatusRevoker status(status_tables.value());
    Cursor revocations(txn, impl.revocations);
    if (revocations.open_rc() != 0) return storage_error(revocations.open_rc(), "open cursor");
    // Revocations usually come in id order (a batch issued together): append while keys ascend.
    std::string last_key;
    {
      std::string_view last;
      int rc = revocations.move(kv::Move::kLast, &last, nullptr);
      if (rc != 0 && rc != kv::kNotFound) return storage_error(rc, "read revocations");
      if (rc == 0) last_key = last;
    }
    std::string record;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const RevokeItem& item = items[i];
      RevokeItemResult& out = results[i];
      out.entity_id = item.entity_id;
      auto id = id_from_text(item.entity_id);
      int rc = id ? txn.get(impl.assertions, raw_bytes(*id), nullptr) : kv::kNotFound;
      if (rc == kv::kNotFound) {
        out.code = "not_found";
        out.reason = "no assertion with id " + quoted(item.entity_id);
      } else if (rc != 0) {
        return storage_error(rc, "read assertion");
      } else if ((rc = txn.get(impl.revocations, raw_bytes(*id), nullptr)) == 0) {
        out.code = "already_revoked";
        out.reason = "the assertion is already revoked";
      } else if (rc != kv::kNotFound) {
        return storage_error(rc, "read revocation");
      } else if (item.revocation_reason.size() > limits::kTextMax ||
                 !is_utf8(item.revocation_reason)) {
        out.code = "invalid";
        out.reason = "revocationReason must be UTF-8 text of at most 65536 bytes";
      } else {
        // Canonical JSON by construction: keys in byte order, the canonical writer's escaping.
        // The reason is optional (OB 2.0 RevocationList, Badgr's DELETE): a blank one is left out.
        const bool has_reason =
            item.revocation_reason.find_first_not_of(" \t\r\n") != std::string::npos;
        record.assign("{");
        if (has_reason) {
          record.append("\"revocationReason\":");
          append_json_string(record, item.revocation_reason);
          record.push_back(',');
        }
        record.append("\"revokedAt\":");
        append_json_string(record, now_text);
        record.push_back('}');
        const std::string_view key = raw_bytes(*id);
        if (key > last_key) {
          rc = revocations.put(key, record, kv::kAppend);
          last_key = key;
        } else {
          rc = txn.put(impl.revocations, key, record);
        }
        if (rc != 0) return storage_error(rc, "write revocation");
        LAUREL_TRY(status.revoke(txn, key));
        out.revoked = true;
      }
      if ((i + 1) % kChunk == 0 || i + 1 == items.size()) {
        auto go_on = report_progress(progress, i + 1, items.size());
        if (!go_on.ok()) return go_on.error();
        if (!go_on.value()) return cancelled();
      }
    }
    LAUREL_TRY(status.finish(txn));
    return results;
  });
}

// ---- listing ---------------------------------------------------------------------------------

struct Listing {
  const Store::Impl& impl;
  Txn& txn;
  kv::Table index;       // an owner index (badge class, issuer); unused in recipient scope
  std::string prefix;  // owner id, or the recipient key in recipient scope
  const detail::RecipientIndex* recipients = nullptr;  // when a recipient is given
  bool recipient_scope = false;
  bool include_revoked = false;
  bool include_expired = false;
  std::int64_t now = 0;
  std::string recipient_filter;  // recipient key, or empty

  Result<bool> matches(std::string_view assertion_id, std::string_view value) const {
    if (!include_expired) {
      std::string_view expires = value;
      if (recipient_scope) {
        // The recipient index holds the badge class; its index entry holds the expiry.
        int rc = txn.get(impl.badgeclass_assertions,
                         concat(value.substr(0, kIdBytes), assertion_id), &expires);
        if (rc != 0 && rc != kv::kNotFound) return storage_error(rc, "read badge class index");
      }
      if (decode_expires(expires) <= now) return false;
    }
    if (!include_revoked) {
      int rc = txn.get(impl.revocations, assertion_id, nullptr);
      if (rc == 0) return false;
      if (rc != kv::kNotFound) return storage_error(rc, "read revocation");
    }
    if (!recipient_filter.empty()) {
      auto held = recipients->contains(recipient_filter, assertion_id);
      if (!held.ok() || !held.value()) return held;
    }
    return true;
  }

  /// fn(assertion id, value) for the owner's (or recipient's) entries after `from`.
  Status walk(std::string_view from, bool older,
              const std::function<bool(std::string_view, std::string_view)>& fn) const {
    if (recipient_scope) return recipients->walk(prefix, from, older, fn);
    Cursor cursor(txn, index);
    if (cursor.open_rc() != 0) return storage_error(cursor.open_rc(), "open cursor");
    // Keys are exactly prefix + 16 bytes, so prefix + 17 x 0xff sorts after all of this owner's.
    std::string seek =
        prefix + (from.empty() ? std::string(kIdBytes + 1, '\xff') : std::string(from));
    std::string_view key, value;
    int rc = cursor.move(kv::Move::kSetRange, &key, &value, seek);
    if (older) {
      rc = rc == kv::kNotFound ? cursor.move(kv::Move::kLast, &key, &value)
           : rc == 0           ? cursor.move(kv::Move::kPrev, &key, &value)
                               : rc;
    } else if (rc == 0 && key == seek) {
      rc = cursor.move(kv::Move::kNext, &key, &value);
    }
    while (rc == 0 && key.starts_with(prefix)) {
      if (!fn(key.substr(prefix.size()), value)) return {};
      rc = cursor.move(older ? kv::Move::kPrev : kv::Move::kNext, &key, &value);
    }
    if (rc != 0 && rc != kv::kNotFound) return storage_error(rc, "scan index");
    return {};
  }

  /// Up to `limit` matching assertion ids, walking away from `from` (an assertion id, exclusive;
  /// empty = the newest end) towards older (`older`) or newer entries.
  Result<std::vector<RawId>> collect(std::string_view from, bool older, std::size_t limit) const {
    std::vector<RawId> ids;
    if (limit == 0) return ids;
    Status failed;
    LAUREL_TRY(walk(from, older, [&](std::string_view assertion_id, std::string_view value) {
      auto ok = matches(assertion_id, value);
      if (!ok.ok()) {
        failed = ok.error();
        return false;
      }
      if (ok.value()) {
        RawId id{};
        std::memcpy(id.data(), assertion_id.data(), kIdBytes);
        ids.push_back(id);
      }
      return ids.size() < limit;
    }));
    LAUREL_TRY(failed);
    return ids;
  }
};

Result<std::optional<RawId>> parse_cursor(const std::string& text, const char* field) {
  if (text.empty()) return std::optional<RawId>();
  auto id = id_from_text(text);
  if (!id) return invalid(field, "is not a cursor from a previous page");
  return std::optional<RawId>(*id);
}

}  // namespace

// ---- Impl, open, move ------------------------------------------------------------------------

std::string Store::Impl::recipient_key(std::string_view type,
                                       std::string_view normalized_identity) const {
  std::string message;
  message.reserve(type.size() + 1 + normalized_identity.size());
  message.append(type).append(":").append(normalized_identity);
  return detail::hmac_sha256(recipient_secret, message).substr(0, kRecipientKeyBytes);
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

const std::string& Store::path() const { return impl_->path; }

Result<std::string> Store::init(const std::string& location) {
  if (kv::is_database_url(location)) return kv::init_database(location);
  struct stat info {};
  const bool existed = ::stat((location + "/data.mdb").c_str(), &info) == 0;
  auto store = open(location);
  if (!store.ok()) return store.error();
  return std::string(existed ? "up to date" : "created");
}

Result<Store> Store::open(const std::string& path, const StoreOptions& options) {
  auto env = kv::Env::open(path, kv::OpenOptions{options.initial_map_bytes});
  if (!env.ok()) return env.error();
  auto impl = std::make_unique<Impl>();
  // A database URL is kept without its password: Store::path() is shown to people.
  impl->path = kv::is_database_url(path) ? env.value()->location() : path;
  impl->options = options;
  impl->env = env.value();
  const std::pair<const char*, kv::Table*> databases[] = {
      {"meta", &impl->meta},
      {"issuers", &impl->issuers},
      {"badgeclasses", &impl->badgeclasses},
      {"assertions", &impl->assertions},
      {"revocations", &impl->revocations},
      {"badgeclass_assertions", &impl->badgeclass_assertions},
      {"issuer_assertions", &impl->issuer_assertions},
      {"issuer_badgeclasses", &impl->issuer_badgeclasses},
      {"recipient_assertions", &impl->recipients.legacy},
      {"recipient_index", &impl->recipients.entries},
      {"recipient_filters", &impl->recipients.filters},
  };
  for (const auto& [name, dbi] : databases) {
    auto opened = impl->env->db(name);
    if (!opened.ok()) return opened.error();
    *dbi = opened.value();
  }
  impl->recipients.meta = impl->meta;

  // The recipient-index secret: made once, by whichever process opens the store first. Read it
  // first, so opening an existing store never waits for another process's write transaction.
  auto stored_secret = impl->env->read([&](Txn& txn) -> Result<std::string> {
    std::string_view stored;
    int rc = txn.get(impl->meta, kSecretKey, &stored);
    if (rc == kv::kNotFound) return std::string();
    if (rc != 0) return storage_error(rc, "read store secret");
    return std::string(stored);
  });
  if (!stored_secret.ok()) return stored_secret.error();
  auto secret =
      !stored_secret->empty()
          ? std::move(stored_secret)
          : impl->env->write([&](Txn& txn) -> Result<std::string> {
              std::string_view stored;
              int rc = txn.get(impl->meta, kSecretKey, &stored);
              if (rc == 0) {
                txn.rollback_on_return();
                return std::string(stored);
              }
              if (rc != kv::kNotFound) return storage_error(rc, "read store secret");
              std::string fresh(kSecretBytes, '\0');
              detail::random_bytes(reinterpret_cast<std::uint8_t*>(fresh.data()), fresh.size());
              LAUREL_TRY(
                  put(txn, impl->meta, kSecretKey, fresh, kv::kNoOverwrite, "write store secret"));
              return fresh;
            });
  if (!secret.ok()) return secret.error();
  if (secret->size() != kSecretBytes) {
    return Error{ErrorCode::Storage, "", "the store's recipient-index secret is corrupt"};
  }
  impl->recipient_secret = std::move(secret.value());
  return Store(std::move(impl));
}

// ---- issuers ---------------------------------------------------------------------------------

Result<Issuer> Store::create_issuer(const Issuer& draft) {
  Issuer issuer = draft;
  const RawId id = new_raw_id();
  issuer.entity_id = id_to_text(id);
  issuer.created_at = format_datetime(now_seconds());
  LAUREL_TRY(validate(issuer));
  const std::string document = to_json(issuer).dump();
  return impl_->env->write([&](Txn& txn) -> Result<Issuer> {
    LAUREL_TRY(put(txn, impl_->issuers, raw_bytes(id), document, kv::kNoOverwrite, "write issuer"));
    return issuer;
  });
}

Result<Issuer> Store::get_issuer(std::string_view id) const {
  auto raw = parse_id(id, "entityId", "issuer");
  if (!raw.ok()) return raw.error();
  return impl_->env->read(
      [&](Txn& txn) { return load_issuer(*impl_, txn, raw.value(), "entityId"); });
}

Result<Issuer> Store::update_issuer(std::string_view id, const Json& patch) {
  auto raw = parse_id(id, "entityId", "issuer");
  if (!raw.ok()) return raw.error();
  return impl_->env->write([&](Txn& txn) -> Result<Issuer> {
    auto current = load_issuer(*impl_, txn, raw.value(), "entityId");
    if (!current.ok()) return current.error();
    auto updated = apply_patch(current.value(), patch);
    if (!updated.ok()) return updated.error();
    LAUREL_TRY(put(txn, impl_->issuers, raw_bytes(raw.value()), to_json(updated.value()).dump(), 0,
                   "write issuer"));
    return updated;
  });
}

Status Store::delete_issuer(std::string_view id) {
  auto raw = parse_id(id, "entityId", "issuer");
  if (!raw.ok()) return raw.error();
  return impl_->env->write([&](Txn& txn) -> Status {
    LAUREL_TRY(exists(txn, impl_->issuers, raw.value(), "entityId", "issuer"));
    bool has_badgeclasses = false;
    LAUREL_TRY(scan_prefix(txn, impl_->issuer_badgeclasses, raw_bytes(raw.value()),
                           [&](std::string_view, std::string_view) {
                             has_badgeclasses = true;
                             return false;
                           }));
    if (has_badgeclasses) {
      return conflict("issuer", "the issuer has badge classes; delete them first");
    }
    return del(txn, impl_->issuers, raw_bytes(raw.value()), "delete issuer");
  });
}

Result<std::vector<Issuer>> Store::list_issuers() const {
  return impl_->env->read([&](Txn& txn) -> Result<std::vector<Issuer>> {
    std::vector<Issuer> issuers;
    Status scanned =
        scan_prefix(txn, impl_->issuers, {}, [&](std::string_view, std::string_view value) {
          auto json = Json::parse(value);
          auto issuer = json.ok() ? issuer_from_json(json.value()) : Result<Issuer>(json.error());
          if (issuer.ok()) issuers.push_back(std::move(issuer.value()));
          return true;
        });
    if (!scanned.ok()) return scanned.error();
    return issuers;
  });
}

// ---- badge classes ---------------------------------------------------------------------------

Result<BadgeClass> Store::create_badgeclass(const BadgeClass& draft) {
  BadgeClass badgeclass = draft;
  const RawId id = new_raw_id();
  badgeclass.entity_id = id_to_text(id);
  badgeclass.created_at = format_datetime(now_seconds());
  auto issuer = id_from_text(badgeclass.issuer);
  if (!issuer) {
    if (badgeclass.issuer.empty()) return invalid("issuer", "is required");
    return not_found("issuer", "no issuer with id " + quoted(badgeclass.issuer));
  }
  LAUREL_TRY(validate(badgeclass));
  const std::string document = to_json(badgeclass).dump();
  return impl_->env->write([&](Txn& txn) -> Result<BadgeClass> {
    LAUREL_TRY(exists(txn, impl_->issuers, *issuer, "issuer", "issuer"));
    LAUREL_TRY(put(txn, impl_->badgeclasses, raw_bytes(id), document, kv::kNoOverwrite,
                   "write badge class"));
    LAUREL_TRY(put(txn, impl_->issuer_badgeclasses, concat(raw_bytes(*issuer), raw_bytes(id)), "",
                   0, "write issuer index"));
    return badgeclass;
  });
}

Result<BadgeClass> Store::get_badgeclass(std::string_view id) const {
  auto raw = parse_id(id, "entityId", "badge class");
  if (!raw.ok()) return raw.error();
  return impl_->env->read(
      [&](Txn& txn) { return load_badgeclass(*impl_, txn, raw.value(), "entityId"); });
}

Result<BadgeClass> Store::update_badgeclass(std::string_view id, const Json& patch) {
  auto raw = parse_id(id, "entityId", "badge class");
  if (!raw.ok()) return raw.error();
  return impl_->env->write([&](Txn& txn) -> Result<BadgeClass> {
    auto current = load_badgeclass(*impl_, txn, raw.value(), "entityId");
    if (!current.ok()) return current.error();
    auto updated = apply_patch(current.value(), patch);
    if (!updated.ok()) return updated.error();
    // Issued assertions keep the expiry they were given; only new awards see the new default.
    LAUREL_TRY(put(txn, impl_->badgeclasses, raw_bytes(raw.value()),
                   to_json(updated.value()).dump(), 0, "write badge class"));
    return updated;
  });
}

Status Store::delete_badgeclass(std::string_view id) {
  auto raw = parse_id(id, "entityId", "badge class");
  if (!raw.ok()) return raw.error();
  return impl_->env->write([&](Txn& txn) -> Status {
    auto current = load_badgeclass(*impl_, txn, raw.value(), "entityId");
    if (!current.ok()) return current.error();
    // Any assertion, revoked or not, keeps its badge class: a revoked assertion's public document
    // and image still point at it (OB 2.0 hosted verification reads the badge class).
    bool has_assertions = false;
    LAUREL_TRY(scan_prefix(txn, impl_->badgeclass_assertions, raw_bytes(raw.value()),
                           [&](std::string_view, std::string_view) {
                             has_assertions = true;
                             return false;
                           }));
    if (has_assertions) {
      return conflict("badgeclass",
                      "the badge class has assertions (revoked ones too); it cannot be deleted");
    }
    LAUREL_TRY(del(txn, impl_->badgeclasses, raw_bytes(raw.value()), "delete badge class"));
    auto issuer = id_from_text(current->issuer);
    if (issuer) {
      LAUREL_TRY(del(txn, impl_->issuer_badgeclasses,
                     concat(raw_bytes(*issuer), raw_bytes(raw.value())), "delete issuer index"));
    }
    return {};
  });
}

Result<std::vector<BadgeClass>> Store::list_badgeclasses(std::string_view issuer_id) const {
  std::optional<RawId> issuer;
  if (!issuer_id.empty()) {
    auto raw = parse_id(issuer_id, "issuer", "issuer");
    if (!raw.ok()) return raw.error();
    issuer = raw.value();
  }
  return impl_->env->read([&](Txn& txn) -> Result<std::vector<BadgeClass>> {
    std::vector<BadgeClass> badgeclasses;
    Status failed;
    if (!issuer) {
      LAUREL_TRY(
          scan_prefix(txn, impl_->badgeclasses, {}, [&](std::string_view, std::string_view value) {
            auto json = Json::parse(value);
            auto badgeclass =
                json.ok() ? badgeclass_from_json(json.value()) : Result<BadgeClass>(json.error());
            if (badgeclass.ok()) badgeclasses.push_back(std::move(badgeclass.value()));
            return true;
          }));
      return badgeclasses;
    }
    LAUREL_TRY(exists(txn, impl_->issuers, *issuer, "issuer", "issuer"));
    LAUREL_TRY(scan_prefix(txn, impl_->issuer_badgeclasses, raw_bytes(*issuer),
                           [&](std::string_view key, std::string_view) {
                             RawId id{};
                             std::memcpy(id.data(), key.data() + kIdBytes, kIdBytes);
                             auto badgeclass = load_badgeclass(*impl_, txn, id, "badgeclass");
                             if (!badgeclass.ok()) {
                               failed = badgeclass.error();
                               return false;
                             }
                             badgeclasses.push_back(std::move(badgeclass.value()));
                             return true;
                           }));
    LAUREL_TRY(failed);
    return badgeclasses;
  });
}

// ---- assertions ------------------------------------------------------------------------------

Result<Assertion> Store::issue(std::string_view badgeclass_id, const RecipientInput& recipient,
                               const IssueOptions& options) {
  IssueOptions single = options;
  single.skip_invalid = false;
  auto batch = issue_many(*impl_, badgeclass_id, {recipient}, single, {});
  if (!batch.ok()) return batch.error();
  const IssueItemResult& item = batch->items.front();
  if (item.code == "invalid") return item.error;
  if (item.code == "duplicate") {
    return conflict("recipient",
                    "the recipient already holds this badge (allowDuplicateAwards is false)");
  }
  return get_assertion(item.entity_id);
}

Result<IssueBatchResult> Store::issue_batch(std::string_view badgeclass_id,
                                            const std::vector<RecipientInput>& recipients,
                                            const IssueOptions& options,
                                            const ProgressFn& progress) {
  return issue_many(*impl_, badgeclass_id, recipients, options, progress);
}

Result<Assertion> Store::get_assertion(std::string_view id) const {
  auto raw = parse_id(id, "entityId", "assertion");
  if (!raw.ok()) return raw.error();
  return impl_->env->read(
      [&](Txn& txn) { return load_assertion(*impl_, txn, raw.value(), "entityId"); });
}

Result<Assertion> Store::update_assertion(std::string_view id, const Json& patch) {
  auto raw = parse_id(id, "entityId", "assertion");
  if (!raw.ok()) return raw.error();
  return impl_->env->write([&](Txn& txn) -> Result<Assertion> {
    auto current = load_assertion(*impl_, txn, raw.value(), "entityId");
    if (!current.ok()) return current.error();
    if (current->revoked) return conflict("revoked", "a revoked assertion cannot be changed");
    auto updated = apply_patch(current.value(), patch);
    if (!updated.ok()) return updated.error();
    const std::string_view assertion_id = raw_bytes(raw.value());
    std::string document;
    append_stored_assertion(document, updated.value());
    LAUREL_TRY(put(txn, impl_->assertions, assertion_id, document, 0, "write assertion"));
    if (updated->expires != current->expires) {
      const std::string expires = encode_expires(expires_epoch(updated->expires));
      auto badgeclass = id_from_text(updated->badgeclass);
      auto issuer = id_from_text(updated->issuer);
      if (!badgeclass || !issuer)
        return Error{ErrorCode::Internal, "", "stored assertion has bad ids"};
      LAUREL_TRY(put(txn, impl_->badgeclass_assertions,
                     concat(raw_bytes(*badgeclass), assertion_id), expires, 0,
                     "write badge class index"));
      LAUREL_TRY(put(txn, impl_->issuer_assertions, concat(raw_bytes(*issuer), assertion_id),
                     expires, 0, "write issuer index"));
    }
    return updated;
  });
}

Result<Assertion> Store::revoke(std::string_view id, std::string_view reason) {
  auto results = revoke_many(*impl_, {RevokeItem{std::string(id), std::string(reason)}}, {});
  if (!results.ok()) return results.error();
  const RevokeItemResult& result = results->front();
  if (result.code == "not_found") return not_found("entityId", result.reason);
  if (result.code == "already_revoked") return conflict("revoked", result.reason);
  if (result.code == "invalid") return invalid("revocationReason", result.reason);
  return get_assertion(id);
}

Result<std::vector<RevokeItemResult>> Store::revoke_batch(const std::vector<RevokeItem>& items,
                                                          const ProgressFn& progress) {
  return revoke_many(*impl_, items, progress);
}

Result<AssertionPage> Store::list_assertions(const AssertionQuery& query) const {
  if (query.num < 1 || query.num > kListMax) return invalid("num", "must be between 1 and 1000");
  auto after = parse_cursor(query.after, "after");
  if (!after.ok()) return after.error();
  auto before = parse_cursor(query.before, "before");
  if (!before.ok()) return before.error();
  if (after.value() && before.value()) return invalid("before", "give after or before, not both");

  std::string recipient_key;
  if (query.scope == AssertionQuery::Scope::Recipient || !query.recipient.empty()) {
    auto normalized = normalize_identity(query.recipient, query.recipient_type);
    if (!normalized.ok()) return normalized.error();
    recipient_key = impl_->recipient_key(query.recipient_type, normalized.value());
  }
  std::optional<RawId> owner;
  if (query.scope != AssertionQuery::Scope::Recipient) {
    const bool issuer_scope = query.scope == AssertionQuery::Scope::Issuer;
    auto raw = parse_id(query.id, "id", issuer_scope ? "issuer" : "badge class");
    if (!raw.ok()) return raw.error();
    owner = raw.value();
  }

  return impl_->env->read([&](Txn& txn) -> Result<AssertionPage> {
    std::optional<detail::RecipientIndex> recipients;
    if (!recipient_key.empty()) {
      auto opened = detail::RecipientIndex::open(impl_->recipients, txn);
      if (!opened.ok()) return opened.error();
      recipients.emplace(std::move(opened.value()));
    }
    kv::Table index = 0;
    std::string prefix = recipient_key;
    if (query.scope == AssertionQuery::Scope::Issuer) {
      LAUREL_TRY(exists(txn, impl_->issuers, *owner, "id", "issuer"));
      index = impl_->issuer_assertions;
      prefix = raw_bytes(*owner);
    } else if (query.scope == AssertionQuery::Scope::BadgeClass) {
      LAUREL_TRY(exists(txn, impl_->badgeclasses, *owner, "id", "badge class"));
      index = impl_->badgeclass_assertions;
      prefix = raw_bytes(*owner);
    }
    const bool recipient_scope = query.scope == AssertionQuery::Scope::Recipient;
    Listing listing{*impl_,
                    txn,
                    index,
                    prefix,
                    recipients ? &*recipients : nullptr,
                    recipient_scope,
                    query.include_revoked,
                    query.include_expired,
                    query.now != 0 ? query.now : now_seconds(),
                    recipient_scope ? std::string() : recipient_key};

    AssertionPage page;
    std::vector<RawId> ids;
    if (const auto& cursor = before.value()) {
      // Newer than the cursor: walk up, keep the `num` nearest, then turn newest-first.
      auto newer = listing.collect(raw_bytes(*cursor), false, query.num + 1);
      if (!newer.ok()) return newer.error();
      ids = std::move(newer.value());
      if (ids.size() > query.num) {
        ids.resize(query.num);
        page.prev_cursor = id_to_text(ids.back());
      }
      std::reverse(ids.begin(), ids.end());
      const RawId anchor = ids.empty() ? *cursor : ids.back();
      auto older = listing.collect(raw_bytes(anchor), true, 1);
      if (!older.ok()) return older.error();
      if (!older->empty()) page.next_cursor = id_to_text(anchor);
    } else {
      const std::optional<RawId>& from = after.value();
      auto older =
          listing.collect(from ? raw_bytes(*from) : std::string_view(), true, query.num + 1);
      if (!older.ok()) return older.error();
      ids = std::move(older.value());
      if (ids.size() > query.num) {
        ids.resize(query.num);
        page.next_cursor = id_to_text(ids.back());
      }
      if (from) {
        const RawId anchor = ids.empty() ? *from : ids.front();
        auto newer = listing.collect(raw_bytes(anchor), false, 1);
        if (!newer.ok()) return newer.error();
        if (!newer->empty()) page.prev_cursor = id_to_text(anchor);
      }
    }
    page.items.reserve(ids.size());
    for (const RawId& id : ids) {
      auto assertion = load_assertion(*impl_, txn, id, "entityId");
      if (!assertion.ok()) return assertion.error();
      page.items.push_back(std::move(assertion.value()));
    }
    return page;
  });
}

Result<std::vector<std::pair<std::string, std::string>>> Store::revocations(
    std::string_view issuer_id) const {
  auto raw = parse_id(issuer_id, "issuer", "issuer");
  if (!raw.ok()) return raw.error();
  using Revoked = std::vector<std::pair<std::string, std::string>>;
  return impl_->env->read([&](Txn& txn) -> Result<Revoked> {
    LAUREL_TRY(exists(txn, impl_->issuers, raw.value(), "issuer", "issuer"));
    Revoked revoked;
    Status failed;
    // The issuer's assertions in order, each checked against the revocation records: one lookup
    // per assertion, no second index to keep in step.
    LAUREL_TRY(scan_prefix(txn, impl_->issuer_assertions, raw_bytes(raw.value()),
                           [&](std::string_view key, std::string_view) {
                             std::string_view record;
                             const std::string_view assertion_id = key.substr(kIdBytes);
                             int rc = txn.get(impl_->revocations, assertion_id, &record);
                             if (rc == kv::kNotFound) return true;
                             if (rc != 0) {
                               failed = storage_error(rc, "read revocation");
                               return false;
                             }
                             auto json = Json::parse(record);
                             RawId id{};
                             std::memcpy(id.data(), assertion_id.data(), kIdBytes);
                             revoked.emplace_back(
                                 id_to_text(id),
                                 json.ok() ? json->get_string("revocationReason") : std::string());
                             return true;
                           }));
    LAUREL_TRY(failed);
    return revoked;
  });
}

}  // namespace laurel
