// src/commands/fit.cpp -- `kubectl dra fit`: how many more copies of a claim fit into the
// cluster right now, and where (capacity planning).
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "alloc/controllers.hpp"
#include "alloc/schedule.hpp"
#include "commands/flags.hpp"
#include "commands/registry.hpp"
#include "k8s/emit.hpp"
#include "render/table.hpp"
#include "util/keep.hpp"

namespace dra::commands {
namespace {

struct FitOptions {
  std::string claim_file;  // a ResourceClaim or ResourceClaimTemplate
  SourceOptions source;
  std::string output;
  int limit = 10000;
};

int run_fit(const FitOptions& opts, Io& io) {
  util::Diagnostics diags;
  SourceOptions claim_source;
  claim_source.filenames = {opts.claim_file};
  const k8s::Cluster wanted = load_source(claim_source, diags, io);
  if (!checkpoint(diags, io)) return kExitError;
  const k8s::ResourceClaimSpec* spec = nullptr;
  const k8s::RawJson* pod_template = nullptr;  // a Pod or a workload's: copies of the Pod
  k8s::RawJson from_pod;
  std::string name, ns;
  if (!wanted.pods.empty()) {
    const k8s::Pod& pod = wanted.pods.front();
    const k8s::Value v = pod.raw.value();
    k8s::Value t = k8s::Value::map();
    k8s::Value meta = k8s::Value::map();
    if (const k8s::Value* m = v.get("metadata"))
      for (const char* key : {"labels", "annotations"})
        if (const k8s::Value* x = m->get(key)) meta.add(key, *x);
    t.add("metadata", std::move(meta));
    if (const k8s::Value* sp = v.get("spec")) {
      k8s::Value spec = *sp;
      std::erase_if(spec.fields, [](const auto& f) { return f.first == "nodeName"; });
      t.add("spec", std::move(spec));
    }
    from_pod.text = k8s::to_compact_json(t);
    pod_template = &from_pod;
    name = pod.metadata.name;
    ns = pod.metadata.namespace_;
  } else if (!wanted.workloads.empty()) {
    pod_template = &wanted.workloads.front().pod_template;
    name = wanted.workloads.front().metadata.name;
    ns = wanted.workloads.front().metadata.namespace_;
  } else if (!wanted.resource_claims.empty()) {
    spec = &wanted.resource_claims.front().spec;
    name = wanted.resource_claims.front().metadata.name;
    ns = wanted.resource_claims.front().metadata.namespace_;
  } else if (!wanted.resource_claim_templates.empty()) {
    spec = &wanted.resource_claim_templates.front().spec.spec;
    name = wanted.resource_claim_templates.front().metadata.name;
    ns = wanted.resource_claim_templates.front().metadata.namespace_;
  } else {
    io.err << fmt::format(
                  "error: {}: no ResourceClaim, ResourceClaimTemplate, Pod or workload found\n",
                  opts.claim_file)
           << "  hint: give a file with the claim (or template, or Pod) whose copies should fit\n";
    return kExitError;
  }
  // Dropped at exit, not destroyed (util/keep.hpp).
  k8s::Cluster& cluster = util::keep_until_exit(load_source(opts.source, diags, io));
  if (!checkpoint(diags, io)) return kExitError;
  alloc::apply_device_taint_rules(cluster);  // the scheduler's view of the devices
  if (ns.empty()) ns = default_namespace(opts.source, cluster);

  // Templates given with a Pod are the ones its copies use (before the cluster's own).
  if (pod_template)
    for (k8s::ResourceClaimTemplate t : wanted.resource_claim_templates) {
      if (t.metadata.namespace_.empty()) t.metadata.namespace_ = ns;
      cluster.resource_claim_templates.push_front(std::move(t));
    }
  const alloc::Fit f = pod_template ? alloc::fit_pods(std::move(cluster), *pod_template, name, ns,
                                                      alloc::Options{}, opts.limit)
                                    : alloc::fit(cluster, *spec, ns, alloc::Options{}, opts.limit);
  if (!f.error.empty()) {
    io.err << "error: " << f.error << "\n";
    return kExitError;
  }
  if (opts.output == "json" || opts.output == "yaml") {
    k8s::Value v = k8s::Value::map();
    v.add("claim", k8s::Value::of(name));
    v.add("fits", k8s::Value::of(static_cast<int64_t>(f.total)));
    v.add("capped", k8s::Value::of(f.capped));
    if (!f.next.empty() && !f.capped) v.add("next", k8s::Value::of(f.next));
    k8s::Value nodes = k8s::Value::list();
    for (const auto& [node, n] : f.per_node) {
      k8s::Value e = k8s::Value::map();
      e.add("node", k8s::Value::of(node));
      e.add("copies", k8s::Value::of(static_cast<int64_t>(n)));
      nodes.items.push_back(std::move(e));
    }
    v.add("nodes", std::move(nodes));
    io.out << (opts.output == "json" ? k8s::to_json(v) : k8s::to_yaml(v));
  } else {
    render::Table t;
    t.headers = {"NODE", "COPIES"};
    for (const auto& [node, n] : f.per_node) t.add({node, std::to_string(n)});
    render::print(t, io.out);
    io.out << fmt::format("{}{} more cop{} of {} fit{}\n", f.capped ? "at least " : "", f.total,
                          f.total == 1 ? "y" : "ies", name, f.total == 1 ? "s" : "");
    if (!f.next.empty() && !f.capped) io.out << "the next copy does not fit: " << f.next << "\n";
  }
  return f.total > 0 ? kExitOk : kExitNegative;
}

}  // namespace

Command add_fit(CLI::App& root) {
  auto opts = std::make_shared<FitOptions>();
  CLI::App* app =
      root.add_subcommand("fit", "How many more copies of a claim fit into the cluster, and where");
  app->footer(R"(Copies are placed one after the other, first fit in node order, as `allocate`
places claims without a Pod; each copy counts as in use for the next. For a Pod (or a
Deployment, ReplicaSet, StatefulSet or Job: its Pod template), copies of the Pod are placed
as `allocate` places Pods: claims from templates made for each, extended resources served
by DRA or the node's device plugin; counting stops at the first copy that does not fit.

Examples:
  # How many more 2-GPU claims fit, per node
  kubectl dra fit claim.yaml -f dump.yaml

  # How many more Pods like this one (example.com/gpu: 2, or claims from a template)
  kubectl dra fit pod.yaml -f dump.yaml

  # In the live cluster, as JSON, counting at most 100
  kubectl dra fit claim.yaml --limit 100 -o json

Exit status: 0 at least one copy fits, 1 none fits, 2 usage, input or allocator errors.)");
  app->add_option("claim", opts->claim_file,
                  "File with a ResourceClaim, ResourceClaimTemplate, Pod or workload")
      ->required()
      ->type_name("CLAIM-OR-TEMPLATE-FILE");
  add_source_flags(*app, opts->source);
  add_output_flag(*app, opts->output, "yaml|json");
  app->add_option("--limit", opts->limit, "Stop counting at N copies")->type_name("N");
  return {app, [opts](Io& io) { return run_fit(*opts, io); }};
}

}  // namespace dra::commands
