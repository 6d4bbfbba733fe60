#include "laurel/did.hpp"

#include <vector>

namespace laurel {

namespace {
constexpr std::string_view kDidWebPrefix = "did:web:";
constexpr std::size_t kDidMaxChars = 2048;  // far above any real did:web

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// A DID segment's percent-escapes decoded; only the port's ":" (%3A) and plain URL characters
// may appear in the result, so a segment can neither add a path nor leave the host.
Result<std::string> decode_segment(std::string_view segment) {
  std::string out;
  for (std::size_t i = 0; i < segment.size(); ++i) {
    char c = segment[i];
    if (c == '%') {
      if (i + 2 >= segment.size()) {
        return invalid("did", "truncated percent-escape");
      }
      std::string_view hex = segment.substr(i + 1, 2);
      if (hex != "3A" && hex != "3a") return invalid("did", "only %3A (a port) may be escaped");
      out += ':';
      i += 2;
    } else if (c == '/' || c == '?' || c == '#' || c == '@' || c == '\\') {
      return invalid("did", "a did:web segment may not hold '" + std::string(1, c) + "'");
    } else {
      out += c;
    }
  }
  if (out.empty() || out == "." || out == "..") return invalid("did", "empty or dot segment");
  return out;
}
}  // namespace

Result<std::string> did_web_document_url(std::string_view did) {
  did = did.substr(0, did.find_first_of("#?"));
  if (did.size() > kDidMaxChars || did.substr(0, kDidWebPrefix.size()) != kDidWebPrefix) {
    return invalid("did", "not a did:web identifier");
  }
  std::vector<std::string_view> segments = split(did.substr(kDidWebPrefix.size()), ':');
  std::string url = "https://";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    auto decoded = decode_segment(segments[i]);
    if (!decoded.ok()) return decoded.error();
    if (i > 0) url += '/';
    url += decoded.value();
  }
  url += segments.size() == 1 ? "/.well-known/did.json" : "/did.json";
  return url;
}

Result<std::string> did_web_of(std::string_view https_url) {
  constexpr std::string_view kHttps = "https://";
  if (https_url.substr(0, kHttps.size()) != kHttps ||
      https_url.find_first_of("?#@") != std::string_view::npos) {
    return invalid("url", "did:web names an HTTPS URL without query, fragment or user info");
  }
  std::string_view rest = https_url.substr(kHttps.size());
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  std::vector<std::string_view> parts = split(rest, '/');
  if (parts.front().empty()) return invalid("url", "no host");
  std::string did(kDidWebPrefix);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty() || (i > 0 && parts[i].find(':') != std::string_view::npos)) {
      return invalid("url", "empty or ':' path segment");
    }
    if (i > 0) did += ':';
    for (char c : parts[i]) did += c == ':' ? std::string("%3A") : std::string(1, c);
  }
  return did;
}

}  // namespace laurel
