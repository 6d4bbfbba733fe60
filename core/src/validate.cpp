#include "laurel/validate.hpp"

#include <cstdint>

namespace laurel {
namespace {

bool has_space_or_control(std::string_view text) {
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) return true;
  }
  return false;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

}  // namespace

bool is_http_url(std::string_view text) {
  std::size_t scheme;
  if (starts_with_ci(text, "https://")) {
    scheme = 8;
  } else if (starts_with_ci(text, "http://")) {
    scheme = 7;
  } else {
    return false;
  }
  if (has_space_or_control(text) || !is_utf8(text)) return false;
  std::string_view rest = text.substr(scheme);
  std::size_t host_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, host_end);
  std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority = authority.substr(at + 1);
  return !authority.empty() && authority[0] != ':' && authority[0] != '.';
}

bool is_iri(std::string_view text) {
  if (text.empty() || has_space_or_control(text) || !is_utf8(text)) return false;
  char first = text[0];
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) return false;
  for (std::size_t i = 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == ':') return i + 1 < text.size();
    bool scheme_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '+' || c == '.' || c == '-';
    if (!scheme_char) return false;
  }
  return false;
}

bool is_email(std::string_view text) {
  if (text.size() < 3 || text.size() > 254 || has_space_or_control(text) || !is_utf8(text)) {
    return false;
  }
  std::size_t at = text.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;  // RFC 5321 local part
  std::string_view local = text.substr(0, at);
  std::string_view domain = text.substr(at + 1);
  if (local.find('@') != std::string_view::npos && local.front() != '"') return false;
  if (local.front() == '.' || local.back() == '.') return false;
  std::size_t dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return false;
  if (domain.find("..") != std::string_view::npos) return false;
  for (char c : domain) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || static_cast<unsigned char>(c) >= 0x80;  // IDN
    if (!ok) return false;
  }
  return true;
}

bool is_telephone(std::string_view text) {
  if (text.size() < 8 || text.size() > 16 || text[0] != '+') return false;
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

bool is_data_uri(std::string_view text) {
  if (!starts_with_ci(text, "data:")) return false;
  std::size_t comma = text.find(',');
  if (comma == std::string_view::npos) return false;
  std::string_view header = text.substr(5, comma - 5);
  if (!starts_with_ci(header, "image/")) return false;
  if (header.size() < 7 || header.substr(header.size() - 7) != ";base64") return false;
  for (char c : text.substr(comma + 1)) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/' || c == '=';
    if (!ok) return false;
  }
  return comma + 1 < text.size();
}

bool is_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      ++i;
      continue;
    }
    int length;
    std::uint32_t code;
    if ((byte & 0xe0) == 0xc0) {
      length = 2;
      code = byte & 0x1f;
    } else if ((byte & 0xf0) == 0xe0) {
      length = 3;
      code = byte & 0x0f;
    } else if ((byte & 0xf8) == 0xf0) {
      length = 4;
      code = byte & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (int k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
    if ((length == 2 && code < 0x80) || (length == 3 && code < 0x800) ||
        (length == 4 && code < 0x10000) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
    i += length;
  }
  return true;
}

}  // namespace laurel
