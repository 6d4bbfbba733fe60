// What the fuzz targets share: a fixed signing key (RFC 8032 §7.1 TEST 1 secret key as PKCS#8,
// RFC 8410: runs stay reproducible, so a crash found once replays everywhere) and trimming as the
// core does it around tokens and baked text.
#pragma once

#include <cstdlib>
#include <string_view>
#include <utility>

#include "laurel/keys.hpp"

namespace laurel::fuzz {

inline std::string_view trim(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

inline const KeyPair& fixed_key() {
  static constexpr unsigned char kPkcs8[] = {
      0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
      0x04, 0x22, 0x04, 0x20, 0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60,
      0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c, 0xc4, 0x44, 0x49, 0xc5, 0x69,
      0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60};
  static const KeyPair key = [] {
    auto loaded = KeyPair::from_pkcs8(
        KeyAlgorithm::EdDSA,
        std::string_view(reinterpret_cast<const char*>(kPkcs8), sizeof kPkcs8));
    if (!loaded.ok()) std::abort();
    return std::move(loaded).value();
  }();
  return key;
}

}  // namespace laurel::fuzz
