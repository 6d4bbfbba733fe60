#include "detail/pg_txn.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <mutex>

#include "detail/pg_bulk.hpp"

namespace laurel::detail::pg {

namespace {

using kv::kFailed;
using kv::kKeyExists;
using kv::kNotFound;
using kv::kOk;

// Statements prepared per table and connection.
enum Kind { kGet, kFirst, kLast, kAfter, kFrom, kBefore, kUpTo, kKinds };

std::string statement_sql(Kind kind, const std::string& t) {
  switch (kind) {
    case kGet: return "SELECT v FROM " + t + " WHERE k = $1";
    case kFirst: return "SELECT k, v FROM " + t + " ORDER BY k LIMIT $1";
    case kLast: return "SELECT k, v FROM " + t + " ORDER BY k DESC LIMIT $1";
    case kAfter: return "SELECT k, v FROM " + t + " WHERE k > $1 ORDER BY k LIMIT $2";
    case kFrom: return "SELECT k, v FROM " + t + " WHERE k >= $1 ORDER BY k LIMIT $2";
    case kBefore: return "SELECT k, v FROM " + t + " WHERE k < $1 ORDER BY k DESC LIMIT $2";
    case kUpTo: return "SELECT k, v FROM " + t + " WHERE k <= $1 ORDER BY k DESC LIMIT $2";
    default: return {};
  }
}

std::uint64_t parse_count(std::string_view text) {
  std::uint64_t n = 0;
  std::from_chars(text.data(), text.data() + text.size(), n);
  return n;
}

// Cursor pages grow from a few rows (a seek that reads one entry) to this many (a scan).
constexpr int kFirstPage = 8;
constexpr int kMaxPage = 1024;

}  // namespace

// ---- table names ------------------------------------------------------------------------------

kv::Table TableNames::add(std::string qualified_name) {
  std::unique_lock lock(mutex_);
  names_.push_back(std::move(qualified_name));
  return static_cast<kv::Table>(names_.size() - 1);
}

std::string TableNames::of(kv::Table table) const {
  std::shared_lock lock(mutex_);
  return table < names_.size() ? names_[table] : std::string();
}

std::size_t TableNames::size() const {
  std::shared_lock lock(mutex_);
  return names_.size();
}

// ---- cursor -----------------------------------------------------------------------------------

namespace {

/// Merges the overlay with database pages. The position is a key (owned), so moves work after
/// puts and deletes in the same transaction, as LMDB's do.
class PgCursor final : public kv::CursorImpl {
 public:
  PgCursor(PgTxn& txn, kv::Table table) : txn_(txn), table_(table), overlay_(txn.overlay(table)) {}

  int move(kv::Move op, std::string_view* key, std::string_view* value,
           std::string_view seek) override {
    std::string_view k, v;
    key = key != nullptr ? key : &k;
    value = value != nullptr ? value : &v;
    switch (op) {
      case kv::Move::kFirst: return step(true, nullptr, false, key, value);
      case kv::Move::kLast: return step(false, nullptr, false, key, value);
      case kv::Move::kNext: return step(true, positioned_ ? &pos_ : nullptr, false, key, value);
      case kv::Move::kPrev: return step(false, positioned_ ? &pos_ : nullptr, false, key, value);
      case kv::Move::kSetRange: {
        const std::string from(seek);
        return step(true, &from, true, key, value);
      }
      case kv::Move::kSet: {
        int rc = txn_.get(table_, seek, value);
        if (rc != kOk) return rc;
        pos_.assign(seek);
        positioned_ = true;
        *key = overlay_.entries.find(seek)->first;  // get() left the entry there
        return kOk;
      }
    }
    return kNotFound;
  }

  int put(std::string_view key, std::string_view value, unsigned flags) override {
    std::string copy(key);
    int rc = txn_.put(table_, copy, value, flags);
    if (rc == kOk) {
      pos_ = std::move(copy);
      positioned_ = true;
    }
    return rc;
  }

  int del() override {
    if (!positioned_) return kNotFound;
    return txn_.del(table_, pos_);
  }

 private:
  struct Page {
    bool valid = false;
    bool has_bound = false;  // false: the page starts at the table's end in its direction
    std::string bound;
    bool inclusive = false;
    bool complete = false;  // holds every row past the bound
    std::uint64_t generation = 0;
    std::vector<Row> rows;  // in the page's direction
  };

  /// The first database row past `from` in the direction (none: from the end).
  int db_next(bool forward, const std::string* from, bool inclusive, Row* row, bool* found) {
    Page& page = pages_[forward ? 1 : 0];
    auto past = [&](std::string_view key) {
      if (from == nullptr) return true;
      int c = key.compare(*from);
      return forward ? (c > 0 || (inclusive && c == 0)) : (c < 0 || (inclusive && c == 0));
    };
    bool covered = page.valid && page.generation == overlay_.generation;
    if (covered && page.has_bound) {
      if (from == nullptr) {
        covered = false;
      } else {
        int c = from->compare(page.bound);
        covered = (forward ? c > 0 : c < 0) || (c == 0 && (page.inclusive || !inclusive));
      }
    }
    if (covered) {
      auto it = std::partition_point(page.rows.begin(), page.rows.end(),
                                     [&](const Row& r) { return !past(r.key); });
      if (it != page.rows.end()) {
        *row = *it;
        *found = true;
        return kOk;
      }
      if (page.complete) {
        *found = false;
        return kOk;
      }
    }
    page.rows.clear();
    int rc = txn_.fetch(table_, forward, from, inclusive, limit_, &page.rows);
    if (rc != kOk) {
      page.valid = false;
      return rc;
    }
    page.valid = true;
    page.has_bound = from != nullptr;
    if (from != nullptr) page.bound = *from;
    page.inclusive = inclusive;
    page.complete = page.rows.size() < static_cast<std::size_t>(limit_);
    page.generation = overlay_.generation;
    limit_ = std::min(limit_ * 4, kMaxPage);
    *found = !page.rows.empty();
    if (*found) *row = page.rows.front();
    return kOk;
  }

  /// The first entry of the merged view past `from` in the direction.
  int step(bool forward, const std::string* from, bool inclusive, std::string_view* key,
           std::string_view* value) {
    auto& entries = overlay_.entries;
    std::string skipped;  // the last overlay entry that hides a key
    for (;;) {
      Row db;
      bool has_db = false;
      if (int rc = db_next(forward, from, inclusive, &db, &has_db); rc != kOk) return rc;
      auto ov = entries.end();
      if (forward) {
        ov = from == nullptr ? entries.begin()
             : inclusive     ? entries.lower_bound(*from)
                             : entries.upper_bound(*from);
      } else {
        auto it = from == nullptr ? entries.end()
                  : inclusive     ? entries.upper_bound(*from)
                                  : entries.lower_bound(*from);
        if (it != entries.begin()) ov = std::prev(it);
      }
      const bool has_ov = ov != entries.end();
      if (!has_db && !has_ov) return kNotFound;
      bool take_ov = has_ov;
      if (has_db && has_ov) {
        int c = std::string_view(ov->first).compare(db.key);
        take_ov = c == 0 || (forward ? c < 0 : c > 0);
      }
      if (take_ov && !ov->second.present) {  // deleted here, or known missing: look past it
        skipped.assign(ov->first);
        from = &skipped;
        inclusive = false;
        continue;
      }
      if (take_ov) {
        *key = ov->first;
        *value = ov->second.value;
      } else {
        *key = db.key;
        *value = db.value;
      }
      pos_.assign(*key);
      positioned_ = true;
      return kOk;
    }
  }

  PgTxn& txn_;
  kv::Table table_;
  Overlay& overlay_;
  std::string pos_;
  bool positioned_ = false;
  Page pages_[2];  // backward, forward
  int limit_ = kFirstPage;
};

}  // namespace

// ---- transaction ------------------------------------------------------------------------------

PgTxn::~PgTxn() {
  if (!finished_ && conn_->pg != nullptr && pq().PQstatus(conn_->pg) == kConnectionOk &&
      pq().PQtransactionStatus(conn_->pg) != kTransIdle) {
    if (write_) {
      // A write transaction's lock is released at once: other writers wait on it.
      Res rolled_back(pq().PQexec(conn_->pg, "ROLLBACK"));
    } else {
      conn_->end_quietly();
    }
  }
}

int PgTxn::fail(std::string text) {
  kv::set_failure(std::move(text));
  return kFailed;
}

int PgTxn::fail(const Res& result, std::string_view what) {
  return fail(failure_text(*conn_, result, what));
}

int PgTxn::write_check() {
  return write_ ? kOk : fail("PostgreSQL: a write in a read transaction");
}

Overlay& PgTxn::overlay(kv::Table table) {
  if (table >= overlays_.size()) overlays_.resize(table + 1);
  if (overlays_[table] == nullptr) overlays_[table] = std::make_unique<Overlay>(&memory_);
  return *overlays_[table];
}

int PgTxn::prepare(kv::Table table, int kind, std::string* name) {
  const std::size_t slot = std::size_t(table) * kKinds + kind;
  *name = "laurel_" + std::to_string(table) + "_" + std::to_string(kind);
  if (slot < conn_->prepared.size() && conn_->prepared[slot] != 0) return kOk;
  const std::string table_name = tables_.of(table);
  if (table_name.empty()) return fail("PostgreSQL: no table number " + std::to_string(table));
  Res prepared(pq().PQprepare(conn_->pg, name->c_str(),
                              statement_sql(static_cast<Kind>(kind), table_name).c_str(), 0,
                              nullptr));
  if (!prepared.ok()) return fail(prepared, "prepare");
  if (slot >= conn_->prepared.size()) conn_->prepared.resize(slot + 1);
  conn_->prepared[slot] = 1;
  return kOk;
}

int PgTxn::get(kv::Table table, std::string_view key, std::string_view* value) {
  Overlay& ov = overlay(table);
  auto it = ov.entries.find(key);
  if (it == ov.entries.end()) {
    std::string name;
    if (int rc = prepare(table, kGet, &name); rc != kOk) return rc;
    const char* values[1] = {key.data()};
    const int lengths[1] = {static_cast<int>(key.size())};
    const int formats[1] = {1};
    Res result(pq().PQexecPrepared(conn_->pg, name.c_str(), 1, values, lengths, formats, 1));
    if (!result.ok()) return fail(result, "read");
    Entry entry;
    if (result.rows() == 1) {
      entry.present = true;
      entry.in_db = InDb::kPresent;
      entry.value = arena_.copy(result.cell(0, 0));
    } else {
      entry.in_db = InDb::kAbsent;
    }
    it = ov.entries.emplace(arena_.copy(key), entry).first;
  }
  if (!it->second.present) return kNotFound;
  if (value != nullptr) *value = it->second.value;
  return kOk;
}

int PgTxn::fetch(kv::Table table, bool forward, const std::string* bound, bool inclusive,
                 int limit, std::vector<Row>* rows) {
  const Kind kind = bound == nullptr ? (forward ? kFirst : kLast)
                    : forward        ? (inclusive ? kFrom : kAfter)
                                     : (inclusive ? kUpTo : kBefore);
  std::string name;
  if (int rc = prepare(table, kind, &name); rc != kOk) return rc;
  char limit_bytes[8];
  for (int i = 0; i < 8; ++i) limit_bytes[i] = char(std::uint64_t(limit) >> (56 - 8 * i));
  const char* values[2];
  int lengths[2];
  const int formats[2] = {1, 1};
  int n = 0;
  if (bound != nullptr) {
    values[n] = bound->data();
    lengths[n++] = static_cast<int>(bound->size());
  }
  values[n] = limit_bytes;
  lengths[n++] = 8;
  Res result(pq().PQexecPrepared(conn_->pg, name.c_str(), n, values, lengths, formats, 1));
  if (!result.ok()) return fail(result, "read");
  const int count = result.rows();
  rows->reserve(count);
  for (int i = 0; i < count; ++i) rows->push_back(Row{result.cell(i, 0), result.cell(i, 1)});
  kept_.push_back(std::move(result));
  return kOk;
}

int PgTxn::last_key(kv::Table table, std::string_view* key) {
  Overlay& ov = overlay(table);
  if (!ov.last_known) {
    PgCursor cursor(*this, table);
    std::string_view last;
    int rc = cursor.move(kv::Move::kLast, &last, nullptr, {});
    if (rc == kFailed) return rc;
    ov.last_known = true;
    ov.last_none = rc == kNotFound;
    ov.last.assign(last);
  }
  if (ov.last_none) return kNotFound;
  *key = ov.last;
  return kOk;
}

int PgTxn::put(kv::Table table, std::string_view key, std::string_view value, unsigned flags) {
  if (int rc = write_check(); rc != kOk) return rc;
  Overlay& ov = overlay(table);
  InDb known = InDb::kUnknown;
  if ((flags & kv::kAppend) != 0) {
    std::string_view last;
    int rc = last_key(table, &last);
    if (rc == kFailed) return rc;
    if (rc == kOk && key <= last) return kKeyExists;
    known = InDb::kAbsent;  // after every key this transaction sees, so not in the database
  }
  if ((flags & kv::kNoOverwrite) != 0) {
    int rc = get(table, key, nullptr);
    if (rc == kOk) return kKeyExists;
    if (rc != kNotFound) return rc;
  }
  auto it = ov.entries.find(key);
  if (it == ov.entries.end()) {
    it = ov.entries.emplace(arena_.copy(key), Entry{}).first;
    it->second.in_db = known;
  }
  Entry& entry = it->second;
  if (!entry.dirty) {
    entry.dirty = true;
    ++ov.dirty;
  }
  entry.present = true;
  entry.value = arena_.copy(value);
  if (ov.last_known && (ov.last_none || key > ov.last)) {
    ov.last.assign(key);
    ov.last_none = false;
  }
  return kOk;
}

int PgTxn::del(kv::Table table, std::string_view key) {
  if (int rc = write_check(); rc != kOk) return rc;
  if (int rc = get(table, key, nullptr); rc != kOk) return rc;
  Overlay& ov = overlay(table);
  Entry& entry = ov.entries.find(key)->second;
  entry.present = false;
  if (!entry.dirty) {
    entry.dirty = true;
    ++ov.dirty;
  }
  ov.last_known = false;
  return kOk;
}

int PgTxn::clear(kv::Table table) {
  if (int rc = write_check(); rc != kOk) return rc;
  Overlay& ov = overlay(table);
  Res result(pq().PQexec(conn_->pg, ("DELETE FROM " + tables_.of(table)).c_str()));
  if (!result.ok()) return fail(result, "clear");
  retired_.push_back(std::move(ov.entries));
  ov.entries.clear();
  ov.dirty = 0;
  ++ov.generation;
  ov.last_known = false;
  return kOk;
}

int PgTxn::count(kv::Table table, std::uint64_t* entries, std::uint64_t* bytes) {
  const std::string name = tables_.of(table);
  if (write_) {
    if (Status sent = flush(*conn_, name, overlay(table)); !sent.ok()) {
      return fail(sent.error().message);
    }
  }
  Res result(pq().PQexec(
      conn_->pg,
      ("SELECT count(*), coalesce(sum(octet_length(k) + octet_length(v)), 0) FROM " + name)
          .c_str()));
  if (!result.ok()) return fail(result, "count");
  if (entries != nullptr) *entries = parse_count(result.cell(0, 0));
  if (bytes != nullptr) *bytes = parse_count(result.cell(0, 1));
  return kOk;
}

std::unique_ptr<kv::CursorImpl> PgTxn::open_cursor(kv::Table table, int* rc) {
  if (table >= tables_.size()) {
    *rc = fail("PostgreSQL: no table number " + std::to_string(table));
    return nullptr;
  }
  *rc = kOk;
  return std::make_unique<PgCursor>(*this, table);
}

Status PgTxn::commit() {
  // LAUREL_PG_TIMING=1 prints where a commit's time goes (profiling the bulk paths).
  static const bool timing = std::getenv("LAUREL_PG_TIMING") != nullptr;
  auto started = std::chrono::steady_clock::now();
  auto lap = [&](const std::string& what, std::size_t rows) {
    if (!timing) return;
    auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "pg commit: %-40s %8zu rows %8.1f ms\n", what.c_str(), rows,
                 std::chrono::duration<double, std::milli>(now - started).count());
    started = now;
  };
  for (std::size_t table = 0; table < overlays_.size(); ++table) {
    if (overlays_[table] == nullptr || overlays_[table]->dirty == 0) continue;
    const std::size_t rows = overlays_[table]->dirty;
    const std::string name = tables_.of(static_cast<kv::Table>(table));
    LAUREL_TRY(flush(*conn_, name, *overlays_[table]));
    lap(name, rows);
  }
  if (pq().PQtransactionStatus(conn_->pg) != kTransInTrans) {
    Res none;
    return Error{ErrorCode::Storage, "",
                 failure_text(*conn_, none, "commit") + " (the transaction failed earlier and "
                                                        "was rolled back: nothing was written)"};
  }
  Res result(pq().PQexec(conn_->pg, "COMMIT"));
  if (!result.ok()) return Error{ErrorCode::Storage, "", failure_text(*conn_, result, "commit")};
  lap("COMMIT", 0);
  finished_ = true;
  return {};
}

}  // namespace laurel::detail::pg
