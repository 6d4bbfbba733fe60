// Fuzzes baking and unbaking (PNG and SVG). Each input is tried both ways:
//   - as an image: unbake() either refuses it or returns trimmed, non-empty text of the kind it
//     claims; and baking a known badge into it (when bake accepts the image) unbakes to that badge;
//   - as a badge: baking it into a small PNG and a small SVG (when bake accepts the badge)
//     unbakes to the same text.
// A round trip that loses or changes the badge is a bug: a relying party would verify something
// other than what the issuer baked.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "laurel/bake.hpp"
#include "laurel/jws.hpp"
#include "laurel/validate.hpp"

#include "fuzz_support.hpp"

namespace {

// A 1x1 greyscale PNG: signature, IHDR, IEND (CRCs included).
constexpr std::string_view kPng(
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00"
    "\x01\x08\x00\x00\x00\x00\x3a\x7e\x9b\x55\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82",
    45);
constexpr std::string_view kSvg =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"><rect/></svg>";
constexpr std::string_view kBadge =
    "{\"@context\":\"https://w3id.org/openbadges/v2\",\"id\":\"https://example.org/a/1\","
    "\"type\":\"Assertion\"}";

void check_unbaked(const laurel::BakedBadge& badge) {
  using Kind = laurel::BakedBadge::Kind;
  if (badge.text.empty() || laurel::fuzz::trim(badge.text) != badge.text) std::abort();
  if (!laurel::is_utf8(badge.text)) std::abort();
  if (badge.kind == Kind::Json && badge.text.front() != '{') std::abort();
  if (badge.kind == Kind::Jws && !laurel::looks_like_jws(badge.text)) std::abort();
  if (badge.kind == Kind::Url && !laurel::is_http_url(badge.text)) std::abort();
}

// Bakes `badge` into `image`; when bake accepts both, unbaking must give the badge back.
void check_round_trip(std::string_view image, std::string_view badge) {
  auto baked = laurel::bake(image, badge);
  if (!baked.ok()) {
    if (baked.error().field != "image" && baked.error().field != "assertion") std::abort();
    return;
  }
  auto unbaked = laurel::unbake(baked.value());
  if (!unbaked.ok()) std::abort();
  check_unbaked(unbaked.value());
  if (unbaked->text != laurel::fuzz::trim(badge)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto unbaked = laurel::unbake(input);
  if (unbaked.ok()) {
    check_unbaked(unbaked.value());
  } else if (unbaked.error().field != "image") {
    std::abort();
  }
  if (laurel::image_kind(input) != laurel::ImageKind::Other) {
    check_round_trip(input, kBadge);
  } else {
    check_round_trip(kPng, input);
    check_round_trip(kSvg, input);
  }
  return 0;
}
