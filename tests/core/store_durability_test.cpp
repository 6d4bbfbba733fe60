// Durability and isolation: a process SIGKILLed in the middle of a batch leaves none of it while
// what returned before survives; readers in other threads and processes see a consistent
// snapshot while a batch writes; many threads share one store.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

#include "laurel/store.hpp"
#include "test_support.hpp"

namespace laurel {
namespace {

using testing::TempDir;

struct Fixture {
  std::string issuer_id;
  std::string badgeclass_id;
};

Fixture make_fixture(const std::string& path) {
  auto store = Store::open(path);
  EXPECT_TRUE(store.ok());
  auto issuer = store->create_issuer(testing::sample_issuer());
  EXPECT_TRUE(issuer.ok());
  auto badgeclass = store->create_badgeclass(testing::sample_badgeclass(issuer->entity_id));
  EXPECT_TRUE(badgeclass.ok());
  return {issuer->entity_id, badgeclass->entity_id};
}

/// Every assertion of the badge class, revoked and expired included; SIZE_MAX on error.
std::size_t count_assertions(const Store& store, const std::string& badgeclass_id) {
  std::size_t total = 0;
  AssertionQuery query;
  query.id = badgeclass_id;
  query.num = 1000;
  query.include_expired = true;
  query.include_revoked = true;
  for (;;) {
    auto page = store.list_assertions(query);
    if (!page.ok()) return SIZE_MAX;
    total += page->items.size();
    if (page->next_cursor.empty()) return total;
    query.after = page->next_cursor;
  }
}

bool write_byte(int fd, char byte) { return ::write(fd, &byte, 1) == 1; }
char read_byte(int fd) {
  char byte = 0;
  return ::read(fd, &byte, 1) == 1 ? byte : '\0';
}

TEST(StoreDurability, AChildKilledMidBatchLeavesNoneOfItAndKeepsWhatReturned) {
  TempDir dir;
  const Fixture fixture = make_fixture(dir.path());
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    // The child: a batch that returns, then a big one that is killed while its transaction is
    // open with thousands of items written into it.
    auto store = Store::open(dir.path());
    if (!store.ok()) ::_exit(2);
    auto kept = store->issue_batch(fixture.badgeclass_id, testing::recipients(3000, "kept"));
    if (!kept.ok() || kept->issued != 3000) ::_exit(3);
    write_byte(pipe_fds[1], 'K');
    (void)store->issue_batch(fixture.badgeclass_id, testing::recipients(20000, "lost"), {},
                             [&](std::size_t done, std::size_t) {
                               if (done >= 3000) {
                                 write_byte(pipe_fds[1], 'M');
                                 for (;;) ::pause();  // wait for SIGKILL mid-transaction
                               }
                               return true;
                             });
    ::_exit(4);
  }
  ::close(pipe_fds[1]);
  EXPECT_EQ(read_byte(pipe_fds[0]), 'K') << "the first batch returned";
  EXPECT_EQ(read_byte(pipe_fds[0]), 'M') << "the second batch is under way";
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  ::close(pipe_fds[0]);

  auto store = Store::open(dir.path());
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(count_assertions(store.value(), fixture.badgeclass_id), 3000u);
  AssertionQuery lost;
  lost.scope = AssertionQuery::Scope::Recipient;
  lost.recipient = "lost0@example.org";
  auto page = store->list_assertions(lost);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->items.empty());
  lost.recipient = "kept2999@example.org";
  page = store->list_assertions(lost);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 1u);
  // The killed writer's lock is recovered: this process can write.
  auto after = store->issue_batch(fixture.badgeclass_id, testing::recipients(10, "after"));
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(count_assertions(store.value(), fixture.badgeclass_id), 3010u);
  // Every index agrees with the records after the crash.
  auto report = store->check();
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems.front());
  EXPECT_EQ(report->assertions, 3010u);
}

TEST(StoreIsolation, AReaderThreadSeesASnapshotWhileABatchWrites) {
  TempDir dir;
  const Fixture fixture = make_fixture(dir.path());
  auto opened = Store::open(dir.path());
  ASSERT_TRUE(opened.ok());
  Store& store = opened.value();
  auto before = store.issue_batch(fixture.badgeclass_id, testing::recipients(500, "before"));
  ASSERT_TRUE(before.ok());

  std::promise<void> batch_paused;
  std::promise<void> reader_done;
  std::future<void> reader_done_future = reader_done.get_future();
  std::thread writer([&] {
    auto batch = store.issue_batch(fixture.badgeclass_id, testing::recipients(5000, "during"), {},
                                   [&, paused = false](std::size_t, std::size_t) mutable {
                                     if (!paused) {
                                       paused = true;
                                       batch_paused.set_value();
                                       reader_done_future.wait();
                                     }
                                     return true;
                                   });
    EXPECT_TRUE(batch.ok());
  });
  batch_paused.get_future().wait();
  // The write transaction is open and holds 1000 items: readers neither block nor see them.
  EXPECT_EQ(count_assertions(store, fixture.badgeclass_id), 500u);
  AssertionQuery during;
  during.scope = AssertionQuery::Scope::Recipient;
  during.recipient = "during0@example.org";
  auto page = store.list_assertions(during);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->items.empty());
  reader_done.set_value();
  writer.join();
  EXPECT_EQ(count_assertions(store, fixture.badgeclass_id), 5500u);
}

TEST(StoreIsolation, AReaderProcessSeesASnapshotWhileABatchWrites) {
  TempDir dir;
  const Fixture fixture = make_fixture(dir.path());
  int go[2], answer[2];
  ASSERT_EQ(::pipe(go), 0);
  ASSERT_EQ(::pipe(answer), 0);
  // Fork before this process opens the store: a child must not use its parent's environment.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(go[1]);
    ::close(answer[0]);
    if (read_byte(go[0]) != 'G') ::_exit(2);
    auto store = Store::open(dir.path());
    if (!store.ok()) ::_exit(3);
    std::size_t seen = count_assertions(store.value(), fixture.badgeclass_id);
    write_byte(answer[1], seen == 700 ? 'S' : 'X');
    ::_exit(0);
  }
  ::close(go[0]);
  ::close(answer[1]);
  auto store = Store::open(dir.path());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->issue_batch(fixture.badgeclass_id, testing::recipients(700, "before")).ok());
  char child_saw = '\0';
  auto batch = store->issue_batch(fixture.badgeclass_id, testing::recipients(3000, "during"), {},
                                  [&](std::size_t, std::size_t) {
                                    if (child_saw == '\0') {
                                      write_byte(go[1], 'G');
                                      child_saw = read_byte(answer[0]);
                                    }
                                    return true;
                                  });
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(child_saw, 'S') << "the other process saw exactly the 700 committed before the batch";
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ::close(go[1]);
  ::close(answer[0]);
  EXPECT_EQ(count_assertions(store.value(), fixture.badgeclass_id), 3700u);
}

TEST(StoreGrowth, AMapGrownByAnotherProcessIsAdopted) {
  TempDir dir;
  const Fixture fixture = make_fixture(dir.path());
  StoreOptions small;
  small.initial_map_bytes = 1u << 20;
  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(go[1]);
    if (read_byte(go[0]) != 'G') ::_exit(2);
    auto store = Store::open(dir.path(), small);
    if (!store.ok()) ::_exit(3);
    auto batch = store->issue_batch(fixture.badgeclass_id, testing::recipients(8000, "child"));
    ::_exit(batch.ok() && batch->issued == 8000 ? 0 : 4);
  }
  ::close(go[0]);
  // This process maps 1 MiB; the child's batch grows the file well past it.
  auto store = Store::open(dir.path(), small);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(count_assertions(store.value(), fixture.badgeclass_id), 0u);
  write_byte(go[1], 'G');
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ::close(go[1]);
  EXPECT_EQ(count_assertions(store.value(), fixture.badgeclass_id), 8000u);
  auto more = store->issue_batch(fixture.badgeclass_id, testing::recipients(100, "parent"));
  ASSERT_TRUE(more.ok()) << more.error().message;
  EXPECT_EQ(count_assertions(store.value(), fixture.badgeclass_id), 8100u);
}

TEST(StoreConcurrency, ManyThreadsIssueRevokeAndReadTogether) {
  TempDir dir;
  StoreOptions options;
  options.initial_map_bytes = 1u << 20;  // growth happens while other threads read and write
  auto opened = Store::open(dir.path(), options);
  ASSERT_TRUE(opened.ok());
  Store& store = opened.value();
  auto issuer = store.create_issuer(testing::sample_issuer());
  ASSERT_TRUE(issuer.ok());
  auto badgeclass = store.create_badgeclass(testing::sample_badgeclass(issuer->entity_id));
  ASSERT_TRUE(badgeclass.ok());

  constexpr int kWriters = 3;
  constexpr std::size_t kPerBatch = 1500;
  std::atomic<bool> writing{true};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      auto batch = store.issue_batch(badgeclass->entity_id,
                                     testing::recipients(kPerBatch, "w" + std::to_string(w) + "-"));
      if (!batch.ok() || batch->issued != kPerBatch) {
        ++failures;
        return;
      }
      std::vector<RevokeItem> items;
      for (std::size_t i = 0; i < 100; ++i) items.push_back({batch->items[i].entity_id, "r"});
      auto revoked = store.revoke_batch(items);
      if (!revoked.ok()) ++failures;
    });
  }
  std::thread reader([&] {
    while (writing) {
      std::size_t seen = count_assertions(store, badgeclass->entity_id);
      // Whole batches only: a reader never sees part of one.
      if (seen == SIZE_MAX || seen % kPerBatch != 0) ++failures;
    }
  });
  for (auto& thread : threads) thread.join();
  writing = false;
  reader.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(count_assertions(store, badgeclass->entity_id), kWriters * kPerBatch);
  auto revocations = store.revocations(issuer->entity_id);
  ASSERT_TRUE(revocations.ok());
  EXPECT_EQ(revocations->size(), 300u);
}

}  // namespace
}  // namespace laurel
