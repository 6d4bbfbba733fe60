// Revoking: one at a time, in batches with per-item results, the revocation list, and updates of
// assertions (which revoked assertions refuse).
#include <gtest/gtest.h>

#include "laurel/store.hpp"
#include "test_support.hpp"

namespace laurel {
namespace {

using testing::StoreTest;

TEST_F(StoreTest, RevokeMarksTheAssertionWithItsReason) {
  Assertion issued = issue_to("ada@example.org");
  auto revoked = store().revoke(issued.entity_id, "Issued in error");
  ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  EXPECT_TRUE(revoked->revoked);
  EXPECT_EQ(revoked->revocation_reason, "Issued in error");
  reopen();
  auto read = store().get_assertion(issued.entity_id);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->revoked);
  EXPECT_EQ(read->revocation_reason, "Issued in error");
  EXPECT_EQ(read->recipient, issued.recipient);
}

TEST_F(StoreTest, RevokeRefusesUnknownIdsBadReasonsAndSecondRevocations) {
  Assertion issued = issue_to("ada@example.org");
  auto unknown = store().revoke("AAAAAAAAAAAAAAAAAAAAAA", "reason");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
  auto malformed = store().revoke("<script>", "reason");
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().code, ErrorCode::NotFound);

  auto not_utf8 = store().revoke(issued.entity_id, "\xff\xfe");
  ASSERT_FALSE(not_utf8.ok());
  EXPECT_EQ(not_utf8.error().field, "revocationReason");
  EXPECT_FALSE(store().get_assertion(issued.entity_id)->revoked);

  ASSERT_TRUE(store().revoke(issued.entity_id, "first").ok());
  auto twice = store().revoke(issued.entity_id, "second");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::Conflict);
  EXPECT_EQ(store().get_assertion(issued.entity_id)->revocation_reason, "first");
}

// Issue 13: the reason is optional (Badgr's DELETE, OB 2.0 RevocationList); none is stored.
TEST_F(StoreTest, RevokeWithoutAReasonStoresNone) {
  Assertion issued = issue_to("ada@example.org");
  auto revoked = store().revoke(issued.entity_id, "  ");
  ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  EXPECT_TRUE(revoked->revoked);
  EXPECT_EQ(revoked->revocation_reason, "");
  auto listed = store().revocations(issuer_.entity_id);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
}

TEST_F(StoreTest, RevokeBatchReportsEveryItemAndRevokesTheRest) {
  auto batch = store().issue_batch(badgeclass_.entity_id, testing::recipients(4));
  ASSERT_TRUE(batch.ok());
  const auto& ids = batch->items;
  ASSERT_TRUE(store().revoke(ids[1].entity_id, "earlier").ok());
  std::vector<RevokeItem> items = {
      {ids[0].entity_id, "Course was cancelled"},
      {ids[1].entity_id, "again"},
      {"AAAAAAAAAAAAAAAAAAAAAA", "unknown"},
      {"definitely not an id", "malformed"},
      {ids[2].entity_id, ""},
      {ids[3].entity_id, "quote \" and newline \n kept"},
      {ids[3].entity_id, "repeat within the batch"},
  };
  auto results = store().revoke_batch(items);
  ASSERT_TRUE(results.ok()) << results.error().message;
  ASSERT_EQ(results->size(), items.size());
  const auto& r = results.value();
  EXPECT_TRUE(r[0].revoked);
  EXPECT_EQ(r[0].code, "");
  EXPECT_EQ(r[0].entity_id, ids[0].entity_id);
  EXPECT_FALSE(r[1].revoked);
  EXPECT_EQ(r[1].code, "already_revoked");
  EXPECT_EQ(r[2].code, "not_found");
  EXPECT_EQ(r[3].code, "not_found");
  EXPECT_EQ(r[3].entity_id, "definitely not an id");
  EXPECT_TRUE(r[4].revoked);  // no reason: revoked without one
  EXPECT_EQ(r[4].code, "");
  EXPECT_TRUE(r[5].revoked);
  EXPECT_EQ(r[6].code, "already_revoked");

  EXPECT_EQ(store().get_assertion(ids[0].entity_id)->revocation_reason, "Course was cancelled");
  EXPECT_EQ(store().get_assertion(ids[1].entity_id)->revocation_reason, "earlier");
  EXPECT_TRUE(store().get_assertion(ids[2].entity_id)->revoked);
  EXPECT_EQ(store().get_assertion(ids[3].entity_id)->revocation_reason,
            "quote \" and newline \n kept");
}

TEST_F(StoreTest, RevokeBatchOfNothingSucceeds) {
  auto results = store().revoke_batch({});
  ASSERT_TRUE(results.ok());
  EXPECT_TRUE(results->empty());
}

TEST_F(StoreTest, RevokeBatchRevokesOutOfOrderIds) {
  auto batch = store().issue_batch(badgeclass_.entity_id, testing::recipients(3000));
  ASSERT_TRUE(batch.ok());
  std::vector<RevokeItem> items;
  // Newest first, then the oldest: keys arrive descending, so appends are not possible.
  for (std::size_t i = batch->items.size(); i-- > 0;)
    items.push_back({batch->items[i].entity_id, "r"});
  auto results = store().revoke_batch(items);
  ASSERT_TRUE(results.ok());
  for (const RevokeItemResult& result : results.value()) ASSERT_TRUE(result.revoked) << result.code;
  auto revocations = store().revocations(issuer_.entity_id);
  ASSERT_TRUE(revocations.ok());
  EXPECT_EQ(revocations->size(), 3000u);
}

TEST_F(StoreTest, RevokeBatchCancelledByProgressWritesNothing) {
  auto batch = store().issue_batch(badgeclass_.entity_id, testing::recipients(2500));
  ASSERT_TRUE(batch.ok());
  std::vector<RevokeItem> items;
  for (const IssueItemResult& item : batch->items) items.push_back({item.entity_id, "r"});
  std::vector<std::size_t> seen;
  auto cancelled = store().revoke_batch(items, [&](std::size_t done, std::size_t total) {
    EXPECT_EQ(total, 2500u);
    seen.push_back(done);
    return done < 2000;
  });
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.error().code, ErrorCode::Cancelled);
  EXPECT_EQ(seen, (std::vector<std::size_t>{1000, 2000}));
  EXPECT_FALSE(store().get_assertion(batch->items[0].entity_id)->revoked);
  EXPECT_TRUE(store().revocations(issuer_.entity_id)->empty());
}

TEST_F(StoreTest, RevocationsListsTheIssuersRevokedAssertions) {
  Assertion kept = issue_to("ada@example.org");
  Assertion revoked = issue_to("grace@example.org");
  ASSERT_TRUE(store().revoke(revoked.entity_id, "cheated").ok());
  auto other_issuer = store().create_issuer(testing::sample_issuer("Other"));
  ASSERT_TRUE(other_issuer.ok());
  auto list = store().revocations(issuer_.entity_id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().first, revoked.entity_id);
  EXPECT_EQ(list->front().second, "cheated");
  EXPECT_TRUE(store().revocations(other_issuer->entity_id)->empty());
  EXPECT_EQ(store().revocations("AAAAAAAAAAAAAAAAAAAAAA").error().code, ErrorCode::NotFound);
  EXPECT_EQ(store().revocations("").error().code, ErrorCode::NotFound);
}

TEST_F(StoreTest, UpdateAssertionAppliesAllowedFields) {
  Assertion issued = issue_to("ada@example.org");
  auto updated = store().update_assertion(
      issued.entity_id, Json::object({{"narrative", Json("Now with a story")},
                                      {"acceptance", Json("Accepted")},
                                      {"expires", Json("2999-01-01T00:00:00Z")}}));
  ASSERT_TRUE(updated.ok()) << updated.error().field << ": " << updated.error().message;
  EXPECT_EQ(updated->narrative, "Now with a story");
  EXPECT_EQ(updated->acceptance, "Accepted");
  EXPECT_EQ(updated->expires, "2999-01-01T00:00:00Z");
  EXPECT_EQ(updated->recipient, issued.recipient);
  auto read = store().get_assertion(issued.entity_id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value(), updated.value());
}

TEST_F(StoreTest, UpdateAssertionRefusesRecipientChangesBadValuesAndRevokedAssertions) {
  Assertion issued = issue_to("ada@example.org");
  auto recipient = store().update_assertion(
      issued.entity_id,
      Json::object({{"recipient", Json::object({{"identity", Json("x@y.org")}})}}));
  ASSERT_FALSE(recipient.ok());
  EXPECT_EQ(recipient.error().code, ErrorCode::Invalid);
  EXPECT_EQ(recipient.error().field, "recipient");
  auto bad_acceptance =
      store().update_assertion(issued.entity_id, Json::object({{"acceptance", Json("Maybe")}}));
  ASSERT_FALSE(bad_acceptance.ok());
  EXPECT_EQ(bad_acceptance.error().field, "acceptance");
  auto revoke_by_patch =
      store().update_assertion(issued.entity_id, Json::object({{"revoked", Json(true)}}));
  ASSERT_FALSE(revoke_by_patch.ok());
  EXPECT_EQ(revoke_by_patch.error().field, "revoked");
  EXPECT_EQ(store().update_assertion("nope", Json::object()).error().code, ErrorCode::NotFound);

  ASSERT_TRUE(store().revoke(issued.entity_id, "done").ok());
  auto after_revoke =
      store().update_assertion(issued.entity_id, Json::object({{"narrative", Json("late")}}));
  ASSERT_FALSE(after_revoke.ok());
  EXPECT_EQ(after_revoke.error().code, ErrorCode::Conflict);
  EXPECT_EQ(store().get_assertion(issued.entity_id)->narrative, "");
}

}  // namespace
}  // namespace laurel
