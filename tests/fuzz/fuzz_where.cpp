// tests/fuzz/fuzz_where.cpp -- libFuzzer: a `--where` condition becomes CEL or an error;
// the CEL it gives always compiles (it is guarded, so it cannot fail at run time).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "author/where.hpp"
#include "selectors/program.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view condition(reinterpret_cast<const char*>(data), size);
  const dra::author::WhereResult r =
      dra::author::where_to_cel(condition, "gpu.example.com", nullptr);
  if (!r.error && !dra::selectors::compile(r.cel).ok()) std::abort();
  return 0;
}
