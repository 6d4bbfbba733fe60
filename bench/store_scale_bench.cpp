// Issue 16's growth bench (not in `make bench`: it writes ~10 GB and takes minutes; run
// `build/native/bench/store_scale_bench [total] [batch] [dir]`, see bench/README.md).
//
// Grows one store in batches of bare-email awards (durable issue_batch, every index current when
// the call returns) and prints, per batch, the award rate, the read latencies at that size (p50
// and p99 of a read by id, of a recipient's badges, and of a 100-item page of the badge class)
// and the file bytes per award. At the end: the last batch's rate over the first's, and the
// streaming export of everything to a file (constant memory) in assertions per second.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "laurel/store.hpp"

namespace {

using bench::Clock;
using bench::must;
using bench::seconds_since;

/// CPU seconds of the process (all threads) or of the calling thread: on a shared, busy machine
/// the wall-clock rate swings with the neighbours' load; CPU time per award does not.
double cpu_seconds(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

/// Bytes the process has handed to write() so far (/proc/self/io "wchar"): a batch's share is
/// what its commit wrote, pages of every B-tree it touched.
double written_bytes() {
  std::FILE* io = std::fopen("/proc/self/io", "r");
  if (io == nullptr) return 0;
  char line[128];
  double bytes = 0;
  while (std::fgets(line, sizeof line, io) != nullptr) {
    unsigned long long value = 0;
    if (std::sscanf(line, "wchar: %llu", &value) == 1) bytes = double(value);
  }
  std::fclose(io);
  return bytes;
}

/// The calling thread's CPU seconds in the kernel (page copies of the commit, page faults).
double thread_system_seconds() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return double(usage.ru_stime.tv_sec) + double(usage.ru_stime.tv_usec) * 1e-6;
}

std::string email(std::size_t i) { return "learner" + std::to_string(i) + "@example.org"; }

struct Latency {
  double p50_us = 0;
  double p99_us = 0;
};

template <class Read>
Latency measure(std::size_t samples, Read&& read) {
  std::vector<double> micros;
  micros.reserve(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    const auto start = Clock::now();
    read(i);
    micros.push_back(seconds_since(start) * 1e6);
  }
  std::sort(micros.begin(), micros.end());
  return {micros[samples / 2], micros[samples * 99 / 100]};
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t total = argc > 1 ? std::stoul(argv[1]) : 20'000'000;
  const std::size_t batch = argc > 2 ? std::stoul(argv[2]) : 500'000;
  const std::string dir = argc > 3 ? argv[3] : "build/scale-store";
  std::filesystem::remove_all(dir);
  auto store = must(laurel::Store::open(dir), "open");
  const laurel::BadgeClass badge = bench::issuer_and_badge(store, "Scale University", "Scale");
  laurel::IssueOptions options;
  // Bare awards to new people, each checked against the recipient's badges first: the default
  // of Python's issue_batch and `laurel award` (the issue's measurement), and the harder case.
  options.allow_duplicate_awards = false;

  // issue/s: wall clock. writer/cpu-s: awards per CPU second of the writing thread (the batch's
  // critical path on an idle machine), and its ratio to the first batch. cpu us: CPU time of the
  // whole process (prepare workers too) per award.
  // wr B/aw: bytes the batch's commit wrote per award; sys: the writer's CPU share in the kernel.
  std::printf("%11s %9s %6s %12s %6s %7s %8s %5s %14s %14s %14s %7s\n", "in store", "issue/s",
              "vs 1st", "writer/cpu-s", "vs 1st", "cpu us", "wr B/aw", "sys", "id p50/p99 us",
              "rcpt p50/p99", "page p50/p99", "B/award");
  std::fflush(stdout);  // each line as it comes, for whoever follows the run (or profiles a batch)
  const auto run_start = Clock::now();
  double first_writer_rate = 0, last_writer_rate = 0;
  std::mt19937_64 random(42);
  std::vector<std::string> sample_ids;  // a spread of ids from every batch, for reads by id
  double first_rate = 0, last_rate = 0;
  for (std::size_t done = 0; done < total; done += batch) {
    std::vector<laurel::RecipientInput> recipients(batch);
    for (std::size_t i = 0; i < batch; ++i) recipients[i].identity = email(done + i);
    const auto start = Clock::now();
    const double process_cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
    const double thread_cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
    const double thread_sys = thread_system_seconds();
    const double written = written_bytes();
    auto result = must(store.issue_batch(badge.entity_id, recipients, options), "issue_batch");
    const double rate = double(batch) / seconds_since(start);
    const double writer_cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - thread_cpu;
    const double writer_rate = double(batch) / writer_cpu;
    const double writer_sys = (thread_system_seconds() - thread_sys) / writer_cpu;
    const double written_per_award = (written_bytes() - written) / double(batch);
    const double cpu_us =
        (cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - process_cpu) * 1e6 / double(batch);
    if (done == 0) {
      first_rate = rate;
      first_writer_rate = writer_rate;
    }
    last_rate = rate;
    last_writer_rate = writer_rate;
    for (std::size_t i = 0; i < 200; ++i) {
      sample_ids.push_back(result.items[random() % batch].entity_id);
    }

    const std::size_t in_store = done + batch;
    Latency by_id = measure(2000, [&](std::size_t) {
      must(store.get_assertion(sample_ids[random() % sample_ids.size()]), "get");
    });
    Latency by_recipient = measure(2000, [&](std::size_t) {
      laurel::AssertionQuery query;
      query.scope = laurel::AssertionQuery::Scope::Recipient;
      query.recipient = email(random() % in_store);
      query.num = 10;
      must(store.list_assertions(query), "by recipient");
    });
    Latency page = measure(200, [&](std::size_t) {
      laurel::AssertionQuery query;
      query.id = badge.entity_id;
      query.num = 100;
      must(store.list_assertions(query), "page");
    });
    auto stats = must(store.stats(), "stats");
    std::printf("%11zu %9.0f %6.2f %12.0f %6.2f %7.2f %8.0f %4.0f%% %6.1f/%-7.1f %6.1f/%-7.1f "
                "%6.0f/%-7.0f %7.0f\n",
                in_store, rate, rate / first_rate, writer_rate, writer_rate / first_writer_rate,
                cpu_us, written_per_award, writer_sys * 100, by_id.p50_us, by_id.p99_us, by_recipient.p50_us, by_recipient.p99_us,
                page.p50_us, page.p99_us, stats.bytes_per_assertion);
    std::fflush(stdout);
  }
  std::printf("last batch / first batch: %.2f wall clock, %.2f writer CPU (target >= 0.80)\n",
              last_rate / first_rate, last_writer_rate / first_writer_rate);
  std::printf("grew to %zu in %.0f s\n", total, seconds_since(run_start));

  const std::string out_path = dir + "/export.jsonl";
  std::FILE* out = std::fopen(out_path.c_str(), "wb");
  if (out == nullptr) return 1;
  const auto start = Clock::now();
  auto count = must(store.export_assertions("", [&](std::string_view chunk) {
                      return std::fwrite(chunk.data(), 1, chunk.size(), out) == chunk.size();
                    }),
                    "export");
  std::fclose(out);
  const double seconds = seconds_since(start);
  std::printf("export: %llu assertions in %.1f s = %.0f/s to a file (target >= 500,000/s)\n",
              static_cast<unsigned long long>(count), seconds, double(count) / seconds);
  std::filesystem::remove(out_path);
}
