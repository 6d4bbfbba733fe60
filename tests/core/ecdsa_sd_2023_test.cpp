// ecdsa-sd-2023 derived proofs against the W3C ECDSA Cryptosuites v1.0 selective disclosure
// vectors (tests/data/ecdsa-sd-2023) and the 1EdTech OB 3.0 fixture; hostile proof values are
// clear Invalid errors, never a crash.
#include <gtest/gtest.h>

#include "laurel/data_integrity.hpp"
#include "laurel/datetime.hpp"
#include "laurel/ids.hpp"
#include "laurel/multikey.hpp"
#include "laurel/verify.hpp"
#include "test_files.hpp"

namespace laurel {
namespace {

std::filesystem::path vectors() {
  return test::test_data() / "ecdsa-sd-2023";
}

Json read_json(const std::filesystem::path& path) {
  auto parsed = Json::parse(test::read_file(path));
  EXPECT_TRUE(parsed.ok()) << path;
  return parsed.ok() ? std::move(parsed).value() : Json();
}

// The context the vectors use that Laurel does not build in, served from tests/data.
Result<Json> citizenship_loader(std::string_view url) {
  if (url == "https://w3id.org/citizenship/v4rc1") {
    return read_json(vectors() / "citizenship-v4rc1.jsonld");
  }
  return not_found("@context", std::string(url));
}

PublicKey issuer_key() {
  return public_key_from_multibase(
             read_json(vectors() / "SDKeyMaterial.json").find("baseKeyPair")->get_string(
                 "publicKeyMultibase"))
      .value();
}

Json reveal(const char* example) {
  return read_json(vectors() / example / "derivedRevealDocument.json");
}

Status verify_reveal(const Json& document) {
  return verify_proof(document, *document.find("proof"), issuer_key(), citizenship_loader);
}

Json with_proof_value(Json document, const std::string& proof_value) {
  Json proof = *document.find("proof");
  proof.set("proofValue", proof_value);
  document.set("proof", std::move(proof));
  return document;
}

TEST(EcdsaSd2023, TheW3cDerivedCredentialsVerify) {
  for (const char* example : {"employ", "prc"}) {
    Status verified = verify_reveal(reveal(example));
    EXPECT_TRUE(verified.ok()) << example << ": " << verified.error().message;
  }
}

TEST(EcdsaSd2023, OneChangedCharacterInADisclosedClaimFails) {
  Json document = reveal("employ");
  Json subject = *document.find("credentialSubject");
  ASSERT_EQ(subject.get_string("birthCountry"), "Bahamas");
  subject.set("birthCountry", "Bahamaz");
  document.set("credentialSubject", std::move(subject));
  Status verified = verify_reveal(document);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().field, "signature") << verified.error().message;
}

TEST(EcdsaSd2023, AChangedMandatoryClaimFailsTheBaseSignature) {
  Json document = reveal("employ");
  document.set("validUntil", "2039-12-03T00:00:00Z");
  Status verified = verify_reveal(document);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().field, "signature");
}

TEST(EcdsaSd2023, AnotherIssuerKeyFails) {
  Json document = reveal("employ");
  PublicKey stranger =
      public_key_from_multibase(read_json(vectors() / "SDKeyMaterial.json")
                                    .find("proofKeyPair")
                                    ->get_string("publicKeyMultibase"))
          .value();
  Status verified = verify_proof(document, *document.find("proof"), stranger, citizenship_loader);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().message, "the base signature does not verify");
}

TEST(EcdsaSd2023, TruncatedAndGarbageProofValuesAreClearInvalidErrors) {
  Json document = reveal("employ");
  const std::string proof_value = document.find("proof")->get_string("proofValue");
  auto bytes = base64url_decode(std::string_view(proof_value).substr(1)).value();
  std::vector<std::string> hostile = {"", "u", "zabc", "u!!!", "u" + base64url_encode("\xd9\x5d")};
  // Every truncation of the CBOR, and a length that claims more than the input holds.
  for (std::size_t length = 3; length < bytes.size(); length += 7) {
    hostile.push_back("u" + base64url_encode(bytes.substr(0, length)));
  }
  hostile.push_back("u" + base64url_encode(bytes + std::string(1, '\0')));
  std::string huge = bytes.substr(0, 3) + "\x9b\xff\xff\xff\xff\xff\xff\xff\xff";
  hostile.push_back("u" + base64url_encode(huge));
  std::string indefinite = bytes.substr(0, 3) + "\x9f";
  hostile.push_back("u" + base64url_encode(indefinite));
  for (const std::string& value : hostile) {
    Status verified = verify_reveal(with_proof_value(document, value));
    ASSERT_FALSE(verified.ok()) << value;
    EXPECT_EQ(verified.error().code, ErrorCode::Invalid) << value;
    EXPECT_EQ(verified.error().field, "proof") << value << " " << verified.error().message;
  }
  auto truncated = verify_reveal(with_proof_value(document, "u" + base64url_encode(bytes.substr(
                                                                    0, bytes.size() / 2))));
  EXPECT_NE(truncated.error().message.find("CBOR at byte"), std::string::npos)
      << truncated.error().message;
}

TEST(EcdsaSd2023, ABaseProofIsReportedAsForTheHolder) {
  Json base = read_json(vectors() / "employ" / "addSignedSDBase.json");
  Status verified = verify_proof(base, *base.find("proof"), issuer_key(), citizenship_loader);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().field, "proof");
  EXPECT_NE(verified.error().message.find("base proofs are for the holder to derive from"),
            std::string::npos)
      << verified.error().message;
}

TEST(EcdsaSd2023, AnEd25519VerificationMethodIsRefused) {
  Json document = reveal("employ");
  PublicKey ed = public_key_from_multibase("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")
                     .value();
  Status verified = verify_proof(document, *document.find("proof"), ed, citizenship_loader);
  ASSERT_FALSE(verified.ok());
  EXPECT_NE(verified.error().message.find("P-256"), std::string::npos);
}

Report verify_fixture(std::string_view text) {
  VerifyOptions options;
  options.now = *parse_datetime("2026-01-01T00:00:00Z");
  return verify(text, DocumentMap{}, options);
}

const Check* check_named(const Report& report, std::string_view name) {
  for (const Check& check : report.checks) {
    if (check.name == name) return &check;
  }
  return nullptr;
}

TEST(EcdsaSd2023, The1EdTechDerivedCredentialIsValidAndATamperedOneIsNot) {
  const std::string text =
      test::read_file(test::fixtures() / "1edtech/ob30/sd/derivedcredential.json");
  Report report = verify_fixture(text);
  EXPECT_TRUE(report.valid) << report.to_json().dump();
  const Check* proof = check_named(report, "proof");
  ASSERT_NE(proof, nullptr);
  EXPECT_TRUE(proof->ok);
  EXPECT_NE(proof->message.find("ecdsa-sd-2023"), std::string::npos) << proof->message;

  std::string tampered = text;
  tampered.replace(tampered.find("\"Teamwork\""), 10, "\"Teamwerk\"");
  Report forged = verify_fixture(tampered);
  EXPECT_FALSE(forged.valid);
  ASSERT_NE(check_named(forged, "proof"), nullptr);
  EXPECT_FALSE(check_named(forged, "proof")->ok);
}

}  // namespace
}  // namespace laurel
