#include "detail/lmdb_kv.hpp"

#include <unistd.h>

#include <climits>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "detail/kv_backends.hpp"

namespace laurel::detail::kv {
namespace {

// Named databases: the store's tables plus room for later units (keys, users, tokens, backpack).
constexpr MDB_dbi kMaxDbs = 64;
// Threads and processes reading at once; LMDB's default of 126 is low for a server with a pool of
// workers in several processes.
constexpr unsigned kMaxReaders = 1024;
// LMDB's own databases: the free list and the main database, whose keys name the tables.
constexpr MDB_dbi kFreeDbi = 0;
constexpr MDB_dbi kMainDbi = 1;

// Recursive: a failed open destroys its half-made Env (whose destructor locks) under the lock.
std::recursive_mutex registry_mutex;
std::map<std::string, std::weak_ptr<LmdbEnv>>& registry() {
  static auto* envs = new std::map<std::string, std::weak_ptr<LmdbEnv>>();
  return *envs;
}

/// Error{Storage} naming the failed step and LMDB's (or the OS's) message.
Error lmdb_error(int rc, std::string_view what) {
  return Error{ErrorCode::Storage, "", std::string(what) + ": " + mdb_strerror(rc)};
}

MDB_val val(std::string_view bytes) {
  return MDB_val{bytes.size(), const_cast<char*>(bytes.data())};
}
std::string_view view(const MDB_val& v) {
  return {static_cast<const char*>(v.mv_data), v.mv_size};
}

unsigned put_flags(unsigned flags) {
  return ((flags & kNoOverwrite) != 0 ? MDB_NOOVERWRITE : 0u) |
         ((flags & kAppend) != 0 ? MDB_APPEND : 0u);
}

MDB_cursor_op cursor_op(Move op) {
  switch (op) {
    case Move::kFirst:
      return MDB_FIRST;
    case Move::kLast:
      return MDB_LAST;
    case Move::kNext:
      return MDB_NEXT;
    case Move::kPrev:
      return MDB_PREV;
    case Move::kSet:
      return MDB_SET_KEY;
    case Move::kSetRange:
      return MDB_SET_RANGE;
  }
  return MDB_NEXT;  // not reached: every Move is above
}

}  // namespace

// ---- cursor ----------------------------------------------------------------------------------

int LmdbCursor::move(Move op, std::string_view* key, std::string_view* value,
                     std::string_view seek) {
  MDB_val k = val(seek);
  MDB_val v{};
  MDB_cursor_op lmdb_op = cursor_op(op);
  // LMDB refuses an empty key to seek; every key sorts at or after it, and none equals it.
  if (seek.empty() && op == Move::kSetRange) lmdb_op = MDB_FIRST;
  if (seek.empty() && op == Move::kSet) return kNotFound;
  int rc = mdb_cursor_get(cursor_, &k, &v, lmdb_op);
  if (rc != 0) return txn_.code(rc);
  if (key != nullptr) *key = view(k);
  if (value != nullptr) *value = view(v);
  return kOk;
}

int LmdbCursor::put(std::string_view key, std::string_view value, unsigned flags) {
  MDB_val k = val(key);
  MDB_val v = val(value);
  int rc = mdb_cursor_put(cursor_, &k, &v, put_flags(flags));
  return rc == 0 ? kOk : txn_.code(rc);
}

int LmdbCursor::del() {
  int rc = mdb_cursor_del(cursor_, 0);
  return rc == 0 ? kOk : txn_.code(rc);
}

// ---- transaction -----------------------------------------------------------------------------

int LmdbTxn::code(int rc) {
  switch (rc) {
    case 0:
      return kOk;
    case MDB_NOTFOUND:
      return kNotFound;
    case MDB_KEYEXIST:
      return kKeyExists;
    case MDB_MAP_FULL:
      request_retry();
      [[fallthrough]];
    default:
      set_failure(mdb_strerror(rc));
      return kFailed;
  }
}

int LmdbTxn::get(Table table, std::string_view key, std::string_view* value) {
  MDB_val k = val(key);
  MDB_val v{};
  int rc = mdb_get(txn_, table, &k, &v);
  if (rc != 0) return code(rc);
  if (value != nullptr) *value = view(v);
  return kOk;
}

int LmdbTxn::put(Table table, std::string_view key, std::string_view value, unsigned flags) {
  MDB_val k = val(key);
  MDB_val v = val(value);
  int rc = mdb_put(txn_, table, &k, &v, put_flags(flags));
  return rc == 0 ? kOk : code(rc);
}

int LmdbTxn::del(Table table, std::string_view key) {
  MDB_val k = val(key);
  int rc = mdb_del(txn_, table, &k, nullptr);
  return rc == 0 ? kOk : code(rc);
}

int LmdbTxn::clear(Table table) { return code(mdb_drop(txn_, table, 0)); }

int LmdbTxn::count(Table table, std::uint64_t* entries, std::uint64_t* bytes) {
  TableFigures out;
  int rc = figures(table, &out);
  if (rc != kOk) return rc;
  if (entries != nullptr) *entries = out.entries;
  if (bytes != nullptr) *bytes = out.bytes;
  return kOk;
}

int LmdbTxn::figures(Table table, TableFigures* out) {
  MDB_stat stat{};
  if (int rc = mdb_stat(txn_, table, &stat); rc != 0) return code(rc);
  out->entries = stat.ms_entries;
  out->depth = stat.ms_depth;
  out->branch_pages = stat.ms_branch_pages;
  out->leaf_pages = stat.ms_leaf_pages;
  out->overflow_pages = stat.ms_overflow_pages;
  out->bytes = (out->branch_pages + out->leaf_pages + out->overflow_pages) * stat.ms_psize;
  return kOk;
}

std::unique_ptr<CursorImpl> LmdbTxn::open_cursor(Table table, int* rc) {
  MDB_cursor* cursor = nullptr;
  if (int opened = mdb_cursor_open(txn_, table, &cursor); opened != 0) {
    *rc = code(opened);
    return nullptr;
  }
  *rc = kOk;
  return std::make_unique<LmdbCursor>(*this, cursor);
}

int LmdbTxn::commit() {
  int rc = mdb_txn_commit(txn_);
  txn_ = nullptr;
  return rc;
}

void LmdbTxn::abort() {
  if (txn_ != nullptr) mdb_txn_abort(txn_);
  txn_ = nullptr;
}

// ---- environment -----------------------------------------------------------------------------

Result<std::shared_ptr<Env>> open_lmdb(const std::string& directory, const OpenOptions& options) {
  return LmdbEnv::open(directory, options);
}

Result<std::shared_ptr<Env>> LmdbEnv::open(const std::string& path, const OpenOptions& options) {
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
    if (shared && shared->pid_ == ::getpid()) return std::shared_ptr<Env>(std::move(shared));
  }

  MDB_env* raw = nullptr;
  int rc = mdb_env_create(&raw);
  if (rc != 0) return lmdb_error(rc, "create environment");
  auto env = std::make_shared<LmdbEnv>(raw, key, ::getpid());
  if ((rc = mdb_env_set_maxdbs(raw, kMaxDbs)) != 0) return lmdb_error(rc, "set max databases");
  if ((rc = mdb_env_set_maxreaders(raw, kMaxReaders)) != 0) {
    return lmdb_error(rc, "set max readers");
  }
  // Page-aligned, at least 1 MiB: LMDB rounds anyway, but a 0 would mean "LMDB's default".
  std::size_t map_bytes =
      options.initial_map_bytes < (1u << 20) ? (1u << 20) : options.initial_map_bytes;
  if ((rc = mdb_env_set_mapsize(raw, map_bytes)) != 0) return lmdb_error(rc, "set map size");
  // MDB_NOTLS: read transactions are not tied to a thread (a Store is used from many threads and
  // a read may finish on another one). Default sync: every commit is fsync'd.
  rc = mdb_env_open(raw, key.c_str(), MDB_NOTLS, 0640);
  if (rc != 0) return lmdb_error(rc, "open environment in " + key);
  // Free reader slots left by processes that died (kill -9) with a read transaction open, so
  // they neither pin old pages nor use up the reader table.
  int dead_readers = 0;
  mdb_reader_check(raw, &dead_readers);
  registry()[key] = env;
  return std::shared_ptr<Env>(std::move(env));
}

LmdbEnv::~LmdbEnv() {
  // Closed under the registry lock so a concurrent open of the same directory waits for it.
  std::lock_guard guard(registry_mutex);
  auto it = registry().find(path_);
  if (pid_ != ::getpid()) {
    // Inherited through fork(): closing would clear the parent's reader slots in the shared lock
    // file. Leave the handle; the child's memory goes with it.
    return;
  }
  if (it != registry().end() && it->second.expired()) registry().erase(it);
  ahead_.stop();  // it reads LMDB's file descriptor
  mdb_env_close(env_);
}

Result<std::unique_ptr<Txn>> LmdbEnv::begin(bool write) {
  for (;;) {
    std::shared_lock lock(map_mutex_);
    const std::size_t map_seen = write ? map_size_locked() : 0;
    MDB_txn* raw = nullptr;
    int rc = mdb_txn_begin(env_, nullptr, write ? 0 : MDB_RDONLY, &raw);
    if (rc == MDB_MAP_RESIZED) {
      lock.unlock();
      if (Status adopted = adopt_map_size(); !adopted.ok()) return adopted.error();
      continue;
    }
    if (rc != 0) {
      return lmdb_error(rc, write ? "begin write transaction" : "begin read transaction");
    }
    return std::unique_ptr<Txn>(std::make_unique<LmdbTxn>(std::move(lock), raw, write, map_seen));
  }
}

Status LmdbEnv::commit(Txn& txn) {
  int rc = static_cast<LmdbTxn&>(txn).commit();
  if (rc == MDB_MAP_FULL) {
    txn.request_retry();
    return {};
  }
  if (rc != 0) return lmdb_error(rc, "commit");
  return {};
}

Status LmdbEnv::prepare_retry(std::unique_ptr<Txn> txn) {
  const std::size_t map_seen = static_cast<LmdbTxn&>(*txn).map_seen();
  txn.reset();  // aborts and releases the map mutex, which reserve takes exclusively
  return reserve(map_seen * 2);
}

Result<Table> LmdbEnv::db(const std::string& name) {
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
  Result<Table> opened = write([&](Txn& txn) -> Result<Table> {
    auto& lmdb_txn = static_cast<LmdbTxn&>(txn);
    MDB_dbi dbi = 0;
    int rc = mdb_dbi_open(lmdb_txn.raw(), name.c_str(), MDB_CREATE, &dbi);
    if (rc != 0) {
      lmdb_txn.code(rc);  // a full map asks for a retry
      return lmdb_error(rc, "open database " + name);
    }
    return dbi;
  });
  if (opened.ok()) dbs_.emplace(name, opened.value());
  return opened;
}

Result<std::vector<std::string>> LmdbEnv::table_names() {
  return read([](Txn& txn) -> Result<std::vector<std::string>> {
    Cursor cursor(txn, kMainDbi);
    if (cursor.open_rc() != kOk) return storage_error(cursor.open_rc(), "open table list");
    std::vector<std::string> names;
    std::string_view key;
    int rc = cursor.move(Move::kFirst, &key, nullptr);
    for (; rc == kOk; rc = cursor.move(Move::kNext, &key, nullptr)) names.emplace_back(key);
    if (rc != kNotFound) return storage_error(rc, "read table list");
    return names;
  });
}

std::size_t LmdbEnv::map_size_locked() const {
  MDB_envinfo info{};
  mdb_env_info(env_, &info);
  return info.me_mapsize;
}

Status LmdbEnv::reserve_more(std::size_t bytes) {
  // The map holds twice the estimate (pages may be half full); the file's next `bytes` are
  // readied in the background (detail/file_ahead.hpp), off the writer's path.
  std::size_t used = 0;
  {
    std::shared_lock lock(map_mutex_);
    MDB_envinfo info{};
    mdb_env_info(env_, &info);
    MDB_stat stat{};
    mdb_env_stat(env_, &stat);
    used = (info.me_last_pgno + 1) * std::size_t(stat.ms_psize);
  }
  if (bytes > (SIZE_MAX - used) / 2) {
    return Error{ErrorCode::Storage, "", "store map cannot grow further"};
  }
  LAUREL_TRY(reserve(used + 2 * bytes));
  if (int fd = -1; mdb_env_get_fd(env_, &fd) == 0) ahead_.ready(fd, used, bytes);
  return {};
}

Status LmdbEnv::reserve(std::size_t min_bytes) {
  std::unique_lock lock(map_mutex_);
  std::size_t size = map_size_locked();
  if (size >= min_bytes) return {};
  while (size < min_bytes) {
    if (size > SIZE_MAX / 2) return Error{ErrorCode::Storage, "", "store map cannot grow further"};
    size *= 2;
  }
  int rc = mdb_env_set_mapsize(env_, size);
  if (rc != 0) return lmdb_error(rc, "grow map to " + std::to_string(size) + " bytes");
  return {};
}

Status LmdbEnv::adopt_map_size() {
  // Another process grew the map beyond ours: a size of 0 adopts the one recorded in the file.
  std::unique_lock lock(map_mutex_);
  int rc = mdb_env_set_mapsize(env_, 0);
  if (rc != 0) return lmdb_error(rc, "adopt map size");
  return {};
}

Result<BackendStats> LmdbEnv::stats() {
  return read([&](Txn& txn) -> Result<BackendStats> {
    BackendStats stats;
    stats.backend = "lmdb";
    // The free list holds, per freeing transaction, a page-number list whose first word is its
    // length.
    Cursor cursor(txn, kFreeDbi);
    if (cursor.open_rc() != kOk) return storage_error(cursor.open_rc(), "open free list");
    std::string_view value;
    int rc = cursor.move(Move::kFirst, nullptr, &value);
    for (; rc == kOk; rc = cursor.move(Move::kNext, nullptr, &value)) {
      if (value.size() >= sizeof(std::size_t)) {
        std::size_t count = 0;
        std::memcpy(&count, value.data(), sizeof count);
        stats.free_pages += count;
      }
    }
    if (rc != kNotFound) return storage_error(rc, "read free list");
    MDB_envinfo info{};
    mdb_env_info(env_, &info);
    MDB_stat env_stat{};
    mdb_env_stat(env_, &env_stat);
    stats.page_size = env_stat.ms_psize;
    stats.map_bytes = info.me_mapsize;
    stats.file_bytes = (info.me_last_pgno + 1) * stats.page_size;
    stats.readers = info.me_numreaders;
    stats.max_readers = info.me_maxreaders;
    return stats;
  });
}

Status LmdbEnv::backup(const std::string& destination) {
  // MDB_CP_COMPACT copies the live pages of one read transaction in order, leaving the free
  // pages out: a consistent snapshot that is also the smallest file for this data. The copy's
  // read transaction counts as one of ours for map growth.
  std::shared_lock lock(map_mutex_);
  int rc = mdb_env_copy2(env_, destination.c_str(), MDB_CP_COMPACT);
  if (rc != 0) return lmdb_error(rc, "back up to " + destination);
  return {};
}

}  // namespace laurel::detail::kv
