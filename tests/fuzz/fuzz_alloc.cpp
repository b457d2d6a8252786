// tests/fuzz/fuzz_alloc.cpp -- libFuzzer: the allocator on small clusters built from the
// input (devices with attributes, counters and taints; claims with counts, selectors,
// constraints and All) ends within its search budget with an outcome, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "alloc/schedule.hpp"
#include "k8s/load.hpp"

namespace {

// Reads the input a byte at a time; zeros when it runs out.
struct Bytes {
  const uint8_t* p;
  size_t n;
  uint8_t next() { return n ? (--n, *p++) : 0; }
  int below(int k) { return next() % k; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Bytes in{data, size};
  static const char* const kModels[] = {"a", "b", "c"};
  static const char* const kSelectors[] = {
      "device.attributes[\"d\"].model == \"a\"",
      "has(device.attributes[\"d\"].numa) && device.attributes[\"d\"].numa == 0",
      "device.capacity[\"d\"].memory.compareTo(quantity(\"8Gi\")) >= 0",
      "device.attributes[\"d\"].numa == 1",  // fails at run time on devices without numa
      "true"};
  std::string y =
      "apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: c}\nspec:\n"
      "  selectors: [{cel: {expression: 'device.driver == \"d\"'}}]\n";
  const int nodes = 1 + in.below(3);
  for (int n = 0; n < nodes; ++n) {
    y += "---\napiVersion: v1\nkind: Node\nmetadata: {name: n" + std::to_string(n) + "}\n";
    y += "---\napiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: s" +
         std::to_string(n) + "}\nspec:\n  driver: d\n  nodeName: n" + std::to_string(n) +
         "\n  pool: {name: p" + std::to_string(n) + ", generation: 1, resourceSliceCount: 1}\n";
    const bool counters = in.below(2);
    if (counters) y += "  sharedCounters: [{name: cs, counters: {mem: {value: 16Gi}}}]\n";
    y += "  devices:\n";
    const int devices = 1 + in.below(6);
    for (int d = 0; d < devices; ++d) {
      y += "  - name: g" + std::to_string(d) +
           "\n    attributes: {model: {string: " + kModels[in.below(3)] + "}";
      if (in.below(2)) y += ", numa: {int: " + std::to_string(in.below(2)) + "}";
      y += "}\n    capacity: {memory: {value: " + std::to_string(4 * (1 + in.below(4))) + "Gi}}\n";
      if (counters && in.below(2))
        y += "    consumesCounters: [{counterSet: cs, counters: {mem: {value: 8Gi}}}]\n";
      if (in.below(4) == 0) y += "    taints: [{key: k, effect: NoSchedule}]\n";
    }
  }
  const int claims = 1 + in.below(3);
  for (int c = 0; c < claims; ++c) {
    y += "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: r" +
         std::to_string(c) + ", namespace: ns}\nspec:\n  devices:\n    requests:\n";
    const int requests = 1 + in.below(2);
    for (int r = 0; r < requests; ++r) {
      y += "    - name: q" + std::to_string(r) + "\n      exactly:\n        deviceClassName: c\n";
      if (in.below(5) == 0) {
        y += "        allocationMode: All\n";
      } else {
        y += "        count: " + std::to_string(1 + in.below(4)) + "\n";
      }
      y += "        selectors: [{cel: {expression: '" + std::string(kSelectors[in.below(5)]) +
           "'}}]\n";
      if (in.below(3) == 0) y += "        tolerations: [{key: k, operator: Exists}]\n";
    }
    if (in.below(2))
      y += std::string("    constraints: [{") +
           (in.below(2) ? "matchAttribute" : "distinctAttribute") + ": d/model}]\n";
  }
  dra::util::Diagnostics diags;
  dra::k8s::Cluster cluster;
  dra::k8s::load_text(y, "fuzz.yaml", cluster, diags);
  dra::alloc::ScheduleOptions so;
  so.allocator.max_steps = 20000;  // small: the search must end, with an error if need be
  (void)dra::alloc::schedule(cluster, so);
  return 0;
}
