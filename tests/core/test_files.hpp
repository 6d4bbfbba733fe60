// Reading golden files and the fixtures in tests/data/fixtures from tests (test-only helper).
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "laurel/verify.hpp"

namespace laurel::test {

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::filesystem::path fixtures() {
  return LAUREL_FIXTURES;
}
inline std::filesystem::path test_data() {
  return LAUREL_TEST_DATA;
}

/// The documents the 1EdTech OB 2.0 fixtures link to. As in the 1EdTech validator's own tests
/// (OB20Tests: https://www.example.org/, https://example.org/ and http://example.org/ are served
/// from ob20/assets), a URL on those hosts names the asset file by its path.
inline DocumentMap ob20_documents() {
  DocumentMap documents;
  for (const auto& entry :
       std::filesystem::directory_iterator(fixtures() / "1edtech/ob20/assets")) {
    std::string name = entry.path().filename().string();
    std::string text = read_file(entry.path());
    for (const char* host :
         {"https://www.example.org/", "https://example.org/", "http://example.org/"}) {
      documents[std::string(host) + name] = text;
    }
  }
  return documents;
}

}  // namespace laurel::test
