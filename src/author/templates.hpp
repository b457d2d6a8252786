// src/author/templates.hpp -- claim templates: a named set of `kubectl dra new` flags with
// typed parameters. Built in (a catalogue for the common shapes), or YAML files in
// $XDG_CONFIG_HOME/kubectl-dra/templates and --template-dir:
//
//   name: gpu-pair
//   description: Two GPUs of one model
//   parameters:
//   - {name: count, type: int, default: "2", help: How many GPUs}
//   - {name: model, type: string, default: H100, help: The GPU model}
//   flags: [--class, gpu.nvidia.com, --count, "{count}", --where, "model={model}"]
//
// `{name}` stands for a parameter's value: in a --where value position it is substituted
// after the condition is parsed (a string becomes an escaped CEL string literal); in any
// other flag the value is checked against the parameter's type first (strings there are
// names: letters, digits, '.', '-', '_', '/'). Nothing is substituted as text into YAML.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "author/build.hpp"
#include "util/diag.hpp"

namespace dra::author {

struct TemplateParam {
  std::string name;
  std::string type = "string";  // string, int, quantity, version, bool
  std::string default_value;
  std::string help;
};

struct Template {
  std::string name, description;
  std::vector<TemplateParam> params;
  std::vector<std::string> flags;
  int containers = 1;  // the Pod that --pod prints: containers sharing the claim
  std::string source;  // "built in", or the file it came from
};

// The catalogue shipped in the binary.
const std::vector<Template>& builtin_templates();

// The templates of `dir` (*.yaml, *.yml); a file that is not one is an error in `diags`.
// A missing directory has none.
std::vector<Template> load_templates(const std::string& dir, util::Diagnostics& diags);

// The built-in templates, then the user's ($XDG_CONFIG_HOME/kubectl-dra/templates, else
// ~/.config/kubectl-dra/templates, then `extra_dir`): a later one of a name replaces an
// earlier one.
std::vector<Template> all_templates(const std::string& extra_dir, util::Diagnostics& diags);

// The template named `name` in `all`; null with `hint` set (a did-you-mean, or where to
// look) when there is none.
const Template* find_template(const std::vector<Template>& all, std::string_view name,
                              std::string& hint);

struct Expanded {
  std::vector<Step> steps;
  ParamValues params;  // for --where
  std::optional<BuildError> error;
};

// The steps of `t` with `sets` (NAME=VALUE from --set) over the defaults.
Expanded expand(const Template& t, const std::vector<std::string>& sets);

}  // namespace dra::author
