// src/author/templates.cpp -- the built-in catalogue, user template files, and typed
// expansion (templates.hpp).
#include "author/templates.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "k8s/node.hpp"
#include "k8s/parse.hpp"
#include "k8s/quantity.hpp"
#include "k8s/semver.hpp"
#include "util/strings.hpp"

namespace dra::author {

const std::vector<Template>& builtin_templates() {
  auto t = [](std::string name, std::string description, std::vector<TemplateParam> params,
              std::vector<std::string> flags, int containers = 1) {
    return Template{std::move(name),   std::move(description),
                    std::move(params), std::move(flags),
                    containers,        "built in"};
  };
  static const std::vector<Template> kCatalogue = {
      t("gpu", "One GPU of a class",
        {{"class", "string", "gpu.nvidia.com", "The GPUs' device class"}}, {"--class", "{class}"}),
      t("gpus-nvlink", "Several GPUs in one NVLink domain (the same clique)",
        {{"class", "string", "gpu.nvidia.com", "The GPUs' device class"},
         {"count", "int", "2", "How many GPUs"},
         {"clique", "string", "gpu.nvidia.com/clique", "The attribute naming the NVLink domain"}},
        {"--class", "{class}", "--count", "{count}", "--same", "{clique}"}),
      t("gpu-nic", "A GPU and a NIC on the same PCIe root",
        {{"gpu-class", "string", "gpu.nvidia.com", "The GPU's device class"},
         {"nic-class", "string", "rdma.dra.net", "The NIC's device class"},
         {"root", "string", "resource.kubernetes.io/pcieRoot",
          "The attribute naming the PCIe root"}},
        {"--request", "gpu:{gpu-class}", "--request", "nic:{nic-class}", "--same", "{root}"}),
      t("mig", "A MIG partition (or another partition) by profile",
        {{"class", "string", "mig.nvidia.com", "The partitions' device class"},
         {"profile", "string", "1g.10gb", "The partition profile"}},
        {"--class", "{class}", "--where", "profile={profile}"}),
      t("shared-gpu", "One GPU shared by several containers of a Pod (see --pod)",
        {{"class", "string", "gpu.nvidia.com", "The GPU's device class"},
         {"containers", "int", "2", "Containers that share the GPU (in --pod)"}},
        {"--class", "{class}"}, 2),
      t("any-gpu", "Prefer one H100, else several A100s, else any GPU (firstAvailable)",
        {{"class", "string", "gpu.nvidia.com", "The GPUs' device class"},
         {"first", "string", "H100", "The model wanted most (one GPU)"},
         {"second", "string", "A100", "The model taken several at a time else"},
         {"count", "int", "2", "How many of the second model"}},
        {"--request", "gpu:{class}", "--where", "model={first}", "--or", "{class}:{count}",
         "--where", "model={second}", "--or", "{class}"}),
      t("monitor-node", "Admin access to every device of a class on a node (monitoring)",
        {{"class", "string", "gpu.nvidia.com", "The devices' class"}},
        {"--class", "{class}", "--all", "--admin"}),
      t("nic-bandwidth", "A share of a NIC's bandwidth (consumable capacity)",
        {{"class", "string", "rdma.dra.net", "The NICs' device class"},
         {"bandwidth", "quantity", "10G", "The bandwidth to reserve"}},
        {"--class", "{class}", "--capacity", "bandwidth={bandwidth}"}),
  };
  return kCatalogue;
}

namespace {

std::string scalar(const k8s::Node* n) { return n && n->is_scalar() ? std::string(n->text) : ""; }

bool valid_type(std::string_view t) {
  return t == "string" || t == "int" || t == "quantity" || t == "version" || t == "bool";
}

// Whether `v` is a value of type `type`; the reason when not.
std::optional<std::string> type_error(std::string_view type, const std::string& v) {
  if (type == "int") {
    int64_t x = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (ec != std::errc() || p != v.data() + v.size()) return "not an integer";
  } else if (type == "quantity") {
    std::string e;
    if (!k8s::Quantity::parse(v, &e)) return "not a quantity: " + e;
  } else if (type == "version") {
    std::string e;
    if (!k8s::Semver::parse(v, &e)) return "not a semantic version: " + e;
  } else if (type == "bool") {
    if (v != "true" && v != "false") return "not true or false";
  }
  return std::nullopt;
}

// A value placed into a flag field other than a --where value: a name or a number.
bool safe_field(const std::string& v) {
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
           c == '/';
  });
}

}  // namespace

std::vector<Template> load_templates(const std::string& dir, util::Diagnostics& diags) {
  namespace fs = std::filesystem;
  std::vector<Template> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".yaml" || e.path().extension() == ".yml")
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const std::string file = f.string();
    const std::string body = text.str();
    k8s::parse_yaml(
        body, file, {},
        [&](const k8s::ParsedObject& o) {
          const k8s::Node& n = o.node;
          auto bad = [&](const k8s::Node& at, std::string message) {
            diags.error({file, at.pos.line, at.pos.column}, std::move(message),
                        "see `kubectl dra templates --help` for the file's form");
          };
          if (!n.is_mapping()) return bad(n, "a template is a mapping");
          Template t;
          t.source = file;
          t.name = scalar(n.find("name"));
          t.description = scalar(n.find("description"));
          if (t.name.empty()) return bad(n, "the template has no name");
          if (const k8s::Node* ps = n.find("parameters")) {
            if (!ps->is_sequence()) return bad(*ps, "parameters is a list");
            for (uint32_t i = 0; i < ps->size; ++i) {
              const k8s::Node& p = ps->item(i);
              TemplateParam tp;
              tp.name = scalar(p.find("name"));
              if (const std::string ty = scalar(p.find("type")); !ty.empty()) tp.type = ty;
              tp.default_value = scalar(p.find("default"));
              tp.help = scalar(p.find("help"));
              if (tp.name.empty()) return bad(p, "a parameter has no name");
              if (!valid_type(tp.type))
                return bad(p, fmt::format("parameter {}: type {:?} is not one of string, int, "
                                          "quantity, version, bool",
                                          tp.name, tp.type));
              t.params.push_back(std::move(tp));
            }
          }
          const k8s::Node* flags = n.find("flags");
          if (!flags || !flags->is_sequence()) return bad(n, "the template has no flags list");
          for (uint32_t i = 0; i < flags->size; ++i) t.flags.emplace_back(scalar(&flags->item(i)));
          if (const std::string c = scalar(n.find("containers")); !c.empty())
            t.containers = std::max(1, std::atoi(c.c_str()));
          out.push_back(std::move(t));
        },
        diags);
  }
  return out;
}

// The built-in templates, then the user's ($XDG_CONFIG_HOME/kubectl-dra/templates, then
// --template-dir): a later one of the same name replaces an earlier one.
std::vector<Template> all_templates(const std::string& extra_dir, util::Diagnostics& diags) {
  std::vector<Template> out = builtin_templates();
  std::vector<std::string> dirs;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    dirs.push_back(std::string(xdg) + "/kubectl-dra/templates");
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    dirs.push_back(std::string(home) + "/.config/kubectl-dra/templates");
  }
  if (!extra_dir.empty()) dirs.push_back(extra_dir);
  for (const std::string& d : dirs)
    for (Template& t : load_templates(d, diags)) {
      std::erase_if(out, [&](const Template& x) { return x.name == t.name; });
      out.push_back(std::move(t));
    }
  return out;
}

const Template* find_template(const std::vector<Template>& all, std::string_view name,
                              std::string& hint) {
  std::vector<std::string> names;
  for (const Template& t : all) {
    if (t.name == name) return &t;
    names.push_back(t.name);
  }
  const std::string close = util::did_you_mean(name, names);
  hint = close.empty() ? "`kubectl dra templates list` lists them"
                       : fmt::format("did you mean {}?", close);
  return nullptr;
}

Expanded expand(const Template& t, const std::vector<std::string>& sets) {
  Expanded out;
  auto fail = [&](std::string message, std::string hint = {}) {
    out.error = BuildError{"set", "", 0, std::move(message), std::move(hint), std::nullopt};
    return out;
  };
  std::vector<std::pair<std::string, std::string>> values;
  for (const TemplateParam& p : t.params) values.emplace_back(p.name, p.default_value);
  for (const std::string& s : sets) {
    const size_t eq = s.find('=');
    const std::string name = s.substr(0, eq);
    auto it =
        std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == name; });
    if (eq == std::string::npos || it == values.end()) {
      std::vector<std::string> names;
      for (const TemplateParam& p : t.params) names.push_back(p.name);
      return fail(fmt::format("template {} has no parameter {:?}", t.name, name),
                  fmt::format("its parameters: {}", fmt::join(names, ", ")));
    }
    it->second = s.substr(eq + 1);
  }
  for (size_t i = 0; i < t.params.size(); ++i) {
    const TemplateParam& p = t.params[i];
    if (auto e = type_error(p.type, values[i].second))
      return fail(fmt::format("parameter {} = {:?}: {}", p.name, values[i].second, *e));
    out.params.emplace_back(p.name, ParamValue{values[i].second, p.type == "string"});
  }
  static const std::vector<std::string> kSwitches = {"all", "admin"};
  for (size_t i = 0; i < t.flags.size(); ++i) {
    std::string flag = t.flags[i];
    if (!flag.starts_with("--"))
      return fail(fmt::format("template {}: {:?} is not a flag", t.name, flag));
    flag.erase(0, 2);
    Step s{flag, ""};
    if (std::find(kSwitches.begin(), kSwitches.end(), flag) == kSwitches.end()) {
      if (++i == t.flags.size())
        return fail(fmt::format("template {}: --{} has no value", t.name, flag));
      s.value = t.flags[i];
      if (flag != "where") {  // {name} in a field: the typed value, if it is a name or number
        std::string v;
        for (size_t at = 0; at < s.value.size();) {
          const size_t open = s.value.find('{', at);
          if (open == std::string::npos) {
            v += s.value.substr(at);
            break;
          }
          const size_t close = s.value.find('}', open);
          if (close == std::string::npos) {
            v += s.value.substr(at);
            break;
          }
          v += s.value.substr(at, open - at);
          const std::string name = s.value.substr(open + 1, close - open - 1);
          auto it = std::find_if(out.params.begin(), out.params.end(),
                                 [&](const auto& p) { return p.first == name; });
          if (it == out.params.end())
            return fail(fmt::format("template {}: no parameter {:?}", t.name, name));
          if (!safe_field(it->second.text))
            return fail(fmt::format("parameter {} = {:?}: --{} takes a name or a number here", name,
                                    it->second.text, flag),
                        "letters, digits, '.', '-', '_' and '/'");
          v += it->second.text;
          at = close + 1;
        }
        s.value = v;
      }
    }
    out.steps.push_back(std::move(s));
  }
  return out;
}

}  // namespace dra::author
