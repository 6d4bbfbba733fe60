// What the native benchmarks share: a temporary directory, Result unwrapping that exits on
// error, a stopwatch, reading a fixture, a rate-beside-baseline line, and the raw Crypto++
// Ed25519 signing baseline.
#pragma once

#include <cryptopp/osrng.h>
#include <cryptopp/xed25519.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "laurel/result.hpp"
#include "laurel/store.hpp"

namespace bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// One line: a rate, its baseline's, and the rate as a percentage of the baseline.
inline void print_beside(const char* name, double rate, const char* baseline_name,
                         double baseline) {
  std::printf("%-40s %10.0f /s   | %-34s %10.0f /s   (%.0f%%)\n", name, rate, baseline_name,
              baseline, 100.0 * rate / baseline);
}

class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/laurel-bench-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) std::abort();
    path_ = buffer.data();
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

template <class T>
T must(laurel::Result<T> result, const char* what) {
  if (!result.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, result.error().message.c_str());
    std::exit(1);
  }
  return std::move(result).value();
}

/// A new issuer named `name` and its one badge class, `badge_name`: what a growth bench awards.
inline laurel::BadgeClass issuer_and_badge(laurel::Store& store, const std::string& name,
                                           const std::string& badge_name) {
  laurel::Issuer issuer_draft;
  issuer_draft.name = name;
  issuer_draft.email = "badges@bench.example";
  issuer_draft.url = "https://bench.example";
  auto issuer = must(store.create_issuer(issuer_draft), "issuer");
  laurel::BadgeClass badge_draft;
  badge_draft.issuer = issuer.entity_id;
  badge_draft.name = badge_name;
  badge_draft.description = "Awarded by a benchmark";
  badge_draft.criteria_narrative = "Be counted";
  return must(store.create_badgeclass(badge_draft), "badgeclass");
}

/// Seconds for `threads` threads to sign `count` messages of `message_bytes` between them with
/// Crypto++'s ed25519::Signer and nothing else: no LMDB, no JSON, no base64.
inline double raw_sign_seconds(std::size_t count, std::size_t message_bytes, unsigned threads) {
  CryptoPP::AutoSeededRandomPool rng;
  CryptoPP::ed25519::Signer signer(rng);
  const std::string message(message_bytes, 'm');
  std::atomic<std::size_t> next{0};
  std::atomic<unsigned> sink{0};
  auto work = [&] {
    CryptoPP::AutoSeededRandomPool thread_rng;
    std::string signature(signer.MaxSignatureLength(), '\0');
    unsigned local = 0;
    for (;;) {
      std::size_t begin = next.fetch_add(256);
      if (begin >= count) break;
      for (std::size_t i = begin; i < std::min(begin + 256, count); ++i) {
        signer.SignMessage(thread_rng, reinterpret_cast<const CryptoPP::byte*>(message.data()),
                           message.size(), reinterpret_cast<CryptoPP::byte*>(signature.data()));
        local += std::uint8_t(signature[i % 64]);
      }
    }
    sink += local;
  };
  auto start = Clock::now();
  std::vector<std::thread> helpers;
  for (unsigned i = 1; i < threads; ++i) helpers.emplace_back(work);
  work();
  for (auto& helper : helpers) helper.join();
  double seconds = seconds_since(start);
  if (sink.load() == 1) std::fputs("", stderr);  // keep the signatures observable
  return seconds;
}

}  // namespace bench
