#include "laurel/documents.hpp"

#include <gtest/gtest.h>

#include "sample_badge.hpp"

namespace laurel {
namespace {

using test::kBase;

TEST(Documents, UrlsLiveUnderThePublicBase) {
  EXPECT_EQ(issuer_url("https://b.example/", "I"), "https://b.example/public/issuers/I");
  EXPECT_EQ(badgeclass_url("https://b.example", "B"), "https://b.example/public/badges/B");
  EXPECT_EQ(assertion_url("https://b.example", "A"), "https://b.example/public/assertions/A");
  EXPECT_EQ(key_url("https://b.example", "K"), "https://b.example/public/keys/K");
  EXPECT_EQ(revocation_list_url("https://b.example", "I"),
            "https://b.example/public/issuers/I/revocations");
}

TEST(Documents, IssuerIsAnOb2ProfileListingItsKeysAndRevocationList) {
  Json issuer = issuer_document(test::sample_issuer(), kBase, {"K1", "K2"});
  EXPECT_EQ(issuer.get_string("@context"), "https://w3id.org/openbadges/v2");
  EXPECT_EQ(issuer.get_string("type"), "Issuer");
  EXPECT_EQ(issuer.get_string("id"),
            "https://badges.example.edu/public/issuers/AAAAAAAAAAAAAAAAAAAAAA");
  EXPECT_EQ(issuer.get_string("name"), "Example University");
  EXPECT_EQ(issuer.get_string("email"), "badges@example.edu");
  EXPECT_EQ(issuer.get_string("url"), "https://example.edu");
  EXPECT_EQ(issuer.get_string("revocationList"),
            "https://badges.example.edu/public/issuers/AAAAAAAAAAAAAAAAAAAAAA/revocations");
  ASSERT_NE(issuer.find("publicKey"), nullptr);
  EXPECT_EQ(*issuer.find("publicKey"),
            Json(Json::Array{Json("https://badges.example.edu/public/keys/K1"),
                             Json("https://badges.example.edu/public/keys/K2")}));
  EXPECT_EQ(issuer_document(test::sample_issuer(), kBase).find("publicKey"), nullptr);
}

TEST(Documents, BadgeClassCarriesCriteriaAlignmentTagsAndExtensions) {
  BadgeClass badgeclass = test::sample_badgeclass();
  badgeclass.extensions.set("extensions:ApplyLink",
                            Json::object({{"url", "https://apply.example"}}));
  Json document = badgeclass_document(badgeclass, kBase);
  EXPECT_EQ(document.get_string("type"), "BadgeClass");
  EXPECT_EQ(document.get_string("issuer"), issuer_url(kBase, badgeclass.issuer));
  EXPECT_EQ(document.find("criteria")->get_string("narrative"), "Build a robot that walks.");
  EXPECT_EQ(document.find("alignment")->as_array().at(0).get_string("targetCode"), "4");
  EXPECT_EQ(document.find("tags")->size(), 2u);
  EXPECT_EQ(document.find("extensions:ApplyLink")->get_string("url"), "https://apply.example");
}

TEST(Documents, AssertionIsHostedOrSignedAndCarriesOnlyTheHashedRecipient) {
  Assertion assertion = test::sample_assertion();
  Json hosted = assertion_document(assertion, kBase);
  EXPECT_EQ(hosted.get_string("type"), "Assertion");
  EXPECT_EQ(hosted.get_string("badge"), badgeclass_url(kBase, assertion.badgeclass));
  EXPECT_EQ(hosted.find("verification")->get_string("type"), "hosted");
  EXPECT_EQ(hosted.find("recipient")->get_string("identity"), assertion.recipient.identity);
  EXPECT_EQ(hosted.find("recipient")->get_string("salt"), "5a1t5a1t5a1t5a1t");
  EXPECT_EQ(hosted.dump().find("Ada@"), std::string::npos);
  EXPECT_EQ(hosted.find("revoked"), nullptr);
  Json signed_document = assertion_document(assertion, kBase, "K1");
  EXPECT_EQ(signed_document.find("verification")->get_string("type"), "signed");
  EXPECT_EQ(signed_document.find("verification")->get_string("creator"), key_url(kBase, "K1"));
  assertion.revoked = true;
  assertion.revocation_reason = "mistake";
  Json revoked = assertion_document(assertion, kBase);
  EXPECT_TRUE(revoked.find("revoked")->as_bool());
  EXPECT_EQ(revoked.get_string("revocationReason"), "mistake");
}

TEST(Documents, KeyDocumentHoldsAPemThatReadsBack) {
  KeyPair key = test::rsa_test_key();
  Json document = key_document("AAAAAAAAAAAAAAAAAAAAAA", "K1", key.public_key(), kBase);
  EXPECT_EQ(document.get_string("type"), "CryptographicKey");
  EXPECT_EQ(document.get_string("owner"), issuer_url(kBase, "AAAAAAAAAAAAAAAAAAAAAA"));
  auto pem = public_key_from_pem(document.get_string("publicKeyPem"));
  ASSERT_TRUE(pem.ok());
  EXPECT_EQ(pem.value(), key.public_key());
}

TEST(Documents, RevocationListNamesAssertionsByUrl) {
  Json list = revocation_list_document("I", {{"A1", "mistake"}, {"A2", ""}}, kBase);
  EXPECT_EQ(list.get_string("type"), "RevocationList");
  const Json::Array& entries = list.find("revokedAssertions")->as_array();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].get_string("id"), assertion_url(kBase, "A1"));
  EXPECT_EQ(entries[0].get_string("revocationReason"), "mistake");
  EXPECT_EQ(entries[1].find("revocationReason"), nullptr);
}

}  // namespace
}  // namespace laurel
