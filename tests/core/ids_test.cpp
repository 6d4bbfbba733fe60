#include "laurel/ids.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include <set>

namespace laurel {
namespace {

TEST(EntityId, IsTwentyTwoBase64UrlCharactersThatRoundTrip) {
  std::string id = new_id();
  ASSERT_EQ(id.size(), kIdTextLength);
  auto raw = id_from_text(id);
  ASSERT_TRUE(raw);
  EXPECT_EQ(id_to_text(*raw), id);
}

TEST(EntityId, RawIdsSortByCreationTime) {
  std::uint8_t random_high[10], random_low[10];
  std::fill(std::begin(random_high), std::end(random_high), 0xff);
  std::fill(std::begin(random_low), std::end(random_low), 0x00);
  EXPECT_LT(make_raw_id(1000, random_high), make_raw_id(1001, random_low));
}

TEST(EntityId, IdsMadeWithinOneMillisecondStillSortInCreationOrder) {
  std::vector<RawId> ids;
  for (int i = 0; i < 2000; ++i) ids.push_back(new_raw_id());  // far more than one per ms
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
}

TEST(EntityId, IsUnguessable) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(new_id());
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(EntityId, RefusesMalformedText) {
  EXPECT_FALSE(id_from_text(""));
  EXPECT_FALSE(id_from_text("short"));
  EXPECT_FALSE(id_from_text("AAAAAAAAAAAAAAAAAAAAA!"));
  EXPECT_FALSE(id_from_text("AAAAAAAAAAAAAAAAAAAAAAA"));
}

TEST(Base64, EncodesStandardAndUrlAlphabets) {
  EXPECT_EQ(base64_encode("\xfb\xff"), "+/8=");
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(base64url_decode("-_8").value(), "\xfb\xff");
  EXPECT_EQ(base64_decode("+/8=\n").value(), "\xfb\xff");
  EXPECT_FALSE(base64_decode("+/8=A"));
  EXPECT_EQ(hex_encode("\x01\xab"), "01ab");
}

}  // namespace
}  // namespace laurel
