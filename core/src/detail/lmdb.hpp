// LMDB glue for the store: an environment shared by every Store open on the same directory in
// this process, transactions that turn LMDB return codes into laurel::Error, and the retry loop
// that grows the map.
//
// Why a process-wide registry: LMDB forbids opening one environment twice in a process (closing
// the second handle drops the first one's POSIX locks), so Store::open on a directory that is
// already open shares the environment instead.
//
// Why a shared_mutex: mdb_env_set_mapsize may only run while this process has no transaction
// open. Every transaction holds the mutex shared; growing the map takes it exclusively.
#pragma once

#include <lmdb.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "laurel/result.hpp"

namespace laurel::detail::lmdb {

/// Error{Storage} naming the failed step and LMDB's (or the OS's) message.
Error storage_error(int rc, std::string_view what);

inline MDB_val val(std::string_view bytes) {
  return MDB_val{bytes.size(), const_cast<char*>(bytes.data())};
}
inline MDB_val val(const void* data, std::size_t size) {
  return MDB_val{size, const_cast<void*>(data)};
}
inline std::string_view view(const MDB_val& v) {
  return {static_cast<const char*>(v.mv_data), v.mv_size};
}

/// One transaction. Views returned by get/cursors point into the map and die with it.
class Txn {
 public:
  explicit Txn(MDB_txn* txn) : txn_(txn) {}
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;
  ~Txn() {
    if (txn_ != nullptr) mdb_txn_abort(txn_);
  }

  MDB_txn* get() const { return txn_; }

  /// 0, MDB_NOTFOUND or an LMDB error.
  int get(MDB_dbi dbi, std::string_view key, std::string_view* value) const {
    MDB_val k = val(key);
    MDB_val v{};
    int rc = mdb_get(txn_, dbi, &k, &v);
    if (rc == 0 && value != nullptr) *value = view(v);
    return rc;
  }
  int put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags = 0) {
    MDB_val k = val(key);
    MDB_val v = val(value);
    return note(mdb_put(txn_, dbi, &k, &v, flags));
  }
  /// 0 or MDB_NOTFOUND or an error.
  int del(MDB_dbi dbi, std::string_view key) {
    MDB_val k = val(key);
    return note(mdb_del(txn_, dbi, &k, nullptr));
  }
  /// Remembers MDB_MAP_FULL so the retry loop knows to grow the map, whatever the body returned.
  int note(int rc) {
    if (rc == MDB_MAP_FULL) map_full_ = true;
    return rc;
  }

  bool map_full() const { return map_full_; }
  /// The body succeeded but wants nothing written (e.g. a batch aborted by an invalid item).
  void rollback_on_return() { rollback_ = true; }
  bool rollback_requested() const { return rollback_; }

  int commit() {
    int rc = mdb_txn_commit(txn_);
    txn_ = nullptr;
    return note(rc);
  }
  void abort() {
    if (txn_ != nullptr) mdb_txn_abort(txn_);
    txn_ = nullptr;
  }

 private:
  MDB_txn* txn_;
  bool map_full_ = false;
  bool rollback_ = false;
};

class Cursor {
 public:
  Cursor(const Txn& txn, MDB_dbi dbi) { rc_ = mdb_cursor_open(txn.get(), dbi, &cursor_); }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  ~Cursor() {
    if (cursor_ != nullptr) mdb_cursor_close(cursor_);
  }
  int open_rc() const { return rc_; }
  MDB_cursor* get() const { return cursor_; }

  /// Positions with `op`; `key` is read for MDB_SET/SET_RANGE/SET_KEY. 0, MDB_NOTFOUND or error.
  int move(MDB_cursor_op op, std::string_view* key, std::string_view* value,
           std::string_view seek = {}) {
    MDB_val k = val(seek);
    MDB_val v{};
    int rc = mdb_cursor_get(cursor_, &k, &v, op);
    if (rc == 0) {
      if (key != nullptr) *key = view(k);
      if (value != nullptr) *value = view(v);
    }
    return rc;
  }
  int put(std::string_view key, std::string_view value, unsigned flags, Txn& txn) {
    MDB_val k = val(key);
    MDB_val v = val(value);
    return txn.note(mdb_cursor_put(cursor_, &k, &v, flags));
  }
  int del(Txn& txn) { return txn.note(mdb_cursor_del(cursor_, 0)); }

 private:
  MDB_cursor* cursor_ = nullptr;
  int rc_ = 0;
};

class Env {
 public:
  /// Opens (creating the directory and files if missing) or shares the environment at `path`.
  /// `initial_map_bytes` only matters for the first opener in this process.
  static Result<std::shared_ptr<Env>> open(const std::string& path, std::size_t initial_map_bytes);

  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;
  ~Env();

  MDB_env* get() const { return env_; }
  const std::string& path() const { return path_; }

  /// The named database (created if missing), opened once per environment and cached.
  Result<MDB_dbi> db(const std::string& name);

  /// Current map size in bytes.
  std::size_t map_size() const;
  /// Grows the map to at least `min_bytes` (rounded up by doubling), unless another thread did.
  Status reserve(std::size_t min_bytes);
  /// Bytes in use by committed data (last page + 1) * page size.
  std::size_t used_bytes() const;

  /// Runs `body(Txn&)` (returning Status or Result<T>) in a read-only transaction.
  template <class Body>
  auto read(Body&& body) const -> std::invoke_result_t<Body, Txn&> {
    for (;;) {
      std::shared_lock lock(map_mutex_);
      MDB_txn* raw = nullptr;
      int rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, &raw);
      if (rc == MDB_MAP_RESIZED) {
        lock.unlock();
        if (Status adopted = adopt_map_size(); !adopted.ok()) return adopted.error();
        continue;
      }
      if (rc != 0) return storage_error(rc, "begin read transaction");
      Txn txn(raw);
      return body(txn);
    }
  }

  /// Runs `body(Txn&)` in a write transaction and commits it (synced) if the body succeeded and
  /// did not ask for a rollback. When the map fills (in the body or the commit), aborts, doubles
  /// the map and runs the body again from the start, so bodies must be repeatable.
  template <class Body>
  auto write(Body&& body) -> std::invoke_result_t<Body, Txn&> {
    for (;;) {
      std::shared_lock lock(map_mutex_);
      const std::size_t size_seen = map_size_locked();
      MDB_txn* raw = nullptr;
      int rc = mdb_txn_begin(env_, nullptr, 0, &raw);
      if (rc == MDB_MAP_RESIZED) {
        lock.unlock();
        if (Status adopted = adopt_map_size(); !adopted.ok()) return adopted.error();
        continue;
      }
      if (rc != 0) return storage_error(rc, "begin write transaction");
      Txn txn(raw);
      auto result = body(txn);
      if (!txn.map_full()) {
        if (!result.ok() || txn.rollback_requested()) return result;  // ~Txn aborts
        rc = txn.commit();
        if (rc == 0) return result;
        if (rc != MDB_MAP_FULL) return storage_error(rc, "commit");
      }
      txn.abort();
      lock.unlock();
      if (Status grown = reserve(size_seen * 2); !grown.ok()) return grown.error();
    }
  }

 private:
  Env(MDB_env* env, std::string path, int pid) : env_(env), path_(std::move(path)), pid_(pid) {}
  std::size_t map_size_locked() const;
  Status adopt_map_size() const;

  MDB_env* env_;
  std::string path_;
  int pid_;  // the opening process: a forked child must open its own environment
  mutable std::shared_mutex map_mutex_;
  std::mutex db_mutex_;
  std::map<std::string, MDB_dbi, std::less<>> dbs_;
};

}  // namespace laurel::detail::lmdb
