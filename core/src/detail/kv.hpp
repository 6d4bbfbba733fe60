// The store's storage interface: named tables of byte keys and values kept in bytewise key order,
// read transactions (one consistent snapshot each) and write transactions (all or nothing, one
// writer at a time, so a write transaction reads the latest committed state and nothing changes
// under it). The store's rules (ids, indexes, batch issue, revocation, status bits, documents)
// are written once against this; two backends implement it:
//   - LMDB (detail/lmdb_kv.*): a directory on this machine, the embedded default;
//   - PostgreSQL (detail/pg_kv.*): a database URL, for several service nodes over one database.
//
// Return codes instead of exceptions or Result on the hot paths (a batch issue makes millions of
// calls): 0 (kOk) or one of the codes below; storage_error turns one into a laurel::Error.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "laurel/result.hpp"

namespace laurel::detail::kv {

/// A named table, from Env::db. Valid for the Env's lifetime, in every transaction.
using Table = std::uint32_t;

inline constexpr int kOk = 0;
inline constexpr int kNotFound = 1;   // no such key, or the cursor moved past either end
inline constexpr int kKeyExists = 2;  // kNoOverwrite on a present key, or kAppend out of order
inline constexpr int kFailed = 3;     // the backend failed: see failure_text()

/// put flags.
inline constexpr unsigned kNoOverwrite = 1;  // refuse (kKeyExists) when the key is present
inline constexpr unsigned kAppend = 2;       // the key sorts after every key in the table

/// What the backend said when it last returned kFailed on this thread.
const std::string& failure_text();
/// Backends call this just before returning kFailed.
void set_failure(std::string text);

/// Error{Storage} naming the failed step: kNotFound / kKeyExists by name, kFailed with the
/// backend's message (failure_text()).
Error storage_error(int rc, std::string_view what);

/// Cursor positioning. kSet finds `seek` exactly; kSetRange the first key >= `seek`.
enum class Move { kFirst, kLast, kNext, kPrev, kSet, kSetRange };

/// A backend's cursor over one table of one transaction. Views it returns stay valid until the
/// transaction ends or writes again.
class CursorImpl {
 public:
  virtual ~CursorImpl() = default;
  virtual int move(Move op, std::string_view* key, std::string_view* value,
                   std::string_view seek) = 0;
  /// Writes through the cursor, which is then positioned on the written key.
  virtual int put(std::string_view key, std::string_view value, unsigned flags) = 0;
  /// Deletes the entry under the cursor.
  virtual int del() = 0;
};

/// A table's figures for `laurel stats` (0 where the backend has no such thing).
struct TableFigures {
  std::uint64_t entries = 0;
  std::uint64_t bytes = 0;
  std::uint64_t depth = 0;  // LMDB: the B-tree's levels and pages
  std::uint64_t branch_pages = 0;
  std::uint64_t leaf_pages = 0;
  std::uint64_t overflow_pages = 0;
};

/// One transaction. Views returned by get and cursors stay valid until the transaction ends or
/// writes again (LMDB's rule; PostgreSQL's are valid to the end).
class Txn {
 public:
  Txn() = default;
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;
  /// Ends the transaction; a write transaction not committed is rolled back.
  virtual ~Txn() = default;

  virtual bool writable() const = 0;
  /// kOk (with *value set when value is not null), kNotFound or kFailed.
  virtual int get(Table table, std::string_view key, std::string_view* value) = 0;
  virtual int put(Table table, std::string_view key, std::string_view value,
                  unsigned flags = 0) = 0;
  /// kOk, kNotFound or kFailed.
  virtual int del(Table table, std::string_view key) = 0;
  /// Removes every entry of the table.
  virtual int clear(Table table) = 0;
  /// Entries in the table, and the bytes they take (keys, values and the backend's overhead).
  virtual int count(Table table, std::uint64_t* entries, std::uint64_t* bytes) = 0;
  /// count() and, where the backend has them, the shape of the table's tree (`laurel stats`).
  virtual int figures(Table table, TableFigures* out) {
    *out = TableFigures{};
    return count(table, &out->entries, &out->bytes);
  }
  /// A cursor; *rc is kOk or an error code (the pointer is then null).
  virtual std::unique_ptr<CursorImpl> open_cursor(Table table, int* rc) = 0;

  /// The body succeeded but wants nothing written (e.g. a batch aborted by an invalid item).
  void rollback_on_return() { rollback_ = true; }
  bool rollback_requested() const { return rollback_; }
  /// Set by a backend when the body must run again in a new transaction whatever it returned
  /// (LMDB: the map filled and will grow).
  void request_retry() { retry_ = true; }
  bool retry_requested() const { return retry_; }

 private:
  bool rollback_ = false;
  bool retry_ = false;
};

/// The cursor the store's code holds: Cursor c(txn, table); check c.open_rc(); c.move(...).
class Cursor {
 public:
  Cursor(Txn& txn, Table table) : impl_(txn.open_cursor(table, &rc_)) {}
  int open_rc() const { return rc_; }
  /// Positions with `op`; `seek` is read for kSet/kSetRange. kOk, kNotFound or kFailed.
  int move(Move op, std::string_view* key, std::string_view* value, std::string_view seek = {}) {
    return impl_->move(op, key, value, seek);
  }
  int put(std::string_view key, std::string_view value, unsigned flags = 0) {
    return impl_->put(key, value, flags);
  }
  int del() { return impl_->del(); }

 private:
  int rc_ = kOk;
  std::unique_ptr<CursorImpl> impl_;
};

/// Figures for `laurel stats` that only the backend knows (0 where it has no such thing).
struct BackendStats {
  std::string backend;            // "lmdb" or "postgresql"
  std::uint64_t page_size = 0;
  std::uint64_t map_bytes = 0;    // LMDB's memory map
  std::uint64_t file_bytes = 0;   // bytes the data takes on disk
  std::uint64_t free_pages = 0;   // pages free for reuse
  std::uint64_t readers = 0;      // LMDB reader slots / PostgreSQL connections in use
  std::uint64_t max_readers = 0;
};

struct OpenOptions {
  /// LMDB: the initial map size (the map doubles whenever a write fills it).
  std::size_t initial_map_bytes = 64u << 20;
};

/// True when `location` names a PostgreSQL database ("postgresql://..." or "postgres://...")
/// rather than a directory.
bool is_database_url(std::string_view location);

class Env {
 public:
  /// Opens the store at `location`: a PostgreSQL URL (is_database_url), else a directory (created
  /// if missing). Errors: Storage, with the backend's message.
  static Result<std::shared_ptr<Env>> open(const std::string& location,
                                           const OpenOptions& options);

  Env() = default;
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;
  virtual ~Env() = default;

  /// The directory, or the URL without its password.
  virtual const std::string& location() const = 0;
  /// The named table, created if missing.
  virtual Result<Table> db(const std::string& name) = 0;
  /// Every table's name, sorted.
  virtual Result<std::vector<std::string>> table_names() = 0;
  /// Makes room for about `bytes` more data before a big write (LMDB grows its map at once, to
  /// twice that since pages may be half full, rather than retrying the write, and readies the
  /// file's next bytes; other backends need nothing).
  virtual Status reserve_more(std::size_t bytes) = 0;
  virtual Result<BackendStats> stats() = 0;
  /// An online, consistent copy of every table into the LMDB directory `destination` (empty or
  /// missing), compacted: a copy opens as a store on any machine.
  virtual Status backup(const std::string& destination) = 0;

  /// Runs `body(Txn&)` (returning Status or Result<T>) in a read transaction.
  template <class Body>
  auto read(Body&& body) -> std::invoke_result_t<Body, Txn&> {
    auto txn = begin(false);
    if (!txn.ok()) return txn.error();
    return body(*txn.value());
  }

  /// Runs `body(Txn&)` in a write transaction and commits it (durably) if the body succeeded and
  /// did not ask for a rollback. When the backend asks for a retry (in the body or at commit) the
  /// body runs again from the start in a new transaction, so bodies must be repeatable.
  template <class Body>
  auto write(Body&& body) -> std::invoke_result_t<Body, Txn&> {
    for (;;) {
      auto begun = begin(true);
      if (!begun.ok()) return begun.error();
      std::unique_ptr<Txn> txn = std::move(begun.value());
      auto result = body(*txn);
      if (!txn->retry_requested()) {
        if (!result.ok() || txn->rollback_requested()) return result;  // ~Txn rolls back
        Status committed = commit(*txn);
        if (!txn->retry_requested()) {
          if (!committed.ok()) return committed.error();
          return result;
        }
      }
      if (Status ready = prepare_retry(std::move(txn)); !ready.ok()) return ready.error();
    }
  }

 protected:
  /// A new read (write=false) or write transaction.
  virtual Result<std::unique_ptr<Txn>> begin(bool write) = 0;
  /// Commits a write transaction durably; on a failure that a new attempt can cure, calls
  /// txn.request_retry() (the Status is then ignored).
  virtual Status commit(Txn& txn) = 0;
  /// Ends `txn` (rolling it back) and gets ready for the next attempt (LMDB: grows the map).
  virtual Status prepare_retry(std::unique_ptr<Txn> txn) = 0;
};

}  // namespace laurel::detail::kv
