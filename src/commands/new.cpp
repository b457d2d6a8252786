// src/commands/new.cpp -- `kubectl dra new claim|template NAME`: a ResourceClaim or
// ResourceClaimTemplate from short flags, printed as YAML or JSON in the API version asked
// for (author/build.hpp turns the flags, in their order, into the claim spec).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>

#include "alloc/schedule.hpp"
#include "author/build.hpp"
#include "author/spec_file.hpp"
#include "author/templates.hpp"
#include "commands/flags.hpp"
#include "commands/registry.hpp"
#include "explain/explain.hpp"
#include "k8s/emit.hpp"
#include "k8s/encode.hpp"
#include "k8s/load.hpp"
#include "util/strings.hpp"

namespace dra::commands {
namespace {

struct NewOptions {
  std::string kind;  // claim or template
  std::string name;
  std::string namespace_;
  std::string api_version = "v1";
  std::string output = "yaml";
  bool pod = false;
  std::string against;
  std::string template_name;
  std::vector<std::string> sets;  // --set NAME=VALUE
  std::string template_dir;
  std::string from;                 // --from FILE
  int containers = 1;               // in the --pod Pod
  std::vector<author::Step> steps;  // the request flags, in order
};

// The request flags, in the order CLI11 saw them (Option::results() keeps each option's
// values in order; parse_order() says which option came when).
std::vector<author::Step> ordered_steps(const CLI::App& app,
                                        const std::vector<std::string>& names) {
  std::vector<author::Step> out;
  std::map<const CLI::Option*, size_t> taken;
  for (const CLI::Option* o : app.parse_order()) {
    std::string flag = o->get_name(false, true);
    while (!flag.empty() && flag.front() == '-') flag.erase(0, 1);
    if (std::find(names.begin(), names.end(), flag) == names.end()) continue;
    author::Step s{flag, ""};
    if (o->get_expected_min() > 0) {
      const size_t i = taken[o]++;
      if (i < o->results().size()) s.value = o->results()[i];
    }
    out.push_back(std::move(s));
  }
  return out;
}

k8s::Value pod_wiring(const NewOptions& o) {
  // A minimal Pod that uses the claim: its spec.resourceClaims entry and a container's
  // resources.claims (merge these into your own Pod).
  k8s::Value entry = k8s::Value::map();
  entry.add("name", k8s::Value::of(o.name));
  entry.add(o.kind == "template" ? "resourceClaimTemplateName" : "resourceClaimName",
            k8s::Value::of(o.name));
  k8s::Value claims = k8s::Value::list();
  claims.items.push_back(std::move(entry));
  k8s::Value use = k8s::Value::map();
  use.add("name", k8s::Value::of(o.name));
  k8s::Value uses = k8s::Value::list();
  uses.items.push_back(std::move(use));
  k8s::Value resources = k8s::Value::map();
  resources.add("claims", std::move(uses));
  k8s::Value container = k8s::Value::map();
  container.add("name", k8s::Value::of("app"));
  container.add("image", k8s::Value::of("IMAGE"));
  container.add("resources", std::move(resources));
  k8s::Value containers = k8s::Value::list();
  for (int i = 0; i < o.containers; ++i) {
    k8s::Value c = container;
    if (o.containers > 1) c.fields.front().second = k8s::Value::of(fmt::format("app-{}", i + 1));
    containers.items.push_back(std::move(c));
  }
  k8s::Value spec = k8s::Value::map();
  spec.add("resourceClaims", std::move(claims));
  spec.add("containers", std::move(containers));
  k8s::Value meta = k8s::Value::map();
  meta.add("name", k8s::Value::of(o.name));
  if (!o.namespace_.empty()) meta.add("namespace", k8s::Value::of(o.namespace_));
  k8s::Value pod = k8s::Value::map();
  pod.add("apiVersion", k8s::Value::of("v1"));
  pod.add("kind", k8s::Value::of("Pod"));
  pod.add("metadata", std::move(meta));
  pod.add("spec", std::move(spec));
  return pod;
}

// With --against: whether the claim can be satisfied in that cluster now, and where or why
// not (explain's verdict on the claim added to the cluster, pending).
void report_fit(const NewOptions& o, const k8s::Cluster& against,
                const k8s::ResourceClaimSpec& spec, Io& io) {
  k8s::Cluster what_if = against;
  k8s::ResourceClaim probe;
  probe.metadata.namespace_ = o.namespace_.empty() ? "default" : o.namespace_;
  probe.metadata.name = o.name;
  auto taken = [&](const std::string& n) {
    return std::any_of(what_if.resource_claims.begin(), what_if.resource_claims.end(),
                       [&](const k8s::ResourceClaim& c) {
                         return c.metadata.namespace_ == probe.metadata.namespace_ &&
                                c.metadata.name == n;
                       });
  };
  for (int i = 2; taken(probe.metadata.name); ++i)
    probe.metadata.name = fmt::format("{}-{}", o.name, i);
  probe.spec = spec;
  k8s::apply_defaults(probe.spec, k8s::ApiVersion::V1);  // as the server stores it
  what_if.resource_claims.push_back(probe);
  const std::string subject =
      fmt::format("{} {}/{}", o.kind == "template" ? "a claim from template" : "claim",
                  probe.metadata.namespace_, o.name);
  const explain::Result r = explain::explain(
      what_if, {explain::Target::Kind::Claim, probe.metadata.namespace_, probe.metadata.name}, {});
  if (!r.error.empty() || r.explanation.claims.empty()) {
    io.err << fmt::format("warning: cannot tell whether {} fits {}: {}\n", subject, o.against,
                          r.error);
    return;
  }
  const explain::ClaimExplanation& ce = r.explanation.claims.front();
  using S = explain::ClaimExplanation::State;
  if (ce.state == S::AllocatedNow || ce.state == S::Allocated) {
    io.err << fmt::format("{} can be satisfied in {} now: on node {}", subject, o.against, ce.node);
    if (ce.other_nodes_total > 0)
      io.err << fmt::format(" (it would fit on {} other node{} too)", ce.other_nodes_total,
                            ce.other_nodes_total == 1 ? "" : "s");
    io.err << "\n";
    return;
  }
  io.err << fmt::format("warning: {} cannot be satisfied in {} now: {}\n", subject, o.against,
                        ce.reason);
  for (const std::string& s : ce.suggestions) io.err << "  hint: " << s << "\n";
}

int run_new(NewOptions& o, Io& io) {
  const std::optional<k8s::ApiVersion> version =
      k8s::parse_api_version("resource.k8s.io/" + o.api_version);
  if (!version) {
    io.err << fmt::format("error: --api-version {:?}: not one of v1, v1beta2, v1beta1\n",
                          o.api_version);
    return kExitError;
  }
  util::Diagnostics diags;
  k8s::Cluster against;
  author::BuildOptions bo;
  if (!o.against.empty()) {
    SourceOptions src;
    src.filenames = {o.against};
    against = load_source(src, diags, io);
    if (!checkpoint(diags, io)) return kExitError;
    bo.against = &against;
  }
  author::Expanded expanded;
  if (!o.template_name.empty()) {
    const std::vector<author::Template> all = author::all_templates(o.template_dir, diags);
    if (!checkpoint(diags, io)) return kExitError;
    std::string hint;
    const author::Template* t = author::find_template(all, o.template_name, hint);
    if (!t) {
      io.err << fmt::format("error: no template {:?}\n  hint: {}\n", o.template_name, hint);
      return kExitError;
    }
    expanded = author::expand(*t, o.sets);
    if (expanded.error) {
      io.err << "error: --set: " << expanded.error->message << "\n";
      if (!expanded.error->hint.empty()) io.err << "  hint: " << expanded.error->hint << "\n";
      return kExitError;
    }
    o.containers = t->containers;
    for (const auto& [name, v] : expanded.params)
      if (name == "containers") o.containers = std::max(1, std::atoi(v.text.c_str()));
    // The template's flags come first: the command line's add to them (a --where after
    // --template applies to the template's last request).
    o.steps.insert(o.steps.begin(), expanded.steps.begin(), expanded.steps.end());
    bo.params = &expanded.params;
  } else if (!o.sets.empty()) {
    io.err << "error: --set needs --template\n";
    return kExitError;
  }
  // --from: the file's steps go after the template's, before the command line's.
  std::vector<util::SourcePos> from_positions;  // of the file's steps
  std::vector<bool> from_verbatim;
  size_t from_begin = 0;
  if (!o.from.empty()) {
    std::string text;
    if (o.from == "-") {
      text.assign(std::istreambuf_iterator<char>(io.in), std::istreambuf_iterator<char>());
    } else {
      std::ifstream in(o.from, std::ios::binary);
      if (!in) {
        io.err << fmt::format("error: --from {}: cannot read the file\n", o.from);
        return kExitError;
      }
      text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    author::SpecFile spec = author::read_spec_file(text, o.from, diags);
    if (!checkpoint(diags, io)) return kExitError;
    from_begin = expanded.steps.size();
    o.steps.insert(o.steps.begin() + static_cast<std::ptrdiff_t>(from_begin), spec.steps.begin(),
                   spec.steps.end());
    from_positions = std::move(spec.positions);
    from_verbatim = std::move(spec.verbatim);
  }
  author::Built b = author::build_claim_spec(o.steps, bo);
  if (b.error) {
    const author::BuildError& e = *b.error;
    if (e.step && *e.step >= from_begin && *e.step - from_begin < from_positions.size()) {
      // A step of the --from file: its place in the file.
      util::SourcePos at = from_positions[*e.step - from_begin];
      if (from_verbatim[*e.step - from_begin] && e.column > 0)
        at.column += static_cast<uint32_t>(e.column - 1);
      diags.error(at, e.message, e.hint);
      checkpoint(diags, io);
      return kExitError;
    }
    if (e.flag.empty()) {
      io.err << "error: " << e.message << "\n";
    } else {
      io.err << fmt::format("error: --{} {:?}: {}\n", e.flag, e.value, e.message);
      if (e.column > 0) {
        const std::string lead = fmt::format("  --{} ", e.flag);
        io.err << lead << e.value << "\n" << std::string(lead.size() + e.column - 1, ' ') << "^\n";
      }
    }
    if (!e.hint.empty()) io.err << "  hint: " << e.hint << "\n";
    return kExitError;
  }
  if (bo.against) report_fit(o, against, b.spec, io);
  k8s::Value object;
  if (o.kind == "template") {
    k8s::ResourceClaimTemplate t;
    t.metadata.name = o.name;
    t.metadata.namespace_ = o.namespace_;
    t.spec.spec = std::move(b.spec);
    t.source.version = *version;
    object = k8s::encode(t, *version);
  } else {
    k8s::ResourceClaim c;
    c.metadata.name = o.name;
    c.metadata.namespace_ = o.namespace_;
    c.spec = std::move(b.spec);
    c.source.version = *version;
    object = k8s::encode(c, *version);
  }
  std::vector<k8s::Value> objects;
  objects.push_back(std::move(object));
  if (o.pod) objects.push_back(pod_wiring(o));
  if (o.output == "json") {
    if (objects.size() == 1) {
      io.out << k8s::to_json(objects.front());
    } else {
      k8s::Value list = k8s::Value::map();
      list.add("apiVersion", k8s::Value::of("v1"));
      list.add("kind", k8s::Value::of("List"));
      k8s::Value items = k8s::Value::list();
      items.items = std::move(objects);
      list.add("items", std::move(items));
      io.out << k8s::to_json(list);
    }
  } else {
    io.out << k8s::to_yaml_documents(objects);
  }
  return kExitOk;
}

}  // namespace

Command add_new(CLI::App& root) {
  auto opts = std::make_shared<NewOptions>();
  CLI::App* app =
      root.add_subcommand("new", "Write a ResourceClaim or ResourceClaimTemplate from short flags");
  app->footer(R"(Request options apply to the request (or alternative) they follow, as in find(1):
--count, --all, --where, --admin, --capacity, --tolerate. --or starts an alternative of
the current request (a firstAvailable subrequest); the options after it apply to that
alternative. --same and --distinct belong to the claim: all its requests, or those named
after '='. --where speaks plain conditions and writes guarded CEL:
  model=H100   model!=H100   model in (A100,H100)   cores>8   memory>=40Gi
  driverVersion>=535.0.0   mig   !mig   has(foo)
Bare names are in the class's driver domain; DOMAIN/NAME names another. Types come from
the devices of the class with --against, else from the literal (40Gi: a capacity;
1.2.3: a version; 8: an int; true: a bool; anything else: a string).

Examples:
  # One GPU of a class
  kubectl dra new claim gpu --class gpu.example.com

  # Two H100s with at least 40Gi each, as a template with the Pod wiring
  kubectl dra new template train --class gpu.nvidia.com --count 2 \
      --where model=H100 --where memory>=40Gi --pod

  # An H100, else two A100s; and a NIC on the same PCIe root
  kubectl dra new claim train --request gpu:gpu.nvidia.com --where model=H100 \
      --or gpu.nvidia.com:2 --where model=A100 --request nic:rdma.dra.net \
      --same resource.kubernetes.io/pcieRoot

Exit status: 0 the object was written, 2 bad flags or conditions.)");
  app->add_option("kind", opts->kind, "claim or template")
      ->required()
      ->check(CLI::IsMember({"claim", "template"}))
      ->type_name("claim|template");
  app->add_option("name", opts->name, "The object's name")->required()->type_name("NAME");
  app->add_option("-n,--namespace", opts->namespace_, "The object's namespace")->type_name("NS");
  app->add_option("--api-version", opts->api_version, "resource.k8s.io version to write")
      ->check(CLI::IsMember({"v1", "v1beta2", "v1beta1"}))
      ->type_name("v1|v1beta2|v1beta1");
  add_output_flag(*app, opts->output, "yaml|json");
  app->add_flag("--pod", opts->pod, "Also print a Pod that uses the claim (its wiring)");
  app->add_option("--against", opts->against,
                  "A cluster dump to take classes, drivers and attribute types from")
      ->type_name("DUMP");
  app->add_option("--template", opts->template_name,
                  "Start from a template (kubectl dra templates list)")
      ->type_name("TEMPLATE");
  app->add_option("--set", opts->sets, "A template parameter (repeatable)")
      ->type_name("NAME=VALUE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app->add_option("--template-dir", opts->template_dir, "Also read templates from here")
      ->type_name("DIR");
  app->add_option("--from", opts->from, "The requests in a compact YAML form (- for stdin)")
      ->type_name("FILE");

  // Request flags: kept in their order by ordered_steps().
  struct Spec {
    const char* name;
    const char* type;  // nullptr: a switch
    const char* help;
  };
  static constexpr Spec kSteps[] = {
      {"request", "NAME:CLASS[:COUNT]", "Start a request (repeatable)"},
      {"class", "CLASS", "The device class of a single request"},
      {"driver", "DRIVER", "The driver of the request (its class, with --against)"},
      {"count", "N", "How many devices (default 1)"},
      {"all", nullptr, "Every matching device (allocationMode All)"},
      {"where", "COND", "A condition on the devices (repeatable)"},
      {"or", "CLASS[:COUNT]", "An alternative: a firstAvailable subrequest"},
      {"admin", nullptr, "Admin access to the devices (monitoring)"},
      {"capacity", "NAME=QTY", "Consumable capacity to request (repeatable)"},
      {"tolerate", "KEY[=VALUE][:EFFECT]", "Tolerate a device taint (repeatable)"},
      {"config", "DRIVER=JSON", "Opaque configuration for a driver (repeatable)"},
      {"same", "ATTR[=REQ,...]", "The devices share this attribute (matchAttribute)"},
      {"distinct", "ATTR[=REQ,...]", "The devices differ in this attribute"},
  };
  std::vector<std::string> names;
  for (const Spec& s : kSteps) {
    names.emplace_back(s.name);
    const std::string flag = std::string("--") + s.name;
    if (s.type) {
      app->add_option(flag, s.help)
          ->type_name(s.type)
          ->expected(1)
          ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    } else {
      app->add_flag(flag, s.help)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    }
  }
  return {app, [opts, app, names](Io& io) {
            opts->steps = ordered_steps(*app, names);
            return run_new(*opts, io);
          }};
}

}  // namespace dra::commands
