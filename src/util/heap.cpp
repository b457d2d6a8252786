// src/util/heap.cpp -- heap_for_work() (heap.hpp).
#include "util/heap.hpp"

#ifdef __linux__
#include <sys/prctl.h>
#endif

namespace dra::util {

void heap_for_work() {
#ifdef __linux__
  // The kernel checks the flag at each fault, for every mapping of the process (it is
  // inherited across fork and exec, which commands do not do after loading).
  (void)prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
#endif
}

bool heap_in_work_phase() {
#ifdef __linux__
  return prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) == 1;
#else
  return false;
#endif
}

}  // namespace dra::util
