#include "laurel/recipient.hpp"

#include <gtest/gtest.h>

namespace laurel {
namespace {

// Vectors from the Open Badges validator's tests (tests/data/fixtures/README.md).
TEST(RecipientHash, MatchesTheValidatorVectors) {
  EXPECT_EQ(hash_identity("nobody@example.org", "deadsea").value(),
            "sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942");
  EXPECT_EQ(hash_identity("test@example.com", "sel gris").value(),
            "sha256$85c4196c5516561cef673642157499b70066cb1070852b2a37fdbf3cc599b087");
}

TEST(RecipientHash, LowercasesEmailBeforeHashing) {
  EXPECT_EQ(hash_identity("  NoBody@Example.ORG ", "deadsea").value(),
            hash_identity("nobody@example.org", "deadsea").value());
}

TEST(RecipientHash, KeepsCaseOfUrls) {
  EXPECT_NE(hash_identity("https://example.org/A", "s", "url").value(),
            hash_identity("https://example.org/a", "s", "url").value());
}

TEST(RecipientHash, RefusesBadIdentitiesNamingTheField) {
  auto bad_email = hash_identity("not-an-email", "salt");
  ASSERT_FALSE(bad_email.ok());
  EXPECT_EQ(bad_email.error().field, "recipient.identity");
  auto bad_type = hash_identity("a@b.org", "salt", "fax");
  ASSERT_FALSE(bad_type.ok());
  EXPECT_EQ(bad_type.error().field, "recipient.type");
  EXPECT_FALSE(hash_identity("", "salt").ok());
  EXPECT_FALSE(hash_identity("12345", "salt", "telephone").ok());
  EXPECT_TRUE(hash_identity("+15551234567", "salt", "telephone").ok());
  EXPECT_TRUE(hash_identity("did:key:z6Mk", "salt", "id").ok());
  EXPECT_FALSE(hash_identity("ftp://example.org", "salt", "url").ok());
}

TEST(RecipientMatch, AcceptsSha256InAnyHexCase) {
  EXPECT_TRUE(identity_matches(
      "test@example.com", "SHA256$85C4196C5516561CEF673642157499B70066CB1070852B2A37FDBF3CC599B087",
      "sel gris"));
  EXPECT_FALSE(identity_matches(
      "other@example.com", "sha256$85c4196c5516561cef673642157499b70066cb1070852b2a37fdbf3cc599b087",
      "sel gris"));
}

TEST(RecipientMatch, AcceptsUnsaltedAndMd5Hashes) {
  // md5("nobody@example.org"), no salt, as older OB 1.x issuers wrote it.
  EXPECT_TRUE(identity_matches("nobody@example.org", "md5$556F4AC7E166DAEEDB1B8968E228480B", ""));
  EXPECT_FALSE(identity_matches("somebody@example.org", "md5$556f4ac7e166daeedb1b8968e228480b", ""));
  std::string unsalted = hash_identity("nobody@example.org", "").value();
  EXPECT_TRUE(identity_matches("nobody@example.org", unsalted, ""));
  EXPECT_FALSE(identity_matches("nobody@example.org", unsalted, "salt"));
}

TEST(RecipientMatch, ComparesPlaintextIdentitiesAfterNormalising) {
  EXPECT_TRUE(identity_matches("Nobody@Example.org", "nobody@example.org", ""));
  EXPECT_FALSE(identity_matches("nobody@example.org", "sha256$zz", ""));
}

TEST(RecipientSalt, IsFreshHexOfTheDocumentedSize) {
  std::string first = new_salt();
  std::string second = new_salt();
  EXPECT_EQ(first.size(), 2 * kSaltBytes);
  EXPECT_NE(first, second);
}

}  // namespace
}  // namespace laurel
