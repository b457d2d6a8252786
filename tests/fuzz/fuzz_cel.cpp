// tests/fuzz/fuzz_cel.cpp -- libFuzzer: a CEL selector is parsed, checked, cost-estimated
// and, when it compiles, evaluated on a device: issues or a value (an error value included),
// never a crash or a hang (the runtime cost limit ends long evaluations).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "k8s/load.hpp"
#include "selectors/cache.hpp"
#include "selectors/program.hpp"

namespace {

const dra::k8s::Cluster& devices() {
  static const dra::k8s::Cluster c = [] {
    dra::util::Diagnostics diags;
    dra::k8s::Cluster out;
    dra::k8s::load_text(R"(apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: gpu.example.com
  nodeName: node-1
  pool: {name: p, generation: 1, resourceSliceCount: 1}
  devices:
  - name: gpu-0
    attributes:
      model: {string: H100}
      cores: {int: 132}
      mig: {bool: false}
      driverVersion: {version: 550.1.2}
      profiles: {strings: [1g.10gb, 3g.40gb]}
    capacity:
      memory: {value: 80Gi}
)",
                        "devices.yaml", out, diags);
    if (diags.has_errors() || out.resource_slices.empty()) std::abort();  // the harness is wrong
    return out;
  }();
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view expression(reinterpret_cast<const char*>(data), size);
  (void)dra::selectors::check_selector(expression);
  const dra::selectors::Compiled c = dra::selectors::compile(expression);
  if (c.ok()) {
    dra::selectors::MatchCache matches;
    const auto& slice = devices().resource_slices.front();
    (void)matches.evaluate(*c.program, slice.spec.devices.front(), slice.spec.driver);
  }
  return 0;
}
