#include "laurel/multikey.hpp"

#include <gtest/gtest.h>

#include "laurel/ids.hpp"
#include "test_files.hpp"

namespace laurel {
namespace {

// The key pair of the W3C EdDSA Cryptosuites test vectors (tests/data/vc-di-eddsa/keyPair.json).
constexpr std::string_view kSpecPublicMultibase =
    "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
constexpr std::string_view kSpecSecretMultibase =
    "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";

TEST(Multikey, TheSpecKeyReadsBackToTheSameMultibase) {
  auto key = public_key_from_multibase(kSpecPublicMultibase);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(key->algorithm, KeyAlgorithm::EdDSA);
  EXPECT_EQ(public_key_to_multibase(key.value()), kSpecPublicMultibase);
  EXPECT_EQ(did_key_of(key.value()), "did:key:" + std::string(kSpecPublicMultibase));
}

TEST(Multikey, TheSpecSecretKeyDerivesTheSpecPublicKey) {
  // multicodec ed25519-priv (0x1300, varint 0x80 0x26) + the 32-byte seed.
  auto secret = base58btc_decode(kSpecSecretMultibase.substr(1));
  ASSERT_TRUE(secret.has_value());
  ASSERT_EQ(secret->size(), 34u);
  EXPECT_EQ(secret->substr(0, 2), std::string("\x80\x26"));
  // RFC 8410 §7 PKCS#8 of an Ed25519 seed.
  std::string pkcs8 =
      std::string("\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70\x04\x22\x04\x20", 16) +
      secret->substr(2);
  auto pair = KeyPair::from_pkcs8(KeyAlgorithm::EdDSA, pkcs8);
  ASSERT_TRUE(pair.ok()) << pair.error().message;
  EXPECT_EQ(public_key_to_multibase(pair->public_key()), kSpecPublicMultibase);
}

TEST(Multikey, MalformedValuesAreRefusedNamingTheField) {
  for (std::string_view bad : {"", "6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "z0OIl",
                               "zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", "z2"}) {
    auto key = public_key_from_multibase(bad);
    ASSERT_FALSE(key.ok()) << bad;
    EXPECT_EQ(key.error().field, "publicKeyMultibase");
  }
  EXPECT_FALSE(public_key_from_multibase("z" + std::string(500, '2')).ok());
}

TEST(Multikey, Base58RoundTripsLeadingZeros) {
  std::string bytes("\0\0\x01\xff", 4);
  std::string text = base58btc_encode(bytes);
  EXPECT_EQ(text.substr(0, 2), "11");
  EXPECT_EQ(base58btc_decode(text), bytes);
  EXPECT_EQ(base58btc_encode(""), "");
}

TEST(Multikey, RsaKeysHaveNoMultikeyForm) {
  auto pair = KeyPair::generate(KeyAlgorithm::RS256);
  ASSERT_TRUE(pair.ok());
  EXPECT_TRUE(public_key_to_multibase(pair->public_key()).empty());
  EXPECT_TRUE(did_key_of(pair->public_key()).empty());
}

TEST(Multikey, VerificationMethodNamesItsController) {
  auto key = public_key_from_multibase(kSpecPublicMultibase);
  ASSERT_TRUE(key.ok());
  Json method = multikey_verification_method(key.value(), "https://example.org/issuers/1#key-1",
                                              "https://example.org/issuers/1");
  EXPECT_EQ(method.dump(),
            R"({"controller":"https://example.org/issuers/1","id":"https://example.org/)"
            R"(issuers/1#key-1","publicKeyMultibase":")" +
                std::string(kSpecPublicMultibase) + R"(","type":"Multikey"})");
}

TEST(Multikey, DidKeyDocumentListsItsOneKeyForAssertions) {
  std::string did = "did:key:" + std::string(kSpecPublicMultibase);
  auto document = did_key_document(did + "#ignored");
  ASSERT_TRUE(document.ok()) << document.error().message;
  std::string method_id = did + "#" + std::string(kSpecPublicMultibase);
  EXPECT_EQ(document->get_string("id"), did);
  const Json* methods = document->find("verificationMethod");
  ASSERT_TRUE(methods != nullptr && methods->is_array() && methods->size() == 1);
  EXPECT_EQ(methods->as_array()[0].get_string("id"), method_id);
  EXPECT_EQ(methods->as_array()[0].get_string("controller"), did);
  EXPECT_EQ(methods->as_array()[0].get_string("publicKeyMultibase"), kSpecPublicMultibase);
  EXPECT_EQ(*document->find("assertionMethod"), Json(Json::Array{Json(method_id)}));
  EXPECT_FALSE(did_key_document("did:web:example.org").ok());
}

// The issuer key pair of the W3C ECDSA Cryptosuites selective disclosure vectors
// (tests/data/ecdsa-sd-2023/SDKeyMaterial.json).
constexpr std::string_view kP256PublicMultibase =
    "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP";
constexpr std::string_view kP256SecretMultibase =
    "z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN";

TEST(Multikey, AP256KeyReadsBackToTheSameMultibaseAndDidKey) {
  auto key = public_key_from_multibase(kP256PublicMultibase);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(key->algorithm, KeyAlgorithm::ES256);
  EXPECT_EQ(public_key_to_multibase(key.value()), kP256PublicMultibase);
  std::string did = "did:key:" + std::string(kP256PublicMultibase);
  EXPECT_EQ(did_key_of(key.value()), did);
  auto resolved = public_key_from_did_key(did + "#" + std::string(kP256PublicMultibase));
  ASSERT_TRUE(resolved.ok()) << resolved.error().message;
  EXPECT_EQ(resolved.value(), key.value());
  auto document = did_key_document(did);
  ASSERT_TRUE(document.ok());
  EXPECT_EQ(document->find("verificationMethod")->as_array()[0].get_string("publicKeyMultibase"),
            kP256PublicMultibase);
}

TEST(Multikey, TheP256SpecSecretKeyDerivesTheSpecPublicKey) {
  // multicodec p256-priv (0x1306, varint 0x86 0x26) + the 32-byte scalar.
  auto secret = base58btc_decode(kP256SecretMultibase.substr(1));
  ASSERT_TRUE(secret.has_value());
  ASSERT_EQ(secret->size(), 34u);
  EXPECT_EQ(secret->substr(0, 2), std::string("\x86\x26"));
  // PKCS#8 (RFC 5208) holding an RFC 5915 ECPrivateKey on the named curve prime256v1.
  std::string pkcs8 = std::string("\x30\x41\x02\x01\x00\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02"
                                  "\x01\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07\x04\x27\x30\x25"
                                  "\x02\x01\x01\x04\x20",
                                  35) +
                      secret->substr(2);
  auto pair = KeyPair::from_pkcs8(KeyAlgorithm::ES256, pkcs8);
  ASSERT_TRUE(pair.ok()) << pair.error().message;
  EXPECT_EQ(public_key_to_multibase(pair->public_key()), kP256PublicMultibase);
}

TEST(Multikey, AP256PointOffTheCurveIsRefused) {
  auto bytes = base58btc_decode(kP256PublicMultibase.substr(1));
  ASSERT_TRUE(bytes.has_value());
  std::string off = *bytes;
  off[2] = '\x04';  // not a compressed point prefix
  EXPECT_FALSE(public_key_from_multicodec(off).ok());
  off = *bytes;
  off.pop_back();
  EXPECT_FALSE(public_key_from_multicodec(off).ok());
  EXPECT_EQ(public_key_from_multibase("z" + base58btc_encode(off)).error().field,
            "publicKeyMultibase");
}

}  // namespace
}  // namespace laurel
