// src/commands/get.cpp -- `kubectl dra get devices|pools|slices|classes|claims`.
// Lists what a dump (or, later, the cluster) has: devices and their state, pools with
// completeness, free and stranded devices, slices, classes and claims.
#include "commands/get.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>

#include "alloc/controllers.hpp"
#include "alloc/inventory.hpp"
#include "alloc/node_match.hpp"
#include "render/get.hpp"
#include "selectors/cache.hpp"
#include "util/keep.hpp"

namespace dra::commands {
namespace {

enum class Resource { Devices, Pools, Slices, Classes, Claims };

std::optional<Resource> parse_resource(const std::string& r) {
  if (r == "devices" || r == "device" || r == "dev") return Resource::Devices;
  if (r == "pools" || r == "pool") return Resource::Pools;
  if (r == "slices" || r == "slice" || r == "resourceslices" || r == "resourceslice")
    return Resource::Slices;
  if (r == "classes" || r == "class" || r == "deviceclasses" || r == "deviceclass")
    return Resource::Classes;
  if (r == "claims" || r == "claim" || r == "resourceclaims" || r == "resourceclaim")
    return Resource::Claims;
  return std::nullopt;
}

// NAME arguments: a name, or for devices and pools also driver/pool[/device].
bool name_matches(const std::vector<std::string>& names, std::initializer_list<std::string> forms) {
  if (names.empty()) return true;
  for (const auto& n : names)
    for (const auto& f : forms)
      if (n == f) return true;
  return false;
}

int not_found(const GetOptions& opts, std::vector<bool>& seen, const char* kind, Io& io) {
  int status = kExitOk;
  for (size_t i = 0; i < opts.names.size(); ++i)
    if (!seen[i]) {
      io.err << fmt::format("error: {} \"{}\" not found\n", kind, opts.names[i]);
      status = kExitNegative;
    }
  return status;
}

void mark_seen(const GetOptions& opts, std::vector<bool>& seen,
               std::initializer_list<std::string> forms) {
  for (size_t i = 0; i < opts.names.size(); ++i)
    for (const auto& f : forms)
      if (opts.names[i] == f) seen[i] = true;
}

// --node: devices usable on that node. A device reached by node selector is matched against
// the Node's labels when the Node is in the input; without it there is no telling, so it is
// shown.
struct NodeFilter {
  std::string name;
  const k8s::NodeObject* node = nullptr;
  bool operator()(const alloc::Reach& r) const {
    if (name.empty()) return true;
    switch (r.kind) {
      case alloc::Reach::Kind::Node:
        return r.node == name;
      case alloc::Reach::Kind::AllNodes:
        return true;
      case alloc::Reach::Kind::Selector: {
        if (!node) return true;
        auto m =
            alloc::node_selector_matches(*r.selector, node->metadata.name, node->metadata.labels);
        return m.ok() && *m;
      }
      case alloc::Reach::Kind::Unknown:
        break;
    }
    return false;
  }
};

}  // namespace

int run_get(const GetOptions& opts, Io& io) {
  // Parse what to show.
  auto resource = parse_resource(opts.resource);
  if (!resource) {
    io.err << fmt::format("error: unknown resource type \"{}\"\n", opts.resource)
           << "  hint: use one of devices, pools, slices, classes, claims\n";
    return kExitError;
  }
  const render::OutputFormat format = *render::parse_output(opts.output);
  if ((!opts.class_name.empty() || !opts.selector.empty()) && *resource != Resource::Devices) {
    io.err << "error: --class and --selector choose devices: use them with `get devices`\n";
    return kExitError;
  }
  if (!opts.source.namespace_.empty() && opts.source.all_namespaces) {
    io.err << "error: -n/--namespace and -A/--all-namespaces cannot be used together\n";
    return kExitError;
  }

  // Read every object; report all input problems together.
  util::Diagnostics diags;
  // Dropped at exit, not destroyed (util/keep.hpp).
  k8s::Cluster& cluster = util::keep_until_exit(load_source(opts.source, diags, io));
  if (!checkpoint(diags, io)) return kExitError;
  alloc::apply_device_taint_rules(cluster);  // devices' taints as the scheduler sees them

  // Gather pools and who holds which device.
  const alloc::Inventory inv = alloc::build_inventory(cluster);
  NodeFilter node_matches{opts.node, nullptr};
  for (const auto& n : cluster.nodes)
    if (n.metadata.name == opts.node) node_matches.node = &n;
  std::vector<bool> seen(opts.names.size(), false);
  const char* kind = "";
  size_t shown = 0;

  switch (*resource) {
    case Resource::Devices: {
      kind = "device";
      // --class and --selector: CEL selectors every shown device must match.
      selectors::ProgramCache programs;
      std::vector<const selectors::Program*> filters;
      auto add_filter = [&](const std::string& expression, const std::string& what) {
        const selectors::Compiled& c = programs.get(expression);
        if (!c.ok()) {
          io.err << fmt::format("error: {}: CEL compile error:\n{}\n", what,
                                selectors::format_issues(expression, c.issues));
          return false;
        }
        filters.push_back(c.program.get());
        return true;
      };
      if (!opts.class_name.empty()) {
        const k8s::DeviceClass* cls = nullptr;
        for (const auto& dc : cluster.device_classes)
          if (dc.metadata.name == opts.class_name) cls = &dc;
        if (!cls) {
          io.err << fmt::format("error: deviceclass \"{}\" not found\n", opts.class_name);
          return kExitError;
        }
        for (size_t i = 0; i < cls->spec.selectors.size(); ++i) {
          const auto& sel = cls->spec.selectors[i];
          if (sel.cel && !add_filter(sel.cel->expression,
                                     fmt::format("class {}: selector #{}", opts.class_name, i)))
            return kExitError;
        }
      }
      if (!opts.selector.empty() && !add_filter(opts.selector, "--selector")) return kExitError;
      selectors::MatchCache matches;
      size_t failed = 0;
      std::string first_error;
      auto selected = [&](const alloc::DeviceRef& d) {
        for (const selectors::Program* p : filters) {
          const selectors::Match m =
              selectors::to_match(matches.evaluate(*p, *d.device, d.driver()));
          if (!m.error.empty()) {
            if (failed++ == 0)
              first_error = fmt::format("device {}/{}/{}: {}", d.driver(), d.pool(), d.name(),
                                        selectors::enhance_runtime_error(m.error));
            return false;
          }
          if (!m.matches) return false;
        }
        return true;
      };
      std::vector<alloc::DeviceRef> list;
      for (const alloc::Pool& p : inv.pools) {
        if (!opts.driver.empty() && p.driver != opts.driver) continue;
        for (const alloc::DeviceRef& d : p.devices) {
          std::initializer_list<std::string> forms = {
              std::string(d.name()), fmt::format("{}/{}/{}", d.driver(), d.pool(), d.name())};
          if (!name_matches(opts.names, forms) || !node_matches(alloc::reach_of(d))) continue;
          if (!selected(d)) continue;
          mark_seen(opts, seen, forms);
          list.push_back(d);
        }
      }
      // By node, then in the allocator's order (pools by driver and name, slices by name).
      std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
        return render::reach_text(alloc::reach_of(a)) < render::reach_text(alloc::reach_of(b));
      });
      shown = list.size();
      if (shown) render::devices(list, inv, format, io.out);
      if (failed > 0) {
        io.err << fmt::format(
            "warning: {} {} not shown: CEL runtime error (the scheduler fails the allocation "
            "on it)\n  first: {}\n",
            failed, failed == 1 ? "device" : "devices", first_error);
      }
      break;
    }
    case Resource::Pools: {
      kind = "pool";
      std::vector<const alloc::Pool*> list;
      for (const alloc::Pool& p : inv.pools) {
        std::initializer_list<std::string> forms = {p.name, p.driver + "/" + p.name};
        if (!opts.driver.empty() && p.driver != opts.driver) continue;
        if (!name_matches(opts.names, forms)) continue;
        if (!opts.node.empty() &&
            std::none_of(p.devices.begin(), p.devices.end(),
                         [&](const auto& d) { return node_matches(alloc::reach_of(d)); }))
          continue;
        mark_seen(opts, seen, forms);
        list.push_back(&p);
      }
      shown = list.size();
      if (shown) render::pools(list, inv, format, io.out);
      break;
    }
    case Resource::Slices: {
      kind = "resourceslice";
      std::vector<const k8s::ResourceSlice*> list;
      for (const auto& s : cluster.resource_slices) {
        if (!opts.driver.empty() && s.spec.driver != opts.driver) continue;
        if (!opts.node.empty() && s.spec.node_name && *s.spec.node_name != opts.node) continue;
        if (!name_matches(opts.names, {s.metadata.name})) continue;
        mark_seen(opts, seen, {s.metadata.name});
        list.push_back(&s);
      }
      std::stable_sort(list.begin(), list.end(), [](const auto* a, const auto* b) {
        return a->metadata.name < b->metadata.name;
      });
      shown = list.size();
      if (shown) render::slices(list, format, io.out);
      break;
    }
    case Resource::Classes: {
      kind = "deviceclass";
      std::vector<const k8s::DeviceClass*> list;
      for (const auto& c : cluster.device_classes) {
        if (!name_matches(opts.names, {c.metadata.name})) continue;
        mark_seen(opts, seen, {c.metadata.name});
        list.push_back(&c);
      }
      std::stable_sort(list.begin(), list.end(), [](const auto* a, const auto* b) {
        return a->metadata.name < b->metadata.name;
      });
      shown = list.size();
      if (shown) render::classes(list, format, io.out);
      break;
    }
    case Resource::Claims: {
      kind = "resourceclaim";
      std::vector<const k8s::ResourceClaim*> list;
      for (const auto& c : cluster.resource_claims) {
        if (!opts.source.namespace_.empty() && c.metadata.namespace_ != opts.source.namespace_)
          continue;
        if (!name_matches(opts.names, {c.metadata.name})) continue;
        if (!opts.driver.empty() || !opts.node.empty()) {
          // --driver/--node: claims with a device of that driver / on that node.
          bool hit = false;
          if (c.status.allocation)
            for (const auto& r : c.status.allocation->devices.results) {
              const alloc::Pool* p = inv.find_pool(r.driver, r.pool);
              bool drv = opts.driver.empty() || r.driver == opts.driver;
              bool nd = opts.node.empty();
              if (p && !nd)
                for (const auto& d : p->devices)
                  if (d.name() == r.device && node_matches(alloc::reach_of(d))) nd = true;
              hit = hit || (drv && nd);
            }
          if (!hit) continue;
        }
        mark_seen(opts, seen, {c.metadata.name});
        list.push_back(&c);
      }
      std::stable_sort(list.begin(), list.end(), [](const auto* a, const auto* b) {
        return std::tie(a->metadata.namespace_, a->metadata.name) <
               std::tie(b->metadata.namespace_, b->metadata.name);
      });
      shown = list.size();
      if (shown) render::claims(list, format, io.out);
      break;
    }
  }

  if (shown == 0 && opts.names.empty()) {
    if (!opts.source.namespace_.empty() && *resource == Resource::Claims)
      io.err << fmt::format("No resources found in {} namespace.\n", opts.source.namespace_);
    else
      io.err << "No resources found\n";
  }
  return not_found(opts, seen, kind, io);
}

Command add_get(CLI::App& root) {
  auto opts = std::make_shared<GetOptions>();
  CLI::App* app = root.add_subcommand("get", "List devices, pools, slices, classes or claims");
  app->footer(R"(Examples:
  # Every device, its node and whether it is free
  kubectl dra get devices -f examples/cluster.yaml

  # Pools with free, allocated and stranded devices, and shared counters left
  kubectl dra get pools -f examples/cluster.yaml -o wide

  # Claims of one namespace, their state and devices
  kubectl dra get claims -n team-a -f examples/cluster.yaml

  # Devices a class selects, and those of them with at least 40Gi of memory
  kubectl dra get devices --class gpu.example.com -f examples/cluster.yaml
  kubectl dra get devices --selector 'device.capacity["gpu.example.com"].memory.compareTo(quantity("40Gi")) >= 0' -f examples/cluster.yaml

  # Devices of one driver on one node, names only
  kubectl dra get devices --node gpu-node-1 --driver gpu.example.com -o name -f dump.yaml)");
  app->add_option("resource", opts->resource, "devices, pools, slices, classes or claims")
      ->required()
      ->type_name("TYPE");
  app->add_option("names", opts->names,
                  "Only these names (devices and pools also DRIVER/POOL[/DEVICE])")
      ->type_name("NAME");
  add_source_flags(*app, opts->source);
  add_output_flag(*app, opts->output, "wide|name|yaml|json");
  app->add_option("--node", opts->node, "Only devices usable on NODE")->type_name("NODE");
  app->add_option("--driver", opts->driver, "Only devices of DRIVER")->type_name("DRIVER");
  app->add_option("--class", opts->class_name, "Only devices the DeviceClass NAME selects")
      ->type_name("NAME");
  app->add_option("--selector", opts->selector, "Only devices the CEL expression selects")
      ->type_name("EXPR");
  return {app, [opts](Io& io) { return run_get(*opts, io); }};
}

}  // namespace dra::commands
