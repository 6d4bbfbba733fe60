// Where a test's store lives: a fresh LMDB directory, or, when LAUREL_TEST_PG_URL names a
// PostgreSQL database (ctest's *_pg runs, scripts/pg-cluster.sh), a fresh schema in it, dropped
// at the end. Test-only.
#pragma once

#include <atomic>
#include <cstdlib>
#include <random>
#include <string>

#include "detail/pg_api.hpp"
#include "detail/pg_conn.hpp"
#include "test_support.hpp"

namespace laurel::testing {

/// The database URL of the PostgreSQL run, or "" for LMDB.
inline std::string test_database_url() {
  const char* url = std::getenv("LAUREL_TEST_PG_URL");
  return url != nullptr ? std::string(url) : std::string();
}

/// Runs one SQL command on the test database (cleanup, sabotage); false on failure.
inline bool run_sql(const std::string& url, const std::string& sql) {
  if (detail::pg::api(nullptr) == nullptr) return false;
  detail::pg::Conn conn;
  conn.pg = detail::pg::pq().PQconnectdb(url.c_str());
  auto result = detail::pg::exec(conn, sql, "test");
  return result.ok();
}

class StoreLocation {
 public:
  StoreLocation() : database_(test_database_url()) {
    if (database_.empty()) return;
    std::random_device random;
    static std::atomic<int> counter{0};
    schema_ = "t" + std::to_string(random()) + "_" + std::to_string(counter++);
  }
  StoreLocation(const StoreLocation&) = delete;
  StoreLocation& operator=(const StoreLocation&) = delete;
  ~StoreLocation() {
    if (!schema_.empty()) run_sql(database_, "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  }

  bool postgresql() const { return !database_.empty(); }
  /// The store's location: `name` under the temp dir, or the URL with this test's schema (and an
  /// application name the test can find its connections by).
  std::string at(const std::string& name = "store") const {
    if (database_.empty()) return dir_.sub(name);
    return url_with("schema=" + schema_ + "&application_name=" + schema_);
  }
  const std::string& schema() const { return schema_; }
  const std::string& database() const { return database_; }
  const TempDir& dir() const { return dir_; }

 private:
  std::string url_with(const std::string& params) const {
    return database_ + (database_.find('?') == std::string::npos ? "?" : "&") + params;
  }

  std::string database_;
  std::string schema_;
  TempDir dir_;
};

}  // namespace laurel::testing
