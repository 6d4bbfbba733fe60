// Laurel's own Data Integrity credentials: issued by the store with the issuer's Ed25519 key,
// verified against the issuer Profile that names the key (the contract with the OB 3.0 documents).
#include <gtest/gtest.h>

#include "laurel/credential.hpp"
#include "laurel/data_integrity.hpp"
#include "laurel/ob3_documents.hpp"
#include "laurel/store.hpp"
#include "laurel/verify.hpp"
#include "test_support.hpp"

namespace laurel {
namespace {

using testing::StoreTest;

constexpr char kBase[] = "https://badges.example.edu";

bool passed(const Report& report, std::string_view name) {
  bool seen = false;
  for (const Check& check : report.checks) {
    if (check.name == name) {
      if (!check.ok) return false;
      seen = true;
    }
  }
  return seen;
}

TEST_F(StoreTest, DataIntegrityCredentialVerifiesAgainstTheIssuerProfile) {
  Assertion awarded = issue_to("ada@example.org");
  auto text = store().credential(awarded.entity_id, kBase, CredentialFormat::DataIntegrity);
  ASSERT_TRUE(text.ok()) << text.error().message;
  auto credential = Json::parse(text.value());
  ASSERT_TRUE(credential.ok());
  const Json* proof = credential->find("proof");
  ASSERT_TRUE(proof != nullptr && proof->is_object());
  EXPECT_EQ(proof->get_string("type"), kDataIntegrityProofType);
  EXPECT_EQ(proof->get_string("cryptosuite"), kEddsaRdfc2022);
  EXPECT_EQ(proof->get_string("proofPurpose"), kAssertionMethod);
  const std::string profile_url = ob3_issuer_url(kBase, issuer_.entity_id);
  EXPECT_TRUE(proof->get_string("verificationMethod").starts_with(profile_url + "#"));

  auto profile = store().public_document("ob3_issuer", issuer_.entity_id, kBase);
  ASSERT_TRUE(profile.ok()) << profile.error().message;
  DocumentMap documents = {{profile_url, profile->dump()}};
  VerifyOptions options;
  options.recipient = "ada@example.org";
  Report report = verify(text.value(), documents, options);
  EXPECT_TRUE(report.valid) << report.to_json().dump();
  EXPECT_TRUE(passed(report, "key") && passed(report, "canonicalization") &&
              passed(report, "proof"))
      << report.to_json().dump();
  EXPECT_EQ(report.recipient_match, true);
  EXPECT_EQ(report.badge.get_string("verification"), "embedded");

  // One changed character in a claim breaks the proof.
  Json tampered = credential.value();
  Json subject = *tampered.find("credentialSubject");
  Json achievement = *subject.find("achievement");
  achievement.set("name", achievement.get_string("name") + "!");
  subject.set("achievement", achievement);
  tampered.set("credentialSubject", subject);
  Report broken = verify(tampered.dump(), documents, options);
  EXPECT_FALSE(broken.valid);
  EXPECT_FALSE(passed(broken, "proof"));

  // Without the Profile nothing vouches for the key: invalid, and the report asks for it.
  Report alone = verify(text.value(), DocumentMap{}, options);
  EXPECT_FALSE(alone.valid);
  EXPECT_EQ(alone.missing, std::vector<std::string>{profile_url});
}

TEST_F(StoreTest, VcJwtStaysTheDefaultFormat) {
  Assertion awarded = issue_to("bob@example.org");
  auto jwt = store().credential(awarded.entity_id, kBase);
  ASSERT_TRUE(jwt.ok());
  EXPECT_EQ(std::count(jwt->begin(), jwt->end(), '.'), 2);
  EXPECT_EQ(credential_format_from_name("vc-jwt"), CredentialFormat::VcJwt);
  EXPECT_EQ(credential_format_from_name("data-integrity"), CredentialFormat::DataIntegrity);
  EXPECT_FALSE(credential_format_from_name("jwt").has_value());
}

}  // namespace
}  // namespace laurel
