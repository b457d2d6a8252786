// src/util/keep.hpp -- keep_until_exit(): large objects a command drops at its end without
// destroying them.
#pragma once

#include <utility>

namespace dra::util {

namespace detail {
void remember(void* kept);  // reachable from then on (leak checkers see it so)
}

// Moves `value` to the heap and returns it there, never to be destroyed: the system takes
// the process's memory back at exit all at once, where destroying a loaded cluster frees
// millions of small blocks one by one (a 10,000-node dump: 65 to 95 ms, bench/README.md,
// "Explain"). For what a command keeps until it returns; a long-lived process (the tests)
// keeps each such value for good.
template <typename T>
T& keep_until_exit(T&& value) {
  T* kept = new T(std::forward<T>(value));
  detail::remember(kept);
  return *kept;
}

}  // namespace dra::util
