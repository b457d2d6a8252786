// src/commands/complete.cpp -- shell completion: the hidden `__complete` entry point, which
// speaks cobra's protocol (what kubectl expects from kubectl_complete-dra for `kubectl dra
// <TAB>`), and `kubectl dra completion bash|zsh|fish`, scripts for `kubectl-dra <TAB>` that
// call it.
//
// `kubectl-dra __complete WORD... PARTIAL` prints one candidate per line ("word<TAB>what it
// is"), then ":N", cobra's directive: 0 the shell may complete file names too, 4 it must not,
// 2 no space after the word. Names (claims, Pods, classes, nodes, devices, contexts) come
// from the dump given with -f on the line, else from the live cluster.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <set>
#include <sstream>

#include "alloc/inventory.hpp"
#include "author/templates.hpp"
#include "commands/flags.hpp"
#include "commands/registry.hpp"
#include "k8s/kubeconfig.hpp"
#include "lint/lint.hpp"
#include "util/strings.hpp"

namespace dra::commands {
namespace {

constexpr int kDirectiveDefault = 0;  // files may be completed too
constexpr int kDirectiveNoFiles = 4;

struct Candidate {
  std::string word, description;
};

// What the words typed so far say: the command, its positionals, the flags with values.
struct Line {
  CLI::App* app = nullptr;
  std::vector<std::string> path;  // subcommand names
  std::vector<std::string> positionals;
  std::map<std::string, std::vector<std::string>> values;  // by the flag's long name
  std::string pending;  // a flag waiting for its value (the partial word)
};

// The option of `app` (or an ancestor's) that `word` names ("--node", "-n"), or null.
CLI::Option* option_named(CLI::App* app, const std::string& word) {
  for (CLI::App* a = app; a; a = a->get_parent())
    for (CLI::Option* o : a->get_options())
      if (!o->get_positional() && o->check_name(word)) return o;
  return nullptr;
}

std::string long_name(const CLI::Option* o) {
  if (!o->get_lnames().empty()) return "--" + o->get_lnames().front();
  return "-" + o->get_snames().front();
}

Line read_line(CLI::App& root, const std::vector<std::string>& words) {
  Line l;
  l.app = &root;
  for (const std::string& w : words) {
    if (!l.pending.empty()) {
      l.values[l.pending].push_back(w);
      l.pending.clear();
      continue;
    }
    if (w.size() > 1 && w[0] == '-') {
      const size_t eq = w.find('=');
      CLI::Option* o = option_named(l.app, w.substr(0, eq));
      if (!o) continue;
      if (eq != std::string::npos) {
        l.values[long_name(o)].push_back(w.substr(eq + 1));
      } else if (o->get_expected_min() > 0) {
        l.pending = long_name(o);
      }
      continue;
    }
    CLI::App* sub = nullptr;
    if (l.positionals.empty())
      for (CLI::App* s : l.app->get_subcommands({}))
        if (s->get_name() == w) sub = s;
    if (sub) {
      l.app = sub;
      l.path.push_back(w);
    } else {
      l.positionals.push_back(w);
    }
  }
  return l;
}

// The cluster the line reads: its -f files, else the live cluster (quietly, briefly).
k8s::Cluster cluster_of(const Line& l) {
  SourceOptions src;
  auto value = [&](const char* name) {
    auto it = l.values.find(name);
    return it == l.values.end() || it->second.empty() ? std::string() : it->second.back();
  };
  if (auto it = l.values.find("--filename"); it != l.values.end()) src.filenames = it->second;
  src.connection.kubeconfig = value("--kubeconfig");
  src.connection.context = value("--context");
  src.connection.cluster = value("--cluster");
  src.connection.user = value("--user");
  src.connection.server = value("--server");
  src.connection.token = value("--token");
  src.connection.request_timeout = value("--request-timeout");
  if (src.connection.request_timeout.empty()) src.connection.request_timeout = "5s";
  src.namespace_ = value("--namespace");
  util::Diagnostics ignored;
  std::ostringstream quiet_out, quiet_err;
  std::istringstream no_input;
  Io quiet{quiet_out, quiet_err, no_input, 0};
  return load_source(src, ignored, quiet);
}

std::string qualified(const k8s::ObjectMeta& m) { return m.namespace_ + "/" + m.name; }

// Names for a flag's value or a positional, by what they name.
std::vector<Candidate> names(const std::string& what, const Line& l, Io& io) {
  std::vector<Candidate> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& w, const std::string& d = "") {
    if (seen.insert(w).second) out.push_back({w, d});
  };
  if (what == "context" || what == "cluster" || what == "user") {
    k8s::KubeconfigFlags f;
    if (auto it = l.values.find("--kubeconfig"); it != l.values.end() && !it->second.empty())
      f.kubeconfig = it->second.back();
    const k8s::KubeconfigNames n = k8s::kubeconfig_names(f, k8s::KubeconfigEnv::system());
    for (const std::string& s : what == "context"   ? n.contexts
                                : what == "cluster" ? n.clusters
                                                    : n.users)
      add(s);
    return out;
  }
  if (what == "template") {
    util::Diagnostics ignored;
    for (const author::Template& t : author::all_templates("", ignored)) add(t.name, t.description);
    return out;
  }
  if (what == "rule") {
    for (const lint::Rule& r : lint::rules()) add(std::string(r.id), std::string(r.summary));
    return out;
  }
  (void)io;
  const k8s::Cluster c = cluster_of(l);
  if (what == "namespace") {
    for (const auto& n : c.namespaces) add(n.metadata.name);
    for (const auto& o : c.resource_claims) add(o.metadata.namespace_);
    for (const auto& o : c.pods) add(o.metadata.namespace_);
  } else if (what == "node") {
    for (const auto& n : c.nodes) add(n.metadata.name, "Node");
  } else if (what == "class") {
    for (const auto& o : c.device_classes) add(o.metadata.name, "DeviceClass");
  } else if (what == "driver") {
    for (const auto& s : c.resource_slices) add(s.spec.driver, "driver");
  } else if (what == "slice") {
    for (const auto& s : c.resource_slices) add(s.metadata.name, "ResourceSlice");
  } else if (what == "pool") {
    for (const auto& s : c.resource_slices) add(s.spec.driver + "/" + s.spec.pool.name, "pool");
  } else if (what == "device") {
    for (const auto& s : c.resource_slices)
      for (const auto& d : s.spec.devices)
        add(s.spec.driver + "/" + s.spec.pool.name + "/" + d.name,
            s.spec.node_name ? "on " + *s.spec.node_name : "device");
  } else if (what == "claim") {
    for (const auto& o : c.resource_claims)
      add(qualified(o.metadata), o.status.allocation ? "allocated" : "pending");
  } else if (what == "pod") {
    for (const auto& o : c.pods) add(qualified(o.metadata), "Pod");
  }
  return out;
}

// What a flag's value is, by the flag's long name; "" for anything else (free text).
std::string value_kind(const std::string& flag) {
  static const std::map<std::string, std::string> kinds = {
      {"--filename", "file"},
      {"--kubeconfig", "file"},
      {"--with", "file"},
      {"--output-dump", "file"},
      {"--template-dir", "dir"},
      {"--certificate-authority", "file"},
      {"--client-certificate", "file"},
      {"--client-key", "file"},
      {"--device-json", "file"},
      {"--from", "file"},
      {"--against", "file"},
      {"--context", "context"},
      {"--cluster", "cluster"},
      {"--user", "user"},
      {"--namespace", "namespace"},
      {"--node", "node"},
      {"--class", "class"},
      {"--driver", "driver"},
      {"--device", "device"},
      {"--pod", "pod"},
      {"--claim", "claim"},
      {"--template", "template"},
      {"--disable", "rule"},
      {"--clone-node", "node"},
      {"--without-node", "node"},
  };
  auto it = kinds.find(flag);
  return it == kinds.end() ? "" : it->second;
}

// Choices written in a flag's description as "...: a|b|c".
std::vector<Candidate> choices_of(const CLI::Option* o) {
  std::vector<Candidate> out;
  const std::string& d = o->get_description();
  const size_t colon = d.rfind(": ");
  if (colon == std::string::npos || d.find('|', colon) == std::string::npos) return out;
  std::string list = d.substr(colon + 2);
  list = list.substr(0, list.find_first_of(" ;,("));
  for (std::string_view c : util::split(list, '|')) out.push_back({std::string(c), ""});
  return out;
}

// Positionals, by the command path.
std::vector<Candidate> positional(const Line& l, Io& io, int& directive) {
  const std::string cmd = util::join(l.path, " ");
  const size_t n = l.positionals.size();
  directive = kDirectiveNoFiles;
  if (cmd == "get") {
    if (n == 0)
      return {{"devices", "devices and their state"},
              {"pools", "pools, free and allocated"},
              {"slices", "ResourceSlices"},
              {"classes", "DeviceClasses"},
              {"claims", "ResourceClaims"}};
    const std::string& type = l.positionals[0];
    if (type == "devices" || type == "device") return names("device", l, io);
    if (type == "pools" || type == "pool") return names("pool", l, io);
    if (type == "slices" || type == "slice") return names("slice", l, io);
    if (type == "classes" || type == "class") return names("class", l, io);
    if (type == "claims" || type == "claim") return names("claim", l, io);
    return {};
  }
  if (cmd == "explain") {
    if (n == 0)
      return {{"pod", "why a Pod's claims are pending or got their devices"},
              {"claim", "why a claim is pending or got its devices"}};
    if (n == 1) return names(l.positionals[0] == "pod" ? "pod" : "claim", l, io);
    return {};
  }
  if (cmd == "new" && n == 0)
    return {{"claim", "a ResourceClaim"}, {"template", "a ResourceClaimTemplate"}};
  if (cmd == "templates") {
    if (n == 0)
      return {{"list", "the templates, built-in and yours"}, {"show", "one template's parameters"}};
    if (n == 1 && l.positionals[0] == "show") return names("template", l, io);
    return {};
  }
  if (cmd == "completion" && n == 0) return {{"bash", ""}, {"zsh", ""}, {"fish", ""}};
  if (cmd == "help" && n == 0) {
    std::vector<Candidate> out;
    for (const auto& [topic, summary] : help_topics()) out.push_back({topic, summary});
    return out;
  }
  if (cmd == "lint" || cmd == "fit") directive = kDirectiveDefault;  // files
  return {};
}

}  // namespace

int run_complete(CLI::App& root, const std::vector<std::string>& args, Io& io) {
  std::vector<std::string> words = args;
  const std::string partial = words.empty() ? "" : words.back();
  if (!words.empty()) words.pop_back();
  Line l = read_line(root, words);
  std::vector<Candidate> out;
  int directive = kDirectiveNoFiles;
  std::string prefix;  // for --flag=partial
  std::string cur = partial;

  auto complete_value = [&](const std::string& flag) {
    const CLI::Option* o = option_named(l.app, flag);
    const std::string kind = value_kind(flag);
    if (kind == "file" || kind == "dir") {
      directive = kDirectiveDefault;
      return;
    }
    if (!kind.empty()) {
      out = names(kind, l, io);
      return;
    }
    if (o) out = choices_of(o);
  };

  if (!l.pending.empty()) {
    complete_value(l.pending);
  } else if (cur.size() > 1 && cur[0] == '-' && cur.find('=') != std::string::npos) {
    const size_t eq = cur.find('=');
    const CLI::Option* o = option_named(l.app, cur.substr(0, eq));
    if (o) {
      prefix = cur.substr(0, eq + 1);
      cur = cur.substr(eq + 1);
      complete_value(long_name(o));
    }
  } else if (!cur.empty() && cur[0] == '-') {
    for (CLI::App* a = l.app; a; a = a->get_parent()) {
      for (const CLI::Option* o : a->get_options()) {
        if (o->get_positional() || o->get_group().empty()) continue;
        for (const std::string& n : o->get_lnames())
          out.push_back({"--" + n, o->get_description()});
        for (const std::string& n : o->get_snames()) out.push_back({"-" + n, o->get_description()});
      }
      if (a == l.app && !l.path.empty()) break;  // the root's flags only at the root
    }
  } else {
    if (l.positionals.empty())
      for (CLI::App* s : l.app->get_subcommands({}))
        if (!s->get_group().empty()) out.push_back({s->get_name(), s->get_description()});
    if (out.empty()) out = positional(l, io, directive);
  }

  for (const Candidate& c : out) {
    if (c.word.compare(0, cur.size(), cur) != 0) continue;
    io.out << prefix << c.word;
    if (!c.description.empty()) io.out << '\t' << c.description.substr(0, c.description.find('\n'));
    io.out << '\n';
  }
  io.out << ':' << directive << '\n';
  return kExitOk;
}

}  // namespace dra::commands
