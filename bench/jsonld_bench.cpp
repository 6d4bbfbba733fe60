// JSON-LD toRdf and RDFC-1.0 on the 1EdTech OB 3.0 simple.json, one thread, each beside a baseline
// measured in the same run: parsing the same document and writing its canonical JSON (the work a
// JCS-based proof does). Data Integrity verification (eddsa-rdfc-2022) runs to_nquads and
// canonicalize on the credential and on its proof options; its target is >= 5,000/s, so these two
// steps together must stay well under 200 us.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "laurel/json.hpp"
#include "laurel/jsonld.hpp"
#include "laurel/rdfc.hpp"

namespace {

constexpr double kSecondsPerMeasure = 1.0;

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

// Operations per second of wall time, and per second of this thread's CPU time: on a shared
// machine the second is the steadier number (the first counts time spent descheduled).
struct Rate {
  double wall = 0, cpu = 0;
};

template <class Body>
Rate per_second(Body&& body) {
  using clock = std::chrono::steady_clock;
  std::size_t done = 0;
  auto start = clock::now();
  double cpu_start = thread_cpu_seconds();
  double elapsed = 0;
  do {
    for (int i = 0; i < 16; ++i) body();
    done += 16;
    elapsed = std::chrono::duration<double>(clock::now() - start).count();
  } while (elapsed < kSecondsPerMeasure);
  return {double(done) / elapsed, double(done) / (thread_cpu_seconds() - cpu_start)};
}

void print(const char* name, Rate rate, const char* baseline_name, Rate baseline) {
  std::printf("%-26s %8.0f /s (cpu %8.0f /s, %6.1f us) | %-28s %8.0f /s (cpu %8.0f /s)  "
              "ratio %.2f\n",
              name, rate.wall, rate.cpu, 1e6 / rate.cpu, baseline_name, baseline.wall,
              baseline.cpu, rate.cpu / baseline.cpu);
}

[[noreturn]] void fail(const char* what, const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", what, message.c_str());
  std::exit(1);
}

}  // namespace

int main() {
  std::ifstream in(LAUREL_FIXTURES "/1edtech/ob30/simple.json", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto parsed = laurel::Json::parse(text);
  if (!parsed.ok()) fail("simple.json", parsed.error().message);
  const laurel::Json& credential = parsed.value();
  const laurel::jsonld::DocumentLoader no_loader;

  auto nquads = laurel::jsonld::to_nquads(credential, no_loader);
  if (!nquads.ok()) fail("to_nquads", nquads.error().message);
  auto canonical = laurel::rdfc::canonicalize(nquads.value());
  if (!canonical.ok()) fail("canonicalize", canonical.error().message);
  std::printf("simple.json: %zu bytes, %zu N-Quads bytes\n", text.size(), nquads->size());

  Rate baseline = per_second([&] {
    auto again = laurel::Json::parse(text);
    std::string dumped = again->dump();
    if (dumped.empty()) std::abort();
  });
  Rate to_rdf = per_second([&] {
    auto result = laurel::jsonld::to_nquads(credential, no_loader);
    if (!result.ok()) std::abort();
  });
  Rate rdfc = per_second([&] {
    auto result = laurel::rdfc::canonicalize(nquads.value());
    if (!result.ok()) std::abort();
  });
  Rate both = per_second([&] {
    auto result = laurel::jsonld::to_nquads(credential, no_loader);
    auto canonical_result = laurel::rdfc::canonicalize(result.value());
    if (!canonical_result.ok()) std::abort();
  });
  const char* base_name = "Json::parse + canonical dump";
  print("jsonld::to_nquads", to_rdf, base_name, baseline);
  print("rdfc::canonicalize", rdfc, base_name, baseline);
  print("to_nquads + canonicalize", both, base_name, baseline);
  std::printf("target: to_nquads + canonicalize well under 200 us (Data Integrity >= 5,000/s)\n");
  return 0;
}
