// src/commands/templates.cpp -- `kubectl dra templates list|show`: the claim templates
// `kubectl dra new --template` starts from (author/templates.hpp).
#include "author/templates.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "commands/flags.hpp"
#include "commands/registry.hpp"
#include "k8s/emit.hpp"
#include "render/table.hpp"
#include "util/strings.hpp"

namespace dra::commands {
namespace {

struct TemplatesOptions {
  std::string action;  // list or show
  std::string name;
  std::string template_dir;
  std::string output;
};

// A template in the form of a user template file.
k8s::Value to_value(const author::Template& t) {
  k8s::Value v = k8s::Value::map();
  v.add("name", k8s::Value::of(t.name));
  v.add("description", k8s::Value::of(t.description));
  k8s::Value params = k8s::Value::list();
  for (const author::TemplateParam& p : t.params) {
    k8s::Value pv = k8s::Value::map();
    pv.add("name", k8s::Value::of(p.name));
    pv.add("type", k8s::Value::of(p.type));
    pv.add("default", k8s::Value::of(p.default_value));
    pv.add("help", k8s::Value::of(p.help));
    params.items.push_back(std::move(pv));
  }
  v.add("parameters", std::move(params));
  k8s::Value flags = k8s::Value::list();
  for (const std::string& f : t.flags) flags.items.push_back(k8s::Value::of(f));
  v.add("flags", std::move(flags));
  if (t.containers > 1) v.add("containers", k8s::Value::of(static_cast<int64_t>(t.containers)));
  return v;
}

int run_templates(const TemplatesOptions& o, Io& io) {
  util::Diagnostics diags;
  const std::vector<author::Template> all = author::all_templates(o.template_dir, diags);
  if (!checkpoint(diags, io)) return kExitError;
  if (o.action == "list") {
    if (o.output == "yaml" || o.output == "json") {
      k8s::Value list = k8s::Value::list();
      for (const author::Template& t : all) list.items.push_back(to_value(t));
      io.out << (o.output == "json" ? k8s::to_json(list) : k8s::to_yaml(list));
      return kExitOk;
    }
    render::Table table;
    table.headers = {"NAME", "PARAMETERS", "DESCRIPTION"};
    for (const author::Template& t : all) {
      std::vector<std::string> names;
      for (const author::TemplateParam& p : t.params) names.push_back(p.name);
      table.add({t.name, names.empty() ? "<none>" : util::join(names, ","), t.description});
    }
    render::print(table, io.out);
    return kExitOk;
  }
  std::string hint;
  const author::Template* found = author::find_template(all, o.name, hint);
  if (!found) {
    io.err << fmt::format("error: no template {:?}\n  hint: {}\n", o.name, hint);
    return kExitError;
  }
  const author::Template& t = *found;
  if (o.output == "yaml" || o.output == "json") {
    io.out << (o.output == "json" ? k8s::to_json(to_value(t)) : k8s::to_yaml(to_value(t)));
    return kExitOk;
  }
  io.out << fmt::format("Name:         {}\nDescription:  {}\nSource:       {}\nParameters:\n",
                        t.name, t.description, t.source);
  render::Table table;
  table.headers = {"  NAME", "TYPE", "DEFAULT", "HELP"};
  for (const author::TemplateParam& p : t.params)
    table.add({"  " + p.name, p.type, p.default_value, p.help});
  if (table.rows.empty()) io.out << "  <none>\n";
  render::print(table, io.out);
  io.out << "Flags:        " << util::join(t.flags, " ") << "\n";
  io.out << fmt::format("Use:          kubectl dra new claim NAME --template {}{}\n", t.name,
                        t.params.empty() ? "" : " [--set NAME=VALUE ...]");
  return kExitOk;
}

}  // namespace

Command add_templates(CLI::App& root) {
  auto opts = std::make_shared<TemplatesOptions>();
  CLI::App* app =
      root.add_subcommand("templates", "List and show the claim templates of `kubectl dra new`");
  app->footer(R"(Templates are built in, or YAML files in $XDG_CONFIG_HOME/kubectl-dra/templates
(else ~/.config/kubectl-dra/templates) and --template-dir; a file's template replaces a
built-in one of the same name. `templates show NAME -o yaml` prints a template in the
file's form, a start for one of your own:

  name: gpu-pair
  description: Two GPUs of one model
  parameters:
  - {name: count, type: int, default: "2", help: How many GPUs}
  - {name: model, type: string, default: H100, help: The GPU model}
  flags: [--class, gpu.nvidia.com, --count, "{count}", --where, "model={model}"]

Parameter types: string, int, quantity, version, bool. "{name}" stands for a parameter's
value: in a --where value it is a typed literal (never condition text); in other flags the
value must be a name or a number.

Examples:
  kubectl dra templates list
  kubectl dra templates show gpu-nic
  kubectl dra new template train --template gpus-nvlink --set count=4 --pod

Exit status: 0 listed or shown, 2 no such template or a bad template file.)");
  app->add_option("action", opts->action, "list or show")
      ->required()
      ->check(CLI::IsMember({"list", "show"}))
      ->type_name("list|show");
  app->add_option("name", opts->name, "The template to show")->type_name("NAME");
  app->add_option("--template-dir", opts->template_dir, "Also read templates from here")
      ->type_name("DIR");
  add_output_flag(*app, opts->output, "yaml|json");
  return {app, [opts](Io& io) {
            if (opts->action == "show" && opts->name.empty()) {
              io.err << "error: templates show needs a NAME\n"
                        "  hint: `kubectl dra templates list` lists them\n";
              return kExitError;
            }
            return run_templates(*opts, io);
          }};
}

}  // namespace dra::commands
