// Helpers shared by the store tests: a temporary directory removed at the end, where a test's
// store lives (TestStoreLocation: a directory, or a PostgreSQL database when LAUREL_TEST_PG_URL is
// set), and a fixture with an open store holding one issuer and one badge class.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "laurel/store.hpp"
#include "pg_test_support.hpp"

namespace laurel::testing {

/// A fresh directory under $TMPDIR (or /tmp), deleted with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/laurel-test-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    const char* made = ::mkdtemp(buffer.data());
    if (made == nullptr) std::abort();
    path_ = made;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }
  std::string sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// Where one test's store lives: a fresh directory, or, when the environment variable
/// LAUREL_TEST_PG_URL is set (to a postgresql:// URL), a fresh schema in that database, so the
/// same store tests run against either backend. Removed with everything in it on destruction.
class TestStoreLocation {
 public:
  TestStoreLocation() {
    const char* url = std::getenv("LAUREL_TEST_PG_URL");
    if (url != nullptr && *url != '\0') {
      server_ = url;
      schema_ = fresh_schema();
      location_ = with_schema(server_, schema_);
      database_ = true;
    } else {
      location_ = dir_.sub("store");
    }
  }
  TestStoreLocation(const TestStoreLocation&) = delete;
  TestStoreLocation& operator=(const TestStoreLocation&) = delete;
  ~TestStoreLocation() {
    if (database_) run_sql(server_, "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  }
  /// What Store::open takes: the directory or the database URL.
  const std::string& path() const { return location_; }
  /// True for a database: tests of LMDB's files (data.mdb, keys.kek beside it) skip then.
  bool is_database() const { return database_; }
  /// PostgreSQL runs: the server's URL (no schema) and this test's schema.
  const std::string& server() const { return server_; }
  const std::string& schema() const { return schema_; }
  const TempDir& dir() const { return dir_; }

 private:
  std::string server_, schema_;
  TempDir dir_;  // made either way: tests put backups and other files next to the store
  std::string location_;
  bool database_ = false;
};

inline Issuer sample_issuer(const std::string& name = "Laurel Academy") {
  Issuer issuer;
  issuer.name = name;
  issuer.email = "badges@example.org";
  issuer.url = "https://example.org";
  issuer.description = "Teaches things";
  return issuer;
}

inline BadgeClass sample_badgeclass(const std::string& issuer_id,
                                    const std::string& name = "Knot Tying") {
  BadgeClass badgeclass;
  badgeclass.issuer = issuer_id;
  badgeclass.name = name;
  badgeclass.description = "Ties a bowline behind the back";
  badgeclass.criteria_url = "https://example.org/criteria";
  return badgeclass;
}

inline RecipientInput email_recipient(const std::string& email) {
  RecipientInput recipient;
  recipient.identity = email;
  return recipient;
}

/// `count` distinct email recipients: learner0@example.org, learner1@...
inline std::vector<RecipientInput> recipients(std::size_t count,
                                              const std::string& tag = "learner") {
  std::vector<RecipientInput> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back(email_recipient(tag + std::to_string(i) + "@example.org"));
  }
  return out;
}

/// A store at a fresh TestStoreLocation with one issuer and one badge class.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Store::open(store_location(), open_options());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::make_unique<Store>(std::move(opened.value()));
    auto issuer = store_->create_issuer(sample_issuer());
    ASSERT_TRUE(issuer.ok()) << issuer.error().field << ": " << issuer.error().message;
    issuer_ = issuer.value();
    auto badgeclass = store_->create_badgeclass(sample_badgeclass(issuer_.entity_id));
    ASSERT_TRUE(badgeclass.ok()) << badgeclass.error().field << ": " << badgeclass.error().message;
    badgeclass_ = badgeclass.value();
  }

  virtual StoreOptions options() const { return {}; }
  /// options(), and for a database without a passphrase a key file beside the test (a
  /// PostgreSQL store has no data directory for keys.kek).
  StoreOptions open_options() const {
    StoreOptions opened = options();
    if (store_is_database() && opened.passphrase.empty() && opened.key_file.empty()) {
      opened.key_file = key_file_path();
    }
    return opened;
  }

  Store& store() { return *store_; }
  /// Where the store lives (a directory unless LAUREL_TEST_PG_URL is set).
  const std::string& store_location() const { return location_.path(); }
  /// True when the store is a PostgreSQL database (tests of LMDB's files skip then).
  bool store_is_database() const { return location_.is_database(); }

  /// The KEK file of a store opened without a passphrase.
  std::string key_file_path() const {
    return store_is_database() ? location_.dir().sub("keys.kek") : store_location() + "/keys.kek";
  }
  /// The directory holding that file.
  std::string key_file_dir() const {
    return store_is_database() ? location_.dir().path() : store_location();
  }
  /// Every byte the store holds: LMDB's data file, or for a database that of an LMDB backup.
  std::string stored_bytes() {
    std::string file = store_location() + "/data.mdb";
    if (store_is_database()) {
      const std::string copy = location_.dir().sub("bytes-" + std::to_string(++copies_));
      std::filesystem::create_directories(copy);
      EXPECT_TRUE(store_->backup(copy).ok());
      file = copy + "/data.mdb";
    }
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  /// Closes the store and opens it again from disk.
  void reopen() {
    store_.reset();
    auto opened = Store::open(store_location(), open_options());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::make_unique<Store>(std::move(opened.value()));
  }

  Assertion issue_to(const std::string& email, const IssueOptions& issue_options = {}) {
    auto assertion = store_->issue(badgeclass_.entity_id, email_recipient(email), issue_options);
    EXPECT_TRUE(assertion.ok()) << assertion.error().field << ": " << assertion.error().message;
    return assertion.ok() ? assertion.value() : Assertion{};
  }

  int copies_ = 0;
  TempDir dir_;  // for files beside the store (backups, exports)
  TestStoreLocation location_;
  std::unique_ptr<Store> store_;
  Issuer issuer_;
  BadgeClass badgeclass_;
};

}  // namespace laurel::testing
