#include "detail/pg_schema.hpp"

#include <charconv>

namespace laurel::detail::pg {

namespace {

/// The SQL of the step that brings the layout from version - 1 to `version`.
std::string step_sql(const std::string& schema, int version) {
  const std::string s = quote_identifier(schema);
  switch (version) {
    case 1:
      return "CREATE SCHEMA IF NOT EXISTS " + s + "; CREATE TABLE " + s +
             ".laurel_schema (version integer NOT NULL); INSERT INTO " + s +
             ".laurel_schema VALUES (0);";
    case 2:
      return "CREATE TABLE " + s + ".laurel_tables (name text PRIMARY KEY); INSERT INTO " + s +
             ".laurel_tables SELECT substr(tablename, 4) FROM pg_tables WHERE schemaname = " +
             quote_literal(schema) + " AND tablename LIKE 'kv\\_%';";
    default:
      return {};
  }
}

}  // namespace

std::string qualified(const std::string& schema, const std::string& table) {
  return quote_identifier(schema) + "." + quote_identifier(table);
}

Result<bool> table_exists(Conn& conn, const std::string& qualified_name) {
  auto exists = exec(conn, "SELECT to_regclass(" + quote_literal(qualified_name) + ") IS NOT NULL",
                     "look up table " + qualified_name);
  if (!exists.ok()) return exists.error();
  return exists->cell(0, 0) == "t";
}

Result<int> stored_version(Conn& conn, const std::string& schema) {
  auto exists = table_exists(conn, qualified(schema, "laurel_schema"));
  if (!exists.ok()) return exists.error();
  if (!exists.value()) return 0;
  auto row = exec(conn, "SELECT version FROM " + qualified(schema, "laurel_schema"),
                  "read schema version");
  if (!row.ok()) return row.error();
  if (row->rows() != 1) {
    return Error{ErrorCode::Storage, "",
                 "PostgreSQL: " + schema + ".laurel_schema must hold one row"};
  }
  std::string_view text = row->cell(0, 0);
  int version = 0;
  std::from_chars(text.data(), text.data() + text.size(), version);
  return version;
}

Result<int> migrate(Conn& conn, const std::string& schema, const std::string& lock_key,
                    int target) {
  // The lock is taken before the transaction begins, as a session lock: a transaction that began
  // before another node's migration committed keeps that node's tables out of its catalog cache
  // (to_regclass would still say "missing" and CREATE TABLE then fails on "already exists").
  // Session and transaction advisory locks on one key exclude each other, so writers wait too.
  auto locked = exec(conn, "SELECT pg_advisory_lock(" + lock_key + ")", "lock for migration");
  if (!locked.ok()) return locked.error();
  auto unlock = [&] {
    Res unlocked(pq().PQexec(conn.pg, ("SELECT pg_advisory_unlock(" + lock_key + ")").c_str()));
  };
  auto fail = [&](Error error) -> Result<int> {
    Res rolled_back(pq().PQexec(conn.pg, "ROLLBACK"));
    unlock();
    return error;
  };
  auto begun = exec(conn, "BEGIN", "begin schema migration");
  if (!begun.ok()) return fail(begun.error());
  auto before = stored_version(conn, schema);
  if (!before.ok()) return fail(before.error());
  if (before.value() > kSchemaVersion) {
    return fail(Error{ErrorCode::Storage, "",
                      "PostgreSQL: the store in schema " + schema + " has layout version " +
                          std::to_string(before.value()) + ", newer than this Laurel's (" +
                          std::to_string(kSchemaVersion) + "): upgrade Laurel"});
  }
  for (int version = before.value() + 1; version <= target; ++version) {
    auto stepped = exec(conn,
                        step_sql(schema, version) + " UPDATE " +
                            qualified(schema, "laurel_schema") +
                            " SET version = " + std::to_string(version),
                        "migrate schema to version " + std::to_string(version));
    if (!stepped.ok()) return fail(stepped.error());
  }
  auto committed = exec(conn, "COMMIT", "commit schema migration");
  if (!committed.ok()) return fail(committed.error());
  unlock();
  return before.value();
}

}  // namespace laurel::detail::pg
