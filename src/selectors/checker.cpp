// src/selectors/checker.cpp -- type checking as cel-go does it (see checker.hpp).
#include "selectors/checker.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "selectors/lib_time.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {
namespace {

using Kind = Type::Kind;

Type prim(Kind k) { return Type::of(k); }
Type error_type() { return prim(Kind::Error); }

bool is_dyn(const Type& t) { return t.kind == Kind::Dyn; }
bool is_error(const Type& t) { return t.kind == Kind::Error; }
bool is_dyn_or_error(const Type& t) { return is_dyn(t) || is_error(t); }

// Type parameter substitutions, by parameter name.
using Mapping = std::map<std::string, Type>;

const Type* find_sub(const Mapping& m, const Type& t) {
  if (t.kind != Kind::Param) return nullptr;
  auto it = m.find(t.name);
  return it == m.end() ? nullptr : &it->second;
}

bool less_specific(const Type& t1, const Type& t2) {
  if (is_dyn(t1) || t1.kind == Kind::Param) return true;
  if (is_dyn(t2) || t2.kind == Kind::Param) return false;
  if (t1.kind != t2.kind) return false;
  switch (t1.kind) {
    case Kind::Opaque:
    case Kind::Optional:
    case Kind::List:
    case Kind::Map:
      if (t1.name != t2.name || t1.params.size() != t2.params.size()) return false;
      for (size_t i = 0; i < t1.params.size(); ++i) {
        if (!less_specific(t1.params[i], t2.params[i])) return false;
      }
      return true;
    case Kind::TypeType:
      return true;
    default:
      return t1 == t2;
  }
}

Type most_general(const Type& t1, const Type& t2) { return less_specific(t1, t2) ? t1 : t2; }

bool not_referenced_in(const Mapping& m, const Type& t, const Type& within) {
  if (t == within) return false;
  switch (within.kind) {
    case Kind::Param: {
      const Type* sub = find_sub(m, within);
      return sub ? not_referenced_in(m, t, *sub) : true;
    }
    case Kind::Opaque:
    case Kind::Optional:
    case Kind::List:
    case Kind::Map:
    case Kind::TypeType:
      for (const Type& p : within.params) {
        if (!not_referenced_in(m, t, p)) return false;
      }
      return true;
    default:
      return true;
  }
}

bool assignable_in(Mapping& m, const Type& t1, const Type& t2);

// Whether t1 may stand for the parameter t2: (valid, t2 already had a substitution).
std::pair<bool, bool> valid_substitution(Mapping& m, const Type& t1, const Type& t2) {
  if (t1 == t2) return {true, true};
  if (const Type* sub = find_sub(m, t2)) {
    const Type s = *sub;
    if (t1 == s) return {true, true};
    if (assignable_in(m, t1, s)) {
      Type general = most_general(t1, s);
      if (not_referenced_in(m, t2, general)) m[t2.name] = std::move(general);
      return {true, true};
    }
    return {false, true};
  }
  if (not_referenced_in(m, t2, t1)) {
    m[t2.name] = t1;
    return {true, false};
  }
  return {false, false};
}

bool legacy_nullable(const Type& t) {
  switch (t.kind) {
    case Kind::Opaque:
    case Kind::Optional:
    case Kind::Object:
    case Kind::Duration:
    case Kind::Timestamp:
      return true;
    default:
      return t.kind == Kind::Null;
  }
}

bool assignable_list_in(Mapping& m, const std::vector<Type>& l1, const std::vector<Type>& l2) {
  if (l1.size() != l2.size()) return false;
  for (size_t i = 0; i < l1.size(); ++i) {
    if (!assignable_in(m, l1[i], l2[i])) return false;
  }
  return true;
}

bool assignable_in(Mapping& m, const Type& t1, const Type& t2) {
  if (t2.kind == Kind::Param) {
    auto [valid, had_sub] = valid_substitution(m, t1, t2);
    if (valid) return true;
    if (had_sub) return false;
  }
  if (t1.kind == Kind::Param) return valid_substitution(m, t2, t1).first;
  if (is_dyn_or_error(t1) || is_dyn_or_error(t2)) return true;
  if (t1.kind == Kind::Null) return legacy_nullable(t2);
  if (t2.kind == Kind::Null) return legacy_nullable(t1);
  switch (t1.kind) {
    case Kind::TypeType:
      return t2.kind == Kind::TypeType;
    case Kind::Opaque:
    case Kind::Optional:
    case Kind::List:
    case Kind::Map:
      return t1.kind == t2.kind && t1.name == t2.name &&
             assignable_list_in(m, t1.params, t2.params);
    default:
      return t1.kind == t2.kind && t1.name == t2.name;
  }
}

Type substitute(const Mapping& m, const Type& t, bool param_to_dyn) {
  if (const Type* sub = find_sub(m, t)) return substitute(m, *sub, param_to_dyn);
  if (t.kind == Kind::Param) return param_to_dyn ? Type::dyn() : t;
  Type out = t;
  for (Type& p : out.params) p = substitute(m, p, param_to_dyn);
  return out;
}

// Renames the type parameters of a declaration apart, as cel-go instantiates each
// overload with fresh type variables.
Type rename_params(const Type& t, const std::map<std::string, std::string>& names) {
  if (t.kind == Kind::Param) return Type::param(names.at(t.name));
  Type out = t;
  for (Type& p : out.params) p = rename_params(p, names);
  return out;
}

void collect_params(const Type& t, std::set<std::string>& out) {
  if (t.kind == Kind::Param) out.insert(t.name);
  for (const Type& p : t.params) collect_params(p, out);
}

// "a.b.c" when e is an identifier or a chain of plain selects on one; empty otherwise.
std::string qualified_name(const Expr& e) {
  if (e.kind == ExprKind::Ident) return e.name;
  if (e.kind != ExprKind::Select || e.optional) return {};
  std::string head = qualified_name(e.args[0]);
  return head.empty() ? head : head + "." + e.name;
}

class Checker {
 public:
  explicit Checker(const CheckEnv& env) : env_(env) {}

  CheckResult run(Expr& root) {
    Type t = check(root);
    CheckResult r;
    if (errors_.empty()) validate(root);
    r.type = substitute(mapping_, t, true);
    std::stable_sort(errors_.begin(), errors_.end(),
                     [](const CheckError& a, const CheckError& b) { return a.offset < b.offset; });
    r.errors = std::move(errors_);
    r.types.reserve(types_.size());
    for (const auto& [e, type] : types_) r.types.emplace(e, substitute(mapping_, type, true));
    return r;
  }

 private:
  void error(uint32_t offset, std::string message) {
    errors_.push_back({offset, std::move(message)});
  }

  Type fresh_var() { return Type::param(fmt::format("_var{}", next_var_++)); }

  bool assignable(const Type& t1, const Type& t2) {
    Mapping copy = mapping_;
    if (!assignable_in(copy, t1, t2)) return false;
    mapping_ = std::move(copy);
    return true;
  }

  Type sub(const Type& t) const { return substitute(mapping_, t, false); }

  Type set(const Expr& e, Type t) {
    types_[&e] = t;
    return t;
  }

  Type check(Expr& e) {
    e.id = ++next_id_;
    switch (e.kind) {
      case ExprKind::Literal:
        return set(e, literal_type(e.constant));
      case ExprKind::Ident:
        return set(e, ident(e));
      case ExprKind::Select:
        return set(e, select(e));
      case ExprKind::Index:
        return set(e, index(e));
      case ExprKind::Call:
        return set(e, call(e));
      case ExprKind::List:
        return set(e, list(e));
      case ExprKind::Map:
        return set(e, map(e));
      case ExprKind::Unary:
        return set(e, operator_call(e, op_function_name(e.op)));
      case ExprKind::Binary:
        if (e.op == Op::And || e.op == Op::Or) return set(e, logical(e));
        return set(e, operator_call(e, op_function_name(e.op)));
      case ExprKind::Conditional:
        return set(e, operator_call(e, "_?_:_"));
      case ExprKind::Macro:
        return set(e, macro(e));
    }
    return error_type();
  }

  static Type literal_type(const Constant& c) {
    switch (c.kind) {
      case Constant::Kind::Null:
        return prim(Kind::Null);
      case Constant::Kind::Bool:
        return prim(Kind::Bool);
      case Constant::Kind::Int:
        return prim(Kind::Int);
      case Constant::Kind::Uint:
        return prim(Kind::Uint);
      case Constant::Kind::Double:
        return prim(Kind::Double);
      case Constant::Kind::String:
        return prim(Kind::String);
      case Constant::Kind::Bytes:
        return prim(Kind::Bytes);
    }
    return error_type();
  }

  const Type* find_variable(std::string_view name) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      if (it->first == name) return &it->second;
    }
    for (const auto& [n, t] : env_.variables) {
      if (n == name) return &t;
    }
    return nullptr;
  }

  Type ident(const Expr& e) {
    std::string_view name = e.name;
    if (name.starts_with('.')) name.remove_prefix(1);
    if (const Type* t = find_variable(name)) return *t;
    struct TypeIdent {
      std::string_view name;
      Kind kind;
    };
    static constexpr TypeIdent kTypeIdents[] = {
        {"bool", Kind::Bool},      {"int", Kind::Int},       {"uint", Kind::Uint},
        {"double", Kind::Double},  {"string", Kind::String}, {"bytes", Kind::Bytes},
        {"null_type", Kind::Null}, {"type", Kind::TypeType}, {"list", Kind::List},
        {"map", Kind::Map},
    };
    for (const TypeIdent& ti : kTypeIdents) {
      if (ti.name != name) continue;
      if (ti.kind == Kind::List) return Type::type_of(Type::list(Type::dyn()));
      if (ti.kind == Kind::Map) return Type::type_of(Type::map(Type::dyn(), Type::dyn()));
      if (ti.kind == Kind::TypeType) return Type::type_of(Type::of(Kind::TypeType));
      return Type::type_of(prim(ti.kind));
    }
    error(e.offset, fmt::format("undeclared reference to '{}' (in container '')", e.name));
    return error_type();
  }

  const ObjectDecl* object(const std::string& name) const {
    for (const ObjectDecl& o : env_.objects) {
      if (o.name == name) return &o;
    }
    return nullptr;
  }

  // cel-go's checkSelectField: the type of selecting `field` from `operand_type`.
  Type select_field(uint32_t offset, const Type& operand_type, const std::string& field,
                    bool optional) {
    Type target = sub(operand_type);
    bool was_optional = false;
    if (target.kind == Kind::Optional) {
      Type inner = target.params[0];
      target = std::move(inner);
      was_optional = true;
    }
    Type result = error_type();
    switch (target.kind) {
      case Kind::Map:
        result = target.params[1];
        break;
      case Kind::Object: {
        const ObjectDecl* o = object(target.name);
        bool found = false;
        if (o) {
          for (const auto& [n, t] : o->fields) {
            if (n == field) result = t, found = true;
          }
        }
        if (!found) error(offset, fmt::format("undefined field '{}'", field));
        break;
      }
      case Kind::Param:
        assignable(Type::dyn(), target);
        result = Type::dyn();
        break;
      default:
        if (!is_dyn_or_error(target)) {
          error(offset,
                fmt::format("type '{}' does not support field selection", format_cel_type(target)));
        }
        result = Type::dyn();
        break;
    }
    if (was_optional || optional) return Type::optional(std::move(result));
    return result;
  }

  Type select(Expr& e) {
    // A qualified name of a library type (net.IP) is that type's type value.
    if (const std::string qn = qualified_name(e);
        !qn.empty() && is_library_type_name(qn) && !find_variable(qn.substr(0, qn.find('.')))) {
      e.qualified = true;  // the evaluator resolves the name, not a field
      if (qn == "google.protobuf.Duration") return Type::type_of(Type::of(Kind::Duration));
      if (qn == "google.protobuf.Timestamp") return Type::type_of(Type::of(Kind::Timestamp));
      return Type::type_of(Type::opaque(qn));
    }
    const Type operand = check(e.args[0]);
    return sub(select_field(e.offset, operand, e.name, e.optional));
  }

  Type index(Expr& e) {
    std::vector<Type> args{check(e.args[0]), check(e.args[1])};
    return resolve(e, e.optional ? "_[?_]" : "_[_]", args, false);
  }

  Type list(Expr& e) {
    std::optional<Type> elems;
    for (size_t i = 0; i < e.args.size(); ++i) {
      Type t = check(e.args[i]);
      if (i < e.optionals.size() && e.optionals[i]) t = unwrap_optional_element(e.args[i], t);
      elems = join(elems, t);
    }
    return Type::list(elems ? *std::move(elems) : fresh_var());
  }

  Type unwrap_optional_element(const Expr& e, const Type& t) {
    if (t.kind == Kind::Optional) return t.params[0];
    if (!is_dyn(t)) {
      error(e.offset, fmt::format("expected type '{}' but found '{}'",
                                  format_cel_type(Type::optional(t)), format_cel_type(t)));
    }
    return t;
  }

  Type map(Expr& e) {
    std::optional<Type> keys, values;
    for (size_t i = 0; i + 1 < e.args.size(); i += 2) {
      keys = join(keys, check(e.args[i]));
      Type v = check(e.args[i + 1]);
      const size_t entry = i / 2;
      if (entry < e.optionals.size() && e.optionals[entry])
        v = unwrap_optional_element(e.args[i + 1], v);
      values = join(values, v);
    }
    if (!keys) return Type::map(fresh_var(), fresh_var());
    return Type::map(*std::move(keys), *std::move(values));
  }

  // joinTypes with dynamic aggregate literal element types (the homogeneity of literals
  // is a validator's job, below).
  std::optional<Type> join(const std::optional<Type>& previous, const Type& current) {
    if (!previous) return current;
    if (assignable(*previous, current)) return most_general(*previous, current);
    return Type::dyn();
  }

  Type logical(Expr& e) {
    bool ok = true;
    for (Expr& a : e.args) {
      const Type t = check(a);
      if (!assignable(t, prim(Kind::Bool))) {
        error(a.offset, fmt::format("expected type 'bool' but found '{}'", format_cel_type(t)));
        ok = false;
      }
    }
    return ok ? prim(Kind::Bool) : error_type();
  }

  Type operator_call(Expr& e, std::string_view name) {
    std::vector<Type> args;
    for (Expr& a : e.args) args.push_back(check(a));
    return resolve(e, name, args, false);
  }

  Type call(Expr& e) {
    if (e.has_target) {
      const std::string ns = qualified_name(e.args[0]);
      if (!ns.empty()) {
        if (const Function* f = find_function(ns + "." + e.name)) {
          e.function = f;
          e.qualified = true;
          std::vector<Type> args;
          for (size_t i = 1; i < e.args.size(); ++i) args.push_back(check(e.args[i]));
          return resolve_with(e, *f, args, false);
        }
      }
    }
    std::vector<Type> args;
    for (Expr& a : e.args) args.push_back(check(a));
    const Function* f = find_function(e.name);
    // Operators ("_+_") are not callable by name. Hidden functions ("@in",
    // "@sortByAssociatedKeys") cannot be spelled in source; only macro expansions call them.
    if (!f || f->name.starts_with('_')) {
      error(e.offset, fmt::format("undeclared reference to '{}' (in container '')", e.name));
      return error_type();
    }
    e.function = f;
    return resolve_with(e, *f, args, e.has_target);
  }

  Type resolve(const Expr& e, std::string_view name, std::vector<Type>& args, bool receiver) {
    const Function* f = find_function(name);
    if (!f) {
      error(e.offset, fmt::format("undeclared reference to '{}' (in container '')", name));
      return error_type();
    }
    return resolve_with(e, *f, args, receiver);
  }

  // cel-go's resolveOverload.
  Type resolve_with(const Expr& e, const Function& f, std::vector<Type>& args, bool receiver) {
    std::optional<Type> result;
    for (const Overload& o : f.overloads) {
      if (o.receiver != receiver || o.params.size() != args.size()) continue;
      std::set<std::string> params;
      for (const Type& p : o.params) collect_params(p, params);
      collect_params(o.result, params);
      std::map<std::string, std::string> names;
      for (const std::string& p : params) names[p] = fresh_var().name;
      std::vector<Type> candidate;
      for (const Type& p : o.params) candidate.push_back(rename_params(p, names));
      Mapping copy = mapping_;
      if (!assignable_list_in(copy, args, candidate)) continue;
      mapping_ = std::move(copy);
      Type r = substitute(mapping_, rename_params(o.result, names), false);
      if (!result) {
        result = std::move(r);
      } else if (!is_dyn(*result) && !(r == *result)) {
        result = Type::dyn();
      }
    }
    if (!result) {
      std::string sig;
      size_t first = 0;
      if (receiver && !args.empty()) {
        sig = format_cel_type(substitute(mapping_, args[0], true)) + ".";
        first = 1;
      }
      sig += "(";
      for (size_t i = first; i < args.size(); ++i) {
        if (i > first) sig += ", ";
        sig += format_cel_type(substitute(mapping_, args[i], true));
      }
      sig += ")";
      error(e.offset,
            fmt::format("found no matching overload for '{}' applied to '{}'", f.name, sig));
      return error_type();
    }
    return *result;
  }

  // ---- macros, typed as cel-go types their expansions

  // The iteration variable types for a range of type `range`: one (element or key) or
  // two (index and element, key and value) variables.
  std::pair<Type, Type> range_vars(const Expr& range_expr, const Type& range_type, bool two) {
    const Type r = sub(range_type);
    switch (r.kind) {
      case Kind::List:
        return two ? std::pair{prim(Kind::Int), r.params[0]} : std::pair{r.params[0], Type::dyn()};
      case Kind::Map:
        return {r.params[0], r.params[1]};
      case Kind::Dyn:
      case Kind::Error:
      case Kind::Param:
        assignable(Type::dyn(), r);
        return {Type::dyn(), Type::dyn()};
      default:
        error(range_expr.offset,
              fmt::format("expression of type '{}' cannot be range of a comprehension (must be "
                          "list, map, or dynamic)",
                          format_cel_type(r)));
        return {error_type(), error_type()};
    }
  }

  Type with_vars(const Expr& e, const std::pair<Type, Type>& vars, Expr& body) {
    const size_t mark = scopes_.size();
    scopes_.emplace_back(e.vars[0], vars.first);
    if (e.vars.size() > 1) scopes_.emplace_back(e.vars[1], vars.second);
    Type t = check(body);
    scopes_.resize(mark);
    return t;
  }

  // The condition of a `?:` in a macro's expansion (exists_one, filter, map with filter).
  void expect_condition(const Expr& e, const Type& cond, const Type& accu) {
    if (assignable(cond, prim(Kind::Bool))) return;
    error(e.offset,
          fmt::format("found no matching overload for '_?_:_' applied to '({}, {}, {})'",
                      format_cel_type(sub(cond)), format_cel_type(accu), format_cel_type(accu)));
  }

  Type macro(Expr& e) {
    switch (e.macro) {
      case MacroKind::Has: {
        Expr& sel = e.args[0];
        const Type operand = check(sel.args[0]);
        select_field(sel.offset, operand, sel.name, false);
        set(sel, prim(Kind::Bool));
        return prim(Kind::Bool);
      }
      case MacroKind::Bind: {
        const Type init = check(e.args[0]);
        return sub(with_vars(e, {init, Type::dyn()}, e.args[1]));
      }
      case MacroKind::OptMap:
      case MacroKind::OptFlatMap: {
        const Type target = sub(check(e.args[0]));
        Type inner = Type::dyn();
        if (target.kind == Kind::Optional) {
          inner = target.params[0];
        } else if (!is_dyn_or_error(target)) {
          error(e.offset,
                fmt::format("found no matching overload for 'hasValue' applied to '{}.()'",
                            format_cel_type(target)));
          return error_type();
        }
        const Type body = sub(with_vars(e, {inner, Type::dyn()}, e.args[1]));
        if (e.macro == MacroKind::OptMap) return Type::optional(body);
        if (body.kind != Kind::Optional && !is_dyn_or_error(body)) {
          error(e.offset,
                fmt::format("found no matching overload for '_?_:_' applied to '(bool, {}, {})'",
                            format_cel_type(body), format_cel_type(Type::optional(Type::dyn()))));
          return error_type();
        }
        return body;
      }
      default:
        break;
    }
    const Type range = check(e.args[0]);
    const bool two = e.vars.size() > 1;
    const auto vars = range_vars(e.args[0], range, two);
    switch (e.macro) {
      case MacroKind::All:
      case MacroKind::Exists: {
        const Type body = with_vars(e, vars, e.args[1]);
        if (!assignable(body, prim(Kind::Bool))) {
          error(e.args[1].offset,
                fmt::format("expected type 'bool' but found '{}'", format_cel_type(sub(body))));
        }
        return prim(Kind::Bool);
      }
      case MacroKind::ExistsOne: {
        const Type body = with_vars(e, vars, e.args[1]);
        expect_condition(e, body, prim(Kind::Int));
        return prim(Kind::Bool);
      }
      case MacroKind::Filter: {
        const Type body = with_vars(e, vars, e.args[1]);
        const Type result = Type::list(vars.first);
        expect_condition(e, body, result);
        return sub(result);
      }
      case MacroKind::Map:
      case MacroKind::TransformList:
      case MacroKind::TransformMap:
      case MacroKind::TransformMapEntry: {
        const bool filtered = e.args.size() == 3;
        std::optional<Type> cond;
        if (filtered) cond = with_vars(e, vars, e.args[1]);
        const Type t = sub(with_vars(e, vars, e.args.back()));
        Type result;
        if (e.macro == MacroKind::TransformMap) {
          result = Type::map(vars.first, t);
        } else if (e.macro == MacroKind::TransformMapEntry) {
          result = t.kind == Kind::Map ? t : Type::map(Type::dyn(), Type::dyn());
        } else {
          result = Type::list(t);
        }
        if (cond) expect_condition(e, *cond, result);
        return sub(result);
      }
      default:
        return error_type();
    }
  }

  // ---- validators (run when type-checking succeeded)

  Type final_type(const Expr& e) const {
    auto it = types_.find(&e);
    return it == types_.end() ? Type::dyn() : substitute(mapping_, it->second, true);
  }

  // in_format: inside a string.format call, whose list and map literals are exempt from
  // the homogeneity check (cel-go's string format validator configures that).
  void validate(const Expr& e, bool in_format = false) {
    const bool format_call = e.kind == ExprKind::Call && e.has_target && e.name == "format";
    for (const Expr& a : e.args) validate(a, in_format || format_call);
    if (in_format) return;
    if (e.kind == ExprKind::List) {
      std::optional<Type> first;
      for (size_t i = 0; i < e.args.size(); ++i) {
        Type t = final_type(e.args[i]);
        if (i < e.optionals.size() && e.optionals[i] && t.kind == Kind::Optional) t = t.params[0];
        if (!first) {
          first = t;
        } else if (!(t == *first)) {
          mismatch(e.args[i], *first, t);
          break;
        }
      }
    }
    if (e.kind == ExprKind::Map) {
      std::optional<Type> key, value;
      for (size_t i = 0; i + 1 < e.args.size(); i += 2) {
        const Type k = final_type(e.args[i]);
        Type v = final_type(e.args[i + 1]);
        const size_t entry = i / 2;
        if (entry < e.optionals.size() && e.optionals[entry] && v.kind == Kind::Optional)
          v = v.params[0];
        if (!key) {
          key = k, value = v;
          continue;
        }
        if (!(k == *key)) mismatch(e.args[i], *key, k);
        if (!(v == *value)) mismatch(e.args[i + 1], *value, v);
      }
    }
    // cel-go's regex literal validator looks at the first argument of every `matches`
    // call: the pattern of s.matches('re'), but the string of matches(s, 're').
    if (e.kind == ExprKind::Call && e.name == "matches" && !e.qualified) {
      const size_t first = e.has_target ? 1 : 0;
      if (e.args.size() > first && e.args[first].kind == ExprKind::Literal &&
          e.args[first].constant.kind == Constant::Kind::String) {
        RE2::Options opts;
        opts.set_log_errors(false);
        const RE2 re(e.args[first].constant.bytes, opts);
        if (!re.ok()) error(e.args[first].offset, "invalid matches argument");
      }
    }
    // Kubernetes' duration and timestamp literal validators: a literal argument of
    // duration() or timestamp() must convert.
    if (e.kind == ExprKind::Call && !e.has_target && !e.qualified && e.args.size() == 1 &&
        (e.name == "duration" || e.name == "timestamp") && e.args[0].kind == ExprKind::Literal) {
      const Constant& c = e.args[0].constant;
      Value arg;
      if (c.kind == Constant::Kind::String) arg = Value::string(c.bytes);
      if (c.kind == Constant::Kind::Int) arg = Value::integer(c.int_value);
      if (arg.kind() != ValueKind::Null) {
        const Value v =
            e.name == "duration" ? duration_convert({&arg, 1}) : timestamp_convert({&arg, 1});
        if (v.is_error()) error(e.args[0].offset, fmt::format("invalid {} argument", e.name));
      }
    }
  }

  void mismatch(const Expr& at, const Type& expected, const Type& actual) {
    error(at.offset, fmt::format("expected type '{}' but found '{}'", format_cel_type(expected),
                                 format_cel_type(actual)));
  }

  const CheckEnv& env_;
  Mapping mapping_;
  std::unordered_map<const Expr*, Type> types_;
  std::vector<std::pair<std::string, Type>> scopes_;
  std::vector<CheckError> errors_;
  int next_var_ = 0;
  uint32_t next_id_ = 0;
};

}  // namespace

std::string format_cel_type(const Type& t) {
  switch (t.kind) {
    case Kind::Null:
      return "null";
    case Kind::Duration:
      return "duration";
    case Kind::Timestamp:
      return "timestamp";
    case Kind::Error:
      return "!error!";
    case Kind::List:
      return "list(" + format_cel_type(t.params[0]) + ")";
    case Kind::Map:
      return "map(" + format_cel_type(t.params[0]) + ", " + format_cel_type(t.params[1]) + ")";
    case Kind::Optional:
      return "optional_type(" + format_cel_type(t.params[0]) + ")";
    case Kind::TypeType:
      return t.params.empty() ? "type" : "type(" + format_cel_type(t.params[0]) + ")";
    default:
      return to_string(t);
  }
}

CheckResult check(Expr& expr, const CheckEnv& env) { return Checker(env).run(expr); }

const CheckEnv& dra_check_env() {
  static const CheckEnv env = [] {
    const Type device = Type{Kind::Object, "kubernetes.DRADevice", {}};
    CheckEnv e;
    e.variables.emplace_back("device", device);
    e.objects.push_back(ObjectDecl{
        "kubernetes.DRADevice",
        {
            {"driver", prim(Kind::String)},
            {"allowMultipleAllocations", prim(Kind::Bool)},
            {"attributes",
             Type::map(prim(Kind::String), Type::map(prim(Kind::String), Type::dyn()))},
            {"capacity",
             Type::map(prim(Kind::String),
                       Type::map(prim(Kind::String), Type::opaque("kubernetes.Quantity")))},
        }});
    return e;
  }();
  return env;
}

const CheckEnv& empty_check_env() {
  static const CheckEnv env;
  return env;
}

}  // namespace dra::selectors
