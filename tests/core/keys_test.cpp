#include "laurel/keys.hpp"

#include <gtest/gtest.h>

#include "laurel/ids.hpp"
#include "test_files.hpp"

namespace laurel {
namespace {

std::string key_file(const char* name) {
  return test::read_file(test::test_data() / "keys" / name);
}

KeyPair rfc8032_key() {
  auto key = KeyPair::from_pkcs8(KeyAlgorithm::EdDSA, key_file("rfc8032_test1_private.der"));
  EXPECT_TRUE(key.ok()) << key.error().message;
  return std::move(key).value();
}

KeyPair rsa_key() {
  auto key = KeyPair::from_pkcs8(KeyAlgorithm::RS256, key_file("rsa2048_private.der"));
  EXPECT_TRUE(key.ok()) << key.error().message;
  return std::move(key).value();
}

KeyPair p256_key() {
  auto key = KeyPair::from_pkcs8(KeyAlgorithm::ES256, key_file("p256_private.der"));
  EXPECT_TRUE(key.ok()) << key.error().message;
  return std::move(key).value();
}

TEST(Keys, AlgorithmNamesAreTheJoseNames) {
  EXPECT_STREQ(algorithm_name(KeyAlgorithm::RS256), "RS256");
  EXPECT_STREQ(algorithm_name(KeyAlgorithm::EdDSA), "EdDSA");
  EXPECT_STREQ(algorithm_name(KeyAlgorithm::ES256), "ES256");
  EXPECT_EQ(algorithm_from_name("EdDSA"), KeyAlgorithm::EdDSA);
  EXPECT_EQ(algorithm_from_name("RS256"), KeyAlgorithm::RS256);
  EXPECT_EQ(algorithm_from_name("ES256"), KeyAlgorithm::ES256);
  EXPECT_FALSE(algorithm_from_name("ES384"));
  EXPECT_FALSE(algorithm_from_name("none"));
  EXPECT_FALSE(algorithm_from_name("HS256"));
}

TEST(Keys, Ed25519SignatureMatchesRfc8032Test1) {
  KeyPair key = rfc8032_key();
  auto signature = key.sign("");
  ASSERT_TRUE(signature.ok());
  EXPECT_EQ(hex_encode(signature.value()),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e"
            "39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_EQ(public_key_to_pem(key.public_key()), key_file("rfc8032_test1_public.pem"));
}

TEST(Keys, SignaturesEqualOpenSslsForBothAlgorithms) {
  std::string message = key_file("message.txt");
  auto ed = rfc8032_key().sign(message);
  auto rsa = rsa_key().sign(message);
  ASSERT_TRUE(ed.ok() && rsa.ok());
  EXPECT_EQ(ed.value(), key_file("message.ed25519.sig"));
  EXPECT_EQ(rsa.value(), key_file("message.rs256.sig"));
}

TEST(Keys, OpenSslsEs256SignatureVerifiesAndATamperedOneDoesNot) {
  std::string message = key_file("message.txt");
  std::string signature = key_file("message.es256.sig");
  ASSERT_EQ(signature.size(), kP256SignatureBytes);
  PublicKey key = p256_key().public_key();
  EXPECT_EQ(key.algorithm, KeyAlgorithm::ES256);
  EXPECT_TRUE(verify_signature(key, message, signature));
  EXPECT_FALSE(verify_signature(key, message + "!", signature));
  signature[40] ^= 0x01;
  EXPECT_FALSE(verify_signature(key, message, signature));
  // r or s zero, and the DER form OpenSSL writes, are not JOSE signatures.
  EXPECT_FALSE(verify_signature(key, message, std::string(kP256SignatureBytes, '\0')));
  EXPECT_FALSE(verify_signature(key, message, std::string(72, '\x30')));
}

TEST(Keys, PublicPemIsWhatOpenSslWrites) {
  EXPECT_EQ(public_key_to_pem(p256_key().public_key()), key_file("p256_public.pem"));
  auto p256 = public_key_from_pem(key_file("p256_public.pem"));
  ASSERT_TRUE(p256.ok()) << p256.error().message;
  EXPECT_EQ(p256->algorithm, KeyAlgorithm::ES256);
  EXPECT_EQ(public_key_to_pem(rsa_key().public_key()), key_file("rsa2048_public.pem"));
  auto parsed = public_key_from_pem(key_file("rsa2048_public.pem"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value(), rsa_key().public_key());
}

TEST(Keys, GeneratedKeysSignAndVerifyAndSurviveReload) {
  for (KeyAlgorithm algorithm : {KeyAlgorithm::EdDSA, KeyAlgorithm::RS256, KeyAlgorithm::ES256}) {
    auto key = KeyPair::generate(algorithm);
    ASSERT_TRUE(key.ok()) << key.error().message;
    auto signature = key->sign("an assertion");
    ASSERT_TRUE(signature.ok());
    EXPECT_TRUE(verify_signature(key->public_key(), "an assertion", signature.value()));
    EXPECT_FALSE(verify_signature(key->public_key(), "an assertion!", signature.value()));
    std::string flipped = signature.value();
    flipped[flipped.size() / 2] ^= 0x01;
    EXPECT_FALSE(verify_signature(key->public_key(), "an assertion", flipped));
    EXPECT_FALSE(verify_signature(key->public_key(), "an assertion", signature->substr(1)));

    auto reloaded = KeyPair::from_pkcs8(algorithm, key->private_pkcs8());
    ASSERT_TRUE(reloaded.ok());
    EXPECT_EQ(reloaded->public_key(), key->public_key());
    auto pem = public_key_from_pem(public_key_to_pem(key->public_key()));
    ASSERT_TRUE(pem.ok());
    EXPECT_EQ(pem.value(), key->public_key());
    auto jwk = public_key_from_jwk(public_key_to_jwk(key->public_key()));
    ASSERT_TRUE(jwk.ok()) << jwk.error().message;
    EXPECT_EQ(jwk.value(), key->public_key());
  }
}

TEST(Keys, TwoGeneratedKeysDiffer) {
  auto first = KeyPair::generate(KeyAlgorithm::EdDSA);
  auto second = KeyPair::generate(KeyAlgorithm::EdDSA);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first->public_key(), second->public_key());
}

TEST(Keys, SignatureOfOneAlgorithmNeverVerifiesUnderTheOther) {
  std::string message = key_file("message.txt");
  PublicKey ed = rfc8032_key().public_key();
  PublicKey rsa = rsa_key().public_key();
  EXPECT_FALSE(verify_signature(ed, message, key_file("message.rs256.sig")));
  EXPECT_FALSE(verify_signature(rsa, message, key_file("message.ed25519.sig")));
  PublicKey confused{KeyAlgorithm::RS256, ed.spki_der};
  EXPECT_FALSE(verify_signature(confused, message, key_file("message.ed25519.sig")));
  PublicKey p256 = p256_key().public_key();
  EXPECT_FALSE(verify_signature(p256, message, key_file("message.ed25519.sig")));
  EXPECT_FALSE(verify_signature(ed, message, key_file("message.es256.sig")));
  PublicKey p256_as_ed{KeyAlgorithm::EdDSA, p256.spki_der};
  EXPECT_FALSE(verify_signature(p256_as_ed, message, key_file("message.es256.sig")));
}

TEST(Keys, JwkOfAP256KeyIsItsCoordinatesAndRefusesPointsOffTheCurve) {
  PublicKey key = p256_key().public_key();
  Json jwk = public_key_to_jwk(key);
  EXPECT_EQ(jwk.get_string("kty"), "EC");
  EXPECT_EQ(jwk.get_string("crv"), "P-256");
  // The SubjectPublicKeyInfo ends with 0x04 || x || y.
  EXPECT_EQ(base64url_decode(jwk.get_string("x")).value(), key.spki_der.substr(27, 32));
  EXPECT_EQ(base64url_decode(jwk.get_string("y")).value(), key.spki_der.substr(59, 32));
  Json off_curve = jwk;
  std::string y = base64url_decode(jwk.get_string("y")).value();
  y[31] ^= 0x01;
  off_curve.set("y", base64url_encode(y));
  auto refused = public_key_from_jwk(off_curve);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "jwk");
  Json other_curve = jwk;
  other_curve.set("crv", "P-384");
  EXPECT_FALSE(public_key_from_jwk(other_curve).ok());
}

TEST(Keys, JwkOfTheRfc8032KeyIsItsRawPublicKey) {
  Json jwk = public_key_to_jwk(rfc8032_key().public_key());
  EXPECT_EQ(jwk.get_string("kty"), "OKP");
  EXPECT_EQ(jwk.get_string("crv"), "Ed25519");
  EXPECT_EQ(jwk.get_string("x"), "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
}

TEST(Keys, RefusesWeakUnsupportedAndMalformedKeys) {
  EXPECT_FALSE(public_key_from_pem(key_file("rsa1024_public.pem")).ok());
  EXPECT_FALSE(public_key_from_pem(key_file("p384_public.pem")).ok());
  EXPECT_FALSE(public_key_from_pem("").ok());
  EXPECT_FALSE(
      public_key_from_pem("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----").ok());
  EXPECT_FALSE(
      public_key_from_pem("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----")
          .ok());
  auto truncated = public_key_from_pem(key_file("rsa2048_public.pem").substr(0, 200) +
                                       "\n-----END PUBLIC KEY-----");
  EXPECT_FALSE(truncated.ok());
  EXPECT_EQ(public_key_from_pem("nonsense").error().field, "publicKeyPem");
  EXPECT_FALSE(public_key_from_jwk(Json::object({{"kty", "EC"}, {"crv", "P-256"}})).ok());
  EXPECT_FALSE(
      public_key_from_jwk(Json::object({{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "AAAA"}})).ok());
  EXPECT_FALSE(
      public_key_from_jwk(Json::object({{"kty", "RSA"}, {"n", "AQAB"}, {"e", "AQAB"}})).ok());
  EXPECT_FALSE(public_key_from_jwk(Json("not an object")).ok());
  EXPECT_FALSE(KeyPair::from_pkcs8(KeyAlgorithm::EdDSA, "garbage").ok());
  EXPECT_EQ(
      KeyPair::from_pkcs8(KeyAlgorithm::RS256, key_file("rfc8032_test1_private.der")).error().code,
      ErrorCode::Crypto);
  EXPECT_FALSE(KeyPair::from_pkcs8(KeyAlgorithm::ES256, key_file("rsa2048_private.der")).ok());
  EXPECT_FALSE(KeyPair::from_pkcs8(KeyAlgorithm::ES256, "garbage").ok());
}

}  // namespace
}  // namespace laurel

namespace laurel {
namespace {

TEST(Keys, DidKeyOfTheRfc8032KeyRoundTrips) {
  PublicKey key = rfc8032_key().public_key();
  std::string did = did_key_of(key);
  // did:key of the RFC 8032 TEST 1 public key (multicodec ed01 + key, base58btc).
  EXPECT_EQ(did, "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw");
  auto parsed = public_key_from_did_key(did + "#" + did.substr(8));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed.value(), key);
  EXPECT_TRUE(did_key_of(rsa_key().public_key()).empty());
  EXPECT_FALSE(public_key_from_did_key("did:web:example.org").ok());
  EXPECT_FALSE(public_key_from_did_key("did:key:z0OIl").ok());
  EXPECT_FALSE(public_key_from_did_key("did:key:z" + std::string(200, '2')).ok());
  // A secp256k1 did:key (multicodec e701) is refused.
  EXPECT_FALSE(
      public_key_from_did_key("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme").ok());
}

}  // namespace
}  // namespace laurel
