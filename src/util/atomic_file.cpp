// src/util/atomic_file.cpp -- write_file_atomically (atomic_file.hpp).
#include "util/atomic_file.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

namespace dra::util {
namespace {

// The temporary file a signal must remove: a fixed buffer, so that the handler touches
// nothing but async-signal-safe calls and memory that stays put.
char pending_path[4096];
std::atomic<bool> pending{false};

void on_signal(int sig) {
  if (pending.load()) unlink(pending_path);
  signal(sig, SIG_DFL);  // then end as the signal would have ended us
  raise(sig);
}

class Guard {
 public:
  explicit Guard(const std::string& tmp) {
    const size_t n = std::min(tmp.size(), sizeof pending_path - 1);
    std::memcpy(pending_path, tmp.data(), n);
    pending_path[n] = '\0';
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &sa, &old_[i]);
    pending.store(true);
  }
  ~Guard() {
    pending.store(false);
    for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &old_[i], nullptr);
  }

 private:
  static constexpr int kSignals[3] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction old_[3];
};

std::string error_text(int err) { return std::strerror(err); }

}  // namespace

std::optional<std::string> write_file_atomically(const std::string& path, std::string_view text) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path tmp = target.parent_path() /
                       (("." + target.filename().string()) + ".tmp-" + std::to_string(getpid()));
  long delay_ms = 0;
  if (const char* d = std::getenv("DRA_TEST_WRITE_DELAY_MS")) delay_ms = std::atol(d);

  Guard guard(tmp.string());
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot create " + tmp.string() + ": " + error_text(errno);
  size_t done = 0;
  while (done < text.size()) {
    const size_t chunk = std::min<size_t>(text.size() - done, size_t{1} << 20);
    const ssize_t n = write(fd, text.data() + done, chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string e = error_text(errno);
      close(fd);
      unlink(tmp.c_str());
      return "cannot write " + tmp.string() + ": " + e;
    }
    done += static_cast<size_t>(n);
    if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    const std::string e = error_text(errno);
    unlink(tmp.c_str());
    return "cannot write " + tmp.string() + ": " + e;
  }
  if (rename(tmp.c_str(), target.c_str()) != 0) {
    const std::string e = error_text(errno);
    unlink(tmp.c_str());
    return "cannot write " + path + ": " + e;
  }
  return std::nullopt;
}

}  // namespace dra::util
