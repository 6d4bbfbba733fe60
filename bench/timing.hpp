// Throughput measurement shared by the native benchmarks: run a body for about a second and
// report operations per second, on one thread or several at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <thread>
#include <vector>

namespace laurel::bench {

inline constexpr double kSecondsPerMeasure = 1.0;

// Runs `body()` repeatedly for about a second and returns operations per second.
template <class Body>
double per_second(Body&& body) {
  using clock = std::chrono::steady_clock;
  std::size_t done = 0;
  auto start = clock::now();
  double elapsed = 0;
  do {
    for (int i = 0; i < 16; ++i) body();
    done += 16;
    elapsed = std::chrono::duration<double>(clock::now() - start).count();
  } while (elapsed < kSecondsPerMeasure);
  return double(done) / elapsed;
}

// The same on `threads` threads at once, each with its own copy of `body` (so a mutable body may
// keep per-thread state); the rates add up.
template <class Body>
double per_second_threads(unsigned threads, Body body) {
  std::vector<double> rates(threads);
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&rates, t, body]() mutable { rates[t] = per_second(body); });
  }
  double total = 0;
  for (unsigned t = 0; t < threads; ++t) {
    workers[t].join();
    total += rates[t];
  }
  return total;
}

}  // namespace laurel::bench
