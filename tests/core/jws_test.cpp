#include "laurel/jws.hpp"

#include <gtest/gtest.h>

#include "laurel/ids.hpp"
#include "test_files.hpp"

namespace laurel {
namespace {

KeyPair load(KeyAlgorithm algorithm, const char* file) {
  auto key = KeyPair::from_pkcs8(algorithm, test::read_file(test::test_data() / "keys" / file));
  EXPECT_TRUE(key.ok());
  return std::move(key).value();
}

std::string flip(std::string text, std::size_t at) {
  // Change one base64url character to another valid one.
  text[at] = text[at] == 'A' ? 'B' : 'A';
  return text;
}

TEST(Jws, SignsAndVerifiesWithBothAlgorithms) {
  for (auto [algorithm, file] : {std::pair{KeyAlgorithm::EdDSA, "rfc8032_test1_private.der"},
                                 std::pair{KeyAlgorithm::RS256, "rsa2048_private.der"}}) {
    KeyPair key = load(algorithm, file);
    auto token = jws_sign(key, R"({"a":1})", Json::object({{"typ", "JWT"}, {"alg", "none"}}));
    ASSERT_TRUE(token.ok());
    auto parsed = jws_parse(token.value());
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->payload, R"({"a":1})");
    EXPECT_EQ(parsed->header.get_string("alg"),
              algorithm_name(algorithm));  // "alg" is never taken from the caller
    EXPECT_EQ(parsed->header.get_string("typ"), "JWT");
    EXPECT_TRUE(jws_verify(parsed.value(), key.public_key()));
  }
}

TEST(Jws, Ed25519TokenIsDeterministic) {
  KeyPair key = load(KeyAlgorithm::EdDSA, "rfc8032_test1_private.der");
  auto first = jws_sign(key, "payload");
  auto second = jws_sign(key, "payload");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first.value(), second.value());
  EXPECT_EQ(first->substr(0, first->find('.')), base64url_encode(R"({"alg":"EdDSA"})"));
}

TEST(Jws, EveryOneCharacterChangeIsCaught) {
  KeyPair key = load(KeyAlgorithm::EdDSA, "rfc8032_test1_private.der");
  auto token = jws_sign(key, R"({"recipient":"someone"})");
  ASSERT_TRUE(token.ok());
  for (std::size_t at = 0; at < token->size(); ++at) {
    if (token.value()[at] == '.') continue;
    auto parsed = jws_parse(flip(token.value(), at));
    if (!parsed.ok()) continue;  // the change broke the header's JSON: refused before verifying
    EXPECT_FALSE(jws_verify(parsed.value(), key.public_key())) << "changed character " << at;
  }
}

TEST(Jws, RefusesAlgorithmConfusion) {
  KeyPair ed = load(KeyAlgorithm::EdDSA, "rfc8032_test1_private.der");
  KeyPair rsa = load(KeyAlgorithm::RS256, "rsa2048_private.der");
  auto token = jws_sign(ed, "x");
  ASSERT_TRUE(token.ok());
  auto parsed = jws_parse(token.value());
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(jws_verify(parsed.value(), rsa.public_key()));
  Jws unsigned_token = parsed.value();
  unsigned_token.header.set("alg", "none");
  unsigned_token.signature.clear();
  EXPECT_FALSE(jws_verify(unsigned_token, ed.public_key()));
}

TEST(Jws, OneEdTechSignedAssertionVerifiesWithItsKey) {
  auto token = jws_parse(test::read_file(test::fixtures() / "1edtech/ob20/simple.jwt"));
  ASSERT_TRUE(token.ok());
  auto key_doc = Json::parse(test::read_file(test::fixtures() / "1edtech/ob20/assets/key1.json"));
  ASSERT_TRUE(key_doc.ok());
  auto key = public_key_from_pem(key_doc->get_string("publicKeyPem"));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->algorithm, KeyAlgorithm::RS256);
  EXPECT_TRUE(jws_verify(token.value(), key.value()));
  auto other_doc = Json::parse(test::read_file(test::fixtures() / "1edtech/ob20/assets/key2.json"));
  auto other = public_key_from_pem(other_doc->get_string("publicKeyPem"));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(jws_verify(token.value(), other.value()));
}

TEST(Jws, ParseRefusesMalformedTokens) {
  EXPECT_FALSE(jws_parse("").ok());
  EXPECT_FALSE(jws_parse("a.b").ok());
  EXPECT_FALSE(jws_parse("a.b.c.d").ok());
  EXPECT_FALSE(jws_parse("..").ok());
  EXPECT_FALSE(jws_parse("e30.e30.e30=").ok());                         // '=' is not base64url
  EXPECT_FALSE(jws_parse(base64url_encode("[1]") + ".e30.AAAA").ok());  // header not an object
  EXPECT_FALSE(jws_parse(base64url_encode("{}") + ".e30.AAAA").ok());   // no alg
  EXPECT_FALSE(jws_parse(std::string(kJwsMaxBytes + 1, 'A')).ok());
  EXPECT_EQ(jws_parse("x").error().field, "jws");
  EXPECT_TRUE(looks_like_jws("a.b.c"));
  EXPECT_FALSE(looks_like_jws("{\"a\":1}"));
}

}  // namespace
}  // namespace laurel
