// src/lint/cluster.cpp -- `lint --cluster` (see cluster.hpp): pools gathered as the
// allocator gathers them (alloc::build_inventory), class selectors run by the CEL evaluator.
#include "lint/cluster.hpp"

#include <fmt/format.h>

#include <set>

#include "alloc/inventory.hpp"
#include "lint/report.hpp"
#include "selectors/cache.hpp"

namespace dra::lint {

namespace {

std::string name_of(const k8s::ObjectMeta& m, std::string_view kind) {
  return m.namespace_.empty() ? fmt::format("{} {}", kind, m.name)
                              : fmt::format("{} {}/{}", kind, m.namespace_, m.name);
}

}  // namespace

void cluster_state(const k8s::Cluster& c, const Options& o, std::vector<Finding>& out) {
  auto report = [&](const k8s::Source& src, std::string object) {
    return Report(out, o, c.files.at(src.file), src.version, std::move(object));
  };
  const alloc::Inventory inv = alloc::build_inventory(c);
  // Pools: each finding on the first slice of the pool (in input order).
  for (const alloc::Pool& p : inv.pools) {
    if (p.slices.empty()) continue;
    const k8s::ResourceSlice& first = *p.slices.front();
    Report r = report(first.source, name_of(first.metadata, "ResourceSlice"));
    const std::string pool = fmt::format("{}/{}", p.driver, p.name);
    if (p.incomplete())
      r.warning("incomplete-pool", "spec.pool.resourceSliceCount",
                first.spec.pool.origin.at("resourceSliceCount"),
                fmt::format("pool {} (generation {}) has {} of its {} slices: the allocator skips "
                            "it (and `allocationMode: All` fails where it is seen) until all are "
                            "published",
                            pool, p.generation, p.slices.size(), p.resource_slice_count));
    if (p.stale_slices > 0)
      r.warning("stale-slices", "spec.pool.generation", first.spec.pool.origin.at("generation"),
                fmt::format("pool {} has {} slice{} of an older generation than {}: ignored by "
                            "the allocator (a driver that has not cleaned up?)",
                            pool, p.stale_slices, p.stale_slices == 1 ? "" : "s", p.generation));
    if (p.invalid())
      r.warning("invalid-pool", "spec.pool.name", first.spec.pool.origin.at("name"),
                fmt::format("pool {} is invalid ({}): no device of it can be allocated", pool,
                            p.invalid_reason));
  }
  // Devices tainted NoExecute: pods using them are evicted.
  for (const k8s::ResourceSlice& s : c.resource_slices) {
    Report r = report(s.source, name_of(s.metadata, "ResourceSlice"));
    for (size_t i = 0; i < s.spec.devices.size(); ++i) {
      const k8s::Device& d = s.spec.devices[i];
      for (size_t t = 0; t < d.taints.size(); ++t)
        if (d.taints[t].effect == "NoExecute")
          r.warning("device-tainted-noexecute", fmt::format("spec.devices[{}].taints[{}]", i, t),
                    d.taints[t].origin.pos,
                    fmt::format("device {} is tainted {}={}:NoExecute: Pods using it are evicted "
                                "unless they tolerate it",
                                d.name, d.taints[t].key, d.taints[t].value));
    }
  }
  // Classes whose selectors match nothing.
  selectors::ProgramCache programs;
  selectors::MatchCache matches;
  for (const k8s::DeviceClass& cls : c.device_classes) {
    size_t matched = 0, devices = 0;
    bool compiles = true;
    for (const k8s::ResourceSlice& s : c.resource_slices)
      for (const k8s::Device& d : s.spec.devices) {
        ++devices;
        bool all = true;
        for (const k8s::DeviceSelector& sel : cls.spec.selectors) {
          if (!sel.cel) continue;
          const selectors::Compiled& p = programs.get(sel.cel->expression);
          if (!p.ok()) {
            compiles = false;
            break;
          }
          if (!selectors::to_match(matches.evaluate(*p.program, d, s.spec.driver)).matches) {
            all = false;
            break;
          }
        }
        matched += compiles && all;
      }
    if (compiles && matched == 0 && devices > 0) {
      Report r = report(cls.source, name_of(cls.metadata, "DeviceClass"));
      r.warning("class-matches-nothing", "spec.selectors", cls.spec.origin.at("selectors"),
                fmt::format("the selectors of class {} match none of the {} devices of the "
                            "cluster: claims for it cannot be allocated",
                            cls.metadata.name, devices));
    }
  }
  // Allocations of devices no slice publishes; reservations for Pods not in the dump.
  std::set<std::tuple<std::string_view, std::string_view, std::string_view>> published;
  for (const alloc::Pool& p : inv.pools)
    for (const alloc::DeviceRef& d : p.devices) published.emplace(d.driver(), d.pool(), d.name());
  std::set<std::pair<std::string_view, std::string_view>> pods;
  for (const k8s::Pod& p : c.pods) pods.emplace(p.metadata.namespace_, p.metadata.name);
  for (const k8s::ResourceClaim& claim : c.resource_claims) {
    Report r = report(claim.source, name_of(claim.metadata, "ResourceClaim"));
    if (claim.status.allocation) {
      const auto& results = claim.status.allocation->devices.results;
      for (size_t i = 0; i < results.size(); ++i) {
        const auto& res = results[i];
        if (published.count({res.driver, res.pool, res.device})) continue;
        r.warning("allocated-device-missing",
                  fmt::format("status.allocation.devices.results[{}]", i), res.origin.pos,
                  fmt::format("allocated device {}/{}/{} is not published by any current slice "
                              "(removed, or its pool's generation moved on)",
                              res.driver, res.pool, res.device));
      }
    }
    if (c.pods.empty()) continue;
    const auto& reserved = claim.status.reserved_for;
    for (size_t i = 0; i < reserved.size(); ++i) {
      const auto& ref = reserved[i];
      if (ref.resource != "pods" || pods.count({claim.metadata.namespace_, ref.name})) continue;
      r.warning("reserved-for-missing-pod", fmt::format("status.reservedFor[{}]", i),
                ref.origin.pos,
                fmt::format("reserved for Pod {}/{}, which is not in the cluster: the claim "
                            "stays allocated until the reservation is removed",
                            claim.metadata.namespace_, ref.name));
    }
  }
}

}  // namespace dra::lint
