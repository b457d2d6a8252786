// src/util/keep.cpp -- the list behind keep_until_exit() (keep.hpp).
#include "util/keep.hpp"

#include <mutex>
#include <vector>

namespace dra::util::detail {

void remember(void* kept) {
  // Never destroyed either: the pointers stay reachable through `list` to the end.
  static auto* list = new std::vector<void*>();
  static std::mutex lock;
  const std::lock_guard<std::mutex> hold(lock);
  list->push_back(kept);
}

}  // namespace dra::util::detail
