// Entity ids: 16 bytes, written as 22 characters of base64url without padding.
//
// Bytes 0..5 hold the creation time in milliseconds since the epoch (big-endian) so that new
// entities sort last and LMDB appends; bytes 6..15 are 80 bits from the CSPRNG, so ids are not
// guessable. Stores key entities by the 16 raw bytes: the base64url form does not sort by time.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace laurel {

using RawId = std::array<std::uint8_t, 16>;

inline constexpr std::size_t kIdTextLength = 22;

RawId new_raw_id();
/// new_raw_id with the time and random bytes given (batch issue draws all random bytes at once).
RawId make_raw_id(std::uint64_t millis, const std::uint8_t* random10);
std::string id_to_text(const RawId& id);
/// nullopt unless `text` is exactly 22 base64url characters that decode to 16 bytes.
std::optional<RawId> id_from_text(std::string_view text);
std::string new_id();

std::string base64url_encode(std::string_view bytes);
/// base64url_encode(bytes) appended to `out` (no padding).
void append_base64url(std::string& out, std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);  // padding optional
std::string base64_encode(std::string_view bytes);                    // standard, padded
std::optional<std::string> base64_decode(std::string_view text);      // ignores whitespace
std::string hex_encode(std::string_view bytes);

}  // namespace laurel
