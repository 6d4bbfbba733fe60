// The PostgreSQL side of the store tests (test-only): a fresh schema per test at the server
// LAUREL_TEST_PG_URL names (ctest's *_pg runs start it with scripts/pg-cluster.sh), dropped at
// the end, and SQL for tests that break things on purpose.
#pragma once

#include <atomic>
#include <random>
#include <string>

#include "detail/pg_api.hpp"
#include "detail/pg_conn.hpp"

namespace laurel::testing {

/// Runs SQL on the database at `url` (no `schema` parameter); false on failure.
inline bool run_sql(const std::string& url, const std::string& sql) {
  if (detail::pg::api(nullptr) == nullptr) return false;
  detail::pg::Conn conn;
  conn.pg = detail::pg::pq().PQconnectdb(url.c_str());
  return detail::pg::exec(conn, "SET client_min_messages = warning; " + sql, "test").ok();
}

/// A schema name no other test uses, also the application name its connections carry.
inline std::string fresh_schema() {
  static std::atomic<int> counter{0};
  std::random_device random;
  return "t" + std::to_string(random()) + "_" + std::to_string(counter++);
}

/// `base_url` with `params` appended.
inline std::string with_params(const std::string& base_url, const std::string& params) {
  return base_url + (base_url.find('?') == std::string::npos ? "?" : "&") + params;
}

/// The URL of one test's store: the server's URL with a fresh schema.
inline std::string with_schema(const std::string& base_url, const std::string& schema) {
  return with_params(base_url, "schema=" + schema + "&application_name=" + schema);
}

}  // namespace laurel::testing
