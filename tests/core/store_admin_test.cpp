// A large store's operations: stats add up to the counts, a backup taken during a batch holds all
// or none of it and passes check, and check finds index entries removed behind the store's back.
#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "laurel/store.hpp"
#include "laurel/store_testing.hpp"
#include "test_support.hpp"

namespace laurel {
namespace {

using testing::TempDir;

class StoreAdmin : public testing::StoreTest {
 protected:
  IssueBatchResult award(std::size_t count, const std::string& tag) {
    auto batch = store().issue_batch(badgeclass_.entity_id, testing::recipients(count, tag));
    EXPECT_TRUE(batch.ok());
    return batch.ok() ? batch.value() : IssueBatchResult{};
  }

  /// Removes one assertion's entry from `index` behind the store's back: check names it.
  void expect_check_finds_removed(const std::string& index) {
    auto batch = award(50, "c");
    const std::string victim = batch.items[17].entity_id;
    ASSERT_TRUE(test_hooks::remove_index_entry(store(), index, victim).ok()) << index;
    auto report = store().check();
    ASSERT_TRUE(report.ok());
    ASSERT_EQ(report->problem_count, 1u) << index;
    EXPECT_NE(report->problems[0].find(victim), std::string::npos) << report->problems[0];
    EXPECT_NE(report->problems[0].find("missing"), std::string::npos) << report->problems[0];
  }
};

std::uint64_t table_entries(const StoreStats& stats, const std::string& name) {
  for (const TableStats& table : stats.tables) {
    if (table.name == name) return table.entries;
  }
  return UINT64_MAX;
}

TEST_F(StoreAdmin, StatsAddUpToTheCounts) {
  auto batch = award(500, "s");
  ASSERT_TRUE(store().revoke(batch.items[0].entity_id, "test").ok());
  ASSERT_TRUE(store().revoke(batch.items[1].entity_id, "test").ok());
  auto stats = store().stats();
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(stats->issuers, 1u);
  EXPECT_EQ(stats->badgeclasses, 1u);
  EXPECT_EQ(stats->assertions, 500u);
  EXPECT_EQ(stats->revoked, 2u);
  EXPECT_EQ(stats->backend, "lmdb");
  for (const char* index : {"assertions", "badgeclass_assertions", "issuer_assertions",
                            "recipient_index"}) {
    EXPECT_EQ(table_entries(stats.value(), index), 500u) << index;
  }
  std::uint64_t table_bytes = 0;
  for (const TableStats& table : stats->tables) table_bytes += table.bytes;
  EXPECT_LE(table_bytes, stats->file_bytes);
  EXPECT_GE(stats->map_bytes, stats->file_bytes);
  EXPECT_DOUBLE_EQ(stats->bytes_per_assertion, double(stats->file_bytes) / 500.0);
  EXPECT_LE(stats->live_bytes_per_assertion, stats->bytes_per_assertion);
}

TEST_F(StoreAdmin, CheckPassesAHealthyStore) {
  auto batch = award(300, "h");
  ASSERT_TRUE(store().revoke(batch.items[5].entity_id, "test").ok());
  auto report = store().check();
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems.front());
  EXPECT_EQ(report->assertions, 300u);
}

TEST_F(StoreAdmin, CheckFindsAnEntryRemovedFromTheBadgeClassIndex) {
  expect_check_finds_removed("badgeclass");
}
TEST_F(StoreAdmin, CheckFindsAnEntryRemovedFromTheIssuerIndex) {
  expect_check_finds_removed("issuer");
}
TEST_F(StoreAdmin, CheckFindsAnEntryRemovedFromTheRecipientIndex) {
  expect_check_finds_removed("recipient");
}

TEST_F(StoreAdmin, CheckCountsEveryFindingAndTheHookRefusesUnknownIndexes) {
  auto batch = award(20, "d");
  const std::string victim = batch.items[3].entity_id;
  ASSERT_TRUE(test_hooks::remove_index_entry(store(), "badgeclass", victim).ok());
  ASSERT_TRUE(test_hooks::remove_index_entry(store(), "issuer", victim).ok());
  auto report = store().check();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->problem_count, 2u);
  EXPECT_FALSE(test_hooks::remove_index_entry(store(), "nonsense", victim).ok());
}

TEST_F(StoreAdmin, BackupDuringABatchHoldsAllOrNoneOfItAndPassesCheck) {
  TempDir dir;
  award(1000, "a");
  std::atomic<bool> started{false};
  auto batch = std::async(std::launch::async, [&] {
    return store().issue_batch(badgeclass_.entity_id, testing::recipients(60000, "b"), {},
                               [&](std::size_t, std::size_t) {
                                 started = true;
                                 return true;
                               });
  });
  while (!started) std::this_thread::yield();
  ASSERT_TRUE(store().backup(dir.sub("copy")).ok());
  ASSERT_TRUE(batch.get().ok());
  EXPECT_FALSE(store().backup(dir.sub("copy")).ok()) << "a backup never overwrites a store";

  auto copy = Store::open(dir.sub("copy"));
  ASSERT_TRUE(copy.ok()) << copy.error().message;
  auto stats = copy->stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_TRUE(stats->assertions == 1000u || stats->assertions == 61000u) << stats->assertions;
  EXPECT_EQ(stats->free_pages, 0u) << "a compacted copy has no free pages";
  auto report = copy->check();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems.front());

  auto after = std::string(dir.sub("after"));
  ASSERT_TRUE(store().backup(after).ok());
  auto full = Store::open(after);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->stats()->assertions, 61000u);
}

}  // namespace
}  // namespace laurel
