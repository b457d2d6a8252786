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
