#include "laurel/json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace laurel {
namespace {

TEST(Json, WritesKeysSortedWithoutWhitespace) {
  auto parsed = Json::parse(R"({ "b": [1, 2.5, true, null], "a": {"z": 1, "y": "x"} })");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().dump(), R"({"a":{"y":"x","z":1},"b":[1,2.5,true,null]})");
}

TEST(Json, EscapesOnlyQuotesBackslashesAndControlCharacters) {
  Json value(std::string("q\"b\\n\n\x01 é/"));
  EXPECT_EQ(value.dump(), "\"q\\\"b\\\\n\\n\\u0001 é/\"");
}

TEST(Json, ParseOfDumpIsIdentity) {
  const char* text = R"({"a":[{"b":-12,"c":0.1,"d":1e+300}],"e":"\u00e9\u20ac","f":false})";
  auto first = Json::parse(text);
  ASSERT_TRUE(first.ok());
  auto second = Json::parse(first.value().dump());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first.value(), second.value());
  EXPECT_EQ(first.value().dump(), second.value().dump());
}

TEST(Json, WritesShortestRoundTripDoubles) {
  EXPECT_EQ(Json(0.1).dump(), "0.1");
  EXPECT_EQ(Json(1.0 / 3.0).dump(), "0.3333333333333333");
  EXPECT_EQ(Json(2.5).dump(), "2.5");
}

// Found by fuzz/json_fuzz.cpp: -0.0 was written "-0", which reads back as the integer 0 and is
// then written "0", so canonical text was not a fixed point.
TEST(Json, NegativeZeroIsWrittenAsZeroAndStaysCanonical) {
  EXPECT_EQ(Json(-0.0).dump(), "0");
  for (const char* text : {"-0.0", "-0", "[-0.0e5,0.0,-0]"}) {
    auto parsed = Json::parse(text);
    ASSERT_TRUE(parsed.ok()) << text;
    std::string canonical = parsed.value().dump();
    auto reparsed = Json::parse(canonical);
    ASSERT_TRUE(reparsed.ok()) << canonical;
    EXPECT_EQ(reparsed.value(), parsed.value()) << text;
    EXPECT_EQ(reparsed.value().dump(), canonical) << text;
  }
}

TEST(Json, RefusesDuplicateKeys) {
  auto parsed = Json::parse(R"({"a":1,"a":2})");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::Invalid);
  EXPECT_NE(parsed.error().message.find("duplicate key"), std::string::npos);
}

TEST(Json, RefusesDeepNesting) {
  std::string deep = std::string(200, '[') + std::string(200, ']');
  auto parsed = Json::parse(deep);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "json");
}

TEST(Json, RefusesInvalidUtf8) {
  auto parsed = Json::parse("\"\xc3\x28\"");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("UTF-8"), std::string::npos);
}

TEST(Json, RefusesOversizedDocuments) {
  JsonLimits limits;
  limits.max_bytes = 10;
  auto parsed = Json::parse(R"({"name":"far too long"})", limits);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("larger than"), std::string::npos);
}

TEST(Json, RefusesTruncatedText) {
  EXPECT_FALSE(Json::parse(R"({"a":[1,2)").ok());
  EXPECT_FALSE(Json::parse("").ok());
}

TEST(Json, SetKeepsKeysSortedAndReplaces) {
  Json object = Json::object();
  object.set("b", Json(1));
  object.set("a", Json(2));
  object.set("b", Json(3));
  EXPECT_EQ(object.dump(), R"({"a":2,"b":3})");
  EXPECT_TRUE(object.erase("a"));
  EXPECT_FALSE(object.erase("missing"));
  EXPECT_EQ(object.dump(), R"({"b":3})");
}

TEST(Json, IntegersAndEqualDoublesCompareEqual) {
  EXPECT_EQ(Json(1), Json(1.0));
  EXPECT_NE(Json(1), Json(1.5));
  EXPECT_NE(Json("1"), Json(1));
}

}  // namespace
}  // namespace laurel
