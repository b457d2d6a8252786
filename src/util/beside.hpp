// src/util/beside.hpp -- Beside: one piece of work on a second thread while the caller does
// another, for the few phases that split in two independent halves (the machines this runs
// on have two cores).
#pragma once

#include <exception>
#include <functional>
#include <system_error>
#include <thread>
#include <utility>

namespace dra::util {

// Starts `work` on a thread of its own when `threaded` (and a thread can be had); join()
// waits for it, or runs it there and then when no thread was started, and rethrows what it
// threw. The destructor joins too (an exception on the caller's side), dropping what `work`
// threw then. `work` must not touch what the caller changes before join().
class Beside {
 public:
  explicit Beside(std::function<void()> work, bool threaded = true) : work_(std::move(work)) {
    if (!threaded) return;
    try {
      thread_ = std::thread([this] { run(); });
    } catch (const std::system_error&) {
      // No thread to be had: join() does the work.
    }
  }
  Beside(const Beside&) = delete;
  Beside& operator=(const Beside&) = delete;
  ~Beside() {
    if (thread_.joinable()) thread_.join();
  }

  void join() {
    if (thread_.joinable()) {
      thread_.join();
    } else if (!done_) {
      run();
    }
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  void run() {
    done_ = true;
    try {
      work_();
    } catch (...) {
      error_ = std::current_exception();
    }
  }
  std::function<void()> work_;
  std::thread thread_;
  std::exception_ptr error_;
  bool done_ = false;
};

}  // namespace dra::util
