#include "detail/pg_kv.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <shared_mutex>

#include "detail/kv_backends.hpp"
#include "detail/pg_conn.hpp"
#include "detail/pg_schema.hpp"
#include "detail/pg_txn.hpp"

namespace laurel::detail::kv {

namespace {

using pg::Conn;
using pg::exec;
using pg::pq;
using pg::Res;

Error storage(std::string message) { return Error{ErrorCode::Storage, "path", std::move(message)}; }

/// A store URL taken apart: what libpq gets, the schema, and the URL without its password.
struct Target {
  std::string conninfo;
  std::string schema = "laurel";
  std::string shown;
};

bool valid_schema(std::string_view name) {
  if (name.empty() || name.size() > 50) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return !(name[0] >= '0' && name[0] <= '9');
}

Result<Target> parse_url(const std::string& url) {
  Target target;
  const std::size_t query = url.find('?');
  target.conninfo = url.substr(0, query);
  std::string shown_query;  // the query without password=, for target.shown
  if (query != std::string::npos) {
    std::string kept;
    std::size_t at = query + 1;
    while (at <= url.size()) {
      std::size_t end = url.find('&', at);
      if (end == std::string::npos) end = url.size();
      std::string_view param(url.data() + at, end - at);
      if (param.starts_with("schema=")) {
        target.schema = std::string(param.substr(7));
        if (!valid_schema(target.schema)) {
          return storage("PostgreSQL URL: schema '" + target.schema +
                         "' must be 1 to 50 lower-case letters, digits or _ (not first a digit)");
        }
        shown_query += shown_query.empty() ? '?' : '&';
        shown_query += param;
      } else if (!param.empty()) {
        kept += kept.empty() ? '?' : '&';
        kept += param;
        if (!param.starts_with("password=")) {
          shown_query += shown_query.empty() ? '?' : '&';
          shown_query += param;
        }
      }
      at = end + 1;
    }
    target.conninfo += kept;
  }
  // The URL as shown: without a password (postgresql://user:password@host/... or ?password=).
  target.shown = url.substr(0, query) + shown_query;
  const std::size_t scheme = target.shown.find("://");
  if (scheme != std::string::npos) {
    const std::size_t authority = scheme + 3;
    const std::size_t at = target.shown.find('@', authority);
    const std::size_t slash = target.shown.find('/', authority);
    const std::size_t colon = target.shown.find(':', authority);
    if (at != std::string::npos && (slash == std::string::npos || at < slash) &&
        colon != std::string::npos && colon < at) {
      target.shown.erase(colon, at - colon);
    }
  }
  return target;
}

/// The writers' lock of one store: pg_advisory_xact_lock(Laurel, hash of the schema), so stores
/// in different schemas of one database do not queue behind each other.
std::string lock_key(const std::string& schema) {
  std::uint32_t hash = 2166136261u;  // FNV-1a
  for (char c : schema) hash = (hash ^ std::uint8_t(c)) * 16777619u;
  return std::to_string(0x4c617572) + ", " + std::to_string(static_cast<std::int32_t>(hash));
}
std::string lock_sql(const std::string& schema) {
  return "SELECT pg_advisory_xact_lock(" + lock_key(schema) + "), pg_is_in_recovery()";
}

constexpr const char* kStandby = "read-only standby: writes go to the primary";

// What a standby reads for a table the primary has not made yet: no rows, the kv columns.
constexpr const char* kEmptyTable = "(SELECT NULL::bytea AS k, NULL::bytea AS v WHERE false) AS kv";

// A REPEATABLE READ transaction takes its snapshot at its first query, not at BEGIN: the SELECT
// takes it now (same round trip), as an LMDB read transaction sees the store as of its begin.
constexpr const char* kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT 1";

class PgEnv final : public Env {
 public:
  PgEnv(Target target) : target_(std::move(target)), pool_(target_.conninfo) {
    lock_sql_ = lock_sql(target_.schema);
  }

  Status load_tables() {
    auto conn = pool_.lease();
    if (!conn.ok()) return conn.error();
    auto names = exec(*conn.value(),
                      "SELECT name FROM " + pg::qualified(target_.schema, "laurel_tables"),
                      "list tables");
    if (!names.ok()) return names.error();
    std::unique_lock lock(mutex_);
    for (int i = 0; i < names->rows(); ++i) {
      std::string name(names->cell(i, 0));
      by_name_.emplace(name, tables_.add(table_sql(name)));
    }
    return {};
  }

  const std::string& location() const override { return target_.shown; }

  Result<Table> db(const std::string& name) override {
    {
      std::shared_lock lock(mutex_);
      if (auto it = by_name_.find(name); it != by_name_.end()) return it->second;
    }
    if (name.empty() || name.size() > 55) {
      return storage("PostgreSQL: table name '" + name + "' must be 1 to 55 bytes");
    }
    bool known_missing;
    {
      std::shared_lock lock(mutex_);
      known_missing = missing_by_name_.count(name) != 0;
    }
    auto conn = pool_.lease();
    if (!conn.ok()) return conn.error();
    // A table found missing on a standby is created once the server is a primary (promoted).
    if (!known_missing || !pg::in_recovery(*conn.value())) {
      // Two nodes may create the same table at once: the loser's statement fails on the
      // catalog's unique index and succeeds when tried again. No writers' lock here: the
      // caller's thread may hold a write transaction on another connection.
      const std::string sql = "CREATE TABLE IF NOT EXISTS " + table_sql(name) +
                              " (k bytea PRIMARY KEY, v bytea NOT NULL); INSERT INTO " +
                              pg::qualified(target_.schema, "laurel_tables") + " VALUES (" +
                              pg::quote_literal(name) + ") ON CONFLICT DO NOTHING";
      Result<Res> made = exec(*conn.value(), sql, "create table " + name);
      if (!made.ok()) made = exec(*conn.value(), sql, "create table " + name);
      if (made.ok()) {
        return add_table(name);
      }
      if (!pg::in_recovery(*conn.value())) return made.error();
    }
    // A standby cannot create a table the primary has not made yet (a store that never signed
    // has no "keys"): until the primary makes it and it replicates here, it reads as empty.
    // While it is missing, a call looks it up again (two round trips, on standbys only).
    auto exists = pg::table_exists(*conn.value(), table_sql(name));
    if (!exists.ok()) return exists.error();
    if (exists.value()) return add_table(name);
    std::unique_lock lock(mutex_);
    auto [missing, added] = missing_by_name_.try_emplace(name, 0);
    if (added) missing->second = tables_.add(kEmptyTable);
    return missing->second;
  }

  Result<std::vector<std::string>> table_names() override {
    auto conn = pool_.lease();
    if (!conn.ok()) return conn.error();
    auto names = exec(*conn.value(),
                      "SELECT name FROM " + pg::qualified(target_.schema, "laurel_tables") +
                          " ORDER BY convert_to(name, 'UTF8')",
                      "list tables");
    if (!names.ok()) return names.error();
    std::vector<std::string> out;
    for (int i = 0; i < names->rows(); ++i) out.emplace_back(names->cell(i, 0));
    return out;
  }

  Status reserve_more(std::size_t) override { return {}; }

  Result<BackendStats> stats() override {
    BackendStats stats;
    stats.backend = "postgresql";
    {
      auto conn = pool_.lease();
      if (!conn.ok()) return conn.error();
      auto figures = exec(*conn.value(),
                          "SELECT current_setting('block_size'), coalesce(sum("
                          "pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n "
                          "ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = " +
                              pg::quote_literal(target_.schema),
                          "read sizes");
      if (!figures.ok()) return figures.error();
      stats.page_size = std::stoull(std::string(figures->cell(0, 0)));
      stats.file_bytes = std::stoull(std::string(figures->cell(0, 1)));
    }  // this call's own connection is back: it is not one of those in use
    stats.readers = pool_.in_use();
    return stats;
  }

  Status backup(const std::string& destination) override;

 protected:
  Result<std::unique_ptr<Txn>> begin(bool write) override {
    // An idle pooled connection may have died (server restart, failover, idle timeout): that
    // shows only when used, so a failed BEGIN on a lost connection is tried once more afresh.
    for (int attempt = 0;; ++attempt) {
      auto leased = pool_.lease();
      if (!leased.ok()) return leased.error();
      pg::Lease conn = std::move(leased.value());
      auto begun = exec(*conn,
                        write ? "BEGIN; " + lock_sql_ : std::string(kBeginRead),
                        write ? "begin write transaction" : "begin read transaction");
      if (!begun.ok()) {
        const bool lost = pq().PQstatus(conn->pg) != pg::kConnectionOk;
        if (lost && attempt == 0) continue;
        return begun.error();
      }
      if (write && begun->cell(0, 1) == "t") {
        Res rolled_back(pq().PQexec(conn->pg, "ROLLBACK"));
        return storage(kStandby);
      }
      return std::unique_ptr<Txn>(new pg::PgTxn(tables_, std::move(conn), write));
    }
  }

  Status commit(Txn& txn) override { return static_cast<pg::PgTxn&>(txn).commit(); }

  Status prepare_retry(std::unique_ptr<Txn> txn) override {
    txn.reset();
    return {};
  }

 private:
  /// The table `name`, known to exist, under one number however many threads find it.
  Table add_table(const std::string& name) {
    std::unique_lock lock(mutex_);
    missing_by_name_.erase(name);
    if (auto it = by_name_.find(name); it != by_name_.end()) return it->second;
    Table table = tables_.add(table_sql(name));
    by_name_.emplace(name, table);
    return table;
  }
  std::string table_sql(const std::string& name) const {
    return pg::qualified(target_.schema, "kv_" + name);
  }

  Target target_;
  pg::Pool pool_;
  std::string lock_sql_;
  std::shared_mutex mutex_;
  std::map<std::string, Table, std::less<>> by_name_;
  // On a standby: tables the primary has not made yet, read through kEmptyTable.
  std::map<std::string, Table, std::less<>> missing_by_name_;
  pg::TableNames tables_;
};

Status PgEnv::backup(const std::string& destination) {
  if (is_database_url(destination)) {
    return invalid("destination", "a backup goes to an LMDB directory, not a database");
  }
  auto names = table_names();
  if (!names.ok()) return names.error();
  std::vector<Table> from;
  for (const std::string& name : names.value()) {
    auto table = db(name);
    if (!table.ok()) return table.error();
    from.push_back(table.value());
  }
  // The rows go into a staging LMDB store beside the destination, which LMDB's compacting copy
  // then writes into the destination: the copy has no free pages and appears whole or not at all.
  std::string staging = destination;
  while (!staging.empty() && staging.back() == '/') staging.pop_back();
  staging += ".staging";
  std::error_code ignored;
  std::filesystem::remove_all(staging, ignored);
  struct RemoveStaging {
    std::string path;
    ~RemoveStaging() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  } remove_staging{staging};
  auto target = Env::open(staging, OpenOptions{});
  if (!target.ok()) return target.error();
  Env& copy = *target.value();
  std::vector<Table> to;
  for (const std::string& name : names.value()) {
    auto table = copy.db(name);
    if (!table.ok()) return table.error();
    to.push_back(table.value());
  }
  // One read transaction: one snapshot of every table.
  return read([&](Txn& source) -> Status {
    std::vector<std::vector<std::pair<std::string_view, std::string_view>>> rows(from.size());
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < from.size(); ++i) {
      Cursor cursor(source, from[i]);
      if (cursor.open_rc() != kOk) return storage_error(cursor.open_rc(), "back up");
      std::string_view key, value;
      int rc = cursor.move(Move::kFirst, &key, &value);
      for (; rc == kOk; rc = cursor.move(Move::kNext, &key, &value)) {
        rows[i].emplace_back(key, value);
        bytes += key.size() + value.size();
      }
      if (rc != kNotFound) return storage_error(rc, "back up " + names.value()[i]);
    }
    LAUREL_TRY(copy.reserve_more(bytes));
    Status written = copy.write([&](Txn& out) -> Status {  // repeatable: LMDB may run it again
      for (std::size_t i = 0; i < from.size(); ++i) {
        for (auto [key, value] : rows[i]) {
          if (int rc = out.put(to[i], key, value, kAppend); rc != kOk) {
            return storage_error(rc, "back up " + names.value()[i]);
          }
        }
      }
      return {};
    });
    if (!written.ok()) return written;
    return copy.backup(destination);
  });
}

}  // namespace

namespace {

std::string version_error(const std::string& schema, int version) {
  const std::string at = "PostgreSQL: the store in schema '" + schema + "' has layout version " +
                         std::to_string(version);
  if (version > pg::kSchemaVersion) {
    return at + ", newer than this Laurel's (" + std::to_string(pg::kSchemaVersion) +
           "): upgrade Laurel";
  }
  return at + "; this Laurel needs version " + std::to_string(pg::kSchemaVersion) +
         ": run `laurel init --data <url>` to migrate it";
}

}  // namespace

Result<std::shared_ptr<Env>> open_postgresql(const std::string& url, const OpenOptions&) {
  std::string missing;
  if (pg::api(&missing) == nullptr) return storage(missing);
  auto target = parse_url(url);
  if (!target.ok()) return target.error();
  const std::string schema = target->schema;
  auto env = std::make_shared<PgEnv>(target.value());
  {
    pg::Pool pool(target->conninfo);
    auto conn = pool.lease();
    if (!conn.ok()) return conn.error();
    auto version = pg::stored_version(*conn.value(), schema);
    if (!version.ok()) return version.error();
    if (version.value() == 0) {  // a database without the store: make it, as LMDB makes a directory
      if (pg::in_recovery(*conn.value())) {
        return storage(std::string(kStandby) + " (schema '" + schema +
                       "' holds no store yet: create it there with `laurel init`)");
      }
      auto made = pg::migrate(*conn.value(), schema, lock_key(schema));
      if (!made.ok()) return made.error();
    } else if (version.value() != pg::kSchemaVersion) {
      return storage(version_error(schema, version.value()));
    }
  }
  LAUREL_TRY(env->load_tables());
  return std::shared_ptr<Env>(std::move(env));
}

Result<std::string> init_database(const std::string& url, int version) {
  std::string missing;
  if (pg::api(&missing) == nullptr) return storage(missing);
  auto target = parse_url(url);
  if (!target.ok()) return target.error();
  pg::Pool pool(target->conninfo);
  auto conn = pool.lease();
  if (!conn.ok()) return conn.error();
  auto before = pg::migrate(*conn.value(), target->schema, lock_key(target->schema),
                            version == 0 ? pg::kSchemaVersion : version);
  if (!before.ok()) return before.error();
  if (before.value() == 0) return std::string("created");
  if (before.value() < pg::kSchemaVersion) {
    return "migrated from version " + std::to_string(before.value());
  }
  return std::string("up to date");
}

}  // namespace laurel::detail::kv
