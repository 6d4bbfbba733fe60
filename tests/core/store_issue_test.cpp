// Awarding badges: issue, issue_batch, duplicates, invalid items, expiry defaults, recipient
// hashing and map growth.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>

#include "laurel/datetime.hpp"
#include "laurel/ids.hpp"
#include "laurel/recipient.hpp"
#include "laurel/store.hpp"
#include "test_support.hpp"

namespace laurel {
namespace {

using testing::StoreTest;

std::size_t count_assertions(Store& store, const std::string& badgeclass_id) {
  std::size_t total = 0;
  AssertionQuery query;
  query.id = badgeclass_id;
  query.num = 1000;
  query.include_expired = true;
  query.include_revoked = true;
  for (;;) {
    auto page = store.list_assertions(query);
    EXPECT_TRUE(page.ok()) << page.error().message;
    if (!page.ok()) return total;
    total += page->items.size();
    if (page->next_cursor.empty()) return total;
    query.after = page->next_cursor;
  }
}

TEST_F(StoreTest, IssueHashesTheRecipientWithAFreshSalt) {
  Assertion first = issue_to("Ada@Example.org");
  Assertion second = issue_to("ada@example.org");
  EXPECT_TRUE(first.recipient.hashed);
  EXPECT_EQ(first.recipient.type, "email");
  EXPECT_EQ(first.recipient.salt.size(), 2 * kSaltBytes);
  EXPECT_NE(first.recipient.salt, second.recipient.salt);
  EXPECT_EQ(first.recipient.identity.rfind("sha256$", 0), 0u);
  auto expected = hash_identity("ada@example.org", first.recipient.salt);
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(first.recipient.identity, expected.value());
  EXPECT_TRUE(identity_matches("ADA@example.org", first.recipient.identity, first.recipient.salt));
  EXPECT_EQ(first.recipient.plaintext_identity, "ada@example.org");
  EXPECT_EQ(first.badgeclass, badgeclass_.entity_id);
  EXPECT_EQ(first.issuer, issuer_.entity_id);
  EXPECT_FALSE(first.revoked);
  EXPECT_TRUE(parse_datetime(first.issued_on).has_value());
}

TEST_F(StoreTest, IssueWithHashedFalseKeepsThePlaintextIdentity) {
  RecipientInput recipient = testing::email_recipient("  Grace@Example.org ");
  recipient.hashed = false;
  auto assertion = store().issue(badgeclass_.entity_id, recipient);
  ASSERT_TRUE(assertion.ok()) << assertion.error().message;
  EXPECT_FALSE(assertion->recipient.hashed);
  EXPECT_EQ(assertion->recipient.identity, "grace@example.org");
  EXPECT_EQ(assertion->recipient.salt, "");
}

TEST_F(StoreTest, IssueOtherRecipientTypes) {
  RecipientInput url;
  url.identity = "https://example.org/people/ada";
  url.type = "url";
  auto by_url = store().issue(badgeclass_.entity_id, url);
  ASSERT_TRUE(by_url.ok()) << by_url.error().message;
  EXPECT_EQ(by_url->recipient.type, "url");
  RecipientInput phone;
  phone.identity = "+15551234567";
  phone.type = "telephone";
  auto by_phone = store().issue(badgeclass_.entity_id, phone);
  ASSERT_TRUE(by_phone.ok()) << by_phone.error().message;
  EXPECT_TRUE(identity_matches("+15551234567", by_phone->recipient.identity,
                               by_phone->recipient.salt, "telephone"));
}

TEST_F(StoreTest, IssueKeepsNarrativeEvidenceAndExtensions) {
  RecipientInput recipient = testing::email_recipient("ada@example.org");
  recipient.narrative = "Tied it blindfolded";
  recipient.evidence.push_back(Evidence{"https://example.org/video", "", "Video", "", "", ""});
  recipient.extensions = Json::object(
      {{"extensions:Note", Json::object({{"@context", "https://example.org/ext.json"},
                                         {"type", "extension:Note"},
                                         {"text", Json("hi")}})}});
  recipient.issued_on = "2024-02-29T10:00:00+02:00";
  IssueOptions options;
  options.created_by = "teacher-1";
  auto assertion = store().issue(badgeclass_.entity_id, recipient, options);
  ASSERT_TRUE(assertion.ok()) << assertion.error().field << ": " << assertion.error().message;
  EXPECT_EQ(assertion->narrative, "Tied it blindfolded");
  ASSERT_EQ(assertion->evidence.size(), 1u);
  EXPECT_EQ(assertion->evidence[0].url, "https://example.org/video");
  EXPECT_EQ(assertion->extensions, recipient.extensions);
  EXPECT_EQ(assertion->issued_on, "2024-02-29T08:00:00Z");
  EXPECT_EQ(assertion->created_by, "teacher-1");
  auto read = store().get_assertion(assertion->entity_id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value(), assertion.value());
}

TEST_F(StoreTest, IssueRefusesBadInputByField) {
  struct Case {
    RecipientInput input;
    std::string field;
  };
  std::vector<Case> cases;
  cases.push_back({testing::email_recipient("not-an-email"), "recipient.identity"});
  cases.push_back({testing::email_recipient(""), "recipient.identity"});
  RecipientInput bad_type = testing::email_recipient("ada@example.org");
  bad_type.type = "fax";
  cases.push_back({bad_type, "recipient.type"});
  RecipientInput bad_date = testing::email_recipient("ada@example.org");
  bad_date.issued_on = "yesterday";
  cases.push_back({bad_date, "issuedOn"});
  RecipientInput bad_expiry = testing::email_recipient("ada@example.org");
  bad_expiry.expires = "2024-02-30";
  cases.push_back({bad_expiry, "expires"});
  RecipientInput expires_before_issue = testing::email_recipient("ada@example.org");
  expires_before_issue.issued_on = "2024-01-02";
  expires_before_issue.expires = "2024-01-01";
  cases.push_back({expires_before_issue, "expires"});
  RecipientInput bad_evidence = testing::email_recipient("ada@example.org");
  bad_evidence.evidence.push_back(Evidence{"javascript:alert(1)", "", "", "", "", ""});
  cases.push_back({bad_evidence, "evidence.0.url"});
  RecipientInput bad_extensions = testing::email_recipient("ada@example.org");
  bad_extensions.extensions = Json("text");
  cases.push_back({bad_extensions, "extensions"});
  for (const Case& c : cases) {
    auto assertion = store().issue(badgeclass_.entity_id, c.input);
    ASSERT_FALSE(assertion.ok()) << c.field;
    EXPECT_EQ(assertion.error().code, ErrorCode::Invalid) << c.field;
    EXPECT_EQ(assertion.error().field, c.field) << assertion.error().message;
  }
  EXPECT_EQ(count_assertions(store(), badgeclass_.entity_id), 0u);
}

TEST_F(StoreTest, IssueNeedsAnExistingBadgeClass) {
  for (const char* id : {"AAAAAAAAAAAAAAAAAAAAAA", "", "not an id"}) {
    auto assertion = store().issue(id, testing::email_recipient("ada@example.org"));
    ASSERT_FALSE(assertion.ok());
    EXPECT_EQ(assertion.error().code, ErrorCode::NotFound);
    EXPECT_EQ(assertion.error().field, "badgeclass");
  }
  auto batch = store().issue_batch("AAAAAAAAAAAAAAAAAAAAAA", testing::recipients(3));
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.error().code, ErrorCode::NotFound);
}

TEST_F(StoreTest, IssueRefusesADuplicateAwardWhenAskedTo) {
  IssueOptions no_duplicates;
  no_duplicates.allow_duplicate_awards = false;
  Assertion first = issue_to("ada@example.org", no_duplicates);
  auto again = store().issue(badgeclass_.entity_id, testing::email_recipient("ADA@example.org"),
                             no_duplicates);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::Conflict);
  EXPECT_EQ(again.error().field, "recipient");
  // Duplicates are allowed by default, and a revoked award does not count.
  EXPECT_TRUE(
      store().issue(badgeclass_.entity_id, testing::email_recipient("ada@example.org")).ok());
  auto revoked = store().revoke(first.entity_id, "reissue");
  ASSERT_TRUE(revoked.ok());
  auto second = store().issue(badgeclass_.entity_id, testing::email_recipient("ada@example.org"),
                              no_duplicates);
  EXPECT_FALSE(second.ok()) << "the default-allowed second award is still unrevoked";
}

TEST_F(StoreTest, ARevokedAwardDoesNotBlockANewOne) {
  IssueOptions no_duplicates;
  no_duplicates.allow_duplicate_awards = false;
  Assertion first = issue_to("ada@example.org", no_duplicates);
  ASSERT_TRUE(store().revoke(first.entity_id, "reissue").ok());
  auto second = store().issue(badgeclass_.entity_id, testing::email_recipient("ada@example.org"),
                              no_duplicates);
  ASSERT_TRUE(second.ok()) << second.error().message;
  // The same person holding another badge class is not a duplicate either.
  auto other = store().create_badgeclass(testing::sample_badgeclass(issuer_.entity_id, "Other"));
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(
      store()
          .issue(other->entity_id, testing::email_recipient("ada@example.org"), no_duplicates)
          .ok());
}

TEST_F(StoreTest, IssueBatchAwardsEveryRecipientInOneGo) {
  auto batch = store().issue_batch(badgeclass_.entity_id, testing::recipients(2500));
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  EXPECT_TRUE(batch->committed);
  EXPECT_EQ(batch->issued, 2500u);
  EXPECT_EQ(batch->duplicates, 0u);
  EXPECT_EQ(batch->invalid, 0u);
  ASSERT_EQ(batch->items.size(), 2500u);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < batch->items.size(); ++i) {
    const IssueItemResult& item = batch->items[i];
    EXPECT_EQ(item.index, i);
    EXPECT_TRUE(item.issued);
    EXPECT_EQ(item.code, "");
    ids.insert(item.entity_id);
  }
  EXPECT_EQ(ids.size(), 2500u);
  auto last = store().get_assertion(batch->items[2499].entity_id);
  ASSERT_TRUE(last.ok());
  EXPECT_TRUE(
      identity_matches("learner2499@example.org", last->recipient.identity, last->recipient.salt));
  EXPECT_EQ(count_assertions(store(), badgeclass_.entity_id), 2500u);
}

TEST_F(StoreTest, IssueBatchOfNothingCommitsNothing) {
  auto batch = store().issue_batch(badgeclass_.entity_id, {});
  ASSERT_TRUE(batch.ok());
  EXPECT_TRUE(batch->committed);
  EXPECT_EQ(batch->issued, 0u);
  EXPECT_TRUE(batch->items.empty());
}

TEST_F(StoreTest, IssueBatchWithAnInvalidItemWritesNothingAndReportsEveryInvalidItem) {
  auto inputs = testing::recipients(2100);
  inputs[5].identity = "broken";
  inputs[2050].type = "pigeon";
  auto batch = store().issue_batch(badgeclass_.entity_id, inputs);
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  EXPECT_FALSE(batch->committed);
  EXPECT_EQ(batch->issued, 0u);
  EXPECT_EQ(batch->invalid, 2u);
  EXPECT_EQ(batch->items[5].code, "invalid");
  EXPECT_EQ(batch->items[5].error.field, "recipient.identity");
  EXPECT_EQ(batch->items[2050].code, "invalid");
  EXPECT_EQ(batch->items[2050].error.field, "recipient.type");
  EXPECT_FALSE(batch->items[0].issued);
  EXPECT_EQ(batch->items[0].entity_id, "");
  EXPECT_EQ(count_assertions(store(), badgeclass_.entity_id), 0u);
}

TEST_F(StoreTest, IssueBatchWithSkipInvalidIssuesTheValidItems) {
  auto inputs = testing::recipients(10);
  inputs[3].identity = "broken";
  inputs[7].issued_on = "2024-13-01";
  IssueOptions options;
  options.skip_invalid = true;
  auto batch = store().issue_batch(badgeclass_.entity_id, inputs, options);
  ASSERT_TRUE(batch.ok());
  EXPECT_TRUE(batch->committed);
  EXPECT_EQ(batch->issued, 8u);
  EXPECT_EQ(batch->invalid, 2u);
  EXPECT_EQ(batch->items[3].code, "invalid");
  EXPECT_EQ(batch->items[7].error.field, "issuedOn");
  EXPECT_FALSE(batch->items[3].issued);
  EXPECT_TRUE(batch->items[4].issued);
  EXPECT_TRUE(store().get_assertion(batch->items[4].entity_id).ok());
  EXPECT_EQ(count_assertions(store(), badgeclass_.entity_id), 8u);
}

TEST_F(StoreTest, IssueBatchSkipsDuplicatesIncludingRepeatsWithinTheBatch) {
  IssueOptions no_duplicates;
  no_duplicates.allow_duplicate_awards = false;
  issue_to("learner1@example.org");
  auto inputs = testing::recipients(5);
  inputs.push_back(testing::email_recipient("LEARNER3@example.org"));  // repeat within the batch
  auto batch = store().issue_batch(badgeclass_.entity_id, inputs, no_duplicates);
  ASSERT_TRUE(batch.ok());
  EXPECT_TRUE(batch->committed);
  EXPECT_EQ(batch->issued, 4u);
  EXPECT_EQ(batch->duplicates, 2u);
  EXPECT_EQ(batch->items[1].code, "duplicate");
  EXPECT_FALSE(batch->items[1].issued);
  EXPECT_EQ(batch->items[5].code, "duplicate");
  EXPECT_TRUE(batch->items[3].issued);
  EXPECT_EQ(count_assertions(store(), badgeclass_.entity_id), 5u);
}

TEST_F(StoreTest, ExpiresDefaultsFromTheBadgeClass) {
  BadgeClass yearly = testing::sample_badgeclass(issuer_.entity_id, "Yearly");
  yearly.expires = Expiration{1, "years"};
  auto badgeclass = store().create_badgeclass(yearly);
  ASSERT_TRUE(badgeclass.ok()) << badgeclass.error().message;
  RecipientInput leap = testing::email_recipient("ada@example.org");
  leap.issued_on = "2024-02-29T12:00:00Z";
  RecipientInput explicit_expiry = testing::email_recipient("grace@example.org");
  explicit_expiry.issued_on = "2024-02-29T12:00:00Z";
  explicit_expiry.expires = "2030-01-01T00:00:00Z";
  auto batch = store().issue_batch(badgeclass->entity_id, {leap, explicit_expiry});
  ASSERT_TRUE(batch.ok());
  ASSERT_EQ(batch->issued, 2u);
  auto first = store().get_assertion(batch->items[0].entity_id);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->expires, "2025-02-28T12:00:00Z");  // clamped to the month's end
  auto second = store().get_assertion(batch->items[1].entity_id);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->expires, "2030-01-01T00:00:00Z");
  // Without a default, no expiry.
  Assertion plain = issue_to("lin@example.org");
  EXPECT_EQ(plain.expires, "");
}

TEST_F(StoreTest, ProgressIsReportedBetweenChunksAndCancelWritesNothing) {
  std::vector<std::size_t> seen;
  auto batch = store().issue_batch(badgeclass_.entity_id, testing::recipients(2500), {},
                                   [&](std::size_t done, std::size_t total) {
                                     EXPECT_EQ(total, 2500u);
                                     seen.push_back(done);
                                     return true;
                                   });
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(seen, (std::vector<std::size_t>{1000, 2000, 2500}));

  auto cancelled =
      store().issue_batch(badgeclass_.entity_id, testing::recipients(2500, "other"), {},
                          [](std::size_t done, std::size_t) { return done < 2000; });
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.error().code, ErrorCode::Cancelled);
  EXPECT_EQ(count_assertions(store(), badgeclass_.entity_id), 2500u);
}

TEST_F(StoreTest, AProgressCallbackThatThrowsCancelsTheBatch) {
  auto batch = store().issue_batch(
      badgeclass_.entity_id, testing::recipients(1500), {},
      [](std::size_t, std::size_t) -> bool { throw std::runtime_error("caller's bug"); });
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.error().code, ErrorCode::Cancelled);
  EXPECT_EQ(count_assertions(store(), badgeclass_.entity_id), 0u);
}

class PrivateStoreTest : public StoreTest {
 protected:
  StoreOptions options() const override {
    StoreOptions private_options;
    private_options.keep_plaintext = false;
    return private_options;
  }
};

TEST_F(PrivateStoreTest, KeepPlaintextFalseStoresOnlyTheHashes) {
  Assertion assertion = issue_to("ada@example.org");
  EXPECT_EQ(assertion.recipient.plaintext_identity, "");
  EXPECT_TRUE(
      identity_matches("ada@example.org", assertion.recipient.identity, assertion.recipient.salt));
  // The plaintext is nowhere in the file.
  reopen();
  std::ifstream file(store_location() + "/data.mdb", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find("ada@example.org"), std::string::npos);
  // The keyed recipient index still finds the award.
  AssertionQuery query;
  query.scope = AssertionQuery::Scope::Recipient;
  query.recipient = "Ada@Example.org";
  auto page = store().list_assertions(query);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].entity_id, assertion.entity_id);
}

TEST(StoreGrowth, ATinyMapGrowsToHoldABigBatch) {
  testing::TestStoreLocation location;  // on PostgreSQL the batch simply fits
  StoreOptions options;
  options.initial_map_bytes = 1u << 20;  // 1 MiB: the batch needs several times that
  auto store = Store::open(location.path(), options);
  ASSERT_TRUE(store.ok());
  auto issuer = store->create_issuer(testing::sample_issuer());
  ASSERT_TRUE(issuer.ok());
  auto badgeclass = store->create_badgeclass(testing::sample_badgeclass(issuer->entity_id));
  ASSERT_TRUE(badgeclass.ok());
  auto batch = store->issue_batch(badgeclass->entity_id, testing::recipients(5000));
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  EXPECT_EQ(batch->issued, 5000u);
  // Revocations after the batch grow the map again from inside a write (MDB_MAP_FULL + retry).
  std::vector<RevokeItem> items;
  std::string long_reason(2000, 'r');
  for (const IssueItemResult& item : batch->items) items.push_back({item.entity_id, long_reason});
  auto revoked = store->revoke_batch(items);
  ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  EXPECT_TRUE(revoked->back().revoked);
  EXPECT_EQ(count_assertions(store.value(), badgeclass->entity_id), 5000u);
}

}  // namespace
}  // namespace laurel
