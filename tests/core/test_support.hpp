// Helpers shared by the store tests: a temporary directory removed at the end, where a test's
// store lives (TestStoreLocation: a directory, or a PostgreSQL database when LAUREL_TEST_PG_URL is
// set), and a fixture with an open store holding one issuer and one badge class.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "laurel/store.hpp"

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

/// The PostgreSQL side of TestStoreLocation: a URL naming a fresh, empty database (or schema) for
/// one test at the server `base_url` names, and its removal afterwards. The PostgreSQL backend
/// fills these in; until then every test shares `base_url` as given.
inline std::string fresh_database_location(const std::string& base_url) { return base_url; }
inline void drop_database_location(const std::string& location) { (void)location; }

/// Where one test's store lives: a fresh directory, or, when the environment variable
/// LAUREL_TEST_PG_URL is set (to a postgresql:// URL), a fresh database at that server, so the
/// same store tests run against either backend. Removed with everything in it on destruction.
class TestStoreLocation {
 public:
  TestStoreLocation() {
    const char* url = std::getenv("LAUREL_TEST_PG_URL");
    if (url != nullptr && *url != '\0') {
      location_ = fresh_database_location(url);
      database_ = true;
    } else {
      location_ = dir_.sub("store");
    }
  }
  TestStoreLocation(const TestStoreLocation&) = delete;
  TestStoreLocation& operator=(const TestStoreLocation&) = delete;
  ~TestStoreLocation() {
    if (database_) drop_database_location(location_);
  }
  /// What Store::open takes: the directory or the database URL.
  const std::string& path() const { return location_; }
  /// True for a database: tests of LMDB's files (data.mdb, keys.kek beside it) skip then.
  bool is_database() const { return database_; }

 private:
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
    auto opened = Store::open(store_location(), options());
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

  Store& store() { return *store_; }
  /// Where the store lives (a directory unless LAUREL_TEST_PG_URL is set).
  const std::string& store_location() const { return location_.path(); }
  /// True when the store is a PostgreSQL database (tests of LMDB's files skip then).
  bool store_is_database() const { return location_.is_database(); }

  /// Closes the store and opens it again from disk.
  void reopen() {
    store_.reset();
    auto opened = Store::open(store_location(), options());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::make_unique<Store>(std::move(opened.value()));
  }

  Assertion issue_to(const std::string& email, const IssueOptions& issue_options = {}) {
    auto assertion = store_->issue(badgeclass_.entity_id, email_recipient(email), issue_options);
    EXPECT_TRUE(assertion.ok()) << assertion.error().field << ": " << assertion.error().message;
    return assertion.ok() ? assertion.value() : Assertion{};
  }

  TempDir dir_;  // for files beside the store (backups, exports)
  TestStoreLocation location_;
  std::unique_ptr<Store> store_;
  Issuer issuer_;
  BadgeClass badgeclass_;
};

}  // namespace laurel::testing
