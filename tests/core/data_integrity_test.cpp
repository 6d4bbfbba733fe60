// Data Integrity proofs against the W3C EdDSA Cryptosuites v1.0 test vectors
// (tests/data/vc-di-eddsa): Ed25519 is deterministic, so Laurel must reproduce each proofValue
// byte for byte and verify each signed credential.
#include "laurel/data_integrity.hpp"

#include <gtest/gtest.h>

#include "laurel/multikey.hpp"
#include "test_files.hpp"

namespace laurel {
namespace {

std::filesystem::path vectors() {
  return test::test_data() / "vc-di-eddsa";
}

Json read_json(const std::filesystem::path& path) {
  auto parsed = Json::parse(test::read_file(path));
  EXPECT_TRUE(parsed.ok()) << path;
  return parsed.ok() ? std::move(parsed).value() : Json();
}

// The one context the vectors use that Laurel does not build in, served from tests/data.
Result<Json> examples_loader(std::string_view url) {
  if (url == "https://www.w3.org/ns/credentials/examples/v2") {
    return read_json(vectors() / "contexts/credentials-examples-v2.json");
  }
  return not_found("@context", std::string(url));
}

// A key pair from a multibase Ed25519 secret (multicodec 0x1300 + the 32-byte seed).
KeyPair key_pair(std::string_view secret_multibase) {
  auto secret = base58btc_decode(secret_multibase.substr(1));
  EXPECT_TRUE(secret && secret->size() == 34);
  std::string pkcs8 =
      std::string("\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70\x04\x22\x04\x20", 16) +
      secret->substr(2);
  return KeyPair::from_pkcs8(KeyAlgorithm::EdDSA, pkcs8).value();
}

KeyPair spec_key() {
  return key_pair(read_json(vectors() / "keyPair.json").get_string("privateKeyMultibase"));
}

PublicKey spec_public_key() {
  return public_key_from_multibase(
             read_json(vectors() / "keyPair.json").get_string("publicKeyMultibase"))
      .value();
}

ProofOptions options_like(const Json& proof) {
  ProofOptions options;
  options.cryptosuite = proof.get_string("cryptosuite");
  options.verification_method = proof.get_string("verificationMethod");
  options.created = proof.get_string("created");
  return options;
}

struct SuiteVector {
  const char* signed_file;
  const char* cryptosuite;
};

class SpecVectors : public ::testing::TestWithParam<SuiteVector> {};

TEST_P(SpecVectors, LaurelReproducesTheSignedCredentialByteForByte) {
  Json expected = read_json(vectors() / GetParam().signed_file);
  Json unsigned_credential = read_json(vectors() / "unsigned.json");
  auto secured =
      add_proof(unsigned_credential, spec_key(), options_like(*expected.find("proof")),
                examples_loader);
  ASSERT_TRUE(secured.ok()) << secured.error().message;
  EXPECT_EQ(secured.value(), expected);
}

TEST_P(SpecVectors, TheSignedCredentialVerifiesAndOneChangedCharacterFails) {
  Json secured = read_json(vectors() / GetParam().signed_file);
  const Json& proof = *secured.find("proof");
  EXPECT_TRUE(verify_proof(secured, proof, spec_public_key(), examples_loader).ok());
  Json tampered = secured;
  tampered.find("credentialSubject")->set("alumniOf", "The School of Examplez");
  auto failed = verify_proof(tampered, proof, spec_public_key(), examples_loader);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().field, "signature");
}

INSTANTIATE_TEST_SUITE_P(
    DataIntegrity, SpecVectors,
    ::testing::Values(SuiteVector{"eddsa-jcs-2022/signedJCS.json", "eddsa-jcs-2022"},
                      SuiteVector{"eddsa-rdfc-2022/signedDataInt.json", "eddsa-rdfc-2022"}),
    [](const auto& info) {
      return std::string(info.param.cryptosuite[6] == 'j' ? "Jcs" : "Rdfc");
    });

TEST(DataIntegrity, Ed25519Signature2020VectorVerifies) {
  Json secured = read_json(vectors() / "Ed25519Signature2020/signedEdSig.json");
  EXPECT_TRUE(
      verify_proof(secured, *secured.find("proof"), spec_public_key(), examples_loader).ok());
}

TEST(DataIntegrity, EveryProofOfTheSpecProofSetVerifies) {
  Json secured = read_json(vectors() / "proof-set-chain/signedProofSet2.json");
  std::size_t verified = 0;
  for (const Json& proof : secured.find("proof")->as_array()) {
    auto key = public_key_from_did_key(proof.get_string("verificationMethod"));
    ASSERT_TRUE(key.ok());
    // Proofs chained by previousProof sign the document with the earlier proofs in it; this
    // vector's proofs form a set (no previousProof), each over the bare document.
    if (proof.find("previousProof") != nullptr) continue;
    EXPECT_TRUE(verify_proof(secured, proof, key.value(), examples_loader).ok())
        << proof.get_string("id");
    ++verified;
  }
  EXPECT_EQ(verified, 2u);
}

TEST(DataIntegrity, AddingAProofToASecuredDocumentMakesAProofSet) {
  Json unsigned_credential = read_json(vectors() / "unsigned.json");
  ProofOptions options;
  options.verification_method = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
  auto once = add_proof(unsigned_credential, spec_key(), options, examples_loader);
  ASSERT_TRUE(once.ok());
  options.cryptosuite = std::string(kEddsaJcs2022);
  auto twice = add_proof(once.value(), spec_key(), options, examples_loader);
  ASSERT_TRUE(twice.ok());
  const Json& proofs = *twice->find("proof");
  ASSERT_TRUE(proofs.is_array());
  ASSERT_EQ(proofs.size(), 2u);
  for (const Json& proof : proofs.as_array()) {
    EXPECT_TRUE(verify_proof(twice.value(), proof, spec_public_key(), examples_loader).ok());
  }
}

TEST(DataIntegrity, BadOptionsAndBadProofsAreErrorsNamingTheField) {
  Json unsigned_credential = read_json(vectors() / "unsigned.json");
  ProofOptions options;
  EXPECT_EQ(add_proof(unsigned_credential, spec_key(), options).error().field,
            "verificationMethod");
  options.verification_method = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
  options.cryptosuite = "eddsa-2022";
  EXPECT_EQ(add_proof(unsigned_credential, spec_key(), options).error().field, "cryptosuite");
  options.cryptosuite = std::string(kEddsaJcs2022);
  options.created = "yesterday";
  EXPECT_EQ(add_proof(unsigned_credential, spec_key(), options).error().field, "created");

  Json secured = read_json(vectors() / "eddsa-jcs-2022/signedJCS.json");
  Json proof = *secured.find("proof");
  proof.set("proofValue", "not multibase");
  EXPECT_EQ(verify_proof(secured, proof, spec_public_key()).error().field, "proof");
  proof.set("cryptosuite", "ecdsa-sd-2023");
  EXPECT_EQ(verify_proof(secured, proof, spec_public_key()).error().field, "proof");
}

TEST(DataIntegrity, AnUnknownContextIsNotFoundNamingTheUrl) {
  Json secured = read_json(vectors() / "eddsa-rdfc-2022/signedDataInt.json");
  auto failed = verify_proof(secured, *secured.find("proof"), spec_public_key());
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::NotFound);
  EXPECT_EQ(failed.error().field, "@context");
  EXPECT_NE(failed.error().message.find("https://www.w3.org/ns/credentials/examples/v2"),
            std::string::npos);
}

}  // namespace
}  // namespace laurel
