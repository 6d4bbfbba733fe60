// Digests over Crypto++, returned as raw bytes in std::string.
#pragma once

#include <string>
#include <string_view>

namespace laurel::detail {

inline constexpr std::size_t kSha256Bytes = 32;

std::string sha256(std::string_view data);
/// SHA-256 over the concatenation of two parts, without building it.
std::string sha256(std::string_view first, std::string_view second);
/// SHA-384 (RDFC-1.0's other hash algorithm).
std::string sha384(std::string_view data);
std::string md5(std::string_view first, std::string_view second);
std::string hmac_sha256(std::string_view key, std::string_view data);
/// Constant-time equality of two byte strings of equal length (false when lengths differ).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace laurel::detail
