// src/commands/cel.cpp -- `kubectl dra cel check|eval`: validate CEL device selectors and
// evaluate expressions against one device or the devices of a dump.
#include "render/cel.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "alloc/inventory.hpp"
#include "commands/flags.hpp"
#include "commands/registry.hpp"
#include "commands/source_text.hpp"
#include "k8s/scalar_map.hpp"
#include "render/table.hpp"
#include "selectors/device.hpp"
#include "selectors/device_json.hpp"
#include "selectors/parser.hpp"
#include "selectors/program.hpp"
#include "util/keep.hpp"

namespace dra::commands {
namespace {

using selectors::Compiled;
using selectors::Issue;
using selectors::Phase;
using selectors::Value;

struct CelOptions {
  std::vector<std::string> expressions;  // check
  std::string expression;                // eval
  SourceOptions source;
  std::string output;
  std::string device_json;
  std::string device;  // DRIVER/POOL/DEVICE
  std::string class_name;
  std::string node;
  bool all_devices = false;  // --all-devices: every device of the live cluster
  bool explain = false;
};

// What to do about common compile errors, by the start of cel-go's message.
std::string hint_for(const Issue& issue) {
  const std::string& m = issue.message;
  if (m.find("applied to '(kubernetes.Quantity, ") != std::string::npos ||
      m.find(", kubernetes.Quantity)'") != std::string::npos)
    return "quantities have no operators: use compareTo(), isGreaterThan(), isLessThan() or "
           "== between two quantities";
  if (m.starts_with("undeclared reference to"))
    return "selectors see one variable, `device` (driver, attributes, capacity, "
           "allowMultipleAllocations)";
  if (m.starts_with("undefined field"))
    return "a device has driver, attributes, capacity and allowMultipleAllocations; write "
           "device.attributes[\"DOMAIN\"].NAME for an attribute";
  if (m.starts_with("must evaluate to bool"))
    return "a selector is a condition: compare the value, e.g. `... == \"x\"`";
  return {};
}

// Issues as diagnostics at `file`:line:column inside the expression.
void add_issues(const std::string& file, std::string_view expression,
                const std::vector<Issue>& issues, util::Diagnostics& diags) {
  for (const Issue& i : issues) {
    const selectors::LineColumn lc = selectors::line_column(expression, i.offset);
    util::Diagnostic d;
    d.pos = {file, lc.line, lc.column};
    d.message = i.message;
    d.hint = hint_for(i);
    std::string_view rest = expression;
    for (uint32_t l = 1; l < lc.line; ++l) rest.remove_prefix(rest.find('\n') + 1);
    d.snippet = std::string(rest.substr(0, rest.find('\n')));
    diags.add(std::move(d));
  }
}

// A selector found in a manifest, and where.
struct FoundSelector {
  std::string context;  // "in DeviceClass gpu.example.com, spec.selectors[0].cel.expression"
  const k8s::CELDeviceSelector* cel = nullptr;
  uint32_t file = 0;
};

void collect(const std::vector<k8s::DeviceSelector>& selectors, const std::string& where,
             const std::string& path, uint32_t file, std::vector<FoundSelector>& out) {
  for (size_t i = 0; i < selectors.size(); ++i) {
    if (!selectors[i].cel) continue;
    out.push_back(
        {fmt::format("in {}, {}[{}].cel.expression", where, path, i), &*selectors[i].cel, file});
  }
}

void collect_claim(const k8s::DeviceClaim& devices, const std::string& where,
                   const std::string& prefix, uint32_t file, std::vector<FoundSelector>& out) {
  for (size_t r = 0; r < devices.requests.size(); ++r) {
    const k8s::DeviceRequest& req = devices.requests[r];
    const std::string base = fmt::format("{}devices.requests[{}]", prefix, r);
    if (req.exactly) collect(req.exactly->selectors, where, base + ".exactly.selectors", file, out);
    for (size_t f = 0; f < req.first_available.size(); ++f) {
      collect(req.first_available[f].selectors, where,
              fmt::format("{}.firstAvailable[{}].selectors", base, f), file, out);
    }
  }
}

// Every CEL selector of the classes, claims and claim templates, in input order per kind.
std::vector<FoundSelector> find_selectors(const k8s::Cluster& cluster) {
  std::vector<FoundSelector> out;
  for (const auto& c : cluster.device_classes) {
    collect(c.spec.selectors, "DeviceClass " + c.metadata.name, "spec.selectors", c.source.file,
            out);
  }
  for (const auto& c : cluster.resource_claims) {
    collect_claim(c.spec.devices,
                  fmt::format("ResourceClaim {}/{}", c.metadata.namespace_, c.metadata.name),
                  "spec.", c.source.file, out);
  }
  for (const auto& t : cluster.resource_claim_templates) {
    collect_claim(
        t.spec.spec.devices,
        fmt::format("ResourceClaimTemplate {}/{}", t.metadata.namespace_, t.metadata.name),
        "spec.spec.", t.source.file, out);
  }
  return out;
}

// Issues of a selector in a manifest, at the file position of the offending character.
void add_file_issues(const FoundSelector& f, const std::string& file, FileTexts& texts,
                     const std::vector<Issue>& issues, util::Diagnostics& diags) {
  const std::string& text = texts.get(file);
  const k8s::Pos start = f.cel->origin.at("expression");
  for (const Issue& i : issues) {
    k8s::Pos pos = start;
    if (!text.empty()) {
      if (std::optional<k8s::Pos> p = k8s::scalar_offset_pos(
              text, k8s::detect_syntax(text), start, f.cel->style, f.cel->expression, i.offset)) {
        pos = *p;
      }
    }
    util::Diagnostic d;
    d.pos = {file, pos.line, pos.column};
    d.message = i.message;
    d.context = f.context;
    d.hint = hint_for(i);
    if (!text.empty()) d.snippet = line_of(text, pos.line);
    diags.add(std::move(d));
  }
}

int run_check(const CelOptions& opts, Io& io) {
  if (opts.expressions.empty() && opts.source.filenames.empty()) {
    io.err << "error: nothing to check\n"
           << "  hint: give expressions, or manifests with -f\n";
    return kExitError;
  }
  util::Diagnostics diags;
  size_t checked = 0, errors = 0;
  for (size_t i = 0; i < opts.expressions.size(); ++i) {
    const std::string& e = opts.expressions[i];
    const std::vector<Issue> issues = selectors::check_selector(e);
    const std::string file =
        opts.expressions.size() == 1 ? "<input>" : fmt::format("<input {}>", i + 1);
    add_issues(file, e, issues, diags);
    ++checked;
    errors += issues.empty() ? 0 : 1;
  }
  if (!opts.source.filenames.empty()) {
    util::Diagnostics load_diags;
    const k8s::Cluster cluster = load_source(opts.source, load_diags, io);
    if (!checkpoint(load_diags, io)) return kExitError;
    FileTexts texts;
    for (const FoundSelector& f : find_selectors(cluster)) {
      const std::vector<Issue> issues = selectors::check_selector(f.cel->expression);
      add_file_issues(f, cluster.files[f.file], texts, issues, diags);
      ++checked;
      errors += issues.empty() ? 0 : 1;
    }
    if (checked == 0) {
      io.err << "No CEL selectors found\n";
      return kExitOk;
    }
  }
  io.err << diags.to_long_string();
  if (errors > 0) {
    io.err << fmt::format("{} of {} {} invalid\n", errors, checked,
                          checked == 1 ? "selector is" : "selectors are");
    return kExitNegative;
  }
  io.out << fmt::format("{} {} valid\n", checked, checked == 1 ? "selector is" : "selectors are");
  return kExitOk;
}

// The device for `cel eval EXPR`: from --device-json, or one with every field at its
// default.
std::optional<Value> single_device(const CelOptions& opts, Io& io) {
  if (opts.device_json.empty()) return selectors::device_value(k8s::Device{}, "");
  std::string text;
  if (opts.device_json == "-") {
    std::ostringstream ss;
    ss << io.in.rdbuf();
    text = ss.str();
  } else {
    std::ifstream in(opts.device_json, std::ios::binary);
    if (!in) {
      io.err << fmt::format("error: {}: cannot open the file\n", opts.device_json);
      return std::nullopt;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  util::Diagnostics diags;
  std::optional<Value> v = selectors::device_from_json_text(text, opts.device_json, diags);
  io.err << diags.to_long_string();
  return v;
}

int eval_one(const CelOptions& opts, const std::string& expression, Io& io) {
  const bool json = opts.output == "json";
  std::optional<Value> device = single_device(opts, io);
  if (!device) return kExitError;
  selectors::CompileOptions co;
  co.require_bool = false;
  const Compiled c = selectors::compile(expression, co);
  if (!c.ok()) {
    const std::string message = selectors::format_issues(expression, c.issues);
    if (json) {
      io.out << render::cel_error_json(message, c.issues.front().phase) << '\n';
    } else {
      io.err << message << '\n';
    }
    return kExitNegative;
  }
  selectors::Activation act;
  act.bind("device", *device);
  const Value v = device->is_error() ? *device : c.program->evaluate(act);
  if (v.is_error()) {
    if (json) {
      io.out << render::cel_error_json(v.error_message(), Phase::Eval) << '\n';
    } else {
      io.err << "error: " << v.error_message() << '\n';
    }
    return kExitNegative;
  }
  io.out << (json ? render::cel_result_json(v) : selectors::to_debug_string(v)) << '\n';
  return kExitOk;
}

std::string device_id(const alloc::DeviceRef& d) {
  return fmt::format("{}/{}/{}", d.driver(), d.pool(), d.name());
}

// Why a device did not match: the value of every sub-expression evaluated, innermost
// first, as "EXPR = VALUE" lines under the device. Constants and whole maps (device,
// device.attributes) are left out; they say nothing new.
std::string explain(const selectors::Program& program, const selectors::Activation& act,
                    const std::string& device, const Value& result, bool device_error) {
  std::string out = fmt::format(
      "\n{}: {}\n", device,
      result.is_error() ? "error: " + result.error_message() : selectors::to_debug_string(result));
  if (device_error) return out;
  for (const auto& [text, value] : selectors::trace_values(program, act))
    out += fmt::format("  {} = {}\n", text, value);
  return out;
}

// `cel eval EXPR -f DUMP`: the expression on every chosen device of the dump.
int eval_dump(const CelOptions& opts, const std::string& expression, Io& io) {
  const bool json = opts.output == "json";
  util::Diagnostics diags;
  // Dropped at exit, not destroyed (util/keep.hpp).
  k8s::Cluster& cluster = util::keep_until_exit(load_source(opts.source, diags, io));
  if (!checkpoint(diags, io)) return kExitError;
  selectors::CompileOptions co;
  co.require_bool = false;
  const Compiled c = selectors::compile(expression, co);
  if (!c.ok()) {
    const std::string message = selectors::format_issues(expression, c.issues);
    if (json) {
      io.out << render::cel_error_json(message, c.issues.front().phase) << '\n';
    } else {
      io.err << message << '\n';
    }
    return kExitNegative;
  }

  // --class: the class's own selectors choose the devices first.
  std::vector<std::shared_ptr<const selectors::Program>> class_selectors;
  if (!opts.class_name.empty()) {
    const k8s::DeviceClass* cls = nullptr;
    for (const auto& dc : cluster.device_classes)
      if (dc.metadata.name == opts.class_name) cls = &dc;
    if (!cls) {
      io.err << fmt::format("error: deviceclass \"{}\" not found\n", opts.class_name);
      return kExitError;
    }
    for (size_t i = 0; i < cls->spec.selectors.size(); ++i) {
      const auto& s = cls->spec.selectors[i];
      if (!s.cel) continue;
      const Compiled sc = selectors::compile(s.cel->expression);
      if (!sc.ok()) {
        io.err << fmt::format("error: class {}: selector #{}: CEL compile error: {}\n",
                              opts.class_name, i,
                              selectors::format_issues(s.cel->expression, sc.issues));
        return kExitError;
      }
      class_selectors.push_back(sc.program);
    }
  }

  const alloc::Inventory inv = alloc::build_inventory(cluster);
  render::Table table{{"DEVICE", "NODE", "RESULT"}, {}};
  std::string explanation;
  std::string json_out = "[";
  bool any_error = false;
  size_t shown = 0;
  for (const alloc::Pool& p : inv.pools) {
    for (const alloc::DeviceRef& d : p.devices) {
      if (!opts.device.empty() && device_id(d) != opts.device) continue;
      const alloc::Reach reach = alloc::reach_of(d);
      if (!opts.node.empty() &&
          !(reach.kind == alloc::Reach::Kind::Node && reach.node == opts.node) &&
          reach.kind != alloc::Reach::Kind::AllNodes)
        continue;
      selectors::Activation act;
      const Value dv = selectors::device_value(*d.device, d.driver());
      act.bind("device", dv);
      bool in_class = true;
      for (const auto& s : class_selectors) {
        const Value r = dv.is_error() ? dv : s->evaluate(act);
        if (r.kind() != selectors::ValueKind::Bool || !r.bool_value()) in_class = false;
      }
      if (!in_class) continue;
      const Value v = dv.is_error() ? dv : c.program->evaluate(act);
      any_error = any_error || v.is_error();
      ++shown;
      const std::string node = reach.kind == alloc::Reach::Kind::Node       ? reach.node
                               : reach.kind == alloc::Reach::Kind::AllNodes ? "<all nodes>"
                                                                            : "<selector>";
      if (opts.explain && !json && !(v.kind() == selectors::ValueKind::Bool && v.bool_value()))
        explanation += explain(*c.program, act, device_id(d), v, dv.is_error());
      if (json) {
        if (shown > 1) json_out += ",\n ";
        json_out += "{\"device\": " + render::json_quote(device_id(d)) + ", ";
        json_out += v.is_error() ? render::cel_error_json(v.error_message(), Phase::Eval).substr(1)
                                 : render::cel_result_json(v).substr(1);
      } else {
        table.add({device_id(d), node,
                   v.is_error() ? "error: " + v.error_message() : selectors::to_debug_string(v)});
      }
    }
  }
  if (json) {
    io.out << json_out << "]\n";
  } else if (shown == 0) {
    io.err << "No devices found\n";
  } else {
    render::print(table, io.out);
    if (opts.explain) io.out << explanation;
  }
  if (!opts.device.empty() && shown == 0) {
    io.err << fmt::format("error: device \"{}\" not found\n", opts.device);
    return kExitNegative;
  }
  return any_error ? kExitNegative : kExitOk;
}

int run_eval(const CelOptions& opts, Io& io) {
  if (opts.expression.empty()) {
    io.err << "error: give the expression to evaluate\n"
           << "  hint: quote it for the shell: kubectl dra cel eval 'device.driver == \"x\"'\n";
    return kExitError;
  }
  // Devices of a cluster: of the dump given with -f, or, when devices are chosen without
  // one, of the live cluster. Otherwise one device from --device-json (or all defaults).
  const bool chosen =
      !opts.device.empty() || !opts.class_name.empty() || !opts.node.empty() || opts.all_devices;
  const bool cluster = !opts.source.filenames.empty() || chosen;
  if (cluster && !opts.device_json.empty()) {
    io.err << "error: --device-json gives the one device to evaluate; it does not mix with -f, "
              "--device, --class, --node or --all-devices\n";
    return kExitError;
  }
  return cluster ? eval_dump(opts, opts.expression, io) : eval_one(opts, opts.expression, io);
}

}  // namespace

Command add_cel(CLI::App& root) {
  CLI::App* app =
      root.add_subcommand("cel", "Check CEL device selectors, evaluate CEL against devices");
  app->require_subcommand(1);
  app->footer(R"(Examples:
  # Check a selector as the API server would
  kubectl dra cel check 'device.attributes["gpu.example.com"].model == "H100"'

  # Which devices of the live cluster a selector picks, and why not the others
  kubectl dra cel eval 'device.capacity["gpu.example.com"].memory.compareTo(quantity("40Gi")) >= 0' --class gpu.example.com --explain

See `kubectl dra help selectors` for what a selector can read.)");
  auto check_opts = std::make_shared<CelOptions>();
  CLI::App* check = app->add_subcommand("check", "Parse, type-check and cost CEL selectors");
  check->footer(R"(Examples:
  # Check one selector
  kubectl dra cel check 'device.capacity["gpu.example.com"].memory.compareTo(quantity("40Gi")) >= 0'

Exit status: 0 all valid, 1 errors found, 2 usage errors.)");
  check->add_option("expressions", check_opts->expressions, "CEL expressions")->type_name("EXPR");
  add_source_flags(*check, check_opts->source);

  auto eval_opts = std::make_shared<CelOptions>();
  CLI::App* eval = app->add_subcommand("eval", "Evaluate a CEL expression");
  eval->footer(R"(Examples:
  # Evaluate against a device given in its CEL view
  kubectl dra cel eval 'device.attributes["gpu.example.com"].model == "h100"' --device-json dev.json -o json

  # Evaluate against the devices of a class in the live cluster
  kubectl dra cel eval 'device.attributes["gpu.example.com"].model == "h100"' --class gpu.example.com

  # Evaluate against every device of a dump
  kubectl dra cel eval 'device.capacity["gpu.example.com"].memory.compareTo(quantity("40Gi")) >= 0' -f examples/cluster.yaml)");
  eval->add_option("expression", eval_opts->expression, "The CEL expression")->type_name("EXPR");
  add_source_flags(*eval, eval_opts->source);
  add_output_flag(*eval, eval_opts->output, "json");
  eval->add_option("--device-json", eval_opts->device_json,
                   "Bind `device` from this JSON file (its CEL view; - for stdin)")
      ->type_name("FILE");
  eval->add_option("--device", eval_opts->device, "Only this device of the cluster")
      ->type_name("DRIVER/POOL/DEVICE");
  eval->add_option("--class", eval_opts->class_name, "Only devices this DeviceClass selects")
      ->type_name("NAME");
  eval->add_option("--node", eval_opts->node, "Only devices on this node")->type_name("NODE");
  eval->add_flag("--all-devices", eval_opts->all_devices,
                 "Every device of the live cluster (without -f; --device, --class and --node "
                 "choose some)");
  eval->add_flag("--explain", eval_opts->explain,
                 "Show the value of every sub-expression for devices that do not match");

  return {app, [=](Io& io) {
            if (check->parsed()) return run_check(*check_opts, io);
            return run_eval(*eval_opts, io);
          }};
}

}  // namespace dra::commands
