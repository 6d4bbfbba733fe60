// OB 3.0 credential status in the store: every award owns a random bit of a Bitstring Status
// List, revocation sets it in the same transaction, and the published list says so.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "laurel/credential.hpp"
#include "laurel/jws.hpp"
#include "laurel/ob3_documents.hpp"
#include "laurel/status_list.hpp"
#include "laurel/store.hpp"
#include "laurel/verify.hpp"
#include "test_support.hpp"

namespace laurel {
namespace {

using testing::StoreTest;

constexpr char kBase[] = "https://badges.example.edu";

std::size_t set_bits(std::string_view bits) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < bits.size() * 8; ++i) count += status_bit(bits, i) ? 1 : 0;
  return count;
}

TEST_F(StoreTest, EveryAwardGetsADistinctRandomStatusIndex) {
  auto batch = store().issue_batch(badgeclass_.entity_id, testing::recipients(2000));
  ASSERT_TRUE(batch.ok());
  Assertion single = issue_to("single@example.org");
  std::set<std::int64_t> indexes;
  std::string list;
  std::vector<std::int64_t> in_issue_order;
  for (const auto& item : batch->items) {
    auto entry = store().status_entry(item.entity_id);
    ASSERT_TRUE(entry.ok()) << entry.error().message;
    ASSERT_TRUE(entry->is_object());
    EXPECT_EQ(entry->get_string("issuer"), issuer_.entity_id);
    if (list.empty()) list = entry->get_string("list");
    EXPECT_EQ(entry->get_string("list"), list);  // one list holds them all (fill limit 65,536)
    const std::int64_t index = entry->find("index")->as_int();
    EXPECT_GE(index, 0);
    EXPECT_LT(index, std::int64_t(kStatusListBits));
    indexes.insert(index);
    in_issue_order.push_back(index);
  }
  auto single_entry = store().status_entry(single.entity_id);
  ASSERT_TRUE(single_entry.ok());
  indexes.insert(single_entry->find("index")->as_int());
  EXPECT_EQ(indexes.size(), 2001u);
  // Random, not sequential: issue order does not show in the indexes.
  std::size_t ascending = 0;
  for (std::size_t i = 1; i < in_issue_order.size(); ++i) {
    ascending += in_issue_order[i] > in_issue_order[i - 1] ? 1 : 0;
  }
  EXPECT_GT(ascending, 800u);
  EXPECT_LT(ascending, 1200u);
  EXPECT_GT(*indexes.rbegin() - *indexes.begin(), std::int64_t(kStatusListBits / 2));

  auto lists = store().status_lists(issuer_.entity_id);
  ASSERT_TRUE(lists.ok());
  EXPECT_EQ(lists.value(), std::vector<std::string>{list});
  auto bits = store().status_list_bits(issuer_.entity_id, list);
  ASSERT_TRUE(bits.ok());
  EXPECT_EQ(bits->size(), kStatusListBytes);
  EXPECT_EQ(set_bits(bits.value()), 0u);
}

TEST_F(StoreTest, RevokeAndRevokeBatchSetTheStatusBitsAndNothingElse) {
  auto batch = store().issue_batch(badgeclass_.entity_id, testing::recipients(50));
  ASSERT_TRUE(batch.ok());
  std::vector<RevokeItem> items;
  for (std::size_t i = 0; i < 10; ++i) items.push_back({batch->items[i].entity_id, "gone"});
  items.push_back({"AAAAAAAAAAAAAAAAAAAAAA", "unknown"});
  ASSERT_TRUE(store().revoke_batch(items).ok());
  ASSERT_TRUE(store().revoke(batch->items[20].entity_id, "also gone").ok());
  reopen();
  const std::string list = store().status_entry(batch->items[0].entity_id)->get_string("list");
  auto bits = store().status_list_bits(issuer_.entity_id, list);
  ASSERT_TRUE(bits.ok());
  EXPECT_EQ(set_bits(bits.value()), 11u);
  for (std::size_t i = 0; i < 50; ++i) {
    auto entry = store().status_entry(batch->items[i].entity_id);
    const bool revoked = i < 10 || i == 20;
    EXPECT_EQ(status_bit(bits.value(), std::uint64_t(entry->find("index")->as_int())), revoked)
        << i;
  }
}

TEST_F(StoreTest, AnAbortedBatchAllocatesNoStatus) {
  auto recipients = testing::recipients(5);
  recipients[3].identity = "not an email";
  auto batch = store().issue_batch(badgeclass_.entity_id, recipients);
  ASSERT_TRUE(batch.ok());
  EXPECT_FALSE(batch->committed);
  auto lists = store().status_lists(issuer_.entity_id);
  ASSERT_TRUE(lists.ok());
  EXPECT_TRUE(lists->empty());
}

TEST_F(StoreTest, StatusCallsNameTheUnknownThing) {
  EXPECT_EQ(store().status_lists("AAAAAAAAAAAAAAAAAAAAAA").error().code, ErrorCode::NotFound);
  auto list = store().status_list_bits(issuer_.entity_id, "AAAAAAAAAAA");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().code, ErrorCode::NotFound);
  EXPECT_EQ(list.error().field, "list_id");
  EXPECT_EQ(store().status_list_bits(issuer_.entity_id, "../../x").error().field, "list_id");
  EXPECT_EQ(store().status_entry("nope").error().code, ErrorCode::NotFound);
  EXPECT_EQ(store().status_list_credential(issuer_.entity_id, "AAAAAAAAAAA", kBase).error().code,
            ErrorCode::NotFound);
}

TEST_F(StoreTest, TheCredentialNamesItsStatusAndTheListCredentialShowsTheRevocation) {
  Assertion kept = issue_to("kept@example.org");
  Assertion revoked = issue_to("revoked@example.org");
  auto vc_jwt = store().credential(revoked.entity_id, kBase);
  ASSERT_TRUE(vc_jwt.ok()) << vc_jwt.error().message;
  auto parsed = jws_parse(vc_jwt.value());
  ASSERT_TRUE(parsed.ok());
  auto claims = Json::parse(parsed->payload);
  ASSERT_TRUE(claims.ok());
  const Json* status = claims->find("credentialStatus");
  ASSERT_NE(status, nullptr);
  auto entry = read_status_entry(*status);
  ASSERT_TRUE(entry.ok()) << entry.error().message;
  auto stored = store().status_entry(revoked.entity_id);
  EXPECT_EQ(status->get_string("type"), "BitstringStatusListEntry");
  EXPECT_EQ(entry->purpose, "revocation");
  EXPECT_EQ(entry->index, std::uint64_t(stored->find("index")->as_int()));
  EXPECT_EQ(entry->list_url,
            status_list_url(kBase, issuer_.entity_id, stored->get_string("list")));
  const std::string profile = ob3_issuer_url(kBase, issuer_.entity_id);
  EXPECT_EQ(claims->find("issuer")->get_string("id"), profile);
  EXPECT_EQ(claims->find("credentialSubject")->find("achievement")->get_string("id"),
            ob3_achievement_url(kBase, badgeclass_.entity_id));
  EXPECT_TRUE(parsed->header.get_string("kid").starts_with(profile + "#"));

  ASSERT_TRUE(store().revoke(revoked.entity_id, "cheated").ok());
  auto list_jwt = store().status_list_credential(issuer_.entity_id, stored->get_string("list"),
                                                 kBase);
  ASSERT_TRUE(list_jwt.ok()) << list_jwt.error().message;
  auto list = jws_parse(list_jwt.value());
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->header.get_string("kid"), parsed->header.get_string("kid"));
  auto list_claims = Json::parse(list->payload);
  ASSERT_TRUE(list_claims.ok());
  EXPECT_EQ(list_claims->get_string("id"), entry->list_url);
  EXPECT_EQ(list_claims->get_string("iss"), profile);
  auto bits = status_list_bits(list_claims.value(), "revocation");
  ASSERT_TRUE(bits.ok()) << bits.error().message;
  EXPECT_EQ(bits->size(), kStatusListBytes);
  EXPECT_TRUE(status_bit(bits.value(), entry->index));
  auto kept_entry = store().status_entry(kept.entity_id);
  EXPECT_FALSE(status_bit(bits.value(), std::uint64_t(kept_entry->find("index")->as_int())));
  EXPECT_EQ(set_bits(bits.value()), 1u);
}

TEST_F(StoreTest, Ob3DocumentsListEveryKeyAsVerificationMethods) {
  ASSERT_TRUE(store().create_key(issuer_.entity_id, KeyAlgorithm::EdDSA).ok());
  ASSERT_TRUE(store().create_key(issuer_.entity_id, KeyAlgorithm::RS256).ok());
  ASSERT_TRUE(store().create_key(issuer_.entity_id, KeyAlgorithm::ES256).ok());
  auto keys = store().list_keys(issuer_.entity_id);
  auto profile = store().public_document("ob3_issuer", issuer_.entity_id, kBase);
  ASSERT_TRUE(profile.ok()) << profile.error().message;
  const std::string profile_id = ob3_issuer_url(kBase, issuer_.entity_id);
  EXPECT_EQ(profile->get_string("id"), profile_id);
  const Json* methods = profile->find("verificationMethod");
  ASSERT_NE(methods, nullptr);
  ASSERT_EQ(methods->size(), 4u);  // Ed25519 as Multikey and JWK, RSA and P-256 as JWK
  std::set<std::string> ids;
  for (const Json& method : methods->as_array()) {
    ids.insert(method.get_string("id"));
    EXPECT_EQ(method.get_string("controller"), profile_id);
    if (method.get_string("type") == "Multikey") {
      EXPECT_TRUE(method.get_string("publicKeyMultibase").starts_with("z6Mk"));
    } else {
      EXPECT_EQ(method.get_string("type"), "JsonWebKey");
      EXPECT_TRUE(public_key_from_jwk(*method.find("publicKeyJwk")).ok());
    }
  }
  const std::string ed_id = keys->at(0).get_string("keyId");
  EXPECT_TRUE(ids.count(profile_id + "#" + ed_id));
  EXPECT_TRUE(ids.count(profile_id + "#" + ed_id + "-jwk"));
  EXPECT_EQ(profile->find("assertionMethod")->size(), 4u);

  auto jwks = store().public_document("ob3_jwks", issuer_.entity_id, kBase);
  ASSERT_TRUE(jwks.ok());
  ASSERT_EQ(jwks->find("keys")->size(), 3u);
  const Json& p256 = jwks->find("keys")->as_array()[2];
  EXPECT_EQ(p256.get_string("kty"), "EC");
  EXPECT_EQ(p256.get_string("crv"), "P-256");
  EXPECT_EQ(p256.get_string("alg"), "ES256");
  EXPECT_EQ(p256.get_string("kid"), profile_id + "#" + keys->at(2).get_string("keyId") + "-jwk");
  auto achievement = store().public_document("ob3_achievement", badgeclass_.entity_id, kBase);
  ASSERT_TRUE(achievement.ok());
  EXPECT_EQ(achievement->get_string("id"), ob3_achievement_url(kBase, badgeclass_.entity_id));
  EXPECT_EQ(achievement->get_string("name"), badgeclass_.name);
}

}  // namespace
}  // namespace laurel

namespace laurel {
namespace {

using testing::StoreTest;

TEST_F(StoreTest, ARecipientNamedByItsDidIsTheCredentialSubjectAndTheJwtSub) {
  RecipientInput recipient;
  recipient.identity = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
  recipient.type = "id";
  recipient.hashed = false;
  auto assertion = store().issue(badgeclass_.entity_id, recipient);
  ASSERT_TRUE(assertion.ok()) << assertion.error().message;
  auto vc_jwt = store().credential(assertion->entity_id, kBase);
  ASSERT_TRUE(vc_jwt.ok());
  auto claims = Json::parse(jws_parse(vc_jwt.value())->payload);
  EXPECT_EQ(claims->find("credentialSubject")->get_string("id"), recipient.identity);
  EXPECT_EQ(claims->get_string("sub"), recipient.identity);
  auto profile = store().public_document("ob3_issuer", issuer_.entity_id, kBase);
  DocumentMap documents = {{profile->get_string("id"), profile->dump()}};
  VerifyOptions options;
  options.recipient = recipient.identity;
  Report report = verify(vc_jwt.value(), documents, options);
  EXPECT_EQ(report.recipient_match, std::optional<bool>(true));
  options.recipient = "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi";
  EXPECT_EQ(verify(vc_jwt.value(), documents, options).recipient_match,
            std::optional<bool>(false));
  // A hashed email recipient has no subject id and no sub.
  auto email = store().credential(issue_to("ada@example.org").entity_id, kBase);
  auto email_claims = Json::parse(jws_parse(email.value())->payload);
  EXPECT_EQ(email_claims->find("credentialSubject")->find("id"), nullptr);
  EXPECT_EQ(email_claims->find("sub"), nullptr);
}

TEST_F(StoreTest, AnEs256CredentialVerifiesThroughTheProfilesJwkAndTamperingFails) {
  auto assertion = issue_to("ada@example.org");
  auto vc_jwt = store().credential(assertion.entity_id, kBase, CredentialFormat::VcJwt,
                                   KeyAlgorithm::ES256);
  ASSERT_TRUE(vc_jwt.ok()) << vc_jwt.error().message;
  auto parsed = jws_parse(vc_jwt.value());
  EXPECT_EQ(parsed->header.get_string("alg"), "ES256");
  EXPECT_EQ(parsed->signature.size(), kP256SignatureBytes);  // r || s, not DER
  auto profile = store().public_document("ob3_issuer", issuer_.entity_id, kBase);
  DocumentMap documents = {{profile->get_string("id"), profile->dump()}};
  Report report = verify(vc_jwt.value(), documents);
  EXPECT_TRUE(report.valid) << report.to_json().dump();
  auto signature = std::find_if(report.checks.begin(), report.checks.end(),
                                [](const Check& check) { return check.name == "signature"; });
  ASSERT_NE(signature, report.checks.end());
  EXPECT_EQ(signature->message.rfind("ES256", 0), 0u) << signature->message;
  std::string tampered = vc_jwt.value();
  tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify(tampered, documents).valid);
}

}  // namespace
}  // namespace laurel
