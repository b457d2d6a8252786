// tests/util/heap_test.cpp -- util::heap_for_work(): after it, memory the allocator maps
// anew asks the kernel for small pages (madvise MADV_NOHUGEPAGE, "nh" in /proc/self/smaps),
// where loading asked for huge ones ("hg"). Only builds that link jemalloc have phases.
#include "util/heap.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

// The VmFlags of the mapping that holds `p`, from /proc/self/smaps ("" if not found).
std::string vm_flags_of(const void* p) {
  const auto at = reinterpret_cast<uintptr_t>(p);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    uintptr_t from = 0, to = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> from >> dash >> to && dash == '-' && line.find(':') > line.find(' ')) {
      inside = from <= at && at < to;
      continue;
    }
    if (inside && line.starts_with("VmFlags:")) return line.substr(8) + " ";
  }
  return "";
}

}  // namespace

TEST_CASE("util: after heap_for_work, new heap memory asks for small pages", "[util]") {
#ifdef DRA_EXPECT_HEAP_PHASES
  REQUIRE(dra::util::heap_phases_supported());  // built with jemalloc: the phases must work
#else
  CHECK_FALSE(dra::util::heap_phases_supported());
#endif
  dra::util::heap_for_work();
  dra::util::heap_for_work();  // a second call changes nothing
  // Larger than anything freed before (so that it is mapped anew), small and oversize
  // (jemalloc serves 8 MiB and more from an arena of their own).
  for (const size_t mib : {size_t{3}, size_t{24}, size_t{96}}) {
    const size_t bytes = mib << 20;
    std::unique_ptr<char[]> block(new char[bytes]);
    std::memset(block.get(), 1, bytes);
    CHECK(block[bytes - 1] == 1);
    const std::string flags = vm_flags_of(block.get() + bytes / 2);
    INFO(mib << " MiB: VmFlags" << flags);
    REQUIRE(!flags.empty());
    if (dra::util::heap_phases_supported()) {
      CHECK(flags.find(" nh ") != std::string::npos);
      CHECK(flags.find(" hg ") == std::string::npos);
    }
  }
}
