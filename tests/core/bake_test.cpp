#include "laurel/bake.hpp"

#include <gtest/gtest.h>

#include "laurel/json.hpp"
#include "laurel/jws.hpp"
#include "test_files.hpp"

namespace laurel {
namespace {

std::string fixture(const char* path) {
  return test::read_file(test::fixtures() / path);
}
std::string data(const char* path) {
  return test::read_file(test::test_data() / path);
}

const std::string kAssertion =
    R"({"@context":"https://w3id.org/openbadges/v2","id":"https://example.org/a?x=1&y=2","type":"Assertion"})";
const std::string kJws =
    "eyJhbGciOiJFZERTQSJ9.eyJ0eXBlIjoiQXNzZXJ0aW9uIn0.c2lnbmF0dXJlLWJ5dGVzLWZvci1hLXRlc3Q";

// The chunk types of a PNG in order, read independently of bake.cpp.
std::vector<std::string> chunk_types(const std::string& png) {
  std::vector<std::string> types;
  for (std::size_t at = 8; at + 12 <= png.size();) {
    std::uint32_t length = (std::uint32_t(std::uint8_t(png[at])) << 24) |
                           (std::uint32_t(std::uint8_t(png[at + 1])) << 16) |
                           (std::uint32_t(std::uint8_t(png[at + 2])) << 8) |
                           std::uint8_t(png[at + 3]);
    types.push_back(png.substr(at + 4, 4));
    at += 12 + length;
  }
  return types;
}

TEST(Bake, PngRoundTripPutsOneUncompressedItxtBeforeIend) {
  std::string image = fixture("baking/public_domain_heart.png");
  auto baked = bake(image, kAssertion);
  ASSERT_TRUE(baked.ok()) << baked.error().message;
  auto types = chunk_types(baked.value());
  ASSERT_GE(types.size(), 2u);
  EXPECT_EQ(types[types.size() - 1], "IEND");
  EXPECT_EQ(types[types.size() - 2], "iTXt");
  EXPECT_NE(baked->find(std::string("iTXtopenbadges\0\0\0\0\0", 19) + kAssertion),
            std::string::npos);
  auto unbaked = unbake(baked.value());
  ASSERT_TRUE(unbaked.ok()) << unbaked.error().message;
  EXPECT_EQ(unbaked->kind, BakedBadge::Kind::Json);
  EXPECT_EQ(unbaked->text, kAssertion);
}

TEST(Bake, RebakingReplacesTheOldBadge) {
  auto first = bake(fixture("baking/public_domain_heart.png"), kAssertion);
  ASSERT_TRUE(first.ok());
  auto second = bake(first.value(), kJws);
  ASSERT_TRUE(second.ok());
  auto types = chunk_types(second.value());
  EXPECT_EQ(std::count(types.begin(), types.end(), "iTXt"), 1);
  auto unbaked = unbake(second.value());
  ASSERT_TRUE(unbaked.ok());
  EXPECT_EQ(unbaked->kind, BakedBadge::Kind::Jws);
  EXPECT_EQ(unbaked->text, kJws);
}

TEST(Bake, AnyChangedByteInTheBadgeChunkIsCaught) {
  auto baked = bake(fixture("baking/public_domain_heart.png"), kAssertion);
  ASSERT_TRUE(baked.ok());
  std::size_t chunk = baked->find("iTXtopenbadges");
  ASSERT_NE(chunk, std::string::npos);
  for (std::size_t at = chunk; at < chunk + 4 + 15 + kAssertion.size() + 4; ++at) {
    std::string tampered = baked.value();
    tampered[at] ^= 0x20;
    auto unbaked = unbake(tampered);
    EXPECT_TRUE(!unbaked.ok() || unbaked->text != kAssertion) << "byte " << at;
    if (!unbaked.ok()) {
      EXPECT_EQ(unbaked.error().field, "image");
    }
  }
}

TEST(Bake, SvgHostedAssertionGoesInCdataWithVerifyAttribute) {
  auto baked = bake(fixture("baking/unbaked_example.svg"), kAssertion);
  ASSERT_TRUE(baked.ok()) << baked.error().message;
  EXPECT_NE(baked->find(R"(xmlns:openbadges="http://openbadges.org")"), std::string::npos);
  EXPECT_NE(
      baked->find(R"(<openbadges:assertion verify="https://example.org/a?x=1&amp;y=2"><![CDATA[)"),
      std::string::npos);
  auto unbaked = unbake(baked.value());
  ASSERT_TRUE(unbaked.ok()) << unbaked.error().message;
  EXPECT_EQ(unbaked->text, kAssertion);
  auto jws_baked = bake(baked.value(), kJws);
  ASSERT_TRUE(jws_baked.ok());
  EXPECT_EQ(jws_baked->find("<![CDATA["), std::string::npos);  // the old badge is gone
  auto jws_unbaked = unbake(jws_baked.value());
  ASSERT_TRUE(jws_unbaked.ok());
  EXPECT_EQ(jws_unbaked->kind, BakedBadge::Kind::Jws);
  EXPECT_EQ(jws_unbaked->text, kJws);
}

TEST(Bake, SvgCdataTerminatorInsideJsonSurvives) {
  std::string tricky = R"({"id":"https://example.org/x","narrative":"a ]]> b"})";
  auto baked = bake(fixture("baking/unbaked_example.svg"), tricky);
  ASSERT_TRUE(baked.ok());
  auto unbaked = unbake(baked.value());
  ASSERT_TRUE(unbaked.ok());
  EXPECT_EQ(unbaked->text, tricky);
}

// Found by fuzz/unbake_fuzz.cpp: the reader took the first end tag even inside the CDATA, so a
// badge mentioning the element's end tag unbaked cut short.
TEST(Bake, SvgEndTagInsideJsonSurvives) {
  std::string tricky =
      R"({"id":"https://example.org/x","narrative":"</openbadges:assertion> ]]> <![CDATA[ x"})";
  auto baked = bake(fixture("baking/unbaked_example.svg"), tricky);
  ASSERT_TRUE(baked.ok());
  auto unbaked = unbake(baked.value());
  ASSERT_TRUE(unbaked.ok()) << unbaked.error().message;
  EXPECT_EQ(unbaked->text, tricky);
}

// Found by fuzz/unbake_fuzz.cpp: an SVG whose old badge element never closes kept it through a
// re-bake, and the result unbaked to the old, broken badge instead of the new one. Both baking
// and unbaking now refuse such an image, naming the element.
TEST(Bake, SvgWithAnUnclosedBadgeElementIsRefused) {
  std::string svg = fixture("baking/unbaked_example.svg");
  std::size_t root_end = svg.find('>', svg.find("<svg"));
  for (std::string element : {"<openbadges:assertion verify=\"x\"><![CDATA[{\"a\":1}",
                              "<openbadges:credential>{}", "<openbadges:assertion verify=\"x"}) {
    std::string broken = svg;
    broken.insert(root_end + 1, element);
    auto baked = bake(broken, kAssertion);
    ASSERT_FALSE(baked.ok()) << element;
    EXPECT_EQ(baked.error().field, "image");
    EXPECT_NE(baked.error().message.find("is not closed"), std::string::npos);
    auto unbaked = unbake(broken);
    ASSERT_FALSE(unbaked.ok()) << element;
    EXPECT_NE(unbaked.error().message.find("is not closed"), std::string::npos);
  }
}

// Found by fuzz/unbake_fuzz.cpp: an "SVG" that starts with its old badge element was no longer
// an SVG once the element was removed, so the re-baked image did not unbake at all.
TEST(Bake, SvgThatIsNoSvgWithoutItsOldBadgeIsRefused) {
  std::string svg = "<openbadges:assertion verify=\"x\"/>text <svg><rect/></svg>";
  ASSERT_EQ(image_kind(svg), ImageKind::Svg);
  auto baked = bake(svg, kAssertion);
  ASSERT_FALSE(baked.ok());
  EXPECT_EQ(baked.error().field, "image");
}

TEST(Bake, Ob3CredentialsUseTheOb3KeywordAndElement) {
  std::string credential =
      R"({"type":["VerifiableCredential","OpenBadgeCredential"],"id":"urn:x"})";
  auto png = bake(fixture("baking/public_domain_heart.png"), credential);
  ASSERT_TRUE(png.ok());
  EXPECT_NE(png->find("iTXtopenbadgecredential"), std::string::npos);
  auto svg = bake(fixture("baking/unbaked_example.svg"), credential);
  ASSERT_TRUE(svg.ok());
  EXPECT_NE(svg->find("<openbadges:credential><![CDATA["), std::string::npos);
  EXPECT_EQ(unbake(svg.value())->text, credential);
}

TEST(Unbake, ReadsTheBakerysOb1Images) {
  auto png = unbake(fixture("baking/baked_heart.png"));
  ASSERT_TRUE(png.ok()) << png.error().message;
  EXPECT_EQ(png->kind, BakedBadge::Kind::Json);
  EXPECT_EQ(Json::parse(png->text)->get_string("uid"), "123");
  auto svg = unbake(fixture("baking/baked_example.svg"));
  ASSERT_TRUE(svg.ok()) << svg.error().message;
  EXPECT_EQ(Json::parse(svg->text)->get_string("uid"), "abcdef12345");
  EXPECT_FALSE(unbake(fixture("baking/unbaked_example.svg")).ok());
  EXPECT_FALSE(unbake(fixture("baking/public_domain_heart.png")).ok());
}

TEST(Unbake, ReadsCompressedAndUrlBakes) {
  EXPECT_EQ(unbake(data("baking/ztxt_heart.png"))->text, data("baking/ztxt_assertion.json"));
  EXPECT_EQ(unbake(data("baking/itxt_compressed_heart.png"))->text,
            data("baking/ztxt_assertion.json"));
  auto url = unbake(data("baking/text_url_heart.png"));
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->kind, BakedBadge::Kind::Url);
  EXPECT_EQ(url->text, "http://example.org/badgeinstance1");
}

TEST(Unbake, ReadsTheOneEdTechOb3Images) {
  for (const char* file : {"1edtech/ob30/simple-jwt.png", "1edtech/ob30/simple-jwt.svg"}) {
    auto baked = unbake(fixture(file));
    ASSERT_TRUE(baked.ok()) << file << ": " << baked.error().message;
    EXPECT_EQ(baked->kind, BakedBadge::Kind::Jws) << file;
    EXPECT_TRUE(jws_parse(baked->text).ok()) << file;
  }
  for (const char* file : {"1edtech/ob30/simple-json.png", "1edtech/ob30/simple-json.svg"}) {
    auto baked = unbake(fixture(file));
    ASSERT_TRUE(baked.ok()) << file;
    EXPECT_EQ(baked->kind, BakedBadge::Kind::Json) << file;
    EXPECT_TRUE(Json::parse(baked->text).ok()) << file;
  }
}

TEST(Unbake, RefusesHostileImages) {
  std::string png = fixture("1edtech/ob20/simple-badge.png");
  ASSERT_TRUE(unbake(png).ok());
  for (std::size_t cut : {std::size_t(0), std::size_t(7), std::size_t(8), std::size_t(20),
                          png.size() / 2, png.size() - 1}) {
    auto truncated = unbake(png.substr(0, cut));
    EXPECT_FALSE(truncated.ok()) << "cut at " << cut;
  }
  std::string huge_length = png;
  huge_length[8] = '\x7f';  // IHDR length 0x7f00000d: runs past the end
  EXPECT_FALSE(unbake(huge_length).ok());
  EXPECT_FALSE(unbake(png + "trailing").ok());
  auto bomb = unbake(data("baking/zip_bomb_heart.png"));
  ASSERT_FALSE(bomb.ok());
  EXPECT_NE(bomb.error().message.find("4194304"), std::string::npos) << bomb.error().message;
  EXPECT_FALSE(unbake(std::string(kImageMaxBytes + 1, '\0')).ok());
  EXPECT_FALSE(unbake("<svg><openbadges:assertion verify=\"").ok());
  EXPECT_FALSE(unbake("GIF89a").ok());
  EXPECT_EQ(image_kind("GIF89a"), ImageKind::Other);
}

TEST(Bake, RefusesBadInput) {
  std::string png = fixture("baking/public_domain_heart.png");
  EXPECT_FALSE(bake(png, "").ok());
  EXPECT_FALSE(bake(png, "[1,2]").ok());
  EXPECT_FALSE(bake(png, "not a badge").ok());
  EXPECT_FALSE(bake(png, "{\"a\":\"\xff\"}").ok());
  EXPECT_FALSE(bake("GIF89a", kAssertion).ok());
  EXPECT_FALSE(bake(png.substr(0, png.size() - 4), kAssertion).ok());
  EXPECT_FALSE(bake("<svg/>", kAssertion).ok());
  EXPECT_EQ(bake(png, "[1]").error().field, "assertion");
}

}  // namespace
}  // namespace laurel
