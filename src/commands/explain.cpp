// src/commands/explain.cpp -- `kubectl dra explain pod|claim NAME`: why a claim is pending,
// or why it got its devices (explain/explain.hpp builds the explanation).
#include "explain/explain.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>

#include "alloc/controllers.hpp"
#include "commands/flags.hpp"
#include "commands/registry.hpp"
#include "k8s/emit.hpp"
#include "render/explain.hpp"
#include "util/heap.hpp"
#include "util/keep.hpp"

namespace dra::commands {
namespace {

struct ExplainOptions {
  std::string kind;  // pod | claim
  std::string name;  // NAME or NAMESPACE/NAME
  SourceOptions source;
  std::string node;
  std::string output;
  uint64_t max_steps = alloc::Options{}.max_steps;
};

// Terminal facts for the text form: only when writing to the process's own terminal.
render::TextStyle text_style(const Io& io) {
  render::TextStyle style;
  if (&io.out != &std::cout || !isatty(STDOUT_FILENO)) return style;
  winsize ws{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    style.width = ws.ws_col;
  } else if (const char* c = std::getenv("COLUMNS"); c && std::atoi(c) > 0) {
    style.width = static_cast<size_t>(std::atoi(c));
  }
  const char* no_color = std::getenv("NO_COLOR");
  style.colour = !(no_color && *no_color);
  return style;
}

int run_explain(const ExplainOptions& opts, Io& io) {
  explain::Target target;
  if (opts.kind == "pod" || opts.kind == "pods" || opts.kind == "po") {
    target.kind = explain::Target::Kind::Pod;
  } else if (opts.kind == "claim" || opts.kind == "resourceclaim" ||
             opts.kind == "resourceclaims") {
    target.kind = explain::Target::Kind::Claim;
  } else {
    io.err << fmt::format("error: cannot explain \"{}\": give pod NAME or claim NAME\n", opts.kind);
    return kExitError;
  }
  if (const size_t slash = opts.name.find('/'); slash != std::string::npos) {
    target.namespace_ = opts.name.substr(0, slash);
    target.name = opts.name.substr(slash + 1);
  } else {
    target.name = opts.name;
  }
  util::Diagnostics diags;
  // Dropped at exit, not destroyed (util/keep.hpp).
  k8s::Cluster& cluster = util::keep_until_exit(load_source(opts.source, diags, io));
  if (!checkpoint(diags, io)) return kExitError;
  // As the control plane would: tainted devices as the scheduler sees them, claims from
  // templates.
  alloc::apply_device_taint_rules(cluster);
  alloc::create_template_claims(cluster);
  if (target.namespace_.empty()) target.namespace_ = default_namespace(opts.source, cluster);
  explain::Options eo;
  eo.node = opts.node;
  eo.max_steps = opts.max_steps;
  util::heap_for_work();  // the cluster is loaded: what explain maps now is short-lived
  const explain::Result r = explain::explain(cluster, target, eo);
  if (!r.error.empty()) {
    io.err << "error: " << r.error << "\n";
    return kExitError;
  }
  if (opts.output == "json") {
    io.out << k8s::to_json(render::explain_value(r.explanation));
  } else {
    io.out << render::explain_text(r.explanation, text_style(io));
  }
  return kExitOk;
}

}  // namespace

Command add_explain(CLI::App& root) {
  auto opts = std::make_shared<ExplainOptions>();
  CLI::App* app =
      root.add_subcommand("explain", "Why a claim is pending, or why it got its devices");
  app->footer(R"(The claims are taken as `allocate` takes them: the Pods before this one are placed
first, then the claim's Pod is tried on every node. For a pending claim: each request's
devices, narrowed check by check (class, selectors, taints, free), the nodes that came
closest, the sub-expression values of a selector on a device it ruled out, and the decisive
reason. For an allocated claim: why each device was the one chosen.

Examples:
  # Why is this Pod pending?
  kubectl dra explain pod team-a/trainer -f dump.yaml

  # One claim, as JSON for tools
  kubectl dra explain claim gpu-claim -n team-a -f dump.yaml -o json

Exit status: 0 an explanation was produced (whatever it says), 2 usage or input errors.)");
  app->add_option("kind", opts->kind, "pod or claim")->required()->type_name("pod|claim");
  app->add_option("name", opts->name, "The Pod or claim, NAMESPACE/NAME or NAME with -n")
      ->required()
      ->type_name("NAME");
  add_source_flags(*app, opts->source);
  app->add_option("--node", opts->node, "Consider only this node")->type_name("NODE");
  add_output_flag(*app, opts->output, "text|json");
  app->add_option("--max-steps", opts->max_steps, "Search budget per node (allocator steps)")
      ->type_name("N");
  return {app, [opts](Io& io) { return run_explain(*opts, io); }};
}

}  // namespace dra::commands
