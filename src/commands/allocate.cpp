// src/commands/allocate.cpp -- `kubectl dra allocate`: allocates the pending ResourceClaims
// of a dump as the scheduler would, Pod by Pod (alloc/schedule.hpp has the policy), and
// shows or writes the result.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <array>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>

#include "alloc/controllers.hpp"
#include "alloc/schedule.hpp"
#include "commands/flags.hpp"
#include "commands/registry.hpp"
#include "k8s/emit.hpp"
#include "k8s/encode.hpp"
#include "render/allocation.hpp"
#include "render/table.hpp"
#include "util/keep.hpp"

namespace dra::commands {
namespace {

struct AllocateOptions {
  SourceOptions source;
  std::string node;                 // --node
  std::vector<std::string> pods;    // --pod
  std::vector<std::string> claims;  // --claim
  std::string output;               // -o
  std::string output_dump;          // --output-dump
  uint64_t max_steps = alloc::Options{}.max_steps;
  std::vector<std::string> with;           // --with FILE: more objects
  std::vector<std::string> clone_nodes;    // --clone-node NODE=N
  std::vector<std::string> without_nodes;  // --without-node NODE
  std::vector<std::string> taints;         // --taint DEVICE|NODE=KEY[=VALUE]:EFFECT
};

// --taint TARGET=KEY[=VALUE]:EFFECT as DeviceTaintRules: TARGET is a node (every device
// local to it), DRIVER/POOL or DRIVER/POOL/DEVICE. False (with a message) on a bad value or a
// target with no devices.
bool add_taint_rules(const std::string& spec, size_t n, k8s::Cluster& cluster, Io& io) {
  auto bad = [&](const std::string& why) {
    io.err << fmt::format("error: --taint \"{}\": {}\n", spec, why)
           << "  hint: --taint NODE=KEY[=VALUE]:EFFECT or DRIVER/POOL/DEVICE=KEY[=VALUE]:EFFECT, "
              "EFFECT one of NoSchedule, NoExecute, None\n";
    return false;
  };
  const size_t eq = spec.find('=');
  const size_t colon = spec.rfind(':');
  if (eq == std::string::npos || eq == 0 || colon == std::string::npos || colon < eq)
    return bad("expected TARGET=KEY[=VALUE]:EFFECT");
  const std::string target = spec.substr(0, eq);
  const std::string key_value = spec.substr(eq + 1, colon - eq - 1);
  k8s::DeviceTaint taint;
  taint.effect = spec.substr(colon + 1);
  const size_t veq = key_value.find('=');
  taint.key = key_value.substr(0, veq);
  if (veq != std::string::npos) taint.value = key_value.substr(veq + 1);
  if (taint.key.empty()) return bad("the taint has no key");
  if (taint.effect != "NoSchedule" && taint.effect != "NoExecute" && taint.effect != "None")
    return bad("unknown effect \"" + taint.effect + "\"");
  // The selectors: (driver, pool, device) with "" for any.
  std::vector<std::array<std::string, 3>> selectors;
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    const size_t slash = target.find('/', start);
    parts.push_back(target.substr(start, slash == std::string::npos ? slash : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (parts.size() == 1) {  // a node: the pools local to it, and devices that name it
    for (const k8s::ResourceSlice& s : cluster.resource_slices) {
      if (s.spec.node_name.value_or("") == target) {
        std::array<std::string, 3> sel{s.spec.driver, s.spec.pool.name, ""};
        if (std::find(selectors.begin(), selectors.end(), sel) == selectors.end())
          selectors.push_back(sel);
        continue;
      }
      for (const k8s::Device& d : s.spec.devices)
        if (d.node_name.value_or("") == target)
          selectors.push_back({s.spec.driver, s.spec.pool.name, d.name});
    }
    if (selectors.empty()) return bad("node \"" + target + "\" has no devices");
  } else if (parts.size() == 2 || parts.size() == 3) {
    const bool found = std::any_of(
        cluster.resource_slices.begin(), cluster.resource_slices.end(), [&](const auto& s) {
          return s.spec.driver == parts[0] && s.spec.pool.name == parts[1] &&
                 (parts.size() == 2 ||
                  std::any_of(s.spec.devices.begin(), s.spec.devices.end(),
                              [&](const auto& d) { return d.name == parts[2]; }));
        });
    if (!found) return bad("no device " + target);
    selectors.push_back({parts[0], parts[1], parts.size() == 3 ? parts[2] : ""});
  } else {
    return bad("expected a node, DRIVER/POOL or DRIVER/POOL/DEVICE before \"=\"");
  }
  for (size_t i = 0; i < selectors.size(); ++i) {
    k8s::DeviceTaintRule rule;
    rule.metadata.name = fmt::format("what-if-taint-{}{}", n + 1,
                                     selectors.size() > 1 ? fmt::format("-{}", i + 1) : "");
    rule.source.version = k8s::ApiVersion::V1;
    rule.source.api_version = "resource.k8s.io/v1";
    rule.spec.device_selector.emplace();
    rule.spec.device_selector->driver = selectors[i][0];
    rule.spec.device_selector->pool = selectors[i][1];
    if (!selectors[i][2].empty()) rule.spec.device_selector->device = selectors[i][2];
    rule.spec.taint = taint;
    cluster.device_taint_rules.push_back(std::move(rule));
  }
  return true;
}

// Applies --clone-node and --without-node; false (with a message) on a bad value or name.
bool apply_what_if(const AllocateOptions& opts, k8s::Cluster& cluster, Io& io) {
  for (const std::string& spec : opts.clone_nodes) {
    const size_t eq = spec.rfind('=');
    int copies = 0;
    const bool ok = eq != std::string::npos && eq > 0 &&
                    std::from_chars(spec.data() + eq + 1, spec.data() + spec.size(), copies).ec ==
                        std::errc() &&
                    copies > 0 && copies <= 100000;
    if (!ok) {
      io.err << fmt::format("error: --clone-node \"{}\": expected NODE=N with N from 1 to 100000\n",
                            spec);
      return false;
    }
    const std::string node = spec.substr(0, eq);
    if (!alloc::clone_node(cluster, node, copies)) {
      io.err << fmt::format("error: --clone-node: node \"{}\" not found\n", node);
      return false;
    }
  }
  for (const std::string& node : opts.without_nodes) {
    if (!alloc::remove_node(cluster, node)) {
      io.err << fmt::format("error: --without-node: node \"{}\" not found\n", node);
      return false;
    }
  }
  for (size_t i = 0; i < opts.taints.size(); ++i)
    if (!add_taint_rules(opts.taints[i], i, cluster, io)) return false;
  return true;
}

// The evictions of --taint ... NoExecute (and of NoExecute taints already there), and what
// became of each Pod: a table before the allocation table, or lines on stderr when stdout
// carries objects.
void print_evictions(const std::vector<alloc::Eviction>& evictions, const alloc::Schedule& s,
                     bool table, Io& io) {
  if (evictions.empty()) return;
  auto again = [&](const std::string& pod) -> std::string {
    if (pod.empty()) return "<no pod>";
    for (const auto& p : s.placed)
      if (p.pod && alloc::qualified_name(p.pod->metadata) == pod) return p.node;
    for (const auto& f : s.failed)
      if (f.pod && alloc::qualified_name(f.pod->metadata) == pod) return "no: " + f.reason;
    return "<not tried>";
  };
  auto when = [](int64_t after) {
    return after == 0 ? std::string("now") : fmt::format("after {}s", after);
  };
  if (table) {
    render::Table t;
    t.headers = {"EVICTED POD", "CLAIM", "DEVICE", "TAINT", "WHEN", "PLACED AGAIN"};
    for (const auto& e : evictions)
      t.add({e.pod.empty() ? "<none>" : e.pod, e.claim, e.device, e.taint, when(e.after),
             again(e.pod)});
    render::print(t, io.out);
    io.out << "\n";
    return;
  }
  for (const auto& e : evictions)
    io.err << fmt::format("evicted {}: {} {} ({}: {}); placed again: {}\n", when(e.after),
                          e.pod.empty() ? "claim" : "pod " + e.pod + ", claim", e.claim, e.device,
                          e.taint, again(e.pod));
}

// NAME or NAMESPACE/NAME; a bare name is in -n's namespace, else the context's, else
// "default".
std::string qualify(const std::string& name, const SourceOptions& source,
                    const k8s::Cluster& cluster) {
  if (name.find('/') != std::string::npos) return name;
  return default_namespace(source, cluster) + "/" + name;
}

// Every object of the cluster, claims replaced by their allocated versions.
std::vector<k8s::Value> dump_objects(
    const k8s::Cluster& c, const std::map<const k8s::ResourceClaim*, k8s::ResourceClaim>& updated,
    util::Diagnostics& diags) {
  std::vector<k8s::Value> out;
  for (const auto& o : c.namespaces) out.push_back(k8s::encode(o));
  for (const auto& o : c.device_classes) out.push_back(k8s::encode(o));
  for (const auto& o : c.resource_slices) out.push_back(k8s::encode(o));
  for (const auto& o : c.device_taint_rules) {
    auto v = k8s::encode(o);
    if (v) {
      out.push_back(std::move(*v));
    } else {
      util::Diagnostic d;
      d.message = v.error();
      diags.add(std::move(d));
    }
  }
  for (const auto& o : c.resource_claim_templates) out.push_back(k8s::encode(o));
  for (const auto& o : c.resource_claims) {
    auto it = updated.find(&o);
    out.push_back(k8s::encode(it == updated.end() ? o : it->second));
  }
  for (const auto& o : c.nodes) out.push_back(k8s::encode(o));
  for (const auto& o : c.pods) out.push_back(k8s::encode(o));
  return out;
}

std::string group_name(const alloc::Failure& f) {
  if (f.pod) return "pod " + alloc::qualified_name(f.pod->metadata);
  return "claim " + alloc::qualified_name(f.claims.front()->metadata);
}

int run_allocate(const AllocateOptions& opts, Io& io) {
  const render::OutputFormat format = *render::parse_output(opts.output);
  util::Diagnostics diags;
  // Dropped at exit, not destroyed (util/keep.hpp).
  k8s::Cluster& cluster = util::keep_until_exit(load_source(opts.source, diags, io));
  if (!opts.with.empty()) {  // --with: more objects, on top of the files or the live cluster
    SourceOptions with = opts.source;
    with.filenames = opts.with;
    k8s::Cluster more = load_source(with, diags, io);
    // Workloads become the Pods their controllers would make, created after every Pod there.
    std::string newest;
    for (const k8s::Pod& p : cluster.pods) newest = std::max(newest, p.metadata.creation_timestamp);
    alloc::expand_workloads(more, newest, diags);
    k8s::append(cluster, std::move(more));
  }
  if (!checkpoint(diags, io)) return kExitError;
  if (!apply_what_if(opts, cluster, io)) return kExitError;
  // As the control plane would: the scheduler's view of tainted devices, evictions for
  // NoExecute taints, then claims from templates (for new Pods and replacements).
  alloc::apply_device_taint_rules(cluster);
  const std::vector<alloc::Eviction> evictions = alloc::evict_for_device_taints(cluster);
  alloc::create_template_claims(cluster);

  alloc::ScheduleOptions so;
  so.node = opts.node;
  so.allocator.max_steps = opts.max_steps;
  for (const auto& p : opts.pods) so.pods.push_back(qualify(p, opts.source, cluster));
  for (const auto& c : opts.claims) so.claims.push_back(qualify(c, opts.source, cluster));
  if (!opts.node.empty()) {
    if (!alloc::NodeList(cluster).find(opts.node)) {
      io.err << fmt::format("error: node \"{}\" not found\n", opts.node)
             << "  hint: `kubectl dra get devices -o wide` lists the nodes devices are on\n";
      return kExitError;
    }
  }
  const alloc::Schedule s = alloc::schedule(cluster, so);

  int status = kExitOk;
  for (const alloc::Failure& f : s.failed) {
    std::string claims;
    for (const auto* c : f.claims) claims += (claims.empty() ? "" : ", ") + c->metadata.name;
    io.err << fmt::format("{}: {}{}: {}\n", f.error ? "error" : "not placed", group_name(f),
                          claims.empty() ? "" : " (" + claims + ")", f.reason);
    if (!f.error)
      io.err << fmt::format("  hint: run `kubectl dra explain {}` for why\n",
                            f.pod ? "pod " + alloc::qualified_name(f.pod->metadata)
                                  : "claim " + alloc::qualified_name(f.claims.front()->metadata));
    status = std::max(status, f.error ? kExitError : kExitNegative);
  }
  print_evictions(evictions, s,
                  format == render::OutputFormat::Table || format == render::OutputFormat::Wide,
                  io);
  render::allocation(s, format, io.out);

  if (!opts.output_dump.empty()) {
    std::map<const k8s::ResourceClaim*, k8s::ResourceClaim> updated;
    std::vector<k8s::ResourceClaim> made;  // claims the run made, allocated
    std::map<const k8s::Pod*, const alloc::Placement*> extended, bound;
    for (const auto& p : s.placed) {
      if (p.pod) bound.emplace(p.pod, &p);
      for (size_t i = 0; i < p.claims.size(); ++i) {
        if (p.claims[i] == p.extended)
          made.push_back(alloc::allocated_claim(p, i));
        else
          updated.emplace(p.claims[i], alloc::allocated_claim(p, i));
      }
      if (p.extended) extended.emplace(p.pod, &p);
    }
    // The scheduler binds each Pod it placed, and records the claim it made for extended
    // resources in the Pod's status.
    for (k8s::Pod& pod : cluster.pods) {
      if (auto it = bound.find(&pod); it != bound.end()) {
        pod.node_name = it->second->node;
        alloc::set_pod_field(pod, "spec", "nodeName", k8s::Value::of(it->second->node));
      }
      if (auto it = extended.find(&pod); it != extended.end()) {
        pod.extended_resource_claim_name = it->second->extended->metadata.name;
        alloc::set_pod_field(pod, "status", "extendedResourceClaimStatus",
                             alloc::extended_claim_status(it->second->extended->metadata.name,
                                                          it->second->mappings));
      }
    }
    std::vector<k8s::Value> objects = dump_objects(cluster, updated, diags);
    for (const k8s::ResourceClaim& c : made) objects.push_back(k8s::encode(c));
    if (!checkpoint(diags, io)) return kExitError;
    const bool json = opts.output_dump.size() >= 5 &&
                      opts.output_dump.compare(opts.output_dump.size() - 5, 5, ".json") == 0;
    const std::string text =
        json ? k8s::to_json(render::list_of(std::move(objects))) : k8s::to_yaml_documents(objects);
    if (!write_atomically(opts.output_dump, text, io)) return kExitError;
  }
  return status;
}

}  // namespace

Command add_allocate(CLI::App& root) {
  auto opts = std::make_shared<AllocateOptions>();
  CLI::App* app = root.add_subcommand(
      "allocate", "Allocate pending ResourceClaims as the scheduler would, Pod by Pod");
  app->footer(R"(Pods go in input order (by creationTimestamp when all have one); nodes are tried
in name order and the first node where all of a Pod's pending claims fit wins. A pending
claim that no Pod references is allocated on its own, after the Pods. Claims from a
ResourceClaimTemplate are made as the resourceclaim controller makes them, and extended
resources that a DeviceClass serves (example.com/gpu: 1) get the claim the scheduler
makes, on nodes whose device plugin does not serve them.

Examples:
  # Which devices every pending claim would get
  kubectl dra allocate -f examples/cluster.yaml

  # Only on one node, as a List of the allocated claims
  kubectl dra allocate -f dump.yaml --node gpu-node-1 -o yaml

  # Allocate and keep the result, to chain what-if runs
  kubectl dra allocate -f dump.yaml --output-dump after.yaml

  # Would this Job fit now, and where? (Deployments, StatefulSets and ReplicaSets too)
  kubectl dra allocate -f dump.yaml --with training-job.yaml

  # What if gpu-node-3's GPUs failed: which Pods are evicted, and where would they go?
  kubectl dra allocate -f dump.yaml --taint gpu-node-3=example.com/unhealthy:NoExecute

  # What if we had two more nodes like gpu-node-1, and gpu-node-7 were gone?
  kubectl dra allocate -f dump.yaml --clone-node gpu-node-1=2 --without-node gpu-node-7

Exit status: 0 all considered claims allocated, 1 some could not be, 2 usage, input or
allocator errors.)");
  add_source_flags(*app, opts->source);
  add_output_flag(*app, opts->output, "wide|name|yaml|json");
  app->add_option("--node", opts->node, "Only allocate on NODE")->type_name("NODE");
  app->add_option("--pod", opts->pods, "Only these Pods (NAMESPACE/NAME; repeatable)")
      ->type_name("POD");
  app->add_option("--claim", opts->claims,
                  "Only the groups of these claims (NAMESPACE/NAME; repeatable)")
      ->type_name("CLAIM");
  app->add_option("--output-dump", opts->output_dump,
                  "Also write the whole updated cluster to FILE (YAML, or JSON for *.json)")
      ->type_name("FILE");
  app->add_option("--with", opts->with,
                  "What-if: add the objects in FILE (a new node's slices; Pods, Deployments, "
                  "ReplicaSets, StatefulSets and Jobs, which become their Pods; repeatable)")
      ->type_name("FILE");
  app->add_option("--clone-node", opts->clone_nodes,
                  "What-if: add N copies of NODE with its slices and devices (NODE=N; repeatable)")
      ->type_name("NODE=N");
  app->add_option("--without-node", opts->without_nodes,
                  "What-if: remove NODE and its slices (repeatable)")
      ->type_name("NODE");
  app->add_option("--taint", opts->taints,
                  "What-if: taint the devices of a node, DRIVER/POOL or DRIVER/POOL/DEVICE as a "
                  "DeviceTaintRule would (TARGET=KEY[=VALUE]:EFFECT; repeatable); with NoExecute, "
                  "lists the Pods evicted and places them again")
      ->type_name("TARGET=TAINT");
  app->add_option("--max-steps", opts->max_steps,
                  "Search budget per node and Pod (allocator steps)")
      ->type_name("N");
  return {app, [opts](Io& io) { return run_allocate(*opts, io); }};
}

}  // namespace dra::commands
