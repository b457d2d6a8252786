// src/selectors/cost.cpp -- static cost estimation (cost.hpp) and the Kubernetes runtime
// cost of calls. Written from the behaviour of cel-go v0.27.0 checker/cost.go and
// interpreter/runtimecost.go, apiserver c9f9cf747e61 pkg/cel/library/cost.go and
// dynamic-resource-allocation 3d036712930c cel/compile.go.
#include "selectors/cost.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "selectors/program.hpp"

namespace dra::selectors {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
constexpr double kStringTraversal = 0.1;  // cel-go common.StringTraversalCostFactor
constexpr double kRegexLength = 0.25;     // common.RegexStringLengthCostFactor
constexpr uint64_t kListCreate = 10;
constexpr uint64_t kMapCreate = 30;

// DRA's resource API limits (k8s.io/api/resource/v1).
constexpr uint64_t kDriverNameMaxLength = 63;
constexpr uint64_t kDomainMaxLength = 63;
constexpr uint64_t kIDMaxLength = 32;
constexpr uint64_t kMaxAttributesAndCapacities = 32;
constexpr uint64_t kMaxAttributeValuesPerDevice = 48;
constexpr uint64_t kAttributeMaxValueLength = 64;

uint64_t add_sat(uint64_t a, uint64_t b) { return b > 0 && a > kMax - b ? kMax : a + b; }
uint64_t mul_sat(uint64_t a, uint64_t b) { return b != 0 && a > kMax / b ? kMax : a * b; }
uint64_t mul_factor(uint64_t x, double f) {
  const double xf = static_cast<double>(x);
  if (xf > 0 && f > 0 && xf > static_cast<double>(kMax) / f) return kMax;
  const double c = std::ceil(xf * f);
  if (c >= std::ldexp(1.0, 64)) return kMax;
  return static_cast<uint64_t>(c);
}

CostEstimate fixed(uint64_t c) { return {c, c}; }
CostEstimate operator+(CostEstimate a, CostEstimate b) {
  return {add_sat(a.min, b.min), add_sat(a.max, b.max)};
}
CostEstimate times(CostEstimate a, CostEstimate b) {
  return {mul_sat(a.min, b.min), mul_sat(a.max, b.max)};
}
CostEstimate factor(CostEstimate a, double f) {
  return {mul_factor(a.min, f), mul_factor(a.max, f)};
}
CostEstimate factor(SizeEstimate a, double f) {
  return {mul_factor(a.min, f), mul_factor(a.max, f)};
}
CostEstimate times(SizeEstimate a, CostEstimate b) {
  return {mul_sat(a.min, b.min), mul_sat(a.max, b.max)};
}
CostEstimate cunion(CostEstimate a, CostEstimate b) {
  return {std::min(a.min, b.min), std::max(a.max, b.max)};
}
SizeEstimate sadd(SizeEstimate a, SizeEstimate b) {
  return {add_sat(a.min, b.min), add_sat(a.max, b.max)};
}
SizeEstimate smul(SizeEstimate a, SizeEstimate b) {
  return {mul_sat(a.min, b.min), mul_sat(a.max, b.max)};
}
SizeEstimate sunion(SizeEstimate a, SizeEstimate b) {
  return {std::min(a.min, b.min), std::max(a.max, b.max)};
}
SizeEstimate sfixed(uint64_t n) { return {n, n}; }
const SizeEstimate kUnknownSize{0, kMax};

// ---- DRA's size estimator: the declared maximum sizes reachable from `device`.

struct Decl {
  explicit Decl(uint64_t max, const Decl* k = nullptr, const Decl* e = nullptr)
      : max_elements(max), key(k), elem(e) {}
  uint64_t max_elements = 0;
  const Decl* key = nullptr;
  const Decl* elem = nullptr;
  std::vector<std::pair<std::string_view, const Decl*>> fields;
  bool attribute = false;  // the attribute value type (any field of an attribute map)
};

struct DeviceDecls {
  Decl driver{kDriverNameMaxLength};
  Decl multi{1};
  Decl domain{kDomainMaxLength};
  Decl id{kIDMaxLength};
  // max(DeviceAttributeMaxValueLength, ResourceSliceMaxAttributeValuesPerDevice)
  Decl attribute{std::max(kAttributeMaxValueLength, kMaxAttributeValuesPerDevice)};
  Decl quantity{0};
  Decl inner_attributes{kMaxAttributesAndCapacities, &id, &attribute};
  Decl attributes{kMaxAttributesAndCapacities, &domain, &inner_attributes};
  Decl inner_capacity{kMaxAttributesAndCapacities, &id, &quantity};
  Decl capacity{kMaxAttributesAndCapacities, &domain, &inner_capacity};
  Decl device{0};
  DeviceDecls() {
    attribute.attribute = true;
    device.fields = {{"allowMultipleAllocations", &multi},
                     {"driver", &driver},
                     {"attributes", &attributes},
                     {"capacity", &capacity}};
  }
};

using Path = std::vector<std::string>;

std::optional<SizeEstimate> dra_estimate_size(const Path& path) {
  static const DeviceDecls decls;
  if (path.empty() || path[0] != "device") return std::nullopt;
  const Decl* node = &decls.device;
  for (size_t i = 1; i < path.size(); ++i) {
    const std::string& name = path[i];
    if (name == "@items" || name == "@values") {
      if (!node->elem) return std::nullopt;
      node = node->elem;
    } else if (name == "@keys") {
      if (!node->key) return std::nullopt;
      node = node->key;
    } else {
      const Decl* field = nullptr;
      for (const auto& [n, d] : node->fields) {
        if (n == name) field = d;
      }
      if (!field) {
        if (node->elem && node->elem->attribute) {
          node = node->elem;
          continue;
        }
        return std::nullopt;
      }
      node = field;
    }
  }
  return SizeEstimate{0, node->max_elements};
}

// ---- the coster

struct EntrySize {
  bool is_list = false;
  SizeEstimate key, val;
};

std::optional<EntrySize> eunion(const std::optional<EntrySize>& a,
                                const std::optional<EntrySize>& b) {
  if (!a || !b) return std::nullopt;
  return EntrySize{a->is_list, sunion(a->key, b->key), sunion(a->val, b->val)};
}

// What cel-go's coster knows about one (possibly synthetic) expression node.
struct Node {
  CostEstimate cost;
  Type type;
  std::optional<SizeEstimate> computed;    // computedSizes, or the size of a literal
  std::optional<Path> path;                // exprPaths / a local variable's path
  std::optional<EntrySize> entry;          // computedEntrySizes / a local's entry size
  std::optional<SizeEstimate> local_size;  // an identifier naming a local with a size
  const Expr* expr = nullptr;              // the literal behind a node, if any
  bool is_accumulator_path = false;
};

bool is_scalar(const Type& t) {
  switch (t.kind) {
    case Type::Kind::Bool:
    case Type::Kind::Double:
    case Type::Kind::Duration:
    case Type::Kind::Int:
    case Type::Kind::Timestamp:
    case Type::Kind::Uint:
      return true;
    case Type::Kind::Optional:
      return is_scalar(t.params[0]);
    default:
      return false;
  }
}

// cel-go's computeSize.
std::optional<SizeEstimate> size_of(const Node& n) {
  if (n.computed) return n.computed;
  if (n.path && !n.path->empty()) {
    if (auto s = dra_estimate_size(*n.path)) return s;
  }
  if (is_scalar(n.type)) return sfixed(1);
  return n.local_size;
}
SizeEstimate size_or_unknown(const Node& n) { return size_of(n).value_or(kUnknownSize); }

// The size an estimator sees through an AstNode (its ComputedSize, else unknown).
SizeEstimate arg_size(const Node& n) { return size_or_unknown(n); }

size_t rune_count(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

struct Local {
  std::optional<Path> path;
  std::optional<SizeEstimate> size;
  std::optional<EntrySize> entry;
};

const char kAccu[] = "@result";

// A candidate overload of a call: cel-go's overload id and our declaration, if any.
struct Candidate {
  std::string_view id;
  const OverloadDecl* decl = nullptr;
};

bool loosely_assignable(const Type& arg, const Type& param) {
  using K = Type::Kind;
  if (param.kind == K::Param || param.kind == K::Dyn) return true;
  if (arg.kind == K::Dyn || arg.kind == K::Param || arg.kind == K::Error) return true;
  if (arg.kind == K::Null) {
    return param.kind == K::Null || param.kind == K::Opaque || param.kind == K::Optional ||
           param.kind == K::Object || param.kind == K::Duration || param.kind == K::Timestamp;
  }
  if (arg.kind != param.kind || arg.name != param.name) return false;
  if (param.kind == K::TypeType) return true;
  if (arg.params.size() != param.params.size()) return arg.params.empty() || param.params.empty();
  for (size_t i = 0; i < arg.params.size(); ++i) {
    if (!loosely_assignable(arg.params[i], param.params[i])) return false;
  }
  return true;
}

// The overloads of `f` the checker could have chosen for these argument types (cel-go
// records every overload that matches when arguments are dyn).
std::vector<Candidate> candidates(const Function& f, bool receiver, const std::vector<Type>& args) {
  std::vector<Candidate> out;
  for (const Overload& o : f.overloads) {
    if (o.receiver != receiver || o.params.size() != args.size()) continue;
    bool ok = true;
    for (size_t i = 0; ok && i < args.size(); ++i) ok = loosely_assignable(args[i], o.params[i]);
    if (ok) out.push_back({o.decl->id, o.decl});
  }
  return out;
}

std::string_view operator_function(const Expr& e) {
  if (e.kind == ExprKind::Conditional) return "_?_:_";
  if (e.kind == ExprKind::Index) return e.optional ? "_[?_]" : "_[_]";
  return op_function_name(e.op);
}

struct CallResult {
  CostEstimate cost;
  std::optional<SizeEstimate> size;
  std::optional<EntrySize> entry;  // set for conditionals and concatenations
};

class Coster {
 public:
  explicit Coster(const CheckResult& checked) : checked_(checked) {}

  Node cost(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Literal:
        return literal(e);
      case ExprKind::Ident:
        return ident(e.name, type_of(e));
      case ExprKind::Select:
        return select(e);
      case ExprKind::Index:
      case ExprKind::Unary:
      case ExprKind::Binary:
      case ExprKind::Conditional:
        return operator_call(e);
      case ExprKind::Call:
        return call(e);
      case ExprKind::List:
        return list(e);
      case ExprKind::Map:
        return map(e);
      case ExprKind::Macro:
        return macro(e);
    }
    return {};
  }

 private:
  Type type_of(const Expr& e) const {
    auto it = checked_.types.find(&e);
    return it == checked_.types.end() ? Type::dyn() : it->second;
  }

  static Node literal(const Expr& e) {
    Node n;
    n.cost = fixed(0);
    n.expr = &e;
    const Constant& c = e.constant;
    switch (c.kind) {
      case Constant::Kind::String:
        n.type = Type::of(Type::Kind::String);
        n.computed = sfixed(rune_count(c.bytes));
        break;
      case Constant::Kind::Bytes:
        n.type = Type::of(Type::Kind::Bytes);
        n.computed = sfixed(c.bytes.size());
        break;
      default:
        n.type = Type::of(c.kind == Constant::Kind::Bool     ? Type::Kind::Bool
                          : c.kind == Constant::Kind::Int    ? Type::Kind::Int
                          : c.kind == Constant::Kind::Uint   ? Type::Kind::Uint
                          : c.kind == Constant::Kind::Double ? Type::Kind::Double
                                                             : Type::Kind::Null);
        n.computed = sfixed(1);
        break;
    }
    return n;
  }

  static Node synthetic_literal(Type::Kind kind) {
    Node n;
    n.cost = fixed(0);
    n.type = Type::of(kind);
    n.computed = sfixed(1);
    return n;
  }

  Node ident(std::string_view raw, Type type) {
    std::string name(raw.starts_with('.') ? raw.substr(1) : raw);
    Node n;
    n.cost = fixed(1);
    n.type = std::move(type);
    if (const Local* l = peek(name)) {
      n.path = l->path;
      n.local_size = l->size;
      n.entry = l->entry;
      n.is_accumulator_path = l->path && !l->path->empty() && (*l->path)[0] == kAccu;
    } else {
      n.path = Path{name};
    }
    return n;
  }

  Node accu(Type type) { return ident(kAccu, std::move(type)); }

  Node select(const Expr& e) {
    if (e.optional) {
      // a.?b is cel-go's call _?._(a, "b").
      Node target = cost(e.args[0]);
      Node field;
      field.cost = fixed(0);
      field.type = Type::of(Type::Kind::String);
      field.computed = sfixed(rune_count(e.name));
      return finish_call(e, "_?._", {{"select_optional_field", nullptr}}, nullptr,
                         {std::move(target), std::move(field)});
    }
    Node op = cost(e.args[0]);
    Node n;
    n.type = type_of(e);
    n.cost = op.cost;
    switch (op.type.kind) {
      case Type::Kind::Map:
      case Type::Kind::Object:
      case Type::Kind::Param:
        n.cost = n.cost + fixed(1);
        break;
      default:
        break;
    }
    Path p = op.path.value_or(Path{});
    p.push_back(e.name);
    n.path = std::move(p);
    return n;
  }

  Node list(const Expr& e) {
    Node n;
    n.type = type_of(e);
    n.expr = &e;
    CostEstimate sum = fixed(0);
    SizeEstimate item{e.args.empty() ? 0 : kMax, 0};
    for (const Expr& a : e.args) {
      Node c = cost(a);
      sum = sum + c.cost;
      item = sunion(item, size_or_unknown(c));
    }
    n.entry = EntrySize{true, sfixed(1), item};
    n.computed = sfixed(e.args.size());
    n.cost = sum + fixed(kListCreate);
    return n;
  }

  Node map(const Expr& e) {
    Node n;
    n.type = type_of(e);
    n.expr = &e;
    CostEstimate sum = fixed(0);
    const bool empty = e.args.empty();
    SizeEstimate keys{empty ? 0 : kMax, 0}, vals{empty ? 0 : kMax, 0};
    for (size_t i = 0; i + 1 < e.args.size(); i += 2) {
      Node k = cost(e.args[i]);
      Node v = cost(e.args[i + 1]);
      sum = sum + k.cost + v.cost;
      keys = sunion(keys, size_or_unknown(k));
      vals = sunion(vals, size_or_unknown(v));
    }
    n.entry = EntrySize{false, keys, vals};
    n.computed = sfixed(e.args.size() / 2);
    n.cost = sum + fixed(kMapCreate);
    return n;
  }

  Node operator_call(const Expr& e) {
    const std::string_view name = operator_function(e);
    std::vector<Node> args;
    std::vector<Type> types;
    for (const Expr& a : e.args) {
      args.push_back(cost(a));
      types.push_back(type_of(a));
    }
    std::vector<Candidate> cs;
    if (const Function* f = find_function(name)) cs = candidates(*f, false, types);
    // cel-go's ids for operators our tables name differently.
    for (Candidate& c : cs) {
      if (name == "_==_") c.id = "equals";
      if (name == "_!=_") c.id = "not_equals";
      if (name == "_&&_") c.id = "logical_and";
      if (name == "_||_") c.id = "logical_or";
      if (name == "!_") c.id = "logical_not";
      if (name == "_?_:_") c.id = "conditional";
    }
    if (cs.empty()) cs.push_back({name, nullptr});
    return finish_call(e, name, cs, nullptr, std::move(args));
  }

  Node call(const Expr& e) {
    // dyn(x): the argument's cost plus one, its sizes passed through.
    if (e.name == "dyn" && !e.has_target && e.args.size() == 1) {
      Node a = cost(e.args[0]);
      Node n;
      n.type = type_of(e);
      n.cost = a.cost + fixed(1);
      n.computed = size_of(a);
      n.entry = a.entry;
      return n;
    }
    const bool namespaced = e.qualified;
    const bool receiver = e.has_target && !namespaced;
    const size_t first = e.has_target ? 1 : 0;
    std::vector<Node> args;
    std::vector<Type> types;
    for (size_t i = first; i < e.args.size(); ++i) {
      args.push_back(cost(e.args[i]));
      types.push_back(type_of(e.args[i]));
    }
    std::optional<Node> target;
    if (receiver) {
      target = cost(e.args[0]);
      types.insert(types.begin(), type_of(e.args[0]));
    }
    std::string fname = e.name;
    if (namespaced) {
      const Function* f = e.function;
      fname = f ? f->name : e.name;
    }
    const Function* f = e.function ? e.function : find_function(fname);
    std::vector<Candidate> cs;
    if (f) cs = candidates(*f, receiver, types);
    if (cs.empty()) {
      // cel-go: a call without resolved overloads costs nothing.
      Node n;
      n.type = type_of(e);
      n.cost = fixed(0);
      return n;
    }
    return finish_call(e, fname, cs, target ? &*target : nullptr, std::move(args));
  }

  // cel-go's costCall after the arguments are costed.
  Node finish_call(const Expr& e, std::string_view function, const std::vector<Candidate>& cs,
                   const Node* target, std::vector<Node> args) {
    Node n;
    n.type = type_of(e);
    CostEstimate sum = target ? target->cost : fixed(0);
    CostEstimate fn{kMax, 0};
    std::optional<SizeEstimate> result;
    for (const Candidate& c : cs) {
      CallResult r = function_cost(function, c, target, args);
      fn = cunion(fn, r.cost);
      if (r.entry) n.entry = r.entry;
      if (r.size) result = result ? sunion(*result, *r.size) : *r.size;
      if ((c.id == "index_list" || c.id == "index_map") && !args.empty()) {
        result = args[0].entry ? std::optional(args[0].entry->val) : std::nullopt;
        Path p = args[0].path.value_or(Path{});
        p.push_back(c.id == "index_list" ? "@items" : "@values");
        n.path = std::move(p);
      }
      if (!result) result = size_of(n);
    }
    n.computed = result;
    n.cost = sum + fn;
    return n;
  }

  static CostEstimate arg_sum(const std::vector<Node>& args) {
    CostEstimate s = fixed(0);
    for (const Node& a : args) s = s + a.cost;
    return s;
  }

  std::optional<CallEstimate> kubernetes_estimate(std::string_view fn, std::string_view id,
                                                  const Node* target,
                                                  const std::vector<Node>& args) {
    auto one = [] { return CallEstimate{fixed(1), std::nullopt}; };
    auto traversal = [](SizeEstimate s) {
      return CallEstimate{factor(s, kStringTraversal), std::nullopt};
    };
    if (fn == "isSorted" || fn == "sum" || fn == "max" || fn == "min" || fn == "indexOf" ||
        fn == "lastIndexOf") {
      if (!target) return std::nullopt;
      if (target->type.kind == Type::Kind::List && !target->type.params.empty()) {
        CostEstimate el = fixed(1);
        const Type& et = target->type.params[0];
        if (et.kind == Type::Kind::String || et.kind == Type::Kind::Bytes) {
          Node item;
          item.type = et;
          if (target->path && !target->is_accumulator_path) {
            Path p = *target->path;
            p.push_back("@items");
            item.path = std::move(p);
          }
          el = el + factor(size_or_unknown(item), kStringTraversal);
        }
        return CallEstimate{times(arg_size(*target), el), std::nullopt};
      }
      if (!target->type.params.empty()) {
        return CallEstimate{times(arg_size(*target), fixed(1)), std::nullopt};
      }
      return traversal(arg_size(*target));
    }
    if (fn == "url" || fn == "jsonpatch.escapeKey") {
      if (args.size() != 1) return std::nullopt;
      const SizeEstimate s = arg_size(args[0]);
      return CallEstimate{factor(s, kStringTraversal), s};
    }
    if (fn == "lowerAscii" || fn == "upperAscii" || fn == "substring" || fn == "trim") {
      if (!target) return std::nullopt;
      const SizeEstimate s = arg_size(*target);
      return CallEstimate{factor(s, kStringTraversal), s};
    }
    if (fn == "replace") {
      if (!target || args.size() < 2) return std::nullopt;
      const SizeEstimate sz = arg_size(*target);
      const SizeEstimate from = arg_size(args[0]);
      const SizeEstimate to = arg_size(args[1]);
      SizeEstimate count{0, 0}, retained{0, 0};
      if (from.min == 0) {
        count.max = sz.max < kMax ? sz.max + 1 : sz.max;
        retained.max = sz.max;
      } else if (to.max <= from.min) {
        retained.max = sz.max;
      } else {
        count.max = static_cast<uint64_t>(
            std::ceil(static_cast<double>(sz.max) / static_cast<double>(from.min)));
      }
      if (from.max == 0) {
        count.min = sz.min < kMax ? sz.min + 1 : sz.min;
        retained.min = sz.min;
      } else if (from.max <= to.min) {
        retained.min = sz.min;
      } else {
        count.min = static_cast<uint64_t>(
            std::ceil(static_cast<double>(sz.min) / static_cast<double>(from.max)));
      }
      return CallEstimate{factor(sz, 2 * kStringTraversal), sadd(smul(count, to), retained)};
    }
    if (fn == "split") {
      if (!target) return std::nullopt;
      const SizeEstimate sz = arg_size(*target);
      uint64_t max = sz.max;
      if (args.size() > 1 && args[1].expr && args[1].expr->kind == ExprKind::Literal &&
          args[1].expr->constant.kind == Constant::Kind::Int) {
        max = static_cast<uint64_t>(args[1].expr->constant.int_value);
      }
      return CallEstimate{factor(sz, 2 * kStringTraversal), SizeEstimate{0, max}};
    }
    if (fn == "join") {
      if (!target) return std::nullopt;
      SizeEstimate sz{0, 0};
      const SizeEstimate list = arg_size(*target);
      if (!target->type.params.empty()) {
        Node item;
        item.type = target->type.params[0];
        if (target->path && !target->is_accumulator_path) {
          Path p = *target->path;
          p.push_back("@items");
          item.path = std::move(p);
        }
        sz = smul(list, size_or_unknown(item));
      }
      if (!args.empty()) {
        const SizeEstimate sep = arg_size(args[0]);
        const SizeEstimate seps{list.min > 0 ? list.min - 1 : 0, list.max > 0 ? list.max - 1 : 0};
        sz = sadd(sz, smul(sep, seps));
      }
      return CallEstimate{factor(sz, kStringTraversal), sz};
    }
    if (fn == "find" || fn == "findAll") {
      if (!target || args.empty()) return std::nullopt;
      const SizeEstimate sz = arg_size(*target);
      const CostEstimate str = factor(sadd(sz, sfixed(1)), kStringTraversal);
      const CostEstimate re = factor(arg_size(args[0]), kRegexLength);
      return CallEstimate{times(str, re), SizeEstimate{0, sz.max}};
    }
    if (fn == "cidr" || fn == "isIP" || fn == "isCIDR") {
      if (args.empty()) return std::nullopt;
      return traversal(arg_size(args[0]));
    }
    if (fn == "ip") {
      if (id == "cidr_ip") return one();
      if (args.empty()) return std::nullopt;
      return traversal(arg_size(args[0]));
    }
    if (fn == "ip.isCanonical") {
      if (args.empty()) return std::nullopt;
      return CallEstimate{factor(arg_size(args[0]), 2 * kStringTraversal), std::nullopt};
    }
    if (fn == "masked" || fn == "prefixLength" || fn == "family" || fn == "isUnspecified" ||
        fn == "isLoopback" || fn == "isLinkLocalMulticast" || fn == "isLinkLocalUnicast" ||
        fn == "isGlobalUnicast" || fn == "format.named" || fn == "sign" || fn == "asInteger" ||
        fn == "isInteger" || fn == "asApproximateFloat" || fn == "isGreaterThan" ||
        fn == "isLessThan" || fn == "compareTo" || fn == "add" || fn == "sub" || fn == "major" ||
        fn == "minor" || fn == "patch" || fn == "getScheme" || fn == "getHostname" ||
        fn == "getHost" || fn == "getPort" || fn == "getEscapedPath" || fn == "getQuery") {
      return one();
    }
    if (fn == "containsIP" || fn == "containsCIDR") {
      if (args.empty()) return std::nullopt;
      const SizeEstimate ip{4, 16};
      CostEstimate c = factor(sadd(ip, ip), kStringTraversal);
      if (fn == "containsCIDR") c = c + factor(ip, kStringTraversal) + fixed(1);
      if (id == "cidr_contains_ip_string" || id == "cidr_contains_cidr_string") {
        const SizeEstimate s = arg_size(args[0]);
        c = c + factor(CostEstimate{s.min, s.max}, kStringTraversal);
      }
      return CallEstimate{c, std::nullopt};
    }
    if (fn == "quantity" || fn == "isQuantity" || fn == "semver" || fn == "isSemver") {
      if (args.empty()) return std::nullopt;
      return traversal(arg_size(args[0]));
    }
    if (fn == "validate") {
      if (args.empty()) return std::nullopt;
      return CallEstimate{factor(factor(arg_size(args[0]), kStringTraversal), 128 * kRegexLength),
                          std::nullopt};
    }
    if (fn == "_==_" && args.size() == 2) {
      const Type& l = args[0].type;
      if (l == args[1].type) {
        const bool opaque = l.kind == Type::Kind::Opaque || l.kind == Type::Kind::Object;
        if (opaque && (l.name == "net.IP" || l.name == "net.CIDR" ||
                       l.name == "kubernetes.Quantity" || l.name == "kubernetes.Semver")) {
          return one();
        }
        if (opaque && l.name == "kubernetes.NamedFormat") {
          return CallEstimate{factor(CostEstimate{1, 64}, kStringTraversal), std::nullopt};
        }
        if (opaque && l.name == "kubernetes.URL") {
          uint64_t max = 1;
          if (auto s = size_of(args[1])) max = s->max;
          return CallEstimate{factor(CostEstimate{1, max}, kStringTraversal), std::nullopt};
        }
      }
    }
    return std::nullopt;
  }

  // cel-go's functionCost for one overload.
  CallResult function_cost(std::string_view fn, const Candidate& c, const Node* target,
                           const std::vector<Node>& args) {
    const CostEstimate argc = arg_sum(args);
    // Overload-specific estimators first (the `estimate` hooks of our tables).
    if (c.decl && c.decl->estimate) {
      std::vector<SizeEstimate> sizes;
      if (target) sizes.push_back(arg_size(*target));
      for (const Node& a : args) sizes.push_back(arg_size(a));
      const CallEstimate est = c.decl->estimate(sizes);
      return {est.cost + argc, est.result_size, std::nullopt};
    }
    // DRA's estimator: <target>.includes(<arg>) is linear in the longest attribute list.
    if (fn == "includes" && c.id == "dra_includes_dyn_dyn" && target) {
      return {times(SizeEstimate{0, kMaxAttributeValuesPerDevice}, fixed(1)) + argc, std::nullopt,
              std::nullopt};
    }
    if (auto k = kubernetes_estimate(fn, c.id, target, args)) {
      return {k->cost + argc, k->result_size, std::nullopt};
    }
    const std::string_view id = c.id;
    if (id == "string_format" && target) {
      return {factor(arg_size(*target), kStringTraversal) + argc, std::nullopt, std::nullopt};
    }
    if (id == "string_to_bytes" && args.size() == 1) {
      const SizeEstimate s = arg_size(args[0]);
      return {factor(s, kStringTraversal) + argc, SizeEstimate{s.min, mul_sat(s.max, 4)},
              std::nullopt};
    }
    if (id == "bytes_to_string" && args.size() == 1) {
      const SizeEstimate s = arg_size(args[0]);
      return {factor(s, kStringTraversal) + argc, SizeEstimate{s.min / 4, s.max}, std::nullopt};
    }
    if (id == "strings_quote" && args.size() == 1) {
      const SizeEstimate s = arg_size(args[0]);
      return {factor(s, kStringTraversal) + argc,
              SizeEstimate{add_sat(s.min, 2), add_sat(mul_sat(s.max, 2), 2)}, std::nullopt};
    }
    if ((id == "starts_with_string" || id == "ends_with_string") && args.size() == 1) {
      return {factor(arg_size(args[0]), kStringTraversal) + argc, std::nullopt, std::nullopt};
    }
    if (id == "in_list" && args.size() == 2) {
      return {factor(arg_size(args[1]), 1) + argc, std::nullopt, std::nullopt};
    }
    if (id == "matches_string" && target && args.size() == 1) {
      const CostEstimate str = factor(sadd(arg_size(*target), sfixed(1)), kStringTraversal);
      const CostEstimate re = factor(arg_size(args[0]), kRegexLength);
      return {times(str, re) + argc, std::nullopt, std::nullopt};
    }
    if (id == "contains_string" && target && args.size() == 1) {
      const CostEstimate str = factor(arg_size(*target), kStringTraversal);
      const CostEstimate sub = factor(arg_size(args[0]), kStringTraversal);
      return {times(str, sub) + argc, std::nullopt, std::nullopt};
    }
    if ((id == "logical_or" || id == "logical_and") && args.size() == 2) {
      return {CostEstimate{args[0].cost.min, (args[0].cost + args[1].cost).max}, std::nullopt,
              std::nullopt};
    }
    if (id == "conditional" && args.size() == 3) {
      const SizeEstimate s = sunion(arg_size(args[1]), arg_size(args[2]));
      return {args[0].cost + cunion(args[1].cost, args[2].cost), s,
              eunion(args[1].entry, args[2].entry)};
    }
    if ((id == "add_string" || id == "add_bytes" || id == "add_list") && args.size() == 2) {
      const SizeEstimate s = sadd(arg_size(args[0]), arg_size(args[1]));
      std::optional<EntrySize> entry = eunion(args[0].entry, args[1].entry);
      if (id == "add_list") return {fixed(1) + argc, s, entry};
      return {factor(s, kStringTraversal) + argc, s, entry};
    }
    if ((id == "less_string" || id == "greater_string" || id == "less_equals_string" ||
         id == "greater_equals_string" || id == "less_bytes" || id == "greater_bytes" ||
         id == "less_equals_bytes" || id == "greater_equals_bytes" || id == "equals" ||
         id == "not_equals") &&
        args.size() == 2) {
      const SizeEstimate l = arg_size(args[0]);
      const SizeEstimate r = arg_size(args[1]);
      const uint64_t smallest = std::min(l.max, r.max);
      return {factor(CostEstimate{smallest > 0 ? 1u : 0u, smallest}, kStringTraversal) + argc,
              std::nullopt, std::nullopt};
    }
    return {fixed(1) + argc, std::nullopt, std::nullopt};
  }

  // ---- comprehensions

  const Local* peek(const std::string& name) const {
    auto it = locals_.find(name);
    if (it == locals_.end() || it->second.empty()) return nullptr;
    return &it->second.back();
  }
  void push(const std::string& name, Local l) { locals_[name].push_back(std::move(l)); }
  void pop(const std::string& name) { locals_[name].pop_back(); }

  void push_local(const std::string& name, const Node& init) {
    push(name, Local{init.path, size_of(init), init.entry});
  }

  // pushIterSingle / pushIterKey / pushIterValue.
  void push_iter(const std::string& name, const Node& range, int which /*0 single,1 key,2 val*/) {
    bool is_list = range.entry ? range.entry->is_list : range.type.kind == Type::Kind::List;
    std::optional<SizeEstimate> size;
    std::string sub;
    if (which == 1) {
      if (range.entry) size = range.entry->key;
      sub = is_list ? "@indices" : "@keys";
    } else if (which == 2) {
      if (range.entry) size = range.entry->val;
      sub = is_list ? "@items" : "@values";
    } else {
      if (range.entry) size = is_list ? range.entry->val : range.entry->key;
      sub = is_list ? "@items" : "@keys";
    }
    Path p = range.path.value_or(Path{});
    p.push_back(sub);
    push(name, Local{std::move(p), size, std::nullopt});
  }

  // A node for the iteration variable as an identifier.
  Node var(const std::string& name, const Type& t) { return ident(name, t); }

  Node comprehension(const Expr& e, Node range, Node init, const std::function<Node()>& cond,
                     const std::function<Node()>& step, const std::function<Node()>& result) {
    CostEstimate sum = range.cost + init.cost;
    push_local(kAccu, init);
    const bool two = e.vars.size() == 2;
    if (two) {
      push_iter(e.vars[0], range, 1);
      push_iter(e.vars[1], range, 2);
    } else {
      push_iter(e.vars[0], range, 0);
    }
    const Node loop = cond();
    const Node st = step();
    pop(e.vars[0]);
    if (two) pop(e.vars[1]);
    const Node res = result();
    sum = sum + res.cost;
    pop(kAccu);
    const SizeEstimate count = size_or_unknown(range);
    sum = sum + times(count, st.cost + loop.cost);
    Node n;
    n.type = type_of(e);
    n.cost = sum;
    if (init.expr && init.expr->kind == ExprKind::Literal) {
      n.computed = size_of(init);
    } else if (init.type.kind == Type::Kind::List || init.type.kind == Type::Kind::Map) {
      n.computed = count;
      if (st.entry) n.entry = st.entry;
    }
    return n;
  }

  // A call node built from already-costed parts (macro expansions).
  Node synth_call(std::string_view fn, std::string_view id, std::vector<Node> args, Type result) {
    Expr dummy;  // only for the result type lookup, which falls back to dyn
    Node n = finish_call(dummy, fn, {{id, nullptr}}, nullptr, std::move(args));
    n.type = std::move(result);
    if (!n.computed && is_scalar(n.type)) n.computed = sfixed(1);
    return n;
  }

  Node empty_list(Type elem) {
    Node n;
    n.cost = fixed(kListCreate);
    n.type = Type::list(std::move(elem));
    n.computed = sfixed(0);
    n.entry = EntrySize{true, sfixed(1), sfixed(0)};
    n.expr = &empty_list_expr_;
    return n;
  }
  Node empty_map(Type k, Type v) {
    Node n;
    n.cost = fixed(kMapCreate);
    n.type = Type::map(std::move(k), std::move(v));
    n.computed = sfixed(0);
    n.entry = EntrySize{false, sfixed(0), sfixed(0)};
    n.expr = &empty_map_expr_;
    return n;
  }
  Node singleton_list(Node elem) {
    Node n;
    n.cost = elem.cost + fixed(kListCreate);
    n.type = Type::list(elem.type);
    n.computed = sfixed(1);
    n.entry = EntrySize{true, sfixed(1), size_or_unknown(elem)};
    return n;
  }

  // The iteration variable types of a range, as the checker gives them.
  std::pair<Type, Type> iter_types(const Type& range, bool two) {
    if (range.kind == Type::Kind::List) {
      return two ? std::pair{Type::of(Type::Kind::Int), range.params[0]}
                 : std::pair{range.params[0], Type::dyn()};
    }
    if (range.kind == Type::Kind::Map) return {range.params[0], range.params[1]};
    return {Type::dyn(), Type::dyn()};
  }

  Node macro(const Expr& e) {
    switch (e.macro) {
      case MacroKind::Has: {
        // PresenceTestHasCost(false): the operand's cost only.
        Node op = cost(e.args[0].args[0]);
        Node n;
        n.type = Type::of(Type::Kind::Bool);
        n.cost = op.cost;
        return n;
      }
      case MacroKind::Bind: {
        // costBind: the empty range, the initializer, the body.
        Node range = empty_list(Type::dyn());
        Node init = cost(e.args[0]);
        CostEstimate sum = range.cost + init.cost;
        push_local(e.vars[0], init);
        Node body = cost(e.args[1]);
        pop(e.vars[0]);
        Node n;
        n.type = type_of(e);
        n.cost = sum + body.cost;
        n.computed = size_of(body);
        n.entry = body.entry;
        return n;
      }
      case MacroKind::OptMap:
      case MacroKind::OptFlatMap:
        return opt_map(e);
      default:
        break;
    }
    Node range = cost(e.args[0]);
    const Type range_type = type_of(e.args[0]);
    const bool two = e.vars.size() == 2;
    const auto [t1_, t2_] = iter_types(range_type, two);
    // (Plain names: lambdas below use them, and clang before 16 cannot capture a binding.)
    const Type& t1 = t1_;
    const Type& t2 = t2_;
    const Type elem = two ? t2 : t1;
    const Type boolean = Type::of(Type::Kind::Bool);
    const Type integer = Type::of(Type::Kind::Int);
    const Expr& pred = e.args[1];  // the predicate or filter
    switch (e.macro) {
      case MacroKind::All:
      case MacroKind::Exists: {
        const bool all = e.macro == MacroKind::All;
        Node init = synthetic_literal(Type::Kind::Bool);
        return comprehension(
            e, range, init,
            [&] {
              Node a = accu(boolean);
              if (!all) a = synth_call("!_", "logical_not", {a}, boolean);
              return synth_call("@not_strictly_false", "not_strictly_false", {a}, boolean);
            },
            [&] {
              Node a = accu(boolean);
              Node p = cost(e.args.back());
              return synth_call(all ? "_&&_" : "_||_", all ? "logical_and" : "logical_or", {a, p},
                                boolean);
            },
            [&] { return accu(boolean); });
      }
      case MacroKind::ExistsOne: {
        Node init = synthetic_literal(Type::Kind::Int);
        return comprehension(
            e, range, init, [&] { return synthetic_literal(Type::Kind::Bool); },
            [&] {
              Node p = cost(e.args.back());
              Node inc = synth_call("_+_", "add_int64",
                                    {accu(integer), synthetic_literal(Type::Kind::Int)}, integer);
              return synth_call("_?_:_", "conditional", {p, inc, accu(integer)}, integer);
            },
            [&] {
              return synth_call("_==_", "equals",
                                {accu(integer), synthetic_literal(Type::Kind::Int)}, boolean);
            });
      }
      case MacroKind::Map:
      case MacroKind::Filter:
      case MacroKind::TransformList: {
        const Type result = type_of(e);
        const Type item = result.kind == Type::Kind::List ? result.params[0] : Type::dyn();
        Node init = empty_list(item);
        const bool filtered = e.macro == MacroKind::Filter || e.args.size() == 3;
        return comprehension(
            e, range, init, [&] { return synthetic_literal(Type::Kind::Bool); },
            [&] {
              std::optional<Node> p;
              if (filtered) p = cost(pred);
              Node value =
                  e.macro == MacroKind::Filter ? var(e.vars[0], elem) : cost(e.args.back());
              Node step =
                  synth_call("_+_", "add_list", {accu(result), singleton_list(value)}, result);
              if (!filtered) return step;
              return synth_call("_?_:_", "conditional", {*p, step, accu(result)}, result);
            },
            [&] { return accu(result); });
      }
      case MacroKind::TransformMap:
      case MacroKind::TransformMapEntry: {
        const Type result = type_of(e);
        Node init = result.kind == Type::Kind::Map ? empty_map(result.params[0], result.params[1])
                                                   : empty_map(Type::dyn(), Type::dyn());
        const bool filtered = e.args.size() == 3;
        return comprehension(
            e, range, init, [&] { return synthetic_literal(Type::Kind::Bool); },
            [&] {
              std::optional<Node> p;
              if (filtered) p = cost(e.args[1]);
              std::vector<Node> ins{accu(result)};
              if (e.macro == MacroKind::TransformMap) ins.push_back(var(e.vars[0], t1));
              ins.push_back(cost(e.args.back()));
              Node step = synth_call("cel.@mapInsert", "cel_mapInsert", std::move(ins), result);
              if (!filtered) return step;
              return synth_call("_?_:_", "conditional", {*p, step, accu(result)}, result);
            },
            [&] { return accu(result); });
      }
      default:
        return range;
    }
  }

  // x.optMap(v, f) is `x.hasValue() ? optional.of(bind(v, x.value(), f)) : optional.none()`;
  // optFlatMap without the optional.of.
  Node opt_map(const Expr& e) {
    const Type boolean = Type::of(Type::Kind::Bool);
    const Type target_type = type_of(e.args[0]);
    const Type inner =
        target_type.kind == Type::Kind::Optional ? target_type.params[0] : Type::dyn();
    Node t1 = cost(e.args[0]);
    Node has = synth_call("hasValue", "optional_hasValue", {}, boolean);
    has.cost = has.cost + t1.cost;  // receiver cost
    Node t2 = cost(e.args[0]);
    Node value = synth_call("value", "optional_value", {}, inner);
    value.cost = value.cost + t2.cost;
    Node range = empty_list(Type::dyn());
    push_local(e.vars[0], value);
    Node body = cost(e.args[1]);
    pop(e.vars[0]);
    Node bind;
    bind.type = body.type;
    bind.cost = range.cost + value.cost + body.cost;
    bind.computed = size_of(body);
    bind.entry = body.entry;
    Node some = e.macro == MacroKind::OptMap
                    ? synth_call("optional.of", "optional_of", {bind}, type_of(e))
                    : bind;
    Node none = synth_call("optional.none", "optional_none", {}, type_of(e));
    Node n = synth_call("_?_:_", "conditional", {has, some, none}, type_of(e));
    return n;
  }

  const CheckResult& checked_;
  std::map<std::string, std::vector<Local>> locals_;
  static Expr of_kind(ExprKind k) {
    Expr e;
    e.kind = k;
    return e;
  }
  Expr empty_list_expr_ = of_kind(ExprKind::List);
  Expr empty_map_expr_ = of_kind(ExprKind::Map);
};

// Kubernetes' actualSize: the size of sizers, 1 otherwise.
uint64_t k8s_size(const Value& v) {
  switch (v.kind()) {
    case ValueKind::String:
    case ValueKind::Bytes:
    case ValueKind::List:
    case ValueKind::Map:
      return actual_size(v);
    default:
      return 1;
  }
}

// The code points of UTF-8 text: its bytes less its continuation bytes (10xxxxxx), eight
// at a time.
uint64_t code_points(std::string_view s) {
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  uint64_t continuation = 0;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    continuation += static_cast<uint64_t>(std::popcount(w & ~(w << 1) & kHigh));
  }
  for (; i < s.size(); ++i) continuation += (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80;
  return s.size() - continuation;
}

uint64_t ceil_factor(uint64_t n, double f) {
  return static_cast<uint64_t>(std::ceil(static_cast<double>(n) * f));
}

}  // namespace

// apiserver library/cost.go traversalCost.
uint64_t traversal_cost(const Value& v) {
  switch (v.kind()) {
    case ValueKind::String:
      return static_cast<uint64_t>(static_cast<double>(v.string_value().size()) * kStringTraversal);
    case ValueKind::Bytes:
      return static_cast<uint64_t>(static_cast<double>(v.bytes_value().size()) * kStringTraversal);
    case ValueKind::List: {
      uint64_t c = 0;
      for (const Value& e : v.list_value()) c += traversal_cost(e);
      return c;
    }
    case ValueKind::Map: {
      uint64_t c = 0;
      for (const auto& [k, e] : v.map_value().entries) c += traversal_cost(k) + traversal_cost(e);
      return c;
    }
    default:
      return 1;
  }
}

uint64_t actual_size(const Value& v) {
  switch (v.kind()) {
    case ValueKind::String:
      return code_points(v.string_value());
    case ValueKind::Bytes:
      return v.bytes_value().size();
    case ValueKind::List:
      return v.list_value().size();
    case ValueKind::Map:
      return v.map_value().entries.size();
    case ValueKind::Optional:
      return v.optional_value() ? actual_size(*v.optional_value()) : 1;
    default:
      return 1;
  }
}

namespace {

// Kubernetes' CallCost rules (apiserver library/cost.go), by function name.
std::optional<CallCostRule> kubernetes_rule(std::string_view fn, std::string_view id) {
  using R = CallCostRule;
  if (fn == "isSorted" || fn == "sum" || fn == "max" || fn == "min" || fn == "indexOf" ||
      fn == "lastIndexOf") {
    return R::Traversal;
  }
  if (fn == "url" || fn == "lowerAscii" || fn == "upperAscii" || fn == "substring" ||
      fn == "trim" || fn == "jsonpatch.escapeKey" || fn == "cidr" || fn == "isIP" ||
      fn == "isCIDR" || fn == "quantity" || fn == "isQuantity" || fn == "semver" ||
      fn == "isSemver") {
    return R::Size;
  }
  if (fn == "replace" || fn == "split") return R::SizeTwice;
  if (fn == "join") return R::ResultSizeTwice;
  if (fn == "find" || fn == "findAll") return R::Regex;
  if (fn == "ip") return id == "cidr_ip" ? R::One : R::Size;
  if (fn == "ip.isCanonical") return R::SizeTwice;
  if (fn == "containsIP")
    return id == "cidr_contains_ip_string" ? R::ContainsIPString : R::ContainsIP;
  if (fn == "containsCIDR") {
    return id == "cidr_contains_cidr_string" ? R::ContainsCIDRString : R::ContainsCIDR;
  }
  if (fn == "masked" || fn == "prefixLength" || fn == "family" || fn == "isUnspecified" ||
      fn == "isLoopback" || fn == "isLinkLocalMulticast" || fn == "isLinkLocalUnicast" ||
      fn == "isGlobalUnicast" || fn == "format.named" || fn == "sign" || fn == "asInteger" ||
      fn == "isInteger" || fn == "asApproximateFloat" || fn == "isGreaterThan" ||
      fn == "isLessThan" || fn == "compareTo" || fn == "add" || fn == "sub" || fn == "major" ||
      fn == "minor" || fn == "patch" || fn == "getScheme" || fn == "getHostname" ||
      fn == "getHost" || fn == "getPort" || fn == "getEscapedPath" || fn == "getQuery") {
    return R::One;
  }
  return std::nullopt;
}

}  // namespace

CallCostRule call_cost_rule(std::string_view fn, std::string_view id) {
  using R = CallCostRule;
  if (auto k = kubernetes_rule(fn, id)) return *k;
  const bool comparison = id == "less_string" || id == "greater_string" ||
                          id == "less_equals_string" || id == "greater_equals_string" ||
                          id == "less_bytes" || id == "greater_bytes" ||
                          id == "less_equals_bytes" || id == "greater_equals_bytes" ||
                          id == "equals" || id == "not_equals";
  // Kubernetes charges 1 for == on its own types before cel-go's rule applies.
  if (fn == "_==_") return id == "equals" ? R::Equals : R::EqualsLibraryOrOne;
  if (comparison) return R::Comparison;
  if (id == "starts_with_string" || id == "ends_with_string" || id == "string_to_bytes" ||
      id == "bytes_to_string" || id == "strings_quote" || id == "string_format") {
    return R::Traverse;
  }
  if (id == "in_list") return R::InList;
  if (id == "add_string" || id == "add_bytes") return R::Concat;
  if (id == "matches_string") return R::Matches;
  if (id == "contains_string") return R::Contains;
  return R::One;
}

namespace {

// The code points of s, counting no further than `limit`.
uint64_t code_points_up_to(std::string_view s, uint64_t limit) {
  if (limit >= s.size()) return code_points(s);
  uint64_t n = 0;
  for (size_t i = 0; i < s.size() && n < limit; ++i)
    n += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
  return n;
}

// min(actual_size(a), actual_size(b)), counting the code points of the shorter string first
// and of the longer one only up to that.
uint64_t smaller_size(const Value& a, const Value& b) {
  if (a.kind() != ValueKind::String || b.kind() != ValueKind::String)
    return std::min(actual_size(a), actual_size(b));
  std::string_view x = a.string_value(), y = b.string_value();
  if (x.size() > y.size()) std::swap(x, y);
  const uint64_t shorter = code_points_up_to(x, x.size());
  return code_points_up_to(y, shorter);
}

// The cost of one call under `rule`; arg(i) is the i-th of n arguments.
template <typename Arg>
uint64_t rule_cost(CallCostRule rule, size_t n, Arg arg, const Value& result) {
  using R = CallCostRule;
  switch (rule) {
    case R::One:
      return 1;
    case R::Traversal:
      return n == 0 ? 0 : traversal_cost(arg(0));
    case R::Size:
      return n == 0 ? 1 : ceil_factor(k8s_size(arg(0)), kStringTraversal);
    case R::SizeTwice:
      return n == 0 ? 1 : ceil_factor(k8s_size(arg(0)), 2 * kStringTraversal);
    case R::ResultSizeTwice:
      return n == 0 ? 1 : ceil_factor(k8s_size(result), 2 * kStringTraversal);
    case R::Regex: {
      if (n < 2) return 1;
      const uint64_t str = static_cast<uint64_t>(
          std::ceil((1.0 + static_cast<double>(k8s_size(arg(0)))) * kStringTraversal));
      return str * ceil_factor(k8s_size(arg(1)), kRegexLength);
    }
    case R::ContainsIP:
    case R::ContainsIPString:
    case R::ContainsCIDR:
    case R::ContainsCIDRString: {
      if (n < 2) return 1;
      const uint64_t cidr = k8s_size(arg(0));
      uint64_t c = ceil_factor(cidr + cidr, kStringTraversal);
      if (rule == R::ContainsCIDR || rule == R::ContainsCIDRString)
        c += ceil_factor(cidr, kStringTraversal) + 1;
      if (rule == R::ContainsIPString || rule == R::ContainsCIDRString)
        c += ceil_factor(k8s_size(arg(1)), kStringTraversal);
      return c;
    }
    case R::Equals:
    case R::EqualsLibraryOrOne:
      if (n == 2) {
        const ValueKind k = arg(0).kind();
        if (k == ValueKind::Quantity || k == ValueKind::Semver || k == ValueKind::Opaque) return 1;
      }
      if (rule == R::EqualsLibraryOrOne) return 1;
      [[fallthrough]];
    case R::Comparison:
      if (n != 2) return 1;
      return ceil_factor(smaller_size(arg(0), arg(1)), kStringTraversal);
    case R::Traverse:
      return n == 0 ? 1 : ceil_factor(actual_size(arg(0)), kStringTraversal);
    case R::InList:
      return n == 2 ? actual_size(arg(1)) : 1;
    case R::Concat:
      return n == 2 ? ceil_factor(actual_size(arg(0)) + actual_size(arg(1)), kStringTraversal) : 1;
    case R::Matches: {
      if (n != 2) return 1;
      const uint64_t str = static_cast<uint64_t>(
          std::ceil((1.0 + static_cast<double>(actual_size(arg(0)))) * kStringTraversal));
      return str * ceil_factor(actual_size(arg(1)), kRegexLength);
    }
    case R::Contains:
      return n == 2 ? ceil_factor(actual_size(arg(0)), kStringTraversal) *
                          ceil_factor(actual_size(arg(1)), kStringTraversal)
                    : 1;
  }
  return 1;
}

}  // namespace

uint64_t call_cost(CallCostRule rule, std::span<const Value> args, const Value& result) {
  return rule_cost(
      rule, args.size(), [&](size_t i) -> const Value& { return args[i]; }, result);
}

uint64_t call_cost(CallCostRule rule, const Value& a, const Value& b, const Value& result) {
  return rule_cost(
      rule, 2, [&](size_t i) -> const Value& { return i == 0 ? a : b; }, result);
}

uint64_t default_call_cost(std::string_view fn, std::string_view id, std::span<const Value> args,
                           const Value& result) {
  return call_cost(call_cost_rule(fn, id), args, result);
}

std::string planned_overload_id(const Expr& e, const CheckResult& checked) {
  auto type_of = [&](const Expr& a) {
    auto it = checked.types.find(&a);
    return it == checked.types.end() ? Type::dyn() : it->second;
  };
  const Function* f = nullptr;
  bool receiver = false;
  size_t first = 0;
  if (e.kind == ExprKind::Call) {
    f = e.function ? e.function : find_function(e.name);
    receiver = e.has_target && !e.qualified;
    first = e.qualified ? 1 : 0;
  } else if (e.kind == ExprKind::Unary || e.kind == ExprKind::Binary) {
    if (e.op == Op::Eq) return "equals";
    if (e.op == Op::Ne) return "not_equals";
    if (e.op == Op::Not) return "logical_not";
    f = find_function(operator_function(e));
  }
  if (!f) return {};
  std::vector<Type> types;
  for (size_t i = first; i < e.args.size(); ++i) types.push_back(type_of(e.args[i]));
  const std::vector<Candidate> cs = candidates(*f, receiver, types);
  return cs.size() == 1 ? std::string(cs[0].id) : std::string();
}

CostEstimate estimate_cost(const Expr& expr, const CheckResult& checked) {
  Coster c(checked);
  return c.cost(expr).cost;
}

CostEstimate estimate_cost(const Program& program) {
  return estimate_cost(program.ast(), program.checked());
}

}  // namespace dra::selectors
