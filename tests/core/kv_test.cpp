// The contract of core/src/detail/kv.hpp, which the store's rules rely on, checked against the
// backend at a TestStoreLocation: LMDB in a temp directory, or PostgreSQL when LAUREL_TEST_PG_URL
// is set. Key order, put flags, cursor moves at both ends, all-or-nothing writes, retried bodies,
// snapshots, table names, stats and backup.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "detail/kv.hpp"
#include "laurel/store.hpp"
#include "test_support.hpp"

namespace laurel {
namespace {

namespace kv = detail::kv;
using kv::Move;
using kv::Txn;

class KvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kv::OpenOptions options;
    options.initial_map_bytes = 1u << 20;  // LMDB: small, so a big write must grow the map
    auto opened = kv::Env::open(location_.path(), options);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    env_ = opened.value();
    auto table = env_->db("things");
    ASSERT_TRUE(table.ok()) << table.error().message;
    table_ = table.value();
  }

  /// Writes key -> value pairs in one transaction.
  void fill(const std::vector<std::pair<std::string, std::string>>& entries) {
    Status written = env_->write([&](Txn& txn) -> Status {
      for (const auto& [key, value] : entries) {
        if (int rc = txn.put(table_, key, value); rc != kv::kOk) {
          return kv::storage_error(rc, "put");
        }
      }
      return {};
    });
    ASSERT_TRUE(written.ok()) << written.error().message;
  }

  /// The value under `key`, or "<missing>".
  std::string value_of(const std::string& key) {
    auto found = env_->read([&](Txn& txn) -> Result<std::string> {
      std::string_view value;
      int rc = txn.get(table_, key, &value);
      if (rc == kv::kNotFound) return std::string("<missing>");
      if (rc != kv::kOk) return kv::storage_error(rc, "get");
      return std::string(value);
    });
    EXPECT_TRUE(found.ok()) << found.error().message;
    return found.ok() ? found.value() : "";
  }

  /// Every key, walking with `first` then `step`.
  std::vector<std::string> walk(Move first, Move step) {
    std::vector<std::string> keys;
    Status read = env_->read([&](Txn& txn) -> Status {
      kv::Cursor cursor(txn, table_);
      if (cursor.open_rc() != kv::kOk) return kv::storage_error(cursor.open_rc(), "cursor");
      std::string_view key;
      int rc = cursor.move(first, &key, nullptr);
      for (; rc == kv::kOk; rc = cursor.move(step, &key, nullptr)) keys.emplace_back(key);
      if (rc != kv::kNotFound) return kv::storage_error(rc, "walk");
      return {};
    });
    EXPECT_TRUE(read.ok()) << read.error().message;
    return keys;
  }

  testing::TestStoreLocation location_;
  std::shared_ptr<kv::Env> env_;
  kv::Table table_ = 0;
};

TEST_F(KvTest, KeysComeBackInBytewiseOrderBothWays) {
  // Bytes above 0x7f sort after ASCII (unsigned order); a prefix sorts before its extensions.
  fill({{"b", "2"}, {std::string("\xff", 1), "4"}, {"a", "1"}, {"ab", "3"},
        {std::string("a\0b", 3), "5"}});
  const std::vector<std::string> ascending = {"a", std::string("a\0b", 3), "ab", "b",
                                              std::string("\xff", 1)};
  EXPECT_EQ(walk(Move::kFirst, Move::kNext), ascending);
  EXPECT_EQ(walk(Move::kLast, Move::kPrev),
            std::vector<std::string>(ascending.rbegin(), ascending.rend()));
  EXPECT_EQ(value_of(std::string("a\0b", 3)), "5");
}

TEST_F(KvTest, SeeksFindExactKeysAndTheNextOne) {
  fill({{"apple", "1"}, {"banana", "2"}, {"cherry", "3"}});
  Status read = env_->read([&](Txn& txn) -> Status {
    kv::Cursor cursor(txn, table_);
    EXPECT_EQ(cursor.open_rc(), kv::kOk);
    std::string_view key, value;
    EXPECT_EQ(cursor.move(Move::kSet, &key, &value, "banana"), kv::kOk);
    EXPECT_EQ(key, "banana");
    EXPECT_EQ(value, "2");
    EXPECT_EQ(cursor.move(Move::kSet, &key, &value, "blueberry"), kv::kNotFound);
    EXPECT_EQ(cursor.move(Move::kSetRange, &key, &value, "blueberry"), kv::kOk);
    EXPECT_EQ(key, "cherry");
    EXPECT_EQ(cursor.move(Move::kNext, &key, &value), kv::kNotFound) << "past the last key";
    EXPECT_EQ(cursor.move(Move::kSetRange, &key, &value, "d"), kv::kNotFound);
    EXPECT_EQ(cursor.move(Move::kSetRange, &key, &value, ""), kv::kOk);
    EXPECT_EQ(key, "apple");
    EXPECT_EQ(cursor.move(Move::kPrev, &key, &value), kv::kNotFound) << "before the first key";
    return {};
  });
  ASSERT_TRUE(read.ok()) << read.error().message;
}

TEST_F(KvTest, AnEmptyTableHasNoFirstOrLastKey) {
  EXPECT_TRUE(walk(Move::kFirst, Move::kNext).empty());
  EXPECT_TRUE(walk(Move::kLast, Move::kPrev).empty());
}

TEST_F(KvTest, PutFlagsRefuseWithKeyExists) {
  fill({{"k1", "one"}, {"k3", "three"}});
  Status written = env_->write([&](Txn& txn) -> Status {
    EXPECT_EQ(txn.put(table_, "k1", "uno", kv::kNoOverwrite), kv::kKeyExists);
    EXPECT_EQ(txn.put(table_, "k2", "two", kv::kAppend), kv::kKeyExists) << "out of order";
    EXPECT_EQ(txn.put(table_, "k4", "four", kv::kAppend), kv::kOk);
    EXPECT_EQ(txn.put(table_, "k5", "five", kv::kNoOverwrite), kv::kOk);
    EXPECT_EQ(txn.put(table_, "k3", "drei"), kv::kOk) << "no flags: overwrite";
    kv::Cursor cursor(txn, table_);
    EXPECT_EQ(cursor.put("k6", "six", kv::kAppend), kv::kOk);
    std::string_view key;
    EXPECT_EQ(cursor.move(Move::kLast, &key, nullptr), kv::kOk);
    EXPECT_EQ(key, "k6");
    return {};
  });
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(value_of("k1"), "one");
  EXPECT_EQ(value_of("k2"), "<missing>");
  EXPECT_EQ(value_of("k3"), "drei");
  EXPECT_EQ(walk(Move::kFirst, Move::kNext),
            (std::vector<std::string>{"k1", "k3", "k4", "k5", "k6"}));
}

TEST_F(KvTest, DeletesByKeyAndUnderTheCursor) {
  fill({{"a", "1"}, {"b", "2"}, {"c", "3"}});
  Status written = env_->write([&](Txn& txn) -> Status {
    EXPECT_EQ(txn.del(table_, "a"), kv::kOk);
    EXPECT_EQ(txn.del(table_, "a"), kv::kNotFound);
    kv::Cursor cursor(txn, table_);
    std::string_view key;
    EXPECT_EQ(cursor.move(Move::kSet, &key, nullptr, "b"), kv::kOk);
    EXPECT_EQ(cursor.del(), kv::kOk);
    return {};
  });
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(walk(Move::kFirst, Move::kNext), std::vector<std::string>{"c"});
}

TEST_F(KvTest, ClearEmptiesOneTableAndCountCountsIt) {
  auto other = env_->db("others");
  ASSERT_TRUE(other.ok());
  fill({{"a", "1"}, {"b", "22"}});
  ASSERT_TRUE(env_->write([&](Txn& txn) -> Status {
                    EXPECT_EQ(txn.put(other.value(), "x", "y"), kv::kOk);
                    return {};
                  }).ok());
  Status read = env_->read([&](Txn& txn) -> Status {
    std::uint64_t entries = 0, bytes = 0;
    EXPECT_EQ(txn.count(table_, &entries, &bytes), kv::kOk);
    EXPECT_EQ(entries, 2u);
    EXPECT_GE(bytes, 5u) << "at least the keys and values";
    kv::TableFigures figures;
    EXPECT_EQ(txn.figures(table_, &figures), kv::kOk);
    EXPECT_EQ(figures.entries, 2u);
    return {};
  });
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(env_->write([&](Txn& txn) -> Status {
                    EXPECT_EQ(txn.clear(table_), kv::kOk);
                    return {};
                  }).ok());
  EXPECT_TRUE(walk(Move::kFirst, Move::kNext).empty());
  ASSERT_TRUE(env_->read([&](Txn& txn) -> Status {
                    std::uint64_t entries = 9;
                    EXPECT_EQ(txn.count(table_, &entries, nullptr), kv::kOk);
                    EXPECT_EQ(entries, 0u);
                    EXPECT_EQ(txn.count(other.value(), &entries, nullptr), kv::kOk);
                    EXPECT_EQ(entries, 1u) << "the other table keeps its entry";
                    return {};
                  }).ok());
}

TEST_F(KvTest, AFailedOrRolledBackWriteLeavesNothing) {
  fill({{"kept", "1"}});
  Status failed = env_->write([&](Txn& txn) -> Status {
    EXPECT_EQ(txn.put(table_, "lost", "x"), kv::kOk);
    EXPECT_EQ(txn.del(table_, "kept"), kv::kOk);
    return Error{ErrorCode::Invalid, "field", "the body failed"};
  });
  EXPECT_FALSE(failed.ok());
  Result<int> rolled_back = env_->write([&](Txn& txn) -> Result<int> {
    EXPECT_TRUE(txn.writable());
    EXPECT_EQ(txn.put(table_, "lost", "y"), kv::kOk);
    txn.rollback_on_return();
    return 7;
  });
  ASSERT_TRUE(rolled_back.ok());
  EXPECT_EQ(rolled_back.value(), 7);
  EXPECT_EQ(walk(Move::kFirst, Move::kNext), std::vector<std::string>{"kept"});
}

TEST_F(KvTest, AWriteSeesItsOwnWritesAndAReadKeepsItsSnapshot) {
  fill({{"a", "old"}});
  std::atomic<bool> wrote{false};
  Status read = env_->read([&](Txn& txn) -> Status {
    EXPECT_FALSE(txn.writable());
    // Another thread commits while this read is open; the read still sees the old state.
    std::thread writer([&] {
      Status written = env_->write([&](Txn& write) -> Status {
        EXPECT_EQ(write.put(table_, "a", "new"), kv::kOk);
        EXPECT_EQ(write.put(table_, "b", "added"), kv::kOk);
        std::string_view own;
        EXPECT_EQ(write.get(table_, "a", &own), kv::kOk);
        EXPECT_EQ(own, "new") << "a write transaction reads its own writes";
        return {};
      });
      wrote = written.ok();
    });
    writer.join();
    std::string_view value;
    EXPECT_EQ(txn.get(table_, "a", &value), kv::kOk);
    EXPECT_EQ(value, "old");
    EXPECT_EQ(txn.get(table_, "b", nullptr), kv::kNotFound);
    return {};
  });
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_TRUE(wrote.load());
  EXPECT_EQ(value_of("a"), "new");
  EXPECT_EQ(value_of("b"), "added");
}

TEST_F(KvTest, ABigWriteSucceedsRunningItsBodyAgainIfTheBackendAsks) {
  // 8 MiB into a store opened with 1 MiB: LMDB fills its map, doubles it and reruns the body.
  const std::string value(4096, 'v');
  int runs = 0;
  Status written = env_->write([&](Txn& txn) -> Status {
    ++runs;
    for (int i = 0; i < 2048; ++i) {
      char key[16];
      std::snprintf(key, sizeof key, "big%06d", i);
      if (int rc = txn.put(table_, key, value, kv::kAppend); rc != kv::kOk) {
        return kv::storage_error(rc, "put");
      }
    }
    return {};
  });
  ASSERT_TRUE(written.ok()) << written.error().message;
  if (!location_.is_database()) {
    EXPECT_GT(runs, 1) << "LMDB grew its map and ran the body again";
  }
  EXPECT_EQ(walk(Move::kFirst, Move::kNext).size(), 2048u);
}

TEST_F(KvTest, TablesAreListedByNameAndOpenAgainAsTheSameTable) {
  ASSERT_TRUE(env_->db("zebra").ok());
  ASSERT_TRUE(env_->db("alpha").ok());
  auto again = env_->db("things");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value(), table_);
  auto names = env_->table_names();
  ASSERT_TRUE(names.ok()) << names.error().message;
  EXPECT_EQ(names.value(), (std::vector<std::string>{"alpha", "things", "zebra"}));
}

TEST_F(KvTest, StatsNameTheBackendAndABackupOpensAsAnLmdbStore) {
  fill({{"a", "1"}, {"b", "2"}});
  auto stats = env_->stats();
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(stats->backend, location_.is_database() ? "postgresql" : "lmdb");
  testing::TempDir backup;
  ASSERT_TRUE(env_->backup(backup.path()).ok());
  EXPECT_TRUE(std::filesystem::exists(backup.sub("data.mdb")));
  auto copy = kv::Env::open(backup.path(), {});
  ASSERT_TRUE(copy.ok()) << copy.error().message;
  auto table = copy.value()->db("things");
  ASSERT_TRUE(table.ok());
  auto value = copy.value()->read([&](Txn& txn) -> Result<std::string> {
    std::string_view found;
    if (int rc = txn.get(table.value(), "b", &found); rc != kv::kOk) {
      return kv::storage_error(rc, "get");
    }
    return std::string(found);
  });
  ASSERT_TRUE(value.ok()) << value.error().message;
  EXPECT_EQ(value.value(), "2");
}

TEST_F(KvTest, FailuresNameTheStepAndTheBackendsWords) {
  EXPECT_EQ(kv::storage_error(kv::kNotFound, "read thing").message, "read thing: not found");
  EXPECT_EQ(kv::storage_error(kv::kKeyExists, "write thing").message, "write thing: key exists");
  kv::set_failure("disk on fire");
  Error failed = kv::storage_error(kv::kFailed, "commit");
  EXPECT_EQ(failed.code, ErrorCode::Storage);
  EXPECT_EQ(failed.message, "commit: disk on fire");
}

TEST(KvLocation, DatabaseUrlsAreToldFromDirectories) {
  EXPECT_TRUE(kv::is_database_url("postgresql://laurel@db.example/badges"));
  EXPECT_TRUE(kv::is_database_url("postgres://db.example/badges"));
  EXPECT_FALSE(kv::is_database_url("/var/lib/laurel"));
  EXPECT_FALSE(kv::is_database_url("postgresql"));
  EXPECT_FALSE(kv::is_database_url("./postgresql://not-a-url"));
}

TEST(KvLocation, AnUnreachableDatabaseIsAnErrorNotADirectory) {
  testing::TempDir dir;
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  // .invalid never resolves (RFC 2606), whether or not PostgreSQL support is built in.
  auto store = Store::open("postgresql://laurel@laurel-test.invalid/none");
  std::filesystem::current_path(cwd);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::Storage);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "no directory named after the URL";
}

}  // namespace
}  // namespace laurel
