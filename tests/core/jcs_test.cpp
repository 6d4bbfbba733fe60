#include "laurel/jcs.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>

#include "test_files.hpp"

namespace laurel {
namespace {

std::string number(std::uint64_t bits) {
  return jcs_canonicalize(Json(std::bit_cast<double>(bits)));
}

// RFC 8785 Appendix B: IEEE 754 doubles and their ECMAScript serialization.
TEST(Jcs, NumbersAreWrittenAsEcmaScriptWritesThem) {
  EXPECT_EQ(number(0x0000000000000000), "0");
  EXPECT_EQ(number(0x8000000000000000), "0");
  EXPECT_EQ(number(0x0000000000000001), "5e-324");
  EXPECT_EQ(number(0x8000000000000001), "-5e-324");
  EXPECT_EQ(number(0x7fefffffffffffff), "1.7976931348623157e+308");
  EXPECT_EQ(number(0x4340000000000000), "9007199254740992");
  EXPECT_EQ(number(0x4430000000000000), "295147905179352830000");
  EXPECT_EQ(number(0x44b52d02c7e14af5), "9.999999999999997e+22");
  EXPECT_EQ(number(0x44b52d02c7e14af6), "1e+23");
  EXPECT_EQ(number(0x444b1ae4d6e2ef50), "1e+21");
  EXPECT_EQ(number(0x444b1ae4d6e2ef4f), "999999999999999900000");
  EXPECT_EQ(number(0x3eb0c6f7a0b5ed8d), "0.000001");
  EXPECT_EQ(number(0x3eb0c6f7a0b5ed8c), "9.999999999999997e-7");
  EXPECT_EQ(number(0x41b3de4355555555), "333333333.3333333");
  EXPECT_EQ(jcs_canonicalize(Json(std::int64_t(42))), "42");
  EXPECT_EQ(jcs_canonicalize(Json(std::int64_t(-7))), "-7");
}

// RFC 8785 §3.2.3: keys sort by UTF-16 code units, so U+1F600 (D83D DE00) sorts before U+FB33.
TEST(Jcs, KeysSortByUtf16CodeUnits) {
  auto value = Json::parse(
      "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet "
      "With Dagesh\",\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":"
      "\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}");
  ASSERT_TRUE(value.ok()) << value.error().message;
  EXPECT_EQ(jcs_canonicalize(value.value()),
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\",\"\xc3\xb6\":"
            "\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\",\"\xf0\x9f\x98"
            "\x80\":\"Emoji: Grinning Face\",\"\xef\xac\xb3\":\"Hebrew Letter Dalet With "
            "Dagesh\"}");
}

// The eddsa-jcs-2022 test vector: the unsigned credential's JCS form (W3C vc-di-eddsa).
TEST(Jcs, TheSpecCredentialCanonicalizesAsTheSpecSays) {
  auto unsigned_credential =
      Json::parse(test::read_file(test::test_data() / "vc-di-eddsa" / "unsigned.json"));
  ASSERT_TRUE(unsigned_credential.ok());
  std::string expected =
      test::read_file(test::test_data() / "vc-di-eddsa" / "eddsa-jcs-2022" / "canonDocJCS.txt");
  EXPECT_EQ(jcs_canonicalize(unsigned_credential.value()), expected);
}

}  // namespace
}  // namespace laurel
