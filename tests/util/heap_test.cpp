// tests/util/heap_test.cpp -- util::heap_for_work(): after it, memory touched for the first
// time is backed by small pages, in any mapping (also one advised MADV_HUGEPAGE, as jemalloc
// advises the heap it maps while loading). Read off /proc/self/smaps ("THPeligible",
// "AnonHugePages").
#include "util/heap.hpp"

#include <sys/mman.h>
#include <sys/prctl.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

namespace {

// A field ("THPeligible", "AnonHugePages") of the mapping that holds `p`, from
// /proc/self/smaps; nullopt if the kernel does not report it.
std::optional<long> smaps_field(const void* p, const std::string& field) {
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
    if (inside && line.starts_with(field + ":")) return std::stol(line.substr(field.size() + 1));
  }
  return std::nullopt;
}

// The system's transparent huge page mode is not "never".
bool huge_pages_available() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string mode;
  std::getline(f, mode);
  return !mode.empty() && mode.find("[never]") == std::string::npos;
}

// Anonymous memory of `bytes` at a 2 MiB boundary, advised MADV_HUGEPAGE (unmapped on exit).
struct Region {
  static constexpr size_t kHuge = size_t{2} << 20;
  explicit Region(size_t bytes) : size(bytes + kHuge) {
    base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(base != MAP_FAILED);
    const auto b = reinterpret_cast<uintptr_t>(base);
    at = reinterpret_cast<char*>((b + kHuge - 1) / kHuge * kHuge);
    madvise(at, bytes, MADV_HUGEPAGE);
    std::memset(at, 1, bytes);
  }
  ~Region() { munmap(base, size); }
  Region(const Region&) = delete;
  Region& operator=(const Region&) = delete;
  void* base = nullptr;
  size_t size = 0;
  char* at = nullptr;
};

}  // namespace

TEST_CASE("util: after heap_for_work, new memory is backed by small pages", "[util]") {
  const int was = prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0);
  REQUIRE(was >= 0);
  REQUIRE(prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0) == 0);  // as a process starts
  CHECK_FALSE(dra::util::heap_in_work_phase());
  const bool huge = huge_pages_available();
  {
    Region before(size_t{8} << 20);
    const auto eligible = smaps_field(before.at, "THPeligible");
    if (eligible && huge) CHECK(*eligible == 1);  // the loading phase may use huge pages

    dra::util::heap_for_work();
    dra::util::heap_for_work();  // a second call changes nothing
    CHECK(dra::util::heap_in_work_phase());

    // Every mapping now: the one advised before, one advised after, the allocator's heap.
    Region after(size_t{8} << 20);
    const size_t bytes = size_t{24} << 20;
    std::unique_ptr<char[]> block(new char[bytes]);
    std::memset(block.get(), 1, bytes);
    CHECK(block[bytes - 1] == 1);
    for (const void* p : {static_cast<const void*>(before.at), static_cast<const void*>(after.at),
                          static_cast<const void*>(block.get() + bytes / 2)}) {
      if (const auto e = smaps_field(p, "THPeligible")) CHECK(*e == 0);
    }
    const auto after_huge = smaps_field(after.at, "AnonHugePages");
    REQUIRE(after_huge);
    CHECK(*after_huge == 0);  // touched in full, and not one huge page
  }
  REQUIRE(prctl(PR_SET_THP_DISABLE, was, 0, 0, 0) == 0);  // the other tests' process as it was
}
