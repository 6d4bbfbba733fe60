// FileAhead: see detail/file_ahead.hpp for why.
#include "detail/file_ahead.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <system_error>
#include <thread>
#include <vector>

namespace laurel::detail {

void FileAhead::ready(int fd, std::size_t from, std::size_t bytes) {
  if (bytes < kMinBytes) return;
  std::shared_ptr<State> state = state_;
  const std::size_t end = from + bytes;
  {
    std::lock_guard lock(state->mutex);
    if (state->running || state->stop) return;
    from = std::max(from, state->ready_to);  // what an earlier call readied is ready
    if (from >= end) return;
    state->ready_to = end;
    state->running = true;
  }
  auto work = [state, fd, from, end] {
    // fallocate (not posix_fallocate: its fallback writes zeros into the file, which LMDB may be
    // writing at that moment). On a file system without it the read below still readies what
    // LMDB wrote, and the rest costs what it always did.
    ::fallocate(fd, 0, off_t(from), off_t(end - from));
    constexpr std::size_t kStep = std::size_t(1) << 20;
    std::vector<char> buffer(kStep);
    for (std::size_t at = from; at < end; at += kStep) {
      {
        std::lock_guard lock(state->mutex);
        if (state->stop) break;
      }
      if (::pread(fd, buffer.data(), kStep, off_t(at)) <= 0) break;  // past the end, or failed
    }
    std::lock_guard lock(state->mutex);
    state->running = false;
    state->done.notify_all();
  };
  try {
    std::thread(std::move(work)).detach();
  } catch (const std::system_error&) {  // no thread to spare: the commit pays as it did before
    std::lock_guard lock(state->mutex);
    state->running = false;
  }
}

void FileAhead::stop() {
  std::unique_lock lock(state_->mutex);
  state_->stop = true;
  state_->done.wait(lock, [&] { return !state_->running; });
}

}  // namespace laurel::detail
