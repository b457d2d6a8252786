// src/util/heap.hpp -- how the memory allocator asks the system for pages, by phase.
#pragma once

namespace dra::util {

// From now on, memory the allocator newly maps is made of small (4 KiB) pages. Loading keeps
// transparent huge pages (src/malloc_conf.cpp): a loaded cluster is hundreds of megabytes,
// and huge pages make its first touch hundreds of times rarer. A command's work after that
// needs tens of megabytes, for a fraction of a second: there, on the virtual machines this is
// built on, a fresh huge page costs 0.2 to 2 ms to back and zero, while a small one costs
// microseconds (bench/README.md, "Explain"). Memory mapped before the call keeps its pages.
// Does nothing without jemalloc (sanitizer and -DDRA_JEMALLOC=OFF builds). Call it between
// phases, with no other thread allocating.
void heap_for_work();

// Whether heap_for_work() changes anything in this program (jemalloc is linked).
bool heap_phases_supported();

}  // namespace dra::util
