// Readies the next bytes of a growing file off the writer's critical path.
//
// LMDB grows its data file by writing new pages past the end at commit (pwrite). Each such page
// needs a fresh page-cache page, and on a virtual machine whose free memory the host has taken
// back (free page reporting) the first touch of a fresh page costs about 2 s per GB of kernel
// time: at 20 million awards that was 1.2 us of the writer's 4.4 us per award, the largest part
// of the slowdown of a big store. FileAhead moves that cost to a background thread started
// before a big write: it allocates the coming range (fallocate, so a full disk also shows before
// the batch rather than at its commit) and reads it once, which puts its pages in the page
// cache; the commit then copies into resident pages. It never writes the file, so it cannot
// change what LMDB wrote, whatever the timing; a range not ready in time costs what it cost
// before. The file's extra tail is zeros LMDB never reads (its meta page says where the data
// ends) and later commits fill.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>

namespace laurel::detail {

class FileAhead {
 public:
  FileAhead() : state_(std::make_shared<State>()) {}
  /// Does not wait: the owner calls stop() before it closes the file (a forked child, which has
  /// the state but not the thread, must not wait at all).
  ~FileAhead() = default;
  FileAhead(const FileAhead&) = delete;
  FileAhead& operator=(const FileAhead&) = delete;

  /// Readies bytes [from, from + bytes) of `fd` in a background thread, unless one is still at
  /// work (then this call does nothing). `fd` must stay open until stop() returns.
  void ready(int fd, std::size_t from, std::size_t bytes);
  /// Asks the background read to stop and waits for it.
  void stop();

  /// Calls smaller than this are left alone: a small write needs few pages, and a thread would
  /// cost more than it saves.
  static constexpr std::size_t kMinBytes = std::size_t(16) << 20;

 private:
  // Shared with the thread, which is detached: a process forked while it runs has the state
  // but not the thread, and must not wait for it (LmdbEnv leaves a forked child's handle alone).
  struct State {
    std::mutex mutex;
    std::condition_variable done;
    bool running = false;
    bool stop = false;
    std::size_t ready_to = 0;  // where earlier calls' ranges end: a later one starts no lower
  };
  std::shared_ptr<State> state_;
};

}  // namespace laurel::detail
