#include "laurel/keywrap.hpp"

#include <gtest/gtest.h>

#include "laurel/ids.hpp"
#include "sample_badge.hpp"

namespace laurel {
namespace {

TEST(KeyWrap, WrappedKeyUnwrapsToTheSameKeyAndSigns) {
  std::string kek = new_kek();
  ASSERT_EQ(kek.size(), kKekBytes);
  for (const KeyPair& key : {test::ed25519_test_key(), test::rsa_test_key()}) {
    auto wrapped = wrap_key(kek, key, "issuer/key/alg");
    ASSERT_TRUE(wrapped.ok());
    EXPECT_EQ(wrapped->size(), 1 + kWrapNonceBytes + key.private_pkcs8().size() + kWrapTagBytes);
    EXPECT_EQ(wrapped->find(key.private_pkcs8()), std::string::npos);
    auto unwrapped = unwrap_key(kek, key.algorithm(), wrapped.value(), "issuer/key/alg");
    ASSERT_TRUE(unwrapped.ok()) << unwrapped.error().message;
    EXPECT_EQ(unwrapped->public_key(), key.public_key());
    EXPECT_EQ(unwrapped->sign("m").value(), key.sign("m").value());
  }
}

TEST(KeyWrap, TwoWrapsOfOneKeyDiffer) {
  std::string kek = new_kek();
  KeyPair key = test::ed25519_test_key();
  EXPECT_NE(wrap_key(kek, key, "a").value(), wrap_key(kek, key, "a").value());
}

TEST(KeyWrap, WrongKekAssociatedDataOrAnyChangedByteIsRefused) {
  std::string kek = new_kek();
  KeyPair key = test::ed25519_test_key();
  std::string wrapped = wrap_key(kek, key, "issuer-1/key-1").value();
  EXPECT_EQ(unwrap_key(new_kek(), KeyAlgorithm::EdDSA, wrapped, "issuer-1/key-1").error().code,
            ErrorCode::Crypto);
  EXPECT_FALSE(unwrap_key(kek, KeyAlgorithm::EdDSA, wrapped, "issuer-2/key-1").ok());
  for (std::size_t at = 0; at < wrapped.size(); ++at) {
    std::string tampered = wrapped;
    tampered[at] ^= 0x01;
    EXPECT_FALSE(unwrap_key(kek, KeyAlgorithm::EdDSA, tampered, "issuer-1/key-1").ok())
        << "byte " << at;
  }
  EXPECT_FALSE(unwrap_key(kek, KeyAlgorithm::EdDSA, wrapped.substr(0, 20), "issuer-1/key-1").ok());
  EXPECT_EQ(wrap_key("short", key, "").error().field, "kek");
}

TEST(KeyWrap, DeriveKekIsScryptAsPythonComputesIt) {
  // hashlib.scrypt(b"correct horse battery staple", salt=bytes(range(16)), n=2**15, r=8, p=1,
  //                dklen=32), computed with Python's OpenSSL-backed hashlib.
  std::string fixed_salt;
  for (int i = 0; i < 16; ++i) fixed_salt += char(i);
  auto golden = derive_kek("correct horse battery staple", fixed_salt);
  ASSERT_TRUE(golden.ok());
  EXPECT_EQ(hex_encode(golden.value()),
            "7a8e34241db898d59175c696538c417467a975ffe569068425f16188d3159c58");
  std::string salt = new_kdf_salt();
  auto first = derive_kek("correct horse battery staple", salt);
  auto second = derive_kek("correct horse battery staple", salt);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->size(), kKekBytes);
  EXPECT_EQ(first.value(), second.value());
  EXPECT_NE(derive_kek("correct horse battery stapler", salt).value(), first.value());
  EXPECT_NE(derive_kek("correct horse battery staple", new_kdf_salt()).value(), first.value());
  EXPECT_FALSE(derive_kek("", salt).ok());
  EXPECT_FALSE(derive_kek("x", "short").ok());
}

}  // namespace
}  // namespace laurel
