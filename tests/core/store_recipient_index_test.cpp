// The epoch-partitioned recipient index: lookups stay exact across epoch boundaries, duplicates
// are refused whatever epoch holds the earlier award, check() finds a removed entry and a damaged
// filter, and a store with the index of before the epochs keeps working. Small epochs (a test
// knob) let a few dozen awards cross many epochs.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "laurel/store.hpp"
#include "laurel/store_testing.hpp"
#include "test_support.hpp"

namespace laurel {
namespace {

using testing::email_recipient;

class RecipientIndexTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    testing::StoreTest::SetUp();
    ASSERT_TRUE(test_hooks::set_recipient_epoch_entries(store(), 7).ok());
  }

  /// Awards `rounds` batches to learners 0..count-1 of the badge class (duplicates allowed), so
  /// each learner's awards spread over several 7-entry epochs. Returns the ids per learner.
  std::map<std::string, std::vector<std::string>> award_rounds(const std::string& badgeclass,
                                                               std::size_t count,
                                                               std::size_t rounds) {
    std::map<std::string, std::vector<std::string>> held;
    for (std::size_t round = 0; round < rounds; ++round) {
      auto recipients = testing::recipients(count, "learner");
      auto batch = store().issue_batch(badgeclass, recipients);
      EXPECT_TRUE(batch.ok());
      if (!batch.ok()) return held;
      for (std::size_t i = 0; i < count; ++i) {
        held[recipients[i].identity].push_back(batch->items[i].entity_id);
      }
    }
    return held;
  }

  /// Every page of the recipient's badges, `num` at a time, following next cursors.
  std::vector<std::string> list_all(const std::string& email, std::uint32_t num) {
    std::vector<std::string> ids;
    AssertionQuery query;
    query.scope = AssertionQuery::Scope::Recipient;
    query.recipient = email;
    query.num = num;
    for (int pages = 0; pages < 100; ++pages) {
      auto page = store().list_assertions(query);
      EXPECT_TRUE(page.ok()) << page.error().message;
      if (!page.ok()) break;
      for (const Assertion& assertion : page->items) ids.push_back(assertion.entity_id);
      if (page->next_cursor.empty()) break;
      query.after = page->next_cursor;
    }
    return ids;
  }

  void expect_lookups_exact(const std::map<std::string, std::vector<std::string>>& held) {
    for (const auto& [email, issued] : held) {
      std::vector<std::string> newest_first(issued.rbegin(), issued.rend());
      EXPECT_EQ(list_all(email, 2), newest_first) << email;
      EXPECT_EQ(list_all(email, 1000), newest_first) << email;
    }
    EXPECT_TRUE(list_all("nobody@example.org", 10).empty());
  }

  /// Entries in a table, per stats().
  std::uint64_t entries(const std::string& table_name) {
    auto stats = store().stats();
    EXPECT_TRUE(stats.ok());
    for (const TableStats& table : stats->tables) {
      if (table.name == table_name) return table.entries;
    }
    return UINT64_MAX;
  }

  void expect_check_ok() {
    auto report = store().check();
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems.front());
  }
};

TEST_F(RecipientIndexTest, LookupsAreExactAcrossEpochs) {
  auto other = store().create_badgeclass(testing::sample_badgeclass(issuer_.entity_id, "Other"));
  ASSERT_TRUE(other.ok());
  auto held = award_rounds(badgeclass_.entity_id, 5, 4);  // 20 entries: epochs 0..3
  auto also = award_rounds(other->entity_id, 5, 3);       // 15 more: epochs 4..6
  for (auto& [email, ids] : also) held[email].insert(held[email].end(), ids.begin(), ids.end());
  expect_lookups_exact(held);

  // Paging backwards (before cursors) meets the same entries in the other direction.
  const std::string email = "learner3@example.org";
  AssertionQuery query;
  query.scope = AssertionQuery::Scope::Recipient;
  query.recipient = email;
  query.num = 2;
  query.before = held[email].front();
  auto newer = store().list_assertions(query);
  ASSERT_TRUE(newer.ok());
  ASSERT_EQ(newer->items.size(), 2u);
  EXPECT_EQ(newer->items[0].entity_id, held[email][2]);
  EXPECT_EQ(newer->items[1].entity_id, held[email][1]);

  // A badge class page filtered by recipient asks the index for single entries.
  AssertionQuery filtered;
  filtered.id = other->entity_id;
  filtered.recipient = email;
  auto page = store().list_assertions(filtered);
  ASSERT_TRUE(page.ok());
  std::vector<std::string> ids;
  for (const Assertion& assertion : page->items) ids.push_back(assertion.entity_id);
  EXPECT_EQ(ids, std::vector<std::string>(held[email].rbegin(), held[email].rbegin() + 3));

  EXPECT_EQ(entries("recipient_index"), 35u);
  EXPECT_EQ(entries("recipient_assertions"), 0u);
  expect_check_ok();

  // A fresh handle (no filter copies in memory yet) reads the same.
  reopen();
  expect_lookups_exact(held);
}

// A batch of half an epoch or more (here 4 of 7) starts a fresh epoch when the open one is half
// full, rather than copying that epoch's pages to add to it; a smaller batch fills the open one.
TEST_F(RecipientIndexTest, ABigBatchStartsAFreshEpoch) {
  std::map<std::string, std::vector<std::string>> held;
  auto award = [&](std::size_t count, const std::string& tag) {
    auto recipients = testing::recipients(count, tag);
    auto batch = store().issue_batch(badgeclass_.entity_id, recipients);
    ASSERT_TRUE(batch.ok());
    for (std::size_t i = 0; i < count; ++i) {
      held[recipients[i].identity].push_back(batch->items[i].entity_id);
    }
  };
  award(3, "a");  // epoch 0: 3 entries
  award(2, "b");  // small: epoch 0 holds 5
  EXPECT_EQ(entries("recipient_filters"), 1u);  // one 1024-byte chunk per 7-entry epoch
  award(4, "c");  // big, and epoch 0 is half full: epoch 1
  EXPECT_EQ(entries("recipient_filters"), 2u);
  award(2, "a");  // small: epoch 1 holds 6
  award(1, "d");  // epoch 1 full: the next award opens epoch 2
  award(1, "e");
  EXPECT_EQ(entries("recipient_filters"), 3u);
  EXPECT_EQ(entries("recipient_index"), 13u);
  expect_lookups_exact(held);
  expect_check_ok();
  reopen();
  expect_lookups_exact(held);
}

TEST_F(RecipientIndexTest, DuplicatesAreRefusedAcrossEpochs) {
  IssueOptions no_duplicates;
  no_duplicates.allow_duplicate_awards = false;
  const Assertion first = issue_to("early@example.org");  // epoch 0
  award_rounds(badgeclass_.entity_id, 10, 2);                // 20 more: epochs 0..3

  // A batch repeats the early recipient, and a new one twice across an epoch boundary.
  std::vector<RecipientInput> batch;
  batch.push_back(email_recipient("early@example.org"));
  batch.push_back(email_recipient("twice@example.org"));
  for (int i = 0; i < 8; ++i) batch.push_back(email_recipient("new" + std::to_string(i) + "@x.org"));
  batch.push_back(email_recipient("twice@example.org"));
  auto result = store().issue_batch(badgeclass_.entity_id, batch, no_duplicates);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->items[0].code, "duplicate");
  EXPECT_TRUE(result->items[1].issued);
  EXPECT_EQ(result->items[10].code, "duplicate");
  EXPECT_EQ(result->issued, 9u);

  auto single = store().issue(badgeclass_.entity_id, email_recipient("early@example.org"),
                              no_duplicates);
  ASSERT_FALSE(single.ok());
  EXPECT_EQ(single.error().code, ErrorCode::Conflict);

  // Once the early award is revoked, the recipient may hold the badge again.
  ASSERT_TRUE(store().revoke(first.entity_id, "reissue").ok());
  auto again = store().issue(badgeclass_.entity_id, email_recipient("early@example.org"),
                             no_duplicates);
  ASSERT_TRUE(again.ok()) << again.error().message;
  expect_check_ok();
}

// A batch of several chunks: the prepare workers look the recipients up in the closed epochs (in
// read transactions of their own), the writer in the rest; together they refuse exactly the
// holders of an unrevoked award of this badge class, wherever it sits.
TEST_F(RecipientIndexTest, DuplicatesAreRefusedWhenWorkersPrepareTheBatch) {
  IssueOptions no_duplicates;
  no_duplicates.allow_duplicate_awards = false;
  auto held = award_rounds(badgeclass_.entity_id, 1500, 1);  // learner0..1499: ~214 epochs
  auto other_badge = store().create_badgeclass(testing::sample_badgeclass(issuer_.entity_id, "B"));
  ASSERT_TRUE(other_badge.ok());
  award_rounds(other_badge->entity_id, 3000, 1);  // everyone holds the other badge
  ASSERT_TRUE(store().revoke(held["learner5@example.org"].front(), "reissue").ok());

  auto result =
      store().issue_batch(badgeclass_.entity_id, testing::recipients(3000), no_duplicates);
  ASSERT_TRUE(result.ok()) << result.error().message;
  for (std::size_t i = 0; i < 3000; ++i) {
    const bool duplicate = i < 1500 && i != 5;
    EXPECT_EQ(result->items[i].code, duplicate ? "duplicate" : "") << i;
  }
  EXPECT_EQ(result->duplicates, 1499u);
  EXPECT_EQ(result->issued, 1501u);
  expect_check_ok();
}

TEST_F(RecipientIndexTest, CheckFindsARemovedEntryAndADamagedFilter) {
  auto held = award_rounds(badgeclass_.entity_id, 6, 3);
  const std::string removed = held["learner2@example.org"][1];
  const std::string unfiltered = held["learner4@example.org"][2];
  ASSERT_TRUE(test_hooks::remove_index_entry(store(), "recipient", removed).ok());
  ASSERT_TRUE(test_hooks::clear_recipient_filter(store(), unfiltered).ok());
  auto report = store().check();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok());
  bool named_removed = false, named_filter = false;
  for (const std::string& problem : report->problems) {
    if (problem.find(removed) != std::string::npos && problem.find("missing") != std::string::npos)
      named_removed = true;
    if (problem.find(unfiltered) != std::string::npos && problem.find("filter") != std::string::npos)
      named_filter = true;
  }
  EXPECT_TRUE(named_removed);
  EXPECT_TRUE(named_filter);
  EXPECT_FALSE(test_hooks::clear_recipient_filter(store(), "not-an-id").ok());
  EXPECT_EQ(test_hooks::set_recipient_epoch_entries(store(), 3).error().code, ErrorCode::Conflict);
}

TEST_F(RecipientIndexTest, AStoreWithTheOldIndexKeepsWorking) {
  auto held = award_rounds(badgeclass_.entity_id, 4, 3);
  ASSERT_TRUE(test_hooks::to_legacy_recipient_index(store()).ok());
  reopen();
  EXPECT_EQ(entries("recipient_assertions"), 12u);
  EXPECT_EQ(entries("recipient_index"), 0u);
  expect_lookups_exact(held);
  expect_check_ok();

  // New awards go to the epochs; lookups and the duplicate check see both.
  ASSERT_TRUE(test_hooks::set_recipient_epoch_entries(store(), 5).ok());
  auto more = award_rounds(badgeclass_.entity_id, 4, 4);
  for (auto& [email, ids] : more) held[email].insert(held[email].end(), ids.begin(), ids.end());
  expect_lookups_exact(held);
  IssueOptions no_duplicates;
  no_duplicates.allow_duplicate_awards = false;
  auto single = store().issue(badgeclass_.entity_id, email_recipient("learner0@example.org"),
                              no_duplicates);
  EXPECT_FALSE(single.ok());
  expect_check_ok();

  // check() also covers the legacy table.
  ASSERT_TRUE(test_hooks::remove_index_entry(store(), "recipient-legacy", held["learner1@example.org"][0]).ok());
  auto report = store().check();
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problem_count, 1u);
  EXPECT_NE(report->problems[0].find(held["learner1@example.org"][0]), std::string::npos);
}

}  // namespace
}  // namespace laurel
