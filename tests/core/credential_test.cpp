#include "laurel/credential.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "laurel/documents.hpp"
#include "laurel/jws.hpp"
#include "laurel/ob3_documents.hpp"
#include "laurel/verify.hpp"
#include "sample_badge.hpp"

namespace laurel {
namespace {

using test::kBase;

Json sample_credential() {
  return open_badge_credential(test::sample_assertion(), test::sample_badgeclass(),
                               test::sample_issuer(), kBase);
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

const std::string kKeyId = "KEYKEYKEYKEYKEYKEYKEYK";
const std::string kProfile = ob3_issuer_url(kBase, "AAAAAAAAAAAAAAAAAAAAAA");
// The golden token's kid: the key's JsonWebKey method in the issuer's OB 3.0 Profile.
const std::string kKid = jwk_method_id(kProfile, kKeyId);

// The Profile the golden token's kid resolves in (tests/data/ob3/issuer.json).
Json golden_profile() {
  return ob3_profile_document(test::sample_issuer(), kProfile,
                              {PublishedKey{kKeyId, test::ed25519_test_key().public_key()}});
}

TEST(Credential, IsAnOpenBadgeCredentialWithAHashedRecipient) {
  Json vc = sample_credential();
  EXPECT_EQ(vc.find("@context")->as_array().at(0).as_string(),
            "https://www.w3.org/ns/credentials/v2");
  EXPECT_EQ(vc.find("@context")->as_array().at(1).as_string(), kOb3Context);
  EXPECT_EQ(*vc.find("type"),
            Json(Json::Array{Json("VerifiableCredential"), Json("OpenBadgeCredential")}));
  EXPECT_EQ(vc.get_string("id"), assertion_url(kBase, "CCCCCCCCCCCCCCCCCCCCCC"));
  EXPECT_EQ(vc.find("issuer")->get_string("id"), kProfile);
  EXPECT_EQ(vc.find("credentialSubject")->find("achievement")->get_string("id"),
            ob3_achievement_url(kBase, "BBBBBBBBBBBBBBBBBBBBBB"));
  EXPECT_EQ(vc.get_string("validFrom"), "2024-05-01T12:00:00Z");
  const Json* subject = vc.find("credentialSubject");
  ASSERT_NE(subject, nullptr);
  EXPECT_EQ(subject->find("achievement")->get_string("name"), "Robotics");
  const Json& identifier = subject->find("identifier")->as_array().at(0);
  EXPECT_EQ(identifier.get_string("type"), "IdentityObject");
  EXPECT_EQ(identifier.get_string("identityType"), "emailAddress");
  EXPECT_EQ(identifier.get_string("identityHash"), test::sample_assertion().recipient.identity);
  EXPECT_EQ(vc.dump().find("Ada@"), std::string::npos);
}

TEST(Credential, VcJwtMatchesTheGoldenToken) {
  auto jwt = sign_credential(sample_credential(), test::ed25519_test_key(), kKid);
  ASSERT_TRUE(jwt.ok()) << jwt.error().message;
  // LAUREL_UPDATE_GOLDEN=1 rewrites the token and the Profile after an intended change.
  if (std::getenv("LAUREL_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(test::test_data() / "ob3/credential.jwt") << jwt.value() << "\n";
    std::ofstream(test::test_data() / "ob3/issuer.json") << golden_profile().dump() << "\n";
  }
  EXPECT_EQ(jwt.value(), trimmed(test::read_file(test::test_data() / "ob3/credential.jwt")));
  auto parsed = jws_parse(jwt.value());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->header.get_string("alg"), "EdDSA");
  EXPECT_EQ(parsed->header.get_string("kid"), kKid);
  auto claims = Json::parse(parsed->payload);
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->get_string("iss"), kProfile);
  EXPECT_EQ(claims->get_string("jti"), assertion_url(kBase, "CCCCCCCCCCCCCCCCCCCCCC"));
  EXPECT_EQ(claims->find("nbf")->as_int(), 1714564800);
}

TEST(Credential, GoldenTokenVerifiesWithItsDocumentsAndRecipient) {
  DocumentMap documents = {{kProfile, test::read_file(test::test_data() / "ob3/issuer.json")}};
  VerifyOptions options;
  options.recipient = test::kRecipientEmail;
  Report report =
      verify(test::read_file(test::test_data() / "ob3/credential.jwt"), documents, options);
  EXPECT_TRUE(report.valid) << report.to_json().dump();
  EXPECT_EQ(report.recipient_match, true);
  EXPECT_TRUE(report.warnings.empty()) << report.to_json().dump();
  EXPECT_EQ(report.badge.get_string("version"), "3.0");
  EXPECT_EQ(report.badge.get_string("name"), "Robotics");
}

TEST(Credential, SignsWithRsaKeysAndRefusesIncompleteCredentials) {
  auto rs256 = sign_credential(sample_credential(), test::rsa_test_key(), "k");
  ASSERT_TRUE(rs256.ok());
  EXPECT_EQ(jws_parse(rs256.value())->header.get_string("alg"), "RS256");
  EXPECT_TRUE(jws_verify(jws_parse(rs256.value()).value(), test::rsa_test_key().public_key()));
  Json no_issuer = sample_credential();
  no_issuer.erase("issuer");
  EXPECT_FALSE(sign_credential(no_issuer, test::ed25519_test_key(), "k").ok());
}

TEST(Credential, ExpiryBecomesValidUntilAndExp) {
  Assertion assertion = test::sample_assertion();
  assertion.expires = "2030-01-01T00:00:00Z";
  Json vc =
      open_badge_credential(assertion, test::sample_badgeclass(), test::sample_issuer(), kBase);
  EXPECT_EQ(vc.get_string("validUntil"), "2030-01-01T00:00:00Z");
  auto jwt = sign_credential(vc, test::ed25519_test_key(), "k");
  ASSERT_TRUE(jwt.ok());
  EXPECT_EQ(Json::parse(jws_parse(jwt.value())->payload)->find("exp")->as_int(), 1893456000);
}

}  // namespace
}  // namespace laurel

namespace laurel {
namespace {

TEST(Credential, DidKeyIssuerVerifiesWithoutDocuments) {
  KeyPair key = test::ed25519_test_key();
  std::string did = did_key_of(key.public_key());
  Json vc = open_badge_credential(test::sample_assertion(), test::sample_badgeclass(),
                                  test::sample_issuer(), test::kBase);
  Json issuer = *vc.find("issuer");
  issuer.set("id", did);
  vc.set("issuer", issuer);
  auto jwt = sign_credential(vc, key, did + "#" + did.substr(8));
  ASSERT_TRUE(jwt.ok());
  Report report = verify(jwt.value());
  EXPECT_TRUE(report.valid) << report.to_json().dump();

  // The same key claiming to sign for another issuer is refused.
  issuer.set("id", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
  vc.set("issuer", issuer);
  auto forged = sign_credential(vc, key, did + "#" + did.substr(8));
  ASSERT_TRUE(forged.ok());
  Report refused = verify(forged.value());
  EXPECT_FALSE(refused.valid);
  EXPECT_NE(refused.to_json().dump().find("is not the issuer"), std::string::npos);
}

}  // namespace
}  // namespace laurel

namespace laurel {
namespace {

TEST(Credential, KeyMustBeAVerificationMethodOfTheIssuersProfile) {
  std::string token = trimmed(test::read_file(test::test_data() / "ob3/credential.jwt"));
  PublicKey key = test::ed25519_test_key().public_key();
  EXPECT_TRUE(verify(token, DocumentMap{{kProfile, golden_profile().dump()}}).valid);

  // Another issuer's Profile served at the URL lists the key under its own id: no such method.
  Json stolen = ob3_profile_document(test::sample_issuer(), "https://evil.example/profile",
                                     {PublishedKey{kKeyId, key}});
  stolen.set("id", kProfile);
  EXPECT_FALSE(verify(token, DocumentMap{{kProfile, stolen.dump()}}).valid);

  // The method names another controller than the Profile that lists it.
  Json hijacked = golden_profile();
  for (Json& method : hijacked.find("verificationMethod")->as_array()) {
    method.set("controller", "https://evil.example/profile");
  }
  Report report = verify(token, DocumentMap{{kProfile, hijacked.dump()}});
  EXPECT_FALSE(report.valid);
  EXPECT_NE(report.to_json().dump().find("is controlled by"), std::string::npos);

  // A retired key is no longer listed.
  Json retired = ob3_profile_document(test::sample_issuer(), kProfile, {});
  EXPECT_FALSE(verify(token, DocumentMap{{kProfile, retired.dump()}}).valid);
  // Nothing supplied: the Profile is what the report says is missing.
  Report alone = verify(token);
  EXPECT_FALSE(alone.valid);
  EXPECT_EQ(alone.missing, std::vector<std::string>{kProfile});
}

}  // namespace
}  // namespace laurel
