// src/malloc_conf.cpp -- jemalloc's configuration, compiled into the static release binary
// (CMake option DRA_JEMALLOC; see bench/README.md "Memory allocator").
//
// A dump of ten thousand nodes makes a few million small allocations. On the virtual
// machines this tool is built and measured on, each first touch of a 4 KiB page costs a
// trap to the hypervisor; transparent huge pages (2 MiB) make those traps 512 times rarer.
// glibc's malloc asks for huge pages only when told through the GLIBC_TUNABLES environment
// variable (glibc.malloc.hugetlb=1), which a program cannot set for itself; jemalloc reads
// this symbol at its start. No background thread: the tool is one short-lived process.
extern "C" {
// NOLINTNEXTLINE(readability-identifier-naming): the name jemalloc looks for.
const char* malloc_conf = "thp:always,metadata_thp:auto,background_thread:false,narenas:1";
}

// ---- util::heap_for_work (src/util/heap.hpp) ----------------------------------------------
// jemalloc asks each new mapping for huge pages (thp:always: madvise(MADV_HUGEPAGE) in its
// default extent allocation hook). After heap_for_work(), every arena's allocation hook is
// the default one followed by madvise(MADV_NOHUGEPAGE) on what it mapped; the other hooks
// stay the defaults. jemalloc documents the hooks (`arena.<i>.extent_hooks`, jemalloc(3)).
#include <jemalloc/jemalloc.h>
#include <sys/mman.h>

#include <array>
#include <cstddef>
#include <string>

namespace {

constexpr unsigned kMaxArenas = 8;  // narenas:1, plus jemalloc's arena for oversize requests
std::array<extent_hooks_t*, kMaxArenas> defaults{};
std::array<extent_hooks_t, kMaxArenas> small_pages{};

void* alloc_small_pages(extent_hooks_t* self, void* addr, size_t size, size_t alignment, bool* zero,
                        bool* commit, unsigned arena) {
  const auto i = static_cast<size_t>(self - small_pages.data());
  extent_hooks_t* d = defaults[i];
  void* p = d->alloc(d, addr, size, alignment, zero, commit, arena);
  if (p) madvise(p, size, MADV_NOHUGEPAGE);
  return p;
}

}  // namespace

extern "C" void dra_heap_for_work() {
  // Requests of oversize_threshold (8 MiB) or more go to an arena jemalloc makes on the first
  // of them, with the default hooks; one such request now makes it, so that it gets ours.
  size_t oversize = 0;
  size_t size = sizeof oversize;
  if (mallctl("opt.oversize_threshold", &oversize, &size, nullptr, 0) == 0 && oversize > 0)
    free(mallocx(oversize, 0));
  unsigned arenas = 0;
  size = sizeof arenas;
  if (mallctl("arenas.narenas", &arenas, &size, nullptr, 0) != 0) return;
  for (unsigned a = 0; a < arenas && a < kMaxArenas; ++a) {
    const std::string name = "arena." + std::to_string(a) + ".extent_hooks";
    extent_hooks_t* hooks = nullptr;
    size = sizeof hooks;
    // An arena not created yet answers with an error: nothing to change there.
    if (mallctl(name.c_str(), &hooks, &size, nullptr, 0) != 0 || !hooks) continue;
    if (hooks == &small_pages[a]) continue;  // done before
    defaults[a] = hooks;
    small_pages[a] = *hooks;
    small_pages[a].alloc = alloc_small_pages;
    extent_hooks_t* mine = &small_pages[a];
    mallctl(name.c_str(), nullptr, nullptr, &mine, sizeof mine);
  }
}
