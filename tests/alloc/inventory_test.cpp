// tests/alloc/inventory_test.cpp -- pools gathered as upstream's GatherPools does (highest
// generation, completeness, invalid pools), allocations per device, and shared counters.
#include "alloc/inventory.hpp"

#include <catch2/catch.hpp>

#include "k8s/load.hpp"
#include "test_util.hpp"

namespace dra::alloc {
namespace {

using testing::cluster_of;

std::string slice(const std::string& name, const std::string& pool, int gen, int count,
                  const std::string& devices) {
  return "---\napiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: " + name +
         "}\nspec:\n  driver: d\n  nodeName: node-1\n  pool: {name: " + pool +
         ", generation: " + std::to_string(gen) + ", resourceSliceCount: " + std::to_string(count) +
         "}\n" + devices;
}

}  // namespace

TEST_CASE("inventory: pools keep the highest generation; completeness", "[alloc]") {
  const std::string yaml = slice("s-b", "p", 2, 2, "  devices: [{name: b}]\n") +
                           slice("s-a", "p", 2, 2, "  devices: [{name: a}]\n") +
                           slice("s-old", "p", 1, 1, "  devices: [{name: old}]\n") +
                           slice("s-q", "q", 0, 2, "  devices: [{name: x}]\n");
  k8s::Cluster c = cluster_of(yaml);
  Inventory inv = build_inventory(c);
  REQUIRE(inv.pools.size() == 2);
  const Pool& p = inv.pools[0];
  CHECK(p.name == "p");
  CHECK(p.generation == 2);
  CHECK(p.stale_slices == 1);
  CHECK_FALSE(p.incomplete());
  // Slices in name order, devices in slice order (the allocator's search order).
  REQUIRE(p.devices.size() == 2);
  CHECK(p.devices[0].name() == "a");
  CHECK(p.devices[1].name() == "b");
  CHECK(inv.pools[1].incomplete());
}

TEST_CASE("inventory: invalid pools name the reason", "[alloc]") {
  const struct {
    std::string yaml;
    std::string reason;
  } cases[] = {
      {slice("s1", "p", 1, 2, "  devices: [{name: a}]\n") +
           slice("s2", "p", 1, 2, "  devices: [{name: a}]\n"),
       "duplicate device name a"},
      {slice("s1", "p", 1, 1,
             "  devices: [{name: a, consumesCounters: [{counterSet: cs, counters: {m: {value: "
             "1}}}]}]\n"),
       "counter set cs not found"},
      {slice("s1", "p", 1, 2, "  sharedCounters: [{name: cs, counters: {m: {value: 1}}}]\n") +
           slice("s2", "p", 1, 2,
                 "  devices: [{name: a, consumesCounters: [{counterSet: cs, counters: {x: "
                 "{value: 1}}}]}]\n"),
       "counter x not found in counter set cs"},
      {slice("s1", "p", 1, 2, "  sharedCounters: [{name: cs, counters: {m: {value: 1}}}]\n") +
           slice("s2", "p", 1, 2, "  sharedCounters: [{name: cs, counters: {m: {value: 1}}}]\n"),
       "duplicate counter set name cs"},
  };
  for (const auto& c : cases) {
    INFO(c.yaml);
    const k8s::Cluster cluster = cluster_of(c.yaml);
    Inventory inv = build_inventory(cluster);
    REQUIRE(inv.pools.size() == 1);
    CHECK(inv.pools[0].invalid_reason == c.reason);
  }
}

TEST_CASE("inventory: holders and counters left", "[alloc]") {
  const std::string yaml =
      slice("s1", "p", 1, 2, "  sharedCounters: [{name: cs, counters: {mem: {value: 8Gi}}}]\n") +
      slice(
          "s2", "p", 1, 2,
          "  devices:\n"
          "  - {name: whole, consumesCounters: [{counterSet: cs, counters: {mem: {value: 8Gi}}}]}\n"
          "  - {name: half, consumesCounters: [{counterSet: cs, counters: {mem: {value: "
          "4Gi}}}]}\n") +
      "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: c, namespace: "
      "ns}\nspec: {devices: {requests: [{name: r, exactly: {deviceClassName: x}}]}}\n"
      "status:\n  allocation:\n    devices:\n      results: [{request: r, driver: d, pool: p, "
      "device: half}]\n";
  k8s::Cluster c = cluster_of(yaml);
  Inventory inv = build_inventory(c);
  REQUIRE(inv.pools.size() == 1);
  const Pool& p = inv.pools[0];
  REQUIRE(p.devices.size() == 2);
  const auto* holders = inv.holders_of(p.devices[1]);
  REQUIRE(holders);
  CHECK(holders->at(0).claim->metadata.name == "c");
  CHECK_FALSE(inv.holders_of(p.devices[0]));
  auto use = counter_use(p, inv);
  REQUIRE(use.size() == 1);
  CHECK(use[0].used.to_string() == "4Gi");
  CHECK_FALSE(counters_fit(p.devices[0], use));  // 4Gi + 8Gi > 8Gi
  CHECK(counters_fit(p.devices[1], use));        // 4Gi + 4Gi fits
}

TEST_CASE("inventory: where a device can be used", "[alloc]") {
  const std::string yaml =
      "apiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: s}\nspec:\n"
      "  driver: d\n  perDeviceNodeSelection: true\n  pool: {name: p, generation: 1, "
      "resourceSliceCount: 1}\n  devices:\n  - {name: a, nodeName: n1}\n  - {name: b, allNodes: "
      "true}\n  - {name: c, nodeSelector: {nodeSelectorTerms: [{matchExpressions: [{key: k, "
      "operator: Exists}]}]}}\n";
  const k8s::Cluster cluster = cluster_of(yaml);
  Inventory inv = build_inventory(cluster);
  const auto& d = inv.pools.at(0).devices;
  REQUIRE(d.size() == 3);
  CHECK(reach_of(d[0]).kind == Reach::Kind::Node);
  CHECK(reach_of(d[0]).node == "n1");
  CHECK(reach_of(d[1]).kind == Reach::Kind::AllNodes);
  CHECK(reach_of(d[2]).kind == Reach::Kind::Selector);
}

}  // namespace dra::alloc
