// The Bitstring Status List encoding: round trips, the 1EdTech validator's list, hostile input.
#include "laurel/status_list.hpp"

#include <gtest/gtest.h>

#include "laurel/ids.hpp"
#include "test_files.hpp"

namespace laurel {
namespace {

TEST(StatusList, EncodesAndDecodesTheLeftmostBitFirst) {
  std::string bits(kStatusListBytes, '\0');
  set_status_bit(bits, 0);
  set_status_bit(bits, 9);
  set_status_bit(bits, kStatusListBits - 1);
  EXPECT_EQ(std::uint8_t(bits[0]), 0x80);
  EXPECT_EQ(std::uint8_t(bits[1]), 0x40);
  auto encoded = encode_status_list(bits);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded->front(), 'u');
  EXPECT_LT(encoded->size(), 200u);  // 16 KiB of mostly zeros compresses well
  auto decoded = decode_status_list(encoded.value());
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded.value(), bits);
  EXPECT_TRUE(status_bit(decoded.value(), 9));
  EXPECT_FALSE(status_bit(decoded.value(), 10));
  EXPECT_FALSE(status_bit(decoded.value(), kStatusListBits));  // beyond the end
}

TEST(StatusList, ReadsTheListOfThe1EdTechValidator) {
  auto list = Json::parse(test::read_file(test::fixtures() / "1edtech/ob30/bit-string-list/testlist"));
  ASSERT_TRUE(list.ok());
  auto bits = status_list_bits(list.value(), "revocation");
  ASSERT_TRUE(bits.ok()) << bits.error().message;
  EXPECT_GE(bits->size(), kStatusListBytes);
  // credential-status-revoked.json names index 23 of this list and is expected revoked.
  EXPECT_TRUE(status_bit(bits.value(), 23));
  EXPECT_FALSE(status_bit(bits.value(), 22));
  EXPECT_FALSE(status_list_bits(list.value(), "suspension").ok());
}

TEST(StatusList, RefusesBadEncodingsWithTheFieldNamed) {
  for (const char* bad : {"", "H4sIAAAA", "u!!!", "uAAAA", "zH4sI"}) {
    auto decoded = decode_status_list(bad);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.error().field, "encodedList") << bad;
  }
  // A GZIP bomb: 64 MiB of zeros compress to ~64 KiB and must be refused, not inflated.
  auto bomb = encode_status_list(std::string(64u << 20, '\0'));
  ASSERT_TRUE(bomb.ok());
  auto decoded = decode_status_list(bomb.value());
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().message.find("more than"), std::string::npos);
  // Truncated and trailing bytes.
  auto good = encode_status_list(std::string(kStatusListBytes, '\x01'));
  ASSERT_TRUE(good.ok());
  EXPECT_FALSE(decode_status_list(good->substr(0, good->size() - 8)).ok());
  auto raw = base64url_decode(good->substr(1));
  EXPECT_FALSE(decode_status_list("u" + base64url_encode(*raw + "xx")).ok());
}

TEST(StatusList, ReadsEntriesWithStringOrNumberIndexes) {
  Json entry = status_list_entry("https://x.example/status/abc", 4711);
  auto read = read_status_entry(entry);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->index, 4711u);
  EXPECT_EQ(read->list_url, "https://x.example/status/abc");
  EXPECT_EQ(entry.get_string("statusListIndex"), "4711");
  EXPECT_EQ(entry.get_string("id"), "https://x.example/status/abc#4711");
  entry.set("statusListIndex", 23);
  EXPECT_EQ(read_status_entry(entry)->index, 23u);
  for (Json bad : {Json(-1), Json("12a"), Json(""), Json()}) {
    entry.set("statusListIndex", bad);
    auto refused = read_status_entry(entry);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().field, "credentialStatus");
  }
}

}  // namespace
}  // namespace laurel
