// Native reference driver for the WASM tests: reads one request per line on stdin and writes the
// native verifier's report for it, as canonical JSON, one line each. A request is
//   {"input": "<base64 bytes>", "documents": {"<url>": "<text>"}, "recipient": "...",
//    "recipientType": "...", "now": <seconds>}
// (all but input optional), the same arguments tests/wasm passes to the wasm verify(). A request
// {"canonical": "<JSON text>"} instead answers {"ok": <canonical text>} or {"error": <message>},
// the native side of laurel.canonicalJsonForTests. With "repeat": N the verification runs N times
// and the answer is {"medianNanos": <median time of one verify()>} (bench/wasm_bench.mjs).
#include <algorithm>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "laurel/json.hpp"
#include "laurel/verify.hpp"

namespace {

bool base64_decode(const std::string& text, std::string& out) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  out.clear();
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    int v = value(c);
    if (v < 0) return false;
    buffer = (buffer << 6) | unsigned(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(char((buffer >> bits) & 0xFF));
    }
  }
  return true;
}

}  // namespace

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    auto request = laurel::Json::parse(line);
    std::string input;
    if (!request.ok() || !base64_decode(request->get_string("input"), input)) {
      std::cerr << "native_reports: bad request line\n";
      return 2;
    }
    if (const laurel::Json* text = request->find("canonical")) {
      auto parsed = laurel::Json::parse(text->as_string());
      laurel::Json answer = parsed.ok() ? laurel::Json::object({{"ok", parsed->dump()}})
                                        : laurel::Json::object({{"error", parsed.error().message}});
      std::cout << answer.dump() << '\n';
      continue;
    }
    laurel::DocumentMap documents;
    if (const laurel::Json* map = request->find("documents"); map && map->is_object()) {
      for (const auto& [url, text] : map->as_object()) documents.emplace(url, text.as_string());
    }
    laurel::VerifyOptions options;
    options.recipient = request->get_string("recipient");
    options.recipient_type = request->get_string("recipientType");
    if (const laurel::Json* now = request->find("now"); now && now->is_number()) options.now = now->as_int();
    if (const laurel::Json* repeat = request->find("repeat"); repeat && repeat->is_int()) {
      std::vector<std::int64_t> nanos;
      std::size_t valid = 0;
      for (std::int64_t i = 0; i < repeat->as_int(); ++i) {
        auto start = std::chrono::steady_clock::now();
        laurel::Report report = laurel::verify(input, documents, options);
        nanos.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::steady_clock::now() - start).count());
        valid += report.valid ? 1 : 0;  // keeps the work observable
      }
      std::sort(nanos.begin(), nanos.end());
      laurel::Json answer = laurel::Json::object(
          {{"medianNanos", nanos.empty() ? std::int64_t(0) : nanos[nanos.size() / 2]},
           {"valid", valid == nanos.size()}});
      std::cout << answer.dump() << '\n';
      continue;
    }
    std::cout << laurel::verify(input, documents, options).to_json().dump() << '\n';
  }
  return 0;
}
