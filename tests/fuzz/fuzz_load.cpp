// tests/fuzz/fuzz_load.cpp -- libFuzzer: YAML and JSON loading (parsers, tree builder,
// decoders) must end with objects or diagnostics, never a crash, a hang or a leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "k8s/load.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  dra::util::Diagnostics diags;
  dra::k8s::Cluster cluster;
  dra::k8s::load_text(text, "fuzz.yaml", cluster, diags);
  dra::k8s::LoadOptions lint;
  lint.for_lint = true;
  lint.apply_defaults = false;
  dra::k8s::Cluster as_written;
  dra::k8s::load_text(text, "fuzz.yaml", as_written, diags, lint);
  return 0;
}
