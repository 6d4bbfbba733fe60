// Baking: an Open Badge carried inside its own image (Open Badges 2.0 §Baking, OB 3.0 §Baking).
//
// PNG: an iTXt chunk, keyword "openbadges" (OB 1.x / 2.0) or "openbadgecredential" (OB 3.0),
// uncompressed, placed just before IEND, any earlier badge chunk removed, every CRC correct.
// SVG: xmlns:openbadges on the root and, as its first child, <openbadges:assertion verify="...">
// (OB 3.0: <openbadges:credential>) holding the JSON in CDATA, or only the JWS in `verify`.
// Unbaking also reads OB 1.x bakes: tEXt and zTXt chunks, compressed iTXt, a bare URL.
//
// All functions are pure and bounded: images over kImageMaxBytes, more than kPngMaxChunks chunks,
// a truncated chunk, a bad CRC or a badge text over kBakedTextMaxBytes are refused with
// ErrorCode::Invalid and field "image".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "laurel/result.hpp"

namespace laurel {

inline constexpr std::size_t kImageMaxBytes = 32u << 20;     // badge images are kilobytes
inline constexpr std::size_t kBakedTextMaxBytes = 4u << 20;  // as kJwsMaxBytes
inline constexpr std::size_t kPngMaxChunks = 65536;

enum class ImageKind { Png, Svg, Other };
/// PNG by its 8-byte signature, SVG by an "<svg" element near the start of XML text.
ImageKind image_kind(std::string_view bytes);

/// What an image carries.
struct BakedBadge {
  enum class Kind { Json, Jws, Url };
  Kind kind = Kind::Json;
  std::string text;  // the JSON document, the compact JWS, or the hosted URL
};

/// Bakes `badge` (assertion or credential JSON text, or a compact JWS) into a PNG or SVG.
/// JSON must be an object; a hosted assertion's "id" becomes the SVG `verify` attribute.
/// Errors: Invalid (field "image" for the image, "assertion" for the badge).
Result<std::string> bake(std::string_view image, std::string_view badge);

/// Reads the badge back. Errors: Invalid (field "image") when the image is malformed or
/// carries no badge.
Result<BakedBadge> unbake(std::string_view image);

}  // namespace laurel
