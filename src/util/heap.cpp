// src/util/heap.cpp -- heap_for_work(), when the program links src/malloc_conf.cpp.
#include "util/heap.hpp"

// Defined by src/malloc_conf.cpp, which only jemalloc builds link: absent (null) otherwise.
extern "C" void dra_heap_for_work() __attribute__((weak));

namespace dra::util {

void heap_for_work() {
  if (dra_heap_for_work) dra_heap_for_work();
}

bool heap_phases_supported() { return dra_heap_for_work != nullptr; }

}  // namespace dra::util
