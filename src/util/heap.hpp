// src/util/heap.hpp -- which pages the process's memory is made of, by phase.
#pragma once

namespace dra::util {

// From now on, memory the process touches for the first time is backed by small (4 KiB)
// pages. Loading uses transparent huge pages (src/malloc_conf.cpp): a loaded cluster is
// hundreds of megabytes, and huge pages make its first touch hundreds of times rarer. A
// command's work after that needs tens of megabytes, for a fraction of a second: there, on
// the virtual machines this is built on, a fresh huge page costs 0.2 to 2 ms to back and
// zero, while a small one costs microseconds (bench/README.md, "Explain").
// Pages backed before the call keep their size. The setting is the whole process's
// (Linux: prctl PR_SET_THP_DISABLE), so it also covers address space the memory allocator
// keeps from the load and hands out again. Elsewhere it does nothing.
void heap_for_work();

// Whether the process is past heap_for_work() (small pages only); false where there are
// no phases.
bool heap_in_work_phase();

}  // namespace dra::util
