// The storage interface (detail/kv.hpp) on the backend under test, LMDB or PostgreSQL when
// LAUREL_TEST_PG_URL is set (ctest's kv_backend_test_pg), beside kv_test's contract: a write's
// own puts and deletes merged with stored rows in scans both ways, big writes through the bulk
// paths, views, concurrent writers on two handles, and PostgreSQL's own cases (a broken
// connection, layout versions and `laurel init`, a hot standby).
#include "detail/kv.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "detail/pg_kv.hpp"
#include "test_support.hpp"

namespace laurel::testing {
namespace {

using detail::kv::Cursor;
using detail::kv::Env;
using detail::kv::kAppend;
using detail::kv::kFailed;
using detail::kv::kKeyExists;
using detail::kv::kNoOverwrite;
using detail::kv::kNotFound;
using detail::kv::kOk;
using detail::kv::Move;
using detail::kv::Table;
using detail::kv::Txn;

using Rows = std::map<std::string, std::string>;

class KvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = open();
    ASSERT_NE(env_, nullptr);
    auto table = env_->db("things");
    ASSERT_TRUE(table.ok()) << table.error().message;
    table_ = table.value();
  }

  std::shared_ptr<Env> open() {
    auto env = Env::open(location_.path(), {});
    EXPECT_TRUE(env.ok()) << env.error().message;
    return env.ok() ? env.value() : nullptr;
  }

  Status put_all(const Rows& rows) {
    return env_->write([&](Txn& txn) -> Status {
      for (const auto& [k, v] : rows) {
        if (int rc = txn.put(table_, k, v); rc != kOk) return detail::kv::storage_error(rc, "put");
      }
      return {};
    });
  }

  /// Every row, walking forward (or backward, then reversed).
  static Rows scan(Txn& txn, Table table, bool forward) {
    Rows rows;
    Cursor cursor(txn, table);
    EXPECT_EQ(cursor.open_rc(), kOk);
    std::string_view k, v;
    std::vector<std::pair<std::string, std::string>> seen;
    for (int rc = cursor.move(forward ? Move::kFirst : Move::kLast, &k, &v); rc == kOk;
         rc = cursor.move(forward ? Move::kNext : Move::kPrev, &k, &v)) {
      seen.emplace_back(k, v);
    }
    if (!forward) std::reverse(seen.begin(), seen.end());
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    for (auto& [k2, v2] : seen) rows.emplace(k2, v2);
    EXPECT_EQ(rows.size(), seen.size());
    return rows;
  }

  /// Every committed row of `table` in `env`.
  static Rows committed_rows(Env& env, Table table, bool forward = true) {
    Rows rows;
    Status read = env.read([&](Txn& txn) -> Status {
      rows = scan(txn, table, forward);
      return {};
    });
    EXPECT_TRUE(read.ok());
    return rows;
  }

  Rows scan_committed(bool forward = true) { return committed_rows(*env_, table_, forward); }

  TestStoreLocation location_;
  std::shared_ptr<Env> env_;
  Table table_ = 0;
};

std::string key_of(int i) {
  std::string key(4, '\0');
  for (int b = 0; b < 4; ++b) key[b] = char((i >> (24 - 8 * b)) & 0xff);
  return key;
}

TEST_F(KvTest, KeysComeBackInBytewiseOrderBothWays) {
  Rows rows;
  for (std::string k : {std::string("\x00", 1), std::string("\x00\x00", 2), std::string("\x7f"),
                        std::string("\x80"), std::string("\xff"), std::string("\xff\x00", 2),
                        std::string("a"), std::string("ab"), std::string("b"), std::string("B")}) {
    rows[k] = "value of " + k;
  }
  ASSERT_TRUE(put_all(rows).ok());
  EXPECT_EQ(scan_committed(true), rows);
  EXPECT_EQ(scan_committed(false), rows);
}

TEST_F(KvTest, SeeksAndStepsAcrossManyRows) {
  Rows rows;
  for (int i = 0; i < 3000; i += 2) rows[key_of(i)] = std::string(i % 50, 'x') + key_of(i);
  ASSERT_TRUE(put_all(rows).ok());
  EXPECT_EQ(scan_committed(true), rows);
  EXPECT_EQ(scan_committed(false), rows);
  Status read = env_->read([&](Txn& txn) -> Status {
    Cursor cursor(txn, table_);
    std::string_view k, v;
    // kSetRange on a missing key lands on the next one; kSet finds only exact keys.
    EXPECT_EQ(cursor.move(Move::kSetRange, &k, &v, key_of(1001)), kOk);
    EXPECT_EQ(k, key_of(1002));
    EXPECT_EQ(cursor.move(Move::kPrev, &k, &v), kOk);
    EXPECT_EQ(k, key_of(1000));
    EXPECT_EQ(cursor.move(Move::kPrev, &k, &v), kOk);
    EXPECT_EQ(k, key_of(998));
    EXPECT_EQ(cursor.move(Move::kNext, &k, &v), kOk);
    EXPECT_EQ(k, key_of(1000));
    EXPECT_EQ(cursor.move(Move::kSet, &k, &v, key_of(1001)), kNotFound);
    EXPECT_EQ(cursor.move(Move::kSet, &k, &v, key_of(2000)), kOk);
    EXPECT_EQ(v, rows[key_of(2000)]);
    EXPECT_EQ(cursor.move(Move::kNext, &k, &v), kOk);
    EXPECT_EQ(k, key_of(2002));
    EXPECT_EQ(cursor.move(Move::kSetRange, &k, &v, key_of(2999)), kNotFound);
    EXPECT_EQ(cursor.move(Move::kLast, &k, &v), kOk);
    EXPECT_EQ(k, key_of(2998));
    EXPECT_EQ(cursor.move(Move::kNext, &k, &v), kNotFound);
    EXPECT_EQ(cursor.move(Move::kFirst, &k, &v), kOk);
    EXPECT_EQ(k, key_of(0));
    EXPECT_EQ(cursor.move(Move::kPrev, &k, &v), kNotFound);
    return {};
  });
  EXPECT_TRUE(read.ok());
}

TEST_F(KvTest, AWriteSeesItsOwnPutsAndDeletesMergedWithStoredRows) {
  Rows rows;
  for (int i = 0; i < 600; i += 3) rows[key_of(i)] = "stored";
  ASSERT_TRUE(put_all(rows).ok());
  std::mt19937 random(7);
  Status written = env_->write([&](Txn& txn) -> Status {
    Rows expected = rows;
    for (int n = 0; n < 400; ++n) {
      const int i = int(random() % 700);
      const std::string k = key_of(i);
      if (random() % 3 == 0) {
        int rc = txn.del(table_, k);
        EXPECT_EQ(rc, expected.erase(k) == 1 ? kOk : kNotFound) << i;
      } else {
        const std::string v = "new " + std::to_string(n);
        EXPECT_EQ(txn.put(table_, k, v), kOk);
        expected[k] = v;
      }
      if (n % 50 == 0) {
        EXPECT_EQ(scan(txn, table_, true), expected);
        EXPECT_EQ(scan(txn, table_, false), expected);
      }
    }
    for (const auto& [k, v] : expected) {
      std::string_view got;
      EXPECT_EQ(txn.get(table_, k, &got), kOk);
      EXPECT_EQ(got, v);
    }
    EXPECT_EQ(scan(txn, table_, true), expected);
    std::uint64_t entries = 0;
    EXPECT_EQ(txn.count(table_, &entries, nullptr), kOk);
    EXPECT_EQ(entries, expected.size());
    EXPECT_EQ(scan(txn, table_, false), expected);  // after count, which sent the writes early
    rows = expected;
    return {};
  });
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(scan_committed(), rows);
}

TEST_F(KvTest, ABigWriteOfNewAndOverwrittenKeysLandsExactly) {
  // Enough plain puts for the bulk paths (PostgreSQL: keys after the last one, keys looked up
  // together, COPY for the new ones, INSERT ... ON CONFLICT for the others).
  Rows rows;
  for (int i = 0; i < 4000; i += 4) rows[key_of(i)] = "stored";
  ASSERT_TRUE(put_all(rows).ok());
  std::mt19937 random(11);
  Status written = env_->write([&](Txn& txn) -> Status {
    for (int n = 0; n < 3000; ++n) {
      const std::string k = key_of(int(random() % 6000));
      const std::string v = "written " + std::to_string(n);
      EXPECT_EQ(txn.put(table_, k, v), kOk);
      rows[k] = v;
    }
    return {};
  });
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(scan_committed(), rows);
  EXPECT_EQ(scan_committed(false), rows);
}

TEST_F(KvTest, AFailedOrRolledBackWriteLeavesNothing) {
  ASSERT_TRUE(put_all({{"kept", "1"}}).ok());
  Status failed = env_->write([&](Txn& txn) -> Status {
    EXPECT_EQ(txn.put(table_, "gone", "2"), kOk);
    EXPECT_EQ(txn.del(table_, "kept"), kOk);
    return invalid("x", "the body failed");
  });
  EXPECT_FALSE(failed.ok());
  Status rolled_back = env_->write([&](Txn& txn) -> Status {
    EXPECT_EQ(txn.put(table_, "gone", "2"), kOk);
    EXPECT_EQ(txn.clear(table_), kOk);
    txn.rollback_on_return();
    return {};
  });
  EXPECT_TRUE(rolled_back.ok());
  EXPECT_EQ(scan_committed(), (Rows{{"kept", "1"}}));
}

TEST_F(KvTest, ARetriedBodyRunsAgainFromNothing) {
  int runs = 0;
  Status written = env_->write([&](Txn& txn) -> Status {
    ++runs;
    EXPECT_EQ(txn.get(table_, "first attempt", nullptr), kNotFound);
    EXPECT_EQ(txn.put(table_, runs == 1 ? "first attempt" : "second attempt", "x"), kOk);
    if (runs == 1) txn.request_retry();
    return {};
  });
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(scan_committed(), (Rows{{"second attempt", "x"}}));
}

TEST_F(KvTest, AppendAndNoOverwriteRefuseAsLmdbDoes) {
  ASSERT_TRUE(put_all({{"b", "1"}}).ok());
  Status written = env_->write([&](Txn& txn) -> Status {
    EXPECT_EQ(txn.put(table_, "b", "2", kNoOverwrite), kKeyExists);
    EXPECT_EQ(txn.put(table_, "a", "2", kAppend), kKeyExists);
    EXPECT_EQ(txn.put(table_, "b", "2", kAppend), kKeyExists);
    EXPECT_EQ(txn.put(table_, "c", "3", kAppend), kOk);
    EXPECT_EQ(txn.put(table_, "c", "4", kNoOverwrite), kKeyExists);
    EXPECT_EQ(txn.put(table_, "d", "4", kNoOverwrite), kOk);
    EXPECT_EQ(txn.put(table_, "e", "5", kAppend), kOk);
    EXPECT_EQ(txn.del(table_, "e"), kOk);
    EXPECT_EQ(txn.put(table_, "e", "6", kAppend), kOk);
    EXPECT_EQ(txn.del(table_, "zz"), kNotFound);
    return {};
  });
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(scan_committed(), (Rows{{"b", "1"}, {"c", "3"}, {"d", "4"}, {"e", "6"}}));
}

TEST_F(KvTest, ViewsStayValidToTheEndOfAReadTransaction) {
  Rows rows;
  for (int i = 0; i < 2500; ++i) rows[key_of(i)] = std::string(100 + i % 7, char('a' + i % 26));
  ASSERT_TRUE(put_all(rows).ok());
  Status read = env_->read([&](Txn& txn) -> Status {
    std::vector<std::pair<std::string_view, std::string_view>> views;
    Cursor cursor(txn, table_);
    std::string_view k, v;
    for (int rc = cursor.move(Move::kFirst, &k, &v); rc == kOk;
         rc = cursor.move(Move::kNext, &k, &v)) {
      views.emplace_back(k, v);
    }
    std::vector<std::string> keys;
    keys.reserve(500);
    for (int i = 0; i < 2500; i += 5) {
      keys.push_back(key_of(i));
      EXPECT_EQ(txn.get(table_, keys.back(), &v), kOk);
      views.emplace_back(keys.back(), v);
    }
    std::size_t checked = 0;
    for (auto [key, value] : views) {
      auto it = rows.find(std::string(key));
      EXPECT_TRUE(it != rows.end());
      if (it != rows.end()) checked += it->second == value;
    }
    EXPECT_EQ(checked, views.size());
    return {};
  });
  EXPECT_TRUE(read.ok());
}

TEST_F(KvTest, ClearAndCountAcrossTransactions) {
  Rows rows;
  for (int i = 0; i < 300; ++i) rows[key_of(i)] = "0123456789";
  ASSERT_TRUE(put_all(rows).ok());
  Status checked = env_->read([&](Txn& txn) -> Status {
    std::uint64_t entries = 0, bytes = 0;
    EXPECT_EQ(txn.count(table_, &entries, &bytes), kOk);
    EXPECT_EQ(entries, 300u);
    EXPECT_GE(bytes, 300u * 14);
    return {};
  });
  EXPECT_TRUE(checked.ok());
  Status cleared = env_->write([&](Txn& txn) -> Status {
    EXPECT_EQ(txn.clear(table_), kOk);
    EXPECT_TRUE(scan(txn, table_, true).empty());
    EXPECT_EQ(txn.get(table_, key_of(5), nullptr), kNotFound);
    EXPECT_EQ(txn.put(table_, key_of(5), "again"), kOk);
    std::uint64_t entries = 0;
    EXPECT_EQ(txn.count(table_, &entries, nullptr), kOk);
    EXPECT_EQ(entries, 1u);
    return {};
  });
  ASSERT_TRUE(cleared.ok());
  EXPECT_EQ(scan_committed(), (Rows{{key_of(5), "again"}}));
}

TEST_F(KvTest, ReadersKeepTheirSnapshotWhileAWriterCommits) {
  ASSERT_TRUE(put_all({{"a", "old"}}).ok());
  Status read = env_->read([&](Txn& txn) -> Status {
    std::string_view v;
    EXPECT_EQ(txn.get(table_, "b", nullptr), kNotFound);
    std::thread writer([&] { EXPECT_TRUE(put_all({{"a", "new"}, {"b", "new"}}).ok()); });
    writer.join();
    EXPECT_EQ(txn.get(table_, "a", &v), kOk);
    EXPECT_EQ(v, "old");
    EXPECT_EQ(scan(txn, table_, true), (Rows{{"a", "old"}}));
    return {};
  });
  EXPECT_TRUE(read.ok());
  EXPECT_EQ(scan_committed(), (Rows{{"a", "new"}, {"b", "new"}}));
}

TEST_F(KvTest, WritersOnTwoHandlesAreSerialized) {
  // Two handles stand for two service nodes; each increments one counter read-modify-write.
  std::shared_ptr<Env> other = open();
  ASSERT_NE(other, nullptr);
  auto other_table = other->db("things");
  ASSERT_TRUE(other_table.ok());
  constexpr int kEach = 40;
  auto increment = [&](Env& env, Table table) {
    for (int i = 0; i < kEach; ++i) {
      Status done = env.write([&](Txn& txn) -> Status {
        std::string_view v;
        int n = txn.get(table, "counter", &v) == kOk ? std::stoi(std::string(v)) : 0;
        std::this_thread::yield();
        EXPECT_EQ(txn.put(table, "counter", std::to_string(n + 1)), kOk);
        return {};
      });
      EXPECT_TRUE(done.ok());
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back(increment, std::ref(*env_), table_);
    threads.emplace_back(increment, std::ref(*other), other_table.value());
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(scan_committed(), (Rows{{"counter", std::to_string(4 * kEach)}}));
}

TEST_F(KvTest, TablesAreListedAndFoundAgainAfterReopening) {
  ASSERT_TRUE(env_->db("another").ok());
  ASSERT_TRUE(put_all({{"k", "v"}}).ok());
  auto names = env_->table_names();
  ASSERT_TRUE(names.ok());
  EXPECT_NE(std::find(names->begin(), names->end(), "another"), names->end());
  EXPECT_NE(std::find(names->begin(), names->end(), "things"), names->end());
  EXPECT_TRUE(std::is_sorted(names->begin(), names->end()));
  env_.reset();
  env_ = open();
  auto table = env_->db("things");
  ASSERT_TRUE(table.ok());
  table_ = table.value();
  EXPECT_EQ(scan_committed(), (Rows{{"k", "v"}}));
}

TEST_F(KvTest, BackupCopiesEveryTableIntoAnLmdbDirectory) {
  Rows rows;
  for (int i = 0; i < 1200; ++i) rows[key_of(i)] = "row " + std::to_string(i);
  ASSERT_TRUE(put_all(rows).ok());
  const std::string copy_dir = location_.dir().sub("copy");
  std::filesystem::create_directories(copy_dir);  // as Store::backup does
  ASSERT_TRUE(env_->backup(copy_dir).ok());
  auto copy = Env::open(copy_dir, {});
  ASSERT_TRUE(copy.ok()) << copy.error().message;
  auto table = copy.value()->db("things");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(committed_rows(*copy.value(), table.value()), rows);
}

// ---- PostgreSQL only -------------------------------------------------------------------------

TEST_F(KvTest, ABrokenConnectionIsAClearErrorAndWritesNothing) {
  if (!location_.is_database()) GTEST_SKIP() << "PostgreSQL only (LAUREL_TEST_PG_URL)";
  ASSERT_TRUE(put_all({{"a", "1"}}).ok());
  const std::string kill =
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" +
      location_.schema() + "' AND pid <> pg_backend_pid()";
  Status written = env_->write([&](Txn& txn) -> Status {
    EXPECT_EQ(txn.put(table_, "b", "2"), kOk);
    EXPECT_TRUE(run_sql(location_.server(), kill));
    EXPECT_EQ(txn.put(table_, "c", "3"), kOk);  // buffered: the loss shows at commit
    return {};
  });
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code, ErrorCode::Storage);
  const std::string& message = written.error().message;
  EXPECT_NE(message.find("PostgreSQL"), std::string::npos) << message;
  EXPECT_NE(message.find("connection"), std::string::npos) << message;
  Status read = env_->read([&](Txn& txn) -> Status {
    EXPECT_TRUE(run_sql(location_.server(), kill));
    int rc = txn.get(table_, "zzz", nullptr);
    EXPECT_EQ(rc, kFailed);
    EXPECT_NE(detail::kv::failure_text().find("PostgreSQL"), std::string::npos);
    return {};
  });
  EXPECT_TRUE(read.ok());
  // The next transactions get fresh connections and see only the first commit.
  EXPECT_EQ(scan_committed(), (Rows{{"a", "1"}}));
}

// Every connection goes back to the pool, also from a call that failed halfway: the count of
// connections in use (`laurel stats`) comes back to zero.
TEST_F(KvTest, AFailedCallGivesItsConnectionBack) {
  if (!location_.is_database()) GTEST_SKIP() << "PostgreSQL only (LAUREL_TEST_PG_URL)";
  auto before = env_->stats();
  ASSERT_TRUE(before.ok()) << before.error().message;
  EXPECT_EQ(before->readers, 0u);
  ASSERT_TRUE(run_sql(location_.server(),
                      "ALTER TABLE " + location_.schema() + ".laurel_tables RENAME TO gone"));
  for (int i = 0; i < 3; ++i) {
    auto names = env_->table_names();
    ASSERT_FALSE(names.ok());
    EXPECT_NE(names.error().message.find("list tables"), std::string::npos);
  }
  auto after = env_->stats();
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(after->readers, 0u);
  ASSERT_TRUE(run_sql(location_.server(),
                      "ALTER TABLE " + location_.schema() + ".gone RENAME TO laurel_tables"));
  EXPECT_TRUE(env_->table_names().ok());
}

TEST_F(KvTest, AnOlderLayoutIsRefusedUntilLaurelInitMigratesIt) {
  if (!location_.is_database()) GTEST_SKIP() << "PostgreSQL only (LAUREL_TEST_PG_URL)";
  env_.reset();
  const std::string schema = location_.schema();
  ASSERT_TRUE(run_sql(location_.server(), "DROP SCHEMA " + schema + " CASCADE"));
  // A version 1 store: no table catalog; a kv table made by version 1.
  auto v1 = detail::kv::init_database(location_.path(), 1);
  ASSERT_TRUE(v1.ok()) << v1.error().message;
  EXPECT_EQ(v1.value(), "created");
  ASSERT_TRUE(run_sql(location_.server(),
                      "CREATE TABLE " + schema + ".kv_old (k bytea PRIMARY KEY, v bytea NOT NULL);"
                      "INSERT INTO " + schema + ".kv_old VALUES ('\\x6b'::bytea, '\\x76'::bytea)"));
  auto refused = Env::open(location_.path(), {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("laurel init"), std::string::npos)
      << refused.error().message;
  auto migrated = detail::kv::init_database(location_.path());
  ASSERT_TRUE(migrated.ok()) << migrated.error().message;
  EXPECT_EQ(migrated.value(), "migrated from version 1");
  EXPECT_EQ(detail::kv::init_database(location_.path()).value(), "up to date");
  auto opened = Env::open(location_.path(), {});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto names = opened.value()->table_names();
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names.value(), std::vector<std::string>{"old"});
  auto old = opened.value()->db("old");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(committed_rows(*opened.value(), old.value()), (Rows{{"k", "v"}}));
}

TEST_F(KvTest, AHotStandbyServesReadsAndRefusesWritesClearly) {
  const char* standby = std::getenv("LAUREL_TEST_PG_STANDBY_URL");
  if (!location_.is_database() || standby == nullptr) {
    GTEST_SKIP() << "PostgreSQL with a standby only (LAUREL_TEST_PG_STANDBY_URL)";
  }
  ASSERT_TRUE(put_all({{"on the primary", "1"}}).ok());
  const std::string url = with_schema(standby, location_.schema());
  // Streaming replication is quick but not instant: wait for the row (at most 30 s).
  std::shared_ptr<Env> replica;
  Rows rows;
  for (int tries = 0; tries < 300 && rows.empty(); ++tries) {
    auto opened = Env::open(url, {});
    if (opened.ok()) {
      replica = opened.value();
      auto table = replica->db("things");
      if (table.ok()) rows = committed_rows(*replica, table.value());
    }
    if (rows.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(rows, (Rows{{"on the primary", "1"}}));
  ASSERT_NE(replica, nullptr);
  Status refused = replica->write([&](Txn&) -> Status { return {}; });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::Storage);
  EXPECT_NE(refused.error().message.find("read-only standby: writes go to the primary"),
            std::string::npos)
      << refused.error().message;
  // A table the primary has not made yet reads as empty there, and shows once it is made.
  auto later = replica->db("made_later");
  ASSERT_TRUE(later.ok()) << later.error().message;
  EXPECT_TRUE(committed_rows(*replica, later.value()).empty());
  auto on_primary = env_->db("made_later");
  ASSERT_TRUE(on_primary.ok());
  ASSERT_TRUE(env_->write([&](Txn& txn) -> Status {
                    EXPECT_EQ(txn.put(on_primary.value(), "late", "2"), kOk);
                    return {};
                  }).ok());
  Rows late;
  for (int tries = 0; tries < 300 && late.empty(); ++tries) {
    auto table = replica->db("made_later");
    ASSERT_TRUE(table.ok()) << table.error().message;
    late = committed_rows(*replica, table.value());
    if (late.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(late, (Rows{{"late", "2"}}));
  auto missing = Env::open(with_schema(standby, "no_store_here"), {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("read-only standby"), std::string::npos)
      << missing.error().message;
}

TEST_F(KvTest, NodesOpeningAnEmptySchemaAtOnceAllOpenOneStore) {
  if (!location_.is_database()) GTEST_SKIP() << "PostgreSQL only (LAUREL_TEST_PG_URL)";
  env_.reset();
  ASSERT_TRUE(run_sql(location_.server(), "DROP SCHEMA " + location_.schema() + " CASCADE"));
  // Each opener has its own connections, as workers and nodes starting together do; the second
  // to take the writers' lock must find the layout the first made, not make it again.
  std::vector<std::thread> openers;
  std::vector<std::string> failures(6);
  for (std::size_t i = 0; i < failures.size(); ++i) {
    openers.emplace_back([&, i] {
      auto opened = Env::open(location_.path(), {});
      if (!opened.ok()) failures[i] = opened.error().message;
    });
  }
  for (auto& opener : openers) opener.join();
  for (const std::string& failure : failures) EXPECT_EQ(failure, "");
  EXPECT_EQ(detail::kv::init_database(location_.path()).value(), "up to date");
}

TEST_F(KvTest, TheLocationShownHasNoPassword) {
  if (!location_.is_database()) GTEST_SKIP() << "PostgreSQL only (LAUREL_TEST_PG_URL)";
  // libpq takes the password from the URL's authority or from a password= parameter.
  auto opened = Env::open(with_params(location_.path(), "password=s3cret-in-query"), {});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened.value()->location().find("s3cret"), std::string::npos)
      << opened.value()->location();
  EXPECT_NE(opened.value()->location().find("schema=" + location_.schema()), std::string::npos);
}

TEST_F(KvTest, ANewerLayoutIsRefused) {
  if (!location_.is_database()) GTEST_SKIP() << "PostgreSQL only (LAUREL_TEST_PG_URL)";
  ASSERT_TRUE(run_sql(location_.server(),
                      "UPDATE " + location_.schema() + ".laurel_schema SET version = 99"));
  auto refused = Env::open(location_.path(), {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("newer"), std::string::npos) << refused.error().message;
}

}  // namespace
}  // namespace laurel::testing
