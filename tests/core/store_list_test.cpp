// Listing assertions by badge class, issuer or recipient: newest first, cursors both ways,
// revoked/expired filters and bad queries.
#include <gtest/gtest.h>

#include "laurel/datetime.hpp"
#include "laurel/store.hpp"
#include "test_support.hpp"

namespace laurel {
namespace {

class StoreListTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    // Two batches so ids span two transactions; 25 awards in issue order.
    auto first = store().issue_batch(badgeclass_.entity_id, testing::recipients(10));
    ASSERT_TRUE(first.ok());
    auto second = store().issue_batch(badgeclass_.entity_id, testing::recipients(15, "late"));
    ASSERT_TRUE(second.ok());
    for (const auto* batch : {&first.value(), &second.value()}) {
      for (const IssueItemResult& item : batch->items) issued_.push_back(item.entity_id);
    }
  }

  AssertionQuery by_badgeclass(std::size_t num) const {
    AssertionQuery query;
    query.scope = AssertionQuery::Scope::BadgeClass;
    query.id = badgeclass_.entity_id;
    query.num = num;
    return query;
  }

  static std::vector<std::string> ids_of(const AssertionPage& page) {
    std::vector<std::string> ids;
    for (const Assertion& assertion : page.items) ids.push_back(assertion.entity_id);
    return ids;
  }

  /// issued_ newest first, from position `from` (0 = newest), `count` of them.
  std::vector<std::string> newest(std::size_t from, std::size_t count) const {
    std::vector<std::string> ids(issued_.rbegin(), issued_.rend());
    return {ids.begin() + from, ids.begin() + std::min(ids.size(), from + count)};
  }

  std::vector<std::string> issued_;  // in issue order
};

TEST_F(StoreListTest, ListsNewestFirst) {
  auto page = store().list_assertions(by_badgeclass(100));
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(ids_of(page.value()), newest(0, 25));
  EXPECT_EQ(page->next_cursor, "");
  EXPECT_EQ(page->prev_cursor, "");
}

TEST_F(StoreListTest, PagesForwardWithAfterAndBackWithBefore) {
  auto first = store().list_assertions(by_badgeclass(10));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(ids_of(first.value()), newest(0, 10));
  EXPECT_EQ(first->prev_cursor, "");
  ASSERT_FALSE(first->next_cursor.empty());

  AssertionQuery query = by_badgeclass(10);
  query.after = first->next_cursor;
  auto second = store().list_assertions(query);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(ids_of(second.value()), newest(10, 10));
  ASSERT_FALSE(second->prev_cursor.empty());
  ASSERT_FALSE(second->next_cursor.empty());

  query.after = second->next_cursor;
  auto third = store().list_assertions(query);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(ids_of(third.value()), newest(20, 5));
  EXPECT_EQ(third->next_cursor, "");

  AssertionQuery back = by_badgeclass(10);
  back.before = third->prev_cursor;
  auto second_again = store().list_assertions(back);
  ASSERT_TRUE(second_again.ok());
  EXPECT_EQ(ids_of(second_again.value()), newest(10, 10));
  back.before = second_again->prev_cursor;
  auto first_again = store().list_assertions(back);
  ASSERT_TRUE(first_again.ok());
  EXPECT_EQ(ids_of(first_again.value()), newest(0, 10));
  EXPECT_EQ(first_again->prev_cursor, "");
  EXPECT_FALSE(first_again->next_cursor.empty());
}

TEST_F(StoreListTest, PagesStayStableWhenNewAssertionsArrive) {
  auto first = store().list_assertions(by_badgeclass(10));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(store().issue_batch(badgeclass_.entity_id, testing::recipients(5, "newcomer")).ok());
  AssertionQuery query = by_badgeclass(10);
  query.after = first->next_cursor;
  auto second = store().list_assertions(query);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(ids_of(second.value()), newest(10, 10));
  // Going back past the first page now shows the newcomers.
  AssertionQuery back = by_badgeclass(10);
  back.before = second->prev_cursor;
  auto first_again = store().list_assertions(back);
  ASSERT_TRUE(first_again.ok());
  EXPECT_EQ(ids_of(first_again.value()), newest(0, 10));
  EXPECT_FALSE(first_again->prev_cursor.empty());
}

TEST_F(StoreListTest, HidesRevokedAndExpiredUnlessAsked) {
  ASSERT_TRUE(store().revoke(issued_[24], "revoked").ok());
  RecipientInput expired = testing::email_recipient("old@example.org");
  expired.issued_on = "2010-01-01T00:00:00Z";
  expired.expires = "2011-01-01T00:00:00Z";
  auto old_award = store().issue(badgeclass_.entity_id, expired);
  ASSERT_TRUE(old_award.ok()) << old_award.error().message;

  auto page = store().list_assertions(by_badgeclass(100));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 24u);
  for (const Assertion& assertion : page->items) {
    EXPECT_NE(assertion.entity_id, issued_[24]);
    EXPECT_NE(assertion.entity_id, old_award->entity_id);
  }

  AssertionQuery with_revoked = by_badgeclass(100);
  with_revoked.include_revoked = true;
  page = store().list_assertions(with_revoked);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 25u);
  EXPECT_TRUE(page->items[0].revoked);

  AssertionQuery with_expired = by_badgeclass(100);
  with_expired.include_expired = true;
  page = store().list_assertions(with_expired);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 25u);
  EXPECT_EQ(page->items[0].entity_id, old_award->entity_id);

  // "now" decides what is expired.
  AssertionQuery in_2010 = by_badgeclass(100);
  in_2010.now = *parse_datetime("2010-06-01T00:00:00Z");
  page = store().list_assertions(in_2010);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 25u);
}

TEST_F(StoreListTest, PagesSkipFilteredItemsInBothDirections) {
  // Revoke every other award: pages of 4 hold only the unrevoked ones, and cursors still work.
  std::vector<std::string> kept;  // newest first
  std::vector<RevokeItem> items;
  for (std::size_t i = issued_.size(); i-- > 0;) {
    if (i % 2 == 0) {
      items.push_back({issued_[i], "thinned"});
    } else {
      kept.push_back(issued_[i]);
    }
  }
  ASSERT_TRUE(store().revoke_batch(items).ok());
  std::vector<std::string> forward;
  AssertionQuery query = by_badgeclass(4);
  std::vector<std::string> cursors_back;
  for (;;) {
    auto page = store().list_assertions(query);
    ASSERT_TRUE(page.ok());
    for (const Assertion& assertion : page->items) forward.push_back(assertion.entity_id);
    if (!page->prev_cursor.empty()) cursors_back.push_back(page->prev_cursor);
    if (page->next_cursor.empty()) break;
    query.after = page->next_cursor;
  }
  EXPECT_EQ(forward, kept);
  ASSERT_EQ(cursors_back.size(), 2u);  // 12 kept: pages 2 and 3 point back
  AssertionQuery back = by_badgeclass(4);
  back.before = cursors_back.back();
  auto middle = store().list_assertions(back);
  ASSERT_TRUE(middle.ok());
  EXPECT_EQ(ids_of(middle.value()), std::vector<std::string>(kept.begin() + 4, kept.begin() + 8));
}

TEST_F(StoreListTest, AnExpiryMovedByUpdateIsHonoured) {
  RecipientInput recipient = testing::email_recipient("soon@example.org");
  recipient.issued_on = "2020-01-01T00:00:00Z";
  auto award = store().issue(badgeclass_.entity_id, recipient);
  ASSERT_TRUE(award.ok());
  auto updated = store().update_assertion(
      award->entity_id, Json::object({{"expires", Json("2021-01-01T00:00:00Z")}}));
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  auto page = store().list_assertions(by_badgeclass(100));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 25u) << "the now-expired award is hidden";
  AssertionQuery by_issuer;
  by_issuer.scope = AssertionQuery::Scope::Issuer;
  by_issuer.id = issuer_.entity_id;
  auto issuer_page = store().list_assertions(by_issuer);
  ASSERT_TRUE(issuer_page.ok());
  EXPECT_EQ(issuer_page->items.size(), 25u);
}

TEST_F(StoreListTest, ListsByIssuerAcrossBadgeClasses) {
  auto other = store().create_badgeclass(testing::sample_badgeclass(issuer_.entity_id, "Other"));
  ASSERT_TRUE(other.ok());
  Assertion extra =
      store().issue(other->entity_id, testing::email_recipient("x@example.org")).value();
  AssertionQuery query;
  query.scope = AssertionQuery::Scope::Issuer;
  query.id = issuer_.entity_id;
  auto page = store().list_assertions(query);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 26u);
  EXPECT_EQ(page->items[0].entity_id, extra.entity_id);
  auto badgeclass_page = store().list_assertions(by_badgeclass(100));
  EXPECT_EQ(badgeclass_page->items.size(), 25u);
}

TEST_F(StoreListTest, ListsByRecipientAndFiltersByRecipient) {
  auto other = store().create_badgeclass(testing::sample_badgeclass(issuer_.entity_id, "Other"));
  ASSERT_TRUE(other.ok());
  Assertion extra =
      store().issue(other->entity_id, testing::email_recipient("Learner3@Example.org")).value();

  AssertionQuery query;
  query.scope = AssertionQuery::Scope::Recipient;
  query.recipient = "learner3@example.org";
  auto page = store().list_assertions(query);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(ids_of(page.value()), (std::vector<std::string>{extra.entity_id, issued_[3]}));

  AssertionQuery filtered = by_badgeclass(100);
  filtered.recipient = "LEARNER3@example.org";
  page = store().list_assertions(filtered);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(ids_of(page.value()), std::vector<std::string>{issued_[3]});

  query.recipient = "nobody@example.org";
  page = store().list_assertions(query);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->items.empty());

  // The same identity as another type is another recipient.
  query.recipient = "https://example.org/learner3";
  query.recipient_type = "url";
  page = store().list_assertions(query);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->items.empty());
}

TEST_F(StoreListTest, RefusesBadQueries) {
  AssertionQuery zero = by_badgeclass(0);
  EXPECT_EQ(store().list_assertions(zero).error().field, "num");
  AssertionQuery huge = by_badgeclass(1001);
  EXPECT_EQ(store().list_assertions(huge).error().code, ErrorCode::Invalid);
  EXPECT_TRUE(store().list_assertions(by_badgeclass(1000)).ok());

  AssertionQuery bad_after = by_badgeclass(10);
  bad_after.after = "garbage";
  EXPECT_EQ(store().list_assertions(bad_after).error().field, "after");
  AssertionQuery bad_before = by_badgeclass(10);
  bad_before.before = "!!!!!!!!!!!!!!!!!!!!!!";
  EXPECT_EQ(store().list_assertions(bad_before).error().field, "before");
  AssertionQuery both = by_badgeclass(10);
  both.after = issued_[0];
  both.before = issued_[1];
  EXPECT_EQ(store().list_assertions(both).error().code, ErrorCode::Invalid);

  AssertionQuery unknown = by_badgeclass(10);
  unknown.id = "AAAAAAAAAAAAAAAAAAAAAA";
  EXPECT_EQ(store().list_assertions(unknown).error().code, ErrorCode::NotFound);
  unknown.scope = AssertionQuery::Scope::Issuer;
  EXPECT_EQ(store().list_assertions(unknown).error().code, ErrorCode::NotFound);
  unknown.id = "";
  EXPECT_EQ(store().list_assertions(unknown).error().code, ErrorCode::NotFound);

  AssertionQuery no_recipient;
  no_recipient.scope = AssertionQuery::Scope::Recipient;
  auto refused = store().list_assertions(no_recipient);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::Invalid);
  EXPECT_EQ(refused.error().field, "recipient.identity");
  no_recipient.recipient = "a@b.org";
  no_recipient.recipient_type = "carrier-pigeon";
  EXPECT_EQ(store().list_assertions(no_recipient).error().field, "recipient.type");
}

}  // namespace
}  // namespace laurel
