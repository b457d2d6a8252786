// src/selectors/library.cpp -- the registry of declared functions, built once from the
// library tables.
#include "selectors/library.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <map>

namespace dra::selectors {
namespace {

bool is_type_prefix(std::string_view p) {
  if (p.find('(') != std::string_view::npos || p.find('.') != std::string_view::npos) return true;
  if (p.size() == 1 && p[0] >= 'A' && p[0] <= 'Z') return true;
  std::optional<Type> t = parse_type(p);
  return t && t->kind != Type::Kind::Opaque;
}

[[noreturn]] void bad_signature(const OverloadDecl& d, std::string_view why) {
  fmt::print(stderr, "internal error: overload {}: signature \"{}\": {}\n", d.id, d.signature, why);
  std::abort();
}

// "T0.NAME(T1, T2) -> R" or "NAME(T1) -> R" into (name, overload).
std::pair<std::string, Overload> parse_signature(const OverloadDecl& d) {
  const std::string_view s = d.signature;
  const size_t arrow = s.rfind(" -> ");
  if (arrow == std::string_view::npos) bad_signature(d, "no ' -> '");
  Overload o;
  o.decl = &d;
  std::optional<Type> result = parse_type(s.substr(arrow + 4));
  if (!result) bad_signature(d, "bad result type");
  o.result = *std::move(result);
  std::string_view call = s.substr(0, arrow);
  if (call.empty() || call.back() != ')') bad_signature(d, "no parameter list");
  // The '(' that opens the parameter list.
  size_t open = call.size() - 1;
  for (int depth = 0;; --open) {
    if (call[open] == ')') ++depth;
    if (call[open] == '(' && --depth == 0) break;
    if (open == 0) bad_signature(d, "unbalanced parentheses");
  }
  std::string_view head = call.substr(0, open);
  std::string_view params = call.substr(open + 1, call.size() - open - 2);
  std::string name(head);
  const size_t dot = head.rfind('.');
  if (dot != std::string_view::npos && is_type_prefix(head.substr(0, dot))) {
    std::optional<Type> recv = parse_type(head.substr(0, dot));
    if (!recv) bad_signature(d, "bad receiver type");
    o.receiver = true;
    o.params.push_back(*std::move(recv));
    name = std::string(head.substr(dot + 1));
  }
  // Split the parameters at top-level commas.
  size_t start = 0;
  int depth = 0;
  for (size_t i = 0; i <= params.size(); ++i) {
    if (i < params.size() && params[i] == '(') ++depth;
    if (i < params.size() && params[i] == ')') --depth;
    if (i == params.size() || (params[i] == ',' && depth == 0)) {
      std::string_view p = params.substr(start, i - start);
      while (!p.empty() && p.front() == ' ') p.remove_prefix(1);
      if (!p.empty() || i != params.size() || start != 0) {
        std::optional<Type> t = parse_type(p);
        if (!t) bad_signature(d, "bad parameter type");
        o.params.push_back(*std::move(t));
      }
      start = i + 1;
    }
  }
  return {std::move(name), std::move(o)};
}

struct Registry {
  std::vector<Function> functions;
  std::map<std::string, size_t, std::less<>> by_name;

  Registry() {
    using Lib = std::span<const OverloadDecl> (*)();
    static constexpr Lib kLibraries[] = {
        standard_library,
        kubernetes_quantity_library,
        kubernetes_semver_library,
        kubernetes_regex_library,
        kubernetes_lists_library,
        kubernetes_url_library,
        kubernetes_ip_library,
        kubernetes_cidr_library,
        kubernetes_format_library,
        strings_extension,
        lists_extension,
        sets_extension,
        dra_library,
    };
    for (Lib lib : kLibraries) {
      for (const OverloadDecl& d : lib()) {
        auto [name, o] = parse_signature(d);
        auto [it, fresh] = by_name.try_emplace(name, functions.size());
        if (fresh) functions.push_back(Function{name, {}});
        functions[it->second].overloads.push_back(std::move(o));
      }
    }
  }
};

const Registry& registry() {
  static const Registry r;
  return r;
}

}  // namespace

const Function* find_function(std::string_view name) {
  const Registry& r = registry();
  auto it = r.by_name.find(name);
  return it == r.by_name.end() ? nullptr : &r.functions[it->second];
}

std::span<const Function> all_functions() { return registry().functions; }

const Overload* select_overload(const Function& f, bool receiver, std::span<const Value> args) {
  for (const Overload& o : f.overloads) {
    if (o.receiver != receiver || o.params.size() != args.size()) continue;
    bool ok = true;
    for (size_t i = 0; ok && i < args.size(); ++i) ok = accepts(o.params[i], args[i]);
    if (ok) return &o;
  }
  return nullptr;
}

}  // namespace dra::selectors
