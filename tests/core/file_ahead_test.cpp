// FileAhead (detail/file_ahead.hpp) readies a file's coming bytes in a background thread while
// another thread writes them: it never changes what was written, whatever the timing, it leaves
// small ranges alone, and an LMDB store filled while it ran, whose file ends in a readied tail,
// reopens, checks clean and backs up whole.
#include "detail/file_ahead.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "laurel/store.hpp"
#include "test_support.hpp"

namespace laurel {
namespace {

using detail::FileAhead;
using testing::TempDir;

constexpr std::size_t kPage = 4096;

std::size_t file_size(int fd) {
  struct stat info {};
  return ::fstat(fd, &info) == 0 ? std::size_t(info.st_size) : 0;
}

TEST(FileAhead, NeverChangesWhatAnotherThreadWrites) {
  TempDir dir;
  const std::string path = dir.sub("data");
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  const std::size_t pages = 2 * FileAhead::kMinBytes / kPage;
  // Pages written in random order, each filled with its own number, as the background read
  // goes over the same range: no page may come back zeroed or stale.
  std::vector<std::size_t> order(pages);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(7));
  FileAhead ahead;
  ahead.ready(fd, 0, pages * kPage);
  std::vector<std::uint32_t> page(kPage / 4);
  for (std::size_t number : order) {
    std::fill(page.begin(), page.end(), std::uint32_t(number + 1));
    ASSERT_EQ(::pwrite(fd, page.data(), kPage, off_t(number * kPage)), ssize_t(kPage));
  }
  ahead.stop();
  EXPECT_GE(file_size(fd), pages * kPage);
  for (std::size_t number = 0; number < pages; ++number) {
    ASSERT_EQ(::pread(fd, page.data(), kPage, off_t(number * kPage)), ssize_t(kPage));
    ASSERT_TRUE(std::all_of(page.begin(), page.end(),
                            [&](std::uint32_t word) { return word == number + 1; }))
        << "page " << number;
  }
  ::close(fd);
}

TEST(FileAhead, LeavesSmallRangesAndStoppedFilesAlone) {
  TempDir dir;
  const std::string path = dir.sub("data");
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  FileAhead ahead;
  ahead.ready(fd, 0, FileAhead::kMinBytes - 1);
  ahead.stop();
  EXPECT_EQ(file_size(fd), 0u);
  ahead.ready(fd, 0, FileAhead::kMinBytes);  // after stop(): nothing more
  ahead.stop();
  EXPECT_EQ(file_size(fd), 0u);
  ::close(fd);
}

TEST(FileAhead, StoreGrownAheadReopensChecksAndBacksUp) {
  TempDir dir;
  const std::string location = dir.sub("store");
  const std::size_t awards = 30'000;  // ~25 MB estimated: above FileAhead::kMinBytes
  std::uint64_t data_bytes = 0;
  {
    auto store = Store::open(location);
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto issuer = store->create_issuer(testing::sample_issuer());
    ASSERT_TRUE(issuer.ok());
    auto badge = store->create_badgeclass(testing::sample_badgeclass(issuer->entity_id));
    ASSERT_TRUE(badge.ok());
    auto batch = store->issue_batch(badge->entity_id, testing::recipients(awards));
    ASSERT_TRUE(batch.ok()) << batch.error().message;
    ASSERT_EQ(batch->issued, awards);
    auto stats = store->stats();
    ASSERT_TRUE(stats.ok());
    data_bytes = stats->file_bytes;
  }  // closed: the background read has stopped
  // What a readied range not used yet leaves: a tail of zeros past LMDB's data (made here, since
  // how much of the range a batch fills depends on its documents).
  const std::string data_file = location + "/data.mdb";
  ASSERT_GE(std::filesystem::file_size(data_file), data_bytes);
  std::filesystem::resize_file(data_file, data_bytes + FileAhead::kMinBytes);

  auto store = Store::open(location);
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto report = store->check();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems[0]);
  EXPECT_EQ(report->assertions, awards);
  auto stats = store->stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->file_bytes, data_bytes);
  const std::string copy = dir.sub("backup");
  ASSERT_TRUE(store->backup(copy).ok());
  auto backup = Store::open(copy);
  ASSERT_TRUE(backup.ok()) << backup.error().message;
  auto copied = backup->stats();
  ASSERT_TRUE(copied.ok());
  EXPECT_EQ(copied->assertions, awards);
  EXPECT_LE(std::filesystem::file_size(copy + "/data.mdb"), data_bytes);
}

}  // namespace
}  // namespace laurel
