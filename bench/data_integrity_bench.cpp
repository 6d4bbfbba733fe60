// Data Integrity numbers, each beside a baseline measured in the same run:
//   verifying the 1EdTech simple.json (eddsa-rdfc-2022: JSON-LD, RDFC-1.0, SHA-256, Ed25519) on one
//   thread, target >= 5,000/s, beside the bare Ed25519 signature check it ends with;
//   issuing (sign_data_integrity of distinct OB 3.0 credentials) on 2 threads, target >= 20,000/s,
//   beside raw Ed25519 signing of 64-byte hash data on the same 2 threads.
// `data_integrity_bench --verify-ms` prints only the median milliseconds of one verification
// (bench/data_integrity_node.mjs puts it beside Digital Bazaar's time in Node).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "laurel/credential.hpp"
#include "laurel/data_integrity.hpp"
#include "laurel/keys.hpp"
#include "laurel/ob3_documents.hpp"
#include "laurel/recipient.hpp"
#include "laurel/verify.hpp"
#include "bench_support.hpp"
#include "sample_badge.hpp"
#include "timing.hpp"

namespace {

using namespace laurel;
using ::bench::print_beside;
using ::bench::read_file;
using Clock = std::chrono::steady_clock;
using test::kBase;
using laurel::bench::per_second;
using laurel::bench::per_second_threads;
constexpr std::int64_t kNow = 1767225600;  // 2026-01-01T00:00:00Z, the tests' fixed time


}  // namespace

int main(int argc, char** argv) {
  const std::string simple = read_file(std::string(LAUREL_FIXTURES) + "/1edtech/ob30/simple.json");
  VerifyOptions options;
  options.now = kNow;
  Report check = verify(simple, DocumentMap{}, options);
  if (!check.valid) {
    std::fprintf(stderr, "simple.json does not verify: %s\n", check.to_json().dump().c_str());
    return 1;
  }

  if (argc > 1 && std::strcmp(argv[1], "--verify-ms") == 0) {
    std::vector<double> samples;
    for (int sample = 0; sample < 31; ++sample) {
      auto start = Clock::now();
      for (int i = 0; i < 50; ++i) (void)verify(simple, DocumentMap{}, options);
      samples.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count() /
                        50);
    }
    std::sort(samples.begin(), samples.end());
    std::printf("%.4f\n", samples[samples.size() / 2]);
    return 0;
  }

  auto key = KeyPair::generate(KeyAlgorithm::EdDSA);
  if (!key.ok()) return 1;
  std::string hash_data(64, 'h');
  std::string signature = key->sign(hash_data).value();

  double verify_rate = per_second([&] { (void)verify(simple, DocumentMap{}, options); });
  double ed_verify_rate =
      per_second([&] { (void)verify_signature(key->public_key(), hash_data, signature); });
  print_beside("verify simple.json (eddsa-rdfc-2022)", verify_rate, "Ed25519 verify (64 B)",
               ed_verify_rate);
  std::printf("  target >= 5,000/s on one thread: %s\n", verify_rate >= 5000 ? "met" : "MISSED");

  // Distinct credentials, as a batch issues them: each its own assertion id and recipient salt.
  const Issuer issuer = test::sample_issuer();
  const BadgeClass badgeclass = test::sample_badgeclass();
  constexpr std::size_t kCredentials = 4096;
  std::vector<Json> credentials;
  CredentialOptions credential_options;
  credential_options.issuer_id = ob3_issuer_url(kBase, issuer.entity_id);
  for (std::size_t i = 0; i < kCredentials; ++i) {
    Assertion assertion = test::sample_assertion();
    assertion.entity_id = "CCCCCCCCCCCCCCCC" + std::to_string(100000 + i);
    assertion.recipient.salt = new_salt();
    assertion.recipient.identity =
        hash_identity("learner" + std::to_string(i) + "@example.org", assertion.recipient.salt)
            .value();
    credentials.push_back(
        open_badge_credential(assertion, badgeclass, issuer, kBase, credential_options));
  }
  const std::string method = multikey_method_id(credential_options.issuer_id, "KEY");
  auto first = sign_data_integrity(credentials[0], key.value(), method, "2026-01-01T00:00:00Z");
  if (!first.ok()) {
    std::fprintf(stderr, "signing failed: %s\n", first.error().message.c_str());
    return 1;
  }
  const KeyPair& pair = key.value();
  double issue_rate = per_second_threads(2, [&, next = std::size_t{0}]() mutable {
    (void)sign_data_integrity(credentials[next++ % kCredentials], pair, method,
                              "2026-01-01T00:00:00Z");
  });
  double sign_rate = per_second_threads(2, [&] { (void)pair.sign(hash_data); });
  print_beside("issue Data Integrity credential, 2 threads", issue_rate,
               "Ed25519 sign (64 B), 2 thr.", sign_rate);
  std::printf("  target >= 20,000/s on 2 cores: %s\n", issue_rate >= 20000 ? "met" : "MISSED");
  return 0;
}
