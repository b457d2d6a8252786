// src/commands/allocate.cpp -- `kubectl dra allocate`: allocates the pending ResourceClaims
// of a dump as the scheduler would, Pod by Pod (alloc/schedule.hpp has the policy), and
// shows or writes the result.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
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
};

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
  return true;
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
  k8s::Cluster cluster = load_source(opts.source, diags, io);
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
  alloc::create_template_claims(cluster);  // as the resourceclaim controller would

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
  app->add_option("--max-steps", opts->max_steps,
                  "Search budget per node and Pod (allocator steps)")
      ->type_name("N");
  return {app, [opts](Io& io) { return run_allocate(*opts, io); }};
}

}  // namespace dra::commands
