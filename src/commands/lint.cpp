// src/commands/lint.cpp -- `kubectl dra lint FILE|DIR|- ...`: what the API server would
// reject in DRA manifests, and what a reviewer would warn about (lint/lint.hpp decides).
#include "lint/lint.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <sstream>

#include "commands/flags.hpp"
#include "commands/registry.hpp"
#include "commands/source_text.hpp"
#include "k8s/emit.hpp"
#include "k8s/load.hpp"
#include "render/lint.hpp"
#include "util/keep.hpp"

#ifndef DRA_VERSION
#define DRA_VERSION "0.0.0"
#endif

namespace dra::commands {
namespace {

struct LintOptions {
  std::vector<std::string> inputs;  // files, directories, "-"
  bool recursive = false;
  std::string output = "text";
  bool strict = false;
  std::vector<std::string> disabled;
  std::vector<std::string> against;    // --against DUMP (repeatable: one cluster from all)
  bool cluster = false;                // --cluster: the inputs are a cluster's state
  std::vector<std::string> filenames;  // -f: the same as positional inputs
  SourceOptions live;                  // connection flags, for --cluster and --against alone
};

// --against without a dump (given last, or as --against=): the live cluster.
bool against_live(const LintOptions& opts) {
  return std::find(opts.against.begin(), opts.against.end(), "") != opts.against.end();
}

// Exit status: 0 no errors (with --strict: no warnings either), 1 findings that fail,
// 2 usage errors or unreadable input.
constexpr int kExitFindings = 1;

int run_lint(LintOptions opts, Io& io) {
  opts.inputs.insert(opts.inputs.end(), opts.filenames.begin(), opts.filenames.end());
  const bool live_cluster = opts.inputs.empty() && opts.cluster;  // --cluster alone
  if (opts.inputs.empty() && !live_cluster) {
    io.err << "error: nothing to lint\n"
           << "  hint: name files, directories or - (stdin); --cluster alone lints the live "
              "cluster's state\n";
    return kExitError;
  }
  if (against_live(opts) && opts.against.size() > 1) {
    io.err << "error: --against takes dumps or, alone, the live cluster; not both\n";
    return kExitError;
  }
  for (const std::string& id : opts.disabled)
    if (!lint::find_rule(id)) {
      io.err << fmt::format("error: unknown rule \"{}\" in --disable\n", id)
             << "  hint: `kubectl dra lint --help` lists the rules\n";
      return kExitError;
    }
  FileTexts texts;
  std::istringstream stdin_copy;
  k8s::LoadOptions lo;
  lo.filenames = opts.inputs;
  lo.recursive = opts.recursive;
  lo.apply_defaults = false;
  lo.for_lint = true;  // lint what was written; the rules apply defaults themselves
  if (std::find(opts.inputs.begin(), opts.inputs.end(), "-") != opts.inputs.end()) {
    std::ostringstream all;
    all << io.in.rdbuf();
    texts.set("-", all.str());
    stdin_copy.str(texts.get("-"));
    lo.stdin_stream = &stdin_copy;
  }
  util::Diagnostics diags;
  // Dropped at exit, not destroyed (util/keep.hpp).
  const k8s::Cluster& cluster = util::keep_until_exit(
      live_cluster ? load_live(opts.live, diags, io, lo) : k8s::load(lo, diags));
  if (live_cluster && diags.has_errors()) {  // the cluster could not be read
    checkpoint(diags, io);
    return kExitError;
  }
  // A file that cannot be read is a usage problem; malformed content is a finding.
  for (const util::Diagnostic& d : diags.all())
    if (d.pos.line == 0 && d.severity == util::Severity::Error) {
      io.err << util::format_long(d) << "\n";
      return kExitError;
    }
  lint::Options lopts;
  lopts.disabled = opts.disabled;
  lopts.cluster = opts.cluster;
  if (!opts.against.empty()) {
    k8s::LoadOptions dl;
    dl.filenames = opts.against;
    util::Diagnostics dump_diags;
    const k8s::Cluster& dump = util::keep_until_exit(
        against_live(opts) ? load_live(opts.live, dump_diags, io) : k8s::load(dl, dump_diags));
    if (dump_diags.has_errors()) {
      io.err << dump_diags.to_long_string();
      io.err << "error: the cluster given with --against cannot be read\n";
      return kExitError;
    }
    lopts.against = &dump;
  }
  lopts.file_text = [&](uint32_t index) -> std::string_view {
    return index < cluster.files.size() ? std::string_view(texts.get(cluster.files[index]))
                                        : std::string_view();
  };
  std::vector<lint::Finding> findings = lint::lint(cluster, lopts);
  std::vector<lint::Finding> syntax = lint::from_diagnostics(diags);
  std::erase_if(syntax, [&](const lint::Finding& f) {
    return std::find(opts.disabled.begin(), opts.disabled.end(), f.rule) != opts.disabled.end();
  });
  findings.insert(findings.end(), syntax.begin(), syntax.end());
  lint::sort(findings, cluster.files);
  size_t errors = 0, warnings = 0;
  for (lint::Finding& f : findings) {
    (f.severity == lint::Severity::Error ? errors : warnings)++;
    if (opts.output == "text" && f.line) f.snippet = line_of(texts.get(f.file), f.line);
  }
  if (opts.output == "json") {
    io.out << k8s::to_json(render::lint_json(findings));
  } else if (opts.output == "github") {
    io.out << render::lint_github(findings);
  } else if (opts.output == "sarif") {
    io.out << k8s::to_json(render::lint_sarif(findings, DRA_VERSION));
  } else if (opts.output == "junit") {
    io.out << render::lint_junit(findings, cluster.files);
  } else {
    const char* no_color = std::getenv("NO_COLOR");
    const bool color = &io.out == &std::cout && isatty(STDOUT_FILENO) && !(no_color && *no_color);
    io.out << render::lint_text(findings, cluster.files.size(), color);
  }
  return errors > 0 || (opts.strict && warnings > 0) ? kExitFindings : kExitOk;
}

std::string rule_list() {
  std::string out;
  for (const lint::Rule& r : lint::rules())
    out += fmt::format("  {:<27} {:<7}  {}\n", r.id, lint::to_string(r.severity), r.summary);
  return out;
}

}  // namespace

Command add_lint(CLI::App& root) {
  auto opts = std::make_shared<LintOptions>();
  CLI::App* app = root.add_subcommand(
      "lint", "Check DRA manifests as the API server would, and warn about likely mistakes");
  app->footer(
      fmt::format(R"(Errors are what the Kubernetes API server rejects on create (every DRA feature
on), with the field path in the object's own API version and the file position of the field.
Warnings carry a rule ID; --disable RULE turns one off.

Rules:
{}
Examples:
  # Lint a directory of manifests, recursively
  kubectl dra lint -R deploy/

  # In CI: annotations on the pull request
  kubectl dra lint -o github manifests/

  # Against the cluster: missing classes, misspelt attributes, unsatisfiable claims
  kubectl dra lint claim.yaml --against dump.yaml

  # ... or against the live cluster of the current context (--against alone, last)
  kubectl dra lint claim.yaml --against

  # The cluster's own state: incomplete or stale pools, dangling allocations, ...
  kubectl dra lint --cluster -f dump.yaml
  kubectl dra lint --cluster --context prod     # the live cluster

  # From a pipe, failing on warnings too
  helm template . | kubectl dra lint --strict -

Exit status: 0 no errors (with --strict, no warnings either), 1 errors found (or warnings
with --strict; malformed YAML is a finding), 2 usage errors or unreadable input.)",
                  rule_list()));
  app->add_option("inputs", opts->inputs, "Files, directories, or - for stdin")
      ->type_name("FILE|DIR|-");
  app->add_option("-f,--filename", opts->filenames, "The same as the inputs (for --cluster)")
      ->type_name("FILE");
  app->add_flag("--cluster", opts->cluster,
                "The inputs are a cluster's state (a dump): also check its pools, taints, "
                "classes and allocations");
  app->add_flag("-R,--recursive", opts->recursive, "Lint directories recursively");
  add_output_flag(*app, opts->output, "text|json|github|sarif|junit");
  app->add_flag("--strict", opts->strict, "Fail (exit 1) on warnings too");
  app->add_option("--disable", opts->disabled, "Do not report this rule (repeatable)")
      ->type_name("RULE");
  app->add_option("--against", opts->against,
                  "Check the claims and classes against this cluster dump too (its classes, "
                  "devices and allocator); alone (last, or --against=): the live cluster")
      ->type_name("[DUMP]")
      ->expected(0, 1);
  add_connection_flags(*app, opts->live.connection, false);
  return {app, [opts](Io& io) { return run_lint(*opts, io); }};
}

}  // namespace dra::commands
