// VC-JWTs from claims templates (VcJwtBatch) are the very tokens the credential rule makes one at
// a time: in memory against sign_credential(open_badge_credential(...)), and through the store,
// Store::credentials of a varied batch against Store::credential of each assertion.
#include "laurel/vc_jwt_batch.hpp"

#include <gtest/gtest.h>

#include "laurel/jws.hpp"
#include "laurel/ob3_documents.hpp"
#include "laurel/status_list.hpp"
#include "laurel/store.hpp"
#include "sample_badge.hpp"
#include "test_support.hpp"

namespace laurel {
namespace {

constexpr char kLearnerDid[] = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

// Every shape a credential takes (which optional members it has), each with values that need
// JSON escaping, three times over with different values so that templates are made and used.
std::vector<Assertion> varied_assertions() {
  std::vector<Assertion> out;
  for (int round = 0; round < 3; ++round) {
    const std::string n = std::to_string(round);
    Assertion base = test::sample_assertion();
    base.narrative.clear();
    base.evidence.clear();
    base.entity_id = std::string(21, char('C' + round)) + char('a' + round);
    base.issued_on = "2024-05-0" + std::to_string(round + 1) + "T12:00:0" + n + "Z";
    out.push_back(base);  // hashed email with salt
    Assertion unsalted = base;
    unsalted.recipient.salt.clear();
    out.push_back(unsalted);
    Assertion with_did = base;
    with_did.recipient.subject_id = std::string(kLearnerDid) + n;
    out.push_back(with_did);
    Assertion url = base;
    url.recipient.type = "url";
    url.recipient.hashed = false;
    url.recipient.salt.clear();
    url.recipient.identity = "https://learner" + n + ".example.org/\"me\"";
    out.push_back(url);
    Assertion did = base;
    did.recipient.type = "id";
    did.recipient.hashed = false;
    did.recipient.salt.clear();
    did.recipient.identity = kLearnerDid + n;
    out.push_back(did);
    Assertion phone = base;
    phone.recipient.type = "telephone";
    out.push_back(phone);
    Assertion expiring = base;
    expiring.expires = "2030-0" + std::to_string(round + 1) + "-01T00:00:00Z";
    out.push_back(expiring);
    Assertion told = base;
    told.narrative = "Tied it \"blind\"\nround " + n + " \\ \x01 caf\xc3\xa9";
    told.evidence = {Evidence{"https://example.org/evidence/" + n, "Watched \"live\"", "Video " + n,
                              "", "", ""},
                     Evidence{"", "Said so\tplainly", "", "described " + n, "Testimony", ""}};
    out.push_back(told);
    Assertion everything = told;
    everything.expires = expiring.expires;
    everything.recipient.subject_id = with_did.recipient.subject_id;
    out.push_back(everything);
    Assertion undated = base;
    undated.issued_on = "not a date " + n;  // the tree's error, not the template's
    out.push_back(undated);
  }
  return out;
}

std::string tree_token(const Assertion& assertion, const BadgeClass& badgeclass,
                       const Issuer& issuer, const std::string& profile_id, const KeyPair& key,
                       const std::string& kid, std::string_view list_id, std::uint64_t index) {
  CredentialOptions options;
  options.issuer_id = profile_id;
  options.status = ob3_credential_status(issuer, test::kBase, list_id, index);
  auto token = sign_credential(
      open_badge_credential(assertion, badgeclass, issuer, test::kBase, options), key, kid);
  return token.ok() ? token.value() : "error: " + token.error().message;
}

void expect_batch_matches_tree(const BadgeClass& badgeclass, const Issuer& issuer,
                               std::size_t expected_templated) {
  const std::string profile_id = ob3_issuer_url(test::kBase, issuer.entity_id);
  const KeyPair key = test::ed25519_test_key();
  const std::string kid = jwk_method_id(profile_id, "KEYKEYKEYKEYKEYKEYKEYK");
  VcJwtBatch batch(badgeclass, issuer, test::kBase, profile_id, key, kid);
  std::uint64_t index = 0;
  for (const Assertion& assertion : varied_assertions()) {
    for (std::string_view list_id : {"AAAAAAAAAAA", "", "bbbbbbbbbbb"}) {
      index = index * 7 + 13;
      auto made = batch.sign(assertion, list_id, index % kStatusListBits);
      const std::string expected = tree_token(assertion, badgeclass, issuer, profile_id, key,
                                              kid, list_id, index % kStatusListBits);
      EXPECT_EQ(made.ok() ? made.value() : "error: " + made.error().message, expected)
          << "assertion " << assertion.entity_id << " list " << list_id;
    }
  }
  EXPECT_EQ(batch.templated(), expected_templated);
}

TEST(VcJwtBatch, TokensAreTheCredentialRulesForEveryShape) {
  // 9 shapes x 2 (with a status list, without); the first of each goes through the tree, as do
  // the undated ones (the tree makes their error): 3 rounds x 3 lists x 9 dated = 81 credentials,
  // less the 18 first uses.
  expect_batch_matches_tree(test::sample_badgeclass(), test::sample_issuer(), 81 - 18);
}

TEST(VcJwtBatch, IssuerStatusFormsAndRichAchievementsAgree) {
  for (const char* form : {"1edtech", "both"}) {
    Issuer issuer = test::sample_issuer();
    issuer.credential_status = form;
    issuer.image = "https://example.org/logo.png";
    BadgeClass badgeclass = test::sample_badgeclass();
    badgeclass.tags = {"knots", "sailing \"ropes\""};
    badgeclass.criteria_narrative = "Tie it\nblindfolded";
    expect_batch_matches_tree(badgeclass, issuer, 81 - 18);
  }
}

TEST(VcJwtBatch, TextThatLooksLikeASentinelFallsBackToTheTree) {
  BadgeClass badgeclass = test::sample_badgeclass();
  badgeclass.name = "Knots LAURELxSLOTxENTITYxID LAURELxSLOTxLIST 987654321";
  // The template would cut the name apart; its self-check refuses it, so none is templated.
  expect_batch_matches_tree(badgeclass, test::sample_issuer(), 0);
}

// ---- through the store ------------------------------------------------------------------------

class StoreVcJwtBatchTest : public testing::StoreTest {
 protected:
  std::vector<std::string> issue_varied() {
    std::vector<RecipientInput> recipients;
    for (int i = 0; i < 300; ++i) {
      const std::string n = std::to_string(i);
      RecipientInput recipient = testing::email_recipient("learner" + n + "@example.org");
      switch (i % 6) {
        case 1: recipient.subject_id = std::string(kLearnerDid) + n; break;
        case 2:
          recipient.type = "url";
          recipient.hashed = false;
          recipient.identity = "https://example.org/learners/" + n;
          break;
        case 3: recipient.expires = "2031-01-0" + std::to_string(1 + i % 9) + "T00:00:00Z"; break;
        case 4:
          recipient.narrative = "Learner \"" + n + "\"\nwith\ttabs";
          recipient.evidence = {Evidence{"https://example.org/e/" + n, "saw it", "", "", "", ""}};
          break;
        case 5:
          recipient.type = "id";
          recipient.hashed = false;
          recipient.identity = std::string(kLearnerDid) + n;
          break;
        default: break;
      }
      recipient.issued_on = "2025-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10) +
                            "T08:00:00Z";
      recipients.push_back(recipient);
    }
    auto issued = store().issue_batch(badgeclass_.entity_id, recipients);
    EXPECT_TRUE(issued.ok()) << issued.error().field << ": " << issued.error().message;
    std::vector<std::string> ids;
    for (const auto& item : issued->items) ids.push_back(item.entity_id);
    // Another issuer, named by did:web and publishing both status forms, in the same batch.
    Issuer other = testing::sample_issuer("Other Academy");
    other.did_web = true;
    other.credential_status = "both";
    auto other_issuer = store().create_issuer(other);
    EXPECT_TRUE(other_issuer.ok());
    auto other_badge =
        store().create_badgeclass(testing::sample_badgeclass(other_issuer->entity_id, "Sails"));
    EXPECT_TRUE(other_badge.ok());
    auto others = store().issue_batch(other_badge->entity_id, testing::recipients(40, "sailor"));
    EXPECT_TRUE(others.ok());
    for (std::size_t i = 0; i < others->items.size(); ++i) {
      ids.insert(ids.begin() + std::ptrdiff_t(i * 7), others->items[i].entity_id);
    }
    EXPECT_TRUE(store().revoke(ids[10], "withdrawn").ok());
    EXPECT_TRUE(store().revoke(ids[200], "withdrawn").ok());
    ids.push_back("AAAAAAAAAAAAAAAAAAAAAA");  // no such assertion
    return ids;
  }
};

TEST_F(StoreVcJwtBatchTest, CredentialsAreByteForByteCredentialForAVariedBatch) {
  const std::vector<std::string> ids = issue_varied();
  const std::string base = test::kBase;
  for (KeyAlgorithm algorithm : {KeyAlgorithm::EdDSA, KeyAlgorithm::RS256, KeyAlgorithm::ES256}) {
    auto batch = store().credentials(ids, base, CredentialFormat::VcJwt, algorithm, 2);
    ASSERT_TRUE(batch.ok()) << batch.error().message;
    ASSERT_EQ(batch->size(), ids.size());
    std::size_t signed_count = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      auto one = store().credential(ids[i], base, CredentialFormat::VcJwt, algorithm);
      const auto& many = batch.value()[i];
      ASSERT_EQ(many.ok(), one.ok()) << ids[i];
      if (!one.ok()) {
        EXPECT_EQ(many.error().code, one.error().code) << ids[i];
        continue;
      }
      ++signed_count;
      if (algorithm == KeyAlgorithm::ES256) {
        // ECDSA signatures are randomised: the signing inputs must agree.
        const std::string& token = many.value();
        EXPECT_EQ(token.substr(0, token.rfind('.')), one->substr(0, one->rfind('.'))) << ids[i];
        EXPECT_TRUE(jws_parse(token).ok());
      } else {
        EXPECT_EQ(many.value(), one.value()) << ids[i];
      }
    }
    EXPECT_EQ(signed_count, ids.size() - 3);  // two revoked, one unknown
  }
}

// Store::credentials learns a batch's issuers from the assertions as it makes them: it starts
// with the key of the first assertion it can read, and items of other issuers wait a round for
// theirs (here a key each batch creates). Items that fail before any issuer is known change none
// of that.
TEST_F(StoreVcJwtBatchTest, ABatchStartingWithFailuresAndMixingIssuersMatchesOneAtATime) {
  const std::vector<std::string> issued = issue_varied();
  std::vector<std::string> ids = {"AAAAAAAAAAAAAAAAAAAAAA", "not an id", issued[10]};  // revoked
  ids.insert(ids.end(), issued.begin() + 1, issued.begin() + 60);  // the main issuer's first
  ids.push_back(issued[0]);                                          // the other issuer's
  for (KeyAlgorithm algorithm : {KeyAlgorithm::EdDSA, KeyAlgorithm::RS256}) {
    auto batch = store().credentials(ids, test::kBase, CredentialFormat::VcJwt, algorithm, 2);
    ASSERT_TRUE(batch.ok()) << batch.error().message;
    ASSERT_EQ(batch->size(), ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      auto one = store().credential(ids[i], test::kBase, CredentialFormat::VcJwt, algorithm);
      const auto& many = batch.value()[i];
      ASSERT_EQ(many.ok(), one.ok()) << i << " " << ids[i];
      if (one.ok()) {
        EXPECT_EQ(many.value(), one.value()) << ids[i];
      } else {
        EXPECT_EQ(many.error().code, one.error().code) << ids[i];
        EXPECT_EQ(many.error().message, one.error().message) << ids[i];
      }
    }
    EXPECT_FALSE(batch.value()[0].ok());
    EXPECT_FALSE(batch.value()[1].ok());
    EXPECT_FALSE(batch.value()[2].ok());
    EXPECT_TRUE(batch.value().back().ok());
  }
}

TEST_F(StoreVcJwtBatchTest, DataIntegrityBatchesStillMatchOneAtATime) {
  std::vector<std::string> ids = issue_varied();
  ids.resize(30);
  auto batch = store().credentials(ids, test::kBase, CredentialFormat::DataIntegrity,
                                   KeyAlgorithm::EdDSA, 2);
  ASSERT_TRUE(batch.ok());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto one = store().credential(ids[i], test::kBase, CredentialFormat::DataIntegrity);
    ASSERT_EQ(batch.value()[i].ok(), one.ok()) << ids[i];
    if (one.ok()) {
      EXPECT_EQ(batch.value()[i].value(), one.value());
    }
  }
}

}  // namespace
}  // namespace laurel
