#include "detail/lmdb.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace laurel::detail::lmdb {
namespace {

// Named databases: the store's nine plus room for later units (keys, users, tokens, backpack).
constexpr MDB_dbi kMaxDbs = 64;
// Threads and processes reading at once; LMDB's default of 126 is low for a server with a pool of
// workers in several processes.
constexpr unsigned kMaxReaders = 1024;

// Recursive: a failed open destroys its half-made Env (whose destructor locks) under the lock.
std::recursive_mutex registry_mutex;
std::map<std::string, std::weak_ptr<Env>>& registry() {
  static auto* envs = new std::map<std::string, std::weak_ptr<Env>>();
  return *envs;
}

}  // namespace

Error storage_error(int rc, std::string_view what) {
  return Error{ErrorCode::Storage, "", std::string(what) + ": " + mdb_strerror(rc)};
}

Result<std::shared_ptr<Env>> Env::open(const std::string& path, std::size_t initial_map_bytes) {
  if (path.empty()) return Error{ErrorCode::Storage, "path", "store path is empty"};
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) {
    return Error{ErrorCode::Storage, "path",
                 "cannot create directory " + path + ": " + ec.message()};
  }
  std::filesystem::path canonical = std::filesystem::canonical(path, ec);
  if (ec) {
    return Error{ErrorCode::Storage, "path", "cannot resolve " + path + ": " + ec.message()};
  }
  if (!std::filesystem::is_directory(canonical, ec)) {
    return Error{ErrorCode::Storage, "path", path + " is not a directory"};
  }
  const std::string key = canonical.string();

  std::lock_guard guard(registry_mutex);
  if (auto it = registry().find(key); it != registry().end()) {
    auto shared = it->second.lock();
    if (shared && shared->pid_ == ::getpid()) return shared;
  }

  MDB_env* raw = nullptr;
  int rc = mdb_env_create(&raw);
  if (rc != 0) return storage_error(rc, "create environment");
  std::shared_ptr<Env> env(new Env(raw, key, ::getpid()));
  if ((rc = mdb_env_set_maxdbs(raw, kMaxDbs)) != 0) return storage_error(rc, "set max databases");
  if ((rc = mdb_env_set_maxreaders(raw, kMaxReaders)) != 0) {
    return storage_error(rc, "set max readers");
  }
  // Page-aligned, at least 1 MiB: LMDB rounds anyway, but a 0 would mean "LMDB's default".
  std::size_t map_bytes = initial_map_bytes < (1u << 20) ? (1u << 20) : initial_map_bytes;
  if ((rc = mdb_env_set_mapsize(raw, map_bytes)) != 0) return storage_error(rc, "set map size");
  // MDB_NOTLS: read transactions are not tied to a thread (a Store is used from many threads and
  // a read may finish on another one). Default sync: every commit is fsync'd.
  rc = mdb_env_open(raw, key.c_str(), MDB_NOTLS, 0640);
  if (rc != 0) return storage_error(rc, "open environment in " + key);
  // Free reader slots left by processes that died (kill -9) with a read transaction open, so
  // they neither pin old pages nor use up the reader table.
  int dead_readers = 0;
  mdb_reader_check(raw, &dead_readers);
  registry()[key] = env;
  return env;
}

Env::~Env() {
  // Closed under the registry lock so a concurrent open of the same directory waits for it.
  std::lock_guard guard(registry_mutex);
  auto it = registry().find(path_);
  if (pid_ != ::getpid()) {
    // Inherited through fork(): closing would clear the parent's reader slots in the shared lock
    // file. Leave the handle; the child's memory goes with it.
    return;
  }
  if (it != registry().end() && it->second.expired()) registry().erase(it);
  mdb_env_close(env_);
}

Result<MDB_dbi> Env::db(const std::string& name) {
  std::lock_guard guard(db_mutex_);
  if (auto it = dbs_.find(name); it != dbs_.end()) return it->second;
  // An existing database opens in a read-only transaction, so opening a store never waits for a
  // writer in another process; committing that transaction publishes the handle (LMDB's rule for
  // mdb_dbi_open).
  {
    std::shared_lock lock(map_mutex_);
    MDB_txn* raw = nullptr;
    if (mdb_txn_begin(env_, nullptr, MDB_RDONLY, &raw) == 0) {
      MDB_dbi dbi = 0;
      if (mdb_dbi_open(raw, name.c_str(), 0, &dbi) != 0) {
        mdb_txn_abort(raw);
      } else if (mdb_txn_commit(raw) == 0) {  // commit frees the transaction either way
        dbs_.emplace(name, dbi);
        return dbi;
      }
    }
  }
  // Missing (or the map was resized): create it in a write transaction.
  Result<MDB_dbi> opened = write([&](Txn& txn) -> Result<MDB_dbi> {
    MDB_dbi dbi = 0;
    int rc = mdb_dbi_open(txn.get(), name.c_str(), MDB_CREATE, &dbi);
    if (rc != 0) return storage_error(txn.note(rc), "open database " + name);
    return dbi;
  });
  if (opened.ok()) dbs_.emplace(name, opened.value());
  return opened;
}

std::size_t Env::map_size_locked() const {
  MDB_envinfo info{};
  mdb_env_info(env_, &info);
  return info.me_mapsize;
}

std::size_t Env::map_size() const {
  std::shared_lock lock(map_mutex_);
  return map_size_locked();
}

std::size_t Env::used_bytes() const {
  std::shared_lock lock(map_mutex_);
  MDB_envinfo info{};
  mdb_env_info(env_, &info);
  MDB_stat stat{};
  mdb_env_stat(env_, &stat);
  return (info.me_last_pgno + 1) * std::size_t(stat.ms_psize);
}

Status Env::reserve(std::size_t min_bytes) {
  std::unique_lock lock(map_mutex_);
  std::size_t size = map_size_locked();
  if (size >= min_bytes) return {};
  while (size < min_bytes) {
    if (size > SIZE_MAX / 2) return Error{ErrorCode::Storage, "", "store map cannot grow further"};
    size *= 2;
  }
  int rc = mdb_env_set_mapsize(env_, size);
  if (rc != 0) return storage_error(rc, "grow map to " + std::to_string(size) + " bytes");
  return {};
}

Status Env::adopt_map_size() const {
  // Another process grew the map beyond ours: a size of 0 adopts the one recorded in the file.
  std::unique_lock lock(map_mutex_);
  int rc = mdb_env_set_mapsize(env_, 0);
  if (rc != 0) return storage_error(rc, "adopt map size");
  return {};
}

}  // namespace laurel::detail::lmdb
