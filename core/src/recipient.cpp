#include "laurel/recipient.hpp"

#include <cstdint>

#include "detail/hash.hpp"
#include "detail/random.hpp"
#include "laurel/ids.hpp"
#include "laurel/model.hpp"
#include "laurel/validate.hpp"

namespace laurel {
namespace {

std::string_view trim(std::string_view text) {
  const char* space = " \t\r\n";
  std::size_t start = text.find_first_not_of(space);
  if (start == std::string_view::npos) return {};
  std::size_t end = text.find_last_not_of(space);
  return text.substr(start, end - start + 1);
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return out;
}

// Decodes lowercase or uppercase hex; nullopt-like empty result on bad input.
bool hex_decode(std::string_view hex, std::string& out) {
  if (hex.size() % 2 != 0) return false;
  out.clear();
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int value = 0;
    for (int k = 0; k < 2; ++k) {
      char c = hex[i + k];
      int nibble;
      if (c >= '0' && c <= '9') nibble = c - '0';
      else if (c >= 'a' && c <= 'f') nibble = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') nibble = c - 'A' + 10;
      else return false;
      value = value * 16 + nibble;
    }
    out.push_back(char(value));
  }
  return true;
}

// "\"<identity>\" <problem>", built by appending: GCC 12 at -O3 reports a false -Wrestrict on
// "literal" + std::string&&.
Error bad_identity(std::string_view identity, std::string_view problem) {
  std::string message = "\"";
  message.append(identity);
  message.append("\" ");
  message.append(problem);
  return invalid("recipient.identity", std::move(message));
}

}  // namespace

Result<std::string> normalize_identity(std::string_view identity, std::string_view type) {
  std::string_view trimmed = trim(identity);
  if (trimmed.empty()) return invalid("recipient.identity", "recipient identity is required");
  if (trimmed.size() > limits::kIdentityMax) {
    return invalid("recipient.identity", "recipient identity is longer than 2048 characters");
  }
  if (type == "email") {
    // OB 2.0 hashes emails case-insensitively in practice (Badgr lower-cases before hashing).
    std::string email = lower_ascii(trimmed);
    if (!is_email(email)) {
      return bad_identity(trimmed, "is not an email address");
    }
    return email;
  }
  if (type == "url") {
    if (!is_http_url(trimmed)) {
      return bad_identity(trimmed, "is not an http(s) URL");
    }
    return std::string(trimmed);
  }
  if (type == "telephone") {
    if (!is_telephone(trimmed)) {
      return bad_identity(trimmed, "is not a telephone number in E.164 form (+15551234567)");
    }
    return std::string(trimmed);
  }
  if (type == "id") {
    if (!is_iri(trimmed)) {
      return bad_identity(trimmed, "is not an IRI");
    }
    return std::string(trimmed);
  }
  std::string message = "recipient type must be email, url, telephone or id, not \"";
  message.append(type);
  message.push_back('"');
  return invalid("recipient.type", std::move(message));
}

Result<std::string> hash_identity(std::string_view identity, std::string_view salt,
                                  std::string_view type) {
  auto normalized = normalize_identity(identity, type);
  if (!normalized.ok()) return normalized.error();
  return "sha256$" + hex_encode(detail::sha256(normalized.value(), salt));
}

bool identity_matches(std::string_view identity, std::string_view hashed_identity,
                      std::string_view salt, std::string_view type) {
  auto normalized = normalize_identity(identity, type);
  if (!normalized.ok()) return false;
  std::string_view expected = trim(hashed_identity);
  std::string expected_digest;
  if (lower_ascii(expected.substr(0, 7)) == "sha256$") {
    if (!hex_decode(expected.substr(7), expected_digest)) return false;
    return detail::constant_time_equal(detail::sha256(normalized.value(), salt), expected_digest);
  }
  if (lower_ascii(expected.substr(0, 4)) == "md5$") {
    if (!hex_decode(expected.substr(4), expected_digest)) return false;
    return detail::constant_time_equal(detail::md5(normalized.value(), salt), expected_digest);
  }
  // A plaintext identity in the assertion (hashed: false).
  auto expected_normalized = normalize_identity(expected, type);
  return expected_normalized.ok() &&
         detail::constant_time_equal(expected_normalized.value(), normalized.value());
}

std::string new_salt() {
  std::uint8_t salt[kSaltBytes];
  detail::random_bytes(salt, sizeof salt);
  return hex_encode(std::string_view(reinterpret_cast<const char*>(salt), sizeof salt));
}

}  // namespace laurel
