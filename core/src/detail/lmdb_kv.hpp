// The LMDB backend of kv.hpp: a store directory on this machine, the embedded default.
//
// Why a process-wide registry: LMDB forbids opening one environment twice in a process (closing
// the second handle drops the first one's POSIX locks), so opening a directory that is already
// open in this process shares its environment instead.
//
// Why a shared_mutex: mdb_env_set_mapsize may only run while this process has no transaction
// open. Every transaction holds the mutex shared; growing the map takes it exclusively. A write
// that fills the map (MDB_MAP_FULL, in the body or at commit) asks for a retry; prepare_retry
// ends the transaction and doubles the map, and kv::Env::write runs the body again.
//
// Only this file and lmdb_kv.cpp see <lmdb.h>.
#pragma once

#include <lmdb.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "detail/file_ahead.hpp"
#include "detail/kv.hpp"

namespace laurel::detail::kv {

class LmdbTxn;

class LmdbCursor final : public CursorImpl {
 public:
  LmdbCursor(LmdbTxn& txn, MDB_cursor* cursor) : txn_(txn), cursor_(cursor) {}
  ~LmdbCursor() override { mdb_cursor_close(cursor_); }
  int move(Move op, std::string_view* key, std::string_view* value,
           std::string_view seek) override;
  int put(std::string_view key, std::string_view value, unsigned flags) override;
  int del() override;

 private:
  LmdbTxn& txn_;
  MDB_cursor* cursor_;
};

class LmdbTxn final : public Txn {
 public:
  /// Holds `lock` (the map mutex, shared) until the transaction ends. `map_seen`: the map size
  /// when a write transaction began, which a retry doubles.
  LmdbTxn(std::shared_lock<std::shared_mutex> lock, MDB_txn* txn, bool write,
          std::size_t map_seen)
      : lock_(std::move(lock)), txn_(txn), write_(write), map_seen_(map_seen) {}
  ~LmdbTxn() override { abort(); }

  bool writable() const override { return write_; }
  int get(Table table, std::string_view key, std::string_view* value) override;
  int put(Table table, std::string_view key, std::string_view value, unsigned flags) override;
  int del(Table table, std::string_view key) override;
  int clear(Table table) override;
  int count(Table table, std::uint64_t* entries, std::uint64_t* bytes) override;
  int figures(Table table, TableFigures* out) override;
  std::unique_ptr<CursorImpl> open_cursor(Table table, int* rc) override;

  MDB_txn* raw() const { return txn_; }
  std::size_t map_seen() const { return map_seen_; }
  /// LMDB's code as a kv code: failures are recorded (set_failure), a full map asks for a retry.
  int code(int rc);
  /// mdb_txn_commit's own code (the transaction is over either way).
  int commit();
  void abort();

 private:
  std::shared_lock<std::shared_mutex> lock_;  // declared first: released after the abort
  MDB_txn* txn_;
  bool write_;
  std::size_t map_seen_;
};

class LmdbEnv final : public Env {
 public:
  LmdbEnv(MDB_env* env, std::string path, int pid) : env_(env), path_(std::move(path)), pid_(pid) {}
  ~LmdbEnv() override;

  /// Opens (creating the directory and files if missing) or shares the environment at `path`.
  /// `initial_map_bytes` only matters for the first opener in this process.
  static Result<std::shared_ptr<Env>> open(const std::string& path, const OpenOptions& options);

  const std::string& location() const override { return path_; }
  Result<Table> db(const std::string& name) override;
  Result<std::vector<std::string>> table_names() override;
  Status reserve_more(std::size_t bytes) override;
  Result<BackendStats> stats() override;
  Status backup(const std::string& destination) override;

 protected:
  Result<std::unique_ptr<Txn>> begin(bool write) override;
  Status commit(Txn& txn) override;
  Status prepare_retry(std::unique_ptr<Txn> txn) override;

 private:
  std::size_t map_size_locked() const;
  /// Grows the map to at least `min_bytes` (rounded up by doubling), unless another thread did.
  Status reserve(std::size_t min_bytes);
  /// Adopts the map size another process grew the file to (after MDB_MAP_RESIZED).
  Status adopt_map_size();

  MDB_env* env_;
  std::string path_;
  int pid_;  // the opening process: a forked child must open its own environment
  std::shared_mutex map_mutex_;
  std::mutex db_mutex_;
  std::map<std::string, MDB_dbi, std::less<>> dbs_;
  FileAhead ahead_;  // readies the data file's next bytes before a big write
};

}  // namespace laurel::detail::kv
