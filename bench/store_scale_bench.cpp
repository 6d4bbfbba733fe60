// Issue 16's growth bench: grows one store in batches of bare-email awards (durable issue_batch,
// every index current when the call returns) and prints each batch's rate, so a reader sees
// whether awarding slows as the store grows. Usage: store_scale_bench [total] [batch] [dir]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "laurel/store.hpp"

namespace {
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}
template <typename T>
T must(laurel::Result<T> result, const char* what) {
  if (!result.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, result.error().message.c_str());
    std::exit(1);
  }
  return std::move(result.value());
}
}  // namespace

int main(int argc, char** argv) {
  const std::size_t total = argc > 1 ? std::stoul(argv[1]) : 20'000'000;
  const std::size_t batch = argc > 2 ? std::stoul(argv[2]) : 500'000;
  const std::string dir = argc > 3 ? argv[3] : "build/scale-store";
  std::filesystem::remove_all(dir);
  auto store = must(laurel::Store::open(dir), "open");
  laurel::Issuer issuer_draft;
  issuer_draft.name = "Scale University";
  issuer_draft.email = "badges@scale.example";
  issuer_draft.url = "https://scale.example";
  auto issuer = must(store.create_issuer(issuer_draft), "issuer");
  laurel::BadgeClass badge_draft;
  badge_draft.issuer = issuer.entity_id;
  badge_draft.name = "Scale";
  badge_draft.description = "Grown";
  badge_draft.image = "https://scale.example/badge.png";
  badge_draft.criteria_narrative = "Be counted";
  auto badge = must(store.create_badgeclass(badge_draft), "badgeclass");
  laurel::IssueOptions options;
  options.allow_duplicate_awards = true;
  std::printf("%12s %12s\n", "in store", "issue/s");
  for (std::size_t done = 0; done < total; done += batch) {
    std::vector<laurel::RecipientInput> recipients(batch);
    for (std::size_t i = 0; i < batch; ++i) {
      recipients[i].identity = "learner" + std::to_string(done + i) + "@example.org";
      recipients[i].type = "email";
    }
    const auto start = Clock::now();
    must(store.issue_batch(badge.entity_id, recipients, options), "issue_batch");
    std::printf("%12zu %12.0f\n", done + batch, double(batch) / seconds_since(start));
    std::fflush(stdout);
  }
  std::printf("bytes per award: %.0f\n",
              double(std::filesystem::file_size(dir + "/data.mdb")) / double(total));
}
