// src/selectors/eval.cpp -- the tree-walking CEL evaluator.
// Semantics follow cel-spec doc/langdef.md as cel-go implements them for `dyn` values
// (the version Kubernetes pins, spec/cel.md §0); error texts are cel-go's.
#include "selectors/eval.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <utility>

#include "selectors/cost.hpp"
#include "selectors/lib_regex.hpp"
#include "selectors/lib_time.hpp"
#include "selectors/library.hpp"
#include "selectors/types.hpp"

namespace dra::selectors {

void Activation::bind(std::string name, Value value) {
  for (auto& [n, v] : vars_) {
    if (n == name) {
      v = std::move(value);
      return;
    }
  }
  vars_.emplace_back(std::move(name), std::move(value));
}

const Value* Activation::find(std::string_view name) const {
  for (const auto& [n, v] : vars_) {
    if (n == name) return &v;
  }
  return nullptr;
}

std::string format_double(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));  // -1.2345e+06
  const size_t e = sci.find('e');
  std::string digits;
  bool negative = false;
  for (char c : sci.substr(0, e)) {
    if (c == '-')
      negative = true;
    else if (c != '.')
      digits += c;
  }
  const int exp = std::atoi(std::string(sci.substr(e + 1)).c_str());
  const int nd = static_cast<int>(digits.size());
  const int dp = exp + 1;
  std::string out = negative ? "-" : "";
  // Shortest 'g': exponent form when exp < -4 or exp >= 6 (Go uses precision 6 here).
  if (exp < -4 || exp >= 6) {
    out += digits[0];
    if (nd > 1) out += "." + digits.substr(1);
    out += exp < 0 ? "e-" : "e+";
    const int a = std::abs(exp);
    if (a < 10) out += '0';
    out += std::to_string(a);
    return out;
  }
  if (dp <= 0) {
    out += "0." + std::string(static_cast<size_t>(-dp), '0') + digits;
  } else if (dp >= nd) {
    out += digits + std::string(static_cast<size_t>(dp - nd), '0');
  } else {
    out += digits.substr(0, static_cast<size_t>(dp)) + "." + digits.substr(static_cast<size_t>(dp));
  }
  return out;
}

namespace {

const char kNoSuchOverload[] = "no such overload";
const char kCostExceeded[] = "operation cancelled: actual cost limit exceeded";

Value no_overload() { return Value::error(kNoSuchOverload); }

bool is_bool(const Value& v) { return v.kind() == ValueKind::Bool; }
bool is_number(const Value& v) {
  const ValueKind k = v.kind();
  return k == ValueKind::Int || k == ValueKind::Uint || k == ValueKind::Double;
}

// Go's %v of a map key, as cel-go's "no such key: %v" prints it.
std::string key_text(const Value& k) {
  switch (k.kind()) {
    case ValueKind::String:
      return k.string_value();
    case ValueKind::Int:
      return std::to_string(k.int_value());
    case ValueKind::Uint:
      return std::to_string(k.uint_value());
    case ValueKind::Bool:
      return k.bool_value() ? "true" : "false";
    case ValueKind::Double:
      return format_double(k.double_value());
    default:
      return to_debug_string(k);
  }
}

// The Go type cel-go names in "got '%T', expected iterable type".
std::string_view go_type_name(ValueKind k) {
  switch (k) {
    case ValueKind::Null:
      return "types.Null";
    case ValueKind::Bool:
      return "types.Bool";
    case ValueKind::Int:
      return "types.Int";
    case ValueKind::Uint:
      return "types.Uint";
    case ValueKind::Double:
      return "types.Double";
    case ValueKind::String:
      return "types.String";
    case ValueKind::Bytes:
      return "types.Bytes";
    case ValueKind::Type:
      return "*types.Type";
    case ValueKind::Optional:
      return "*types.Optional";
    case ValueKind::Quantity:
      return "cel.Quantity";
    case ValueKind::Semver:
      return "cel.Semver";
    case ValueKind::Duration:
      return "types.Duration";
    case ValueKind::Timestamp:
      return "types.Timestamp";
    default:
      return "unknown";
  }
}

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t j = 1; j < len; ++j) {
      const auto d = static_cast<unsigned char>(s[i + j]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

// ---- conversions (cel-go common/types: ConvertToType), errors as cel-go words them

// cel-go v0.27 drops the strconv detail: "type conversion error from 'string' to 'int'".
Value conversion_error(std::string_view to) {
  return Value::error(fmt::format("type conversion error from 'string' to '{}'", to));
}

Value to_int(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Int:
      return v;
    case ValueKind::Uint:
      if (v.uint_value() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return Value::error("integer overflow");
      return Value::integer(static_cast<int64_t>(v.uint_value()));
    case ValueKind::Double: {
      const double d = v.double_value();
      if (!(d > -9223372036854775809.0 && d < 9223372036854775808.0))
        return Value::error("integer overflow");
      return Value::integer(static_cast<int64_t>(d));
    }
    case ValueKind::String: {
      const std::string& s = v.string_value();
      int64_t n = 0;
      const char* b = s.data();
      const char* e = b + s.size();
      if (b != e && *b == '+') ++b;
      auto r = std::from_chars(b, e, n);
      if (r.ec == std::errc::result_out_of_range) return conversion_error("int");
      if (b == e || r.ec != std::errc() || r.ptr != e) return conversion_error("int");
      return Value::integer(n);
    }
    default:
      return no_overload();
  }
}

Value to_uint(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Uint:
      return v;
    case ValueKind::Int:
      if (v.int_value() < 0) return Value::error("unsigned integer overflow");
      return Value::uinteger(static_cast<uint64_t>(v.int_value()));
    case ValueKind::Double: {
      const double d = v.double_value();
      if (!(d > -1.0 && d < 18446744073709551616.0))
        return Value::error("unsigned integer overflow");
      return Value::uinteger(static_cast<uint64_t>(d));
    }
    case ValueKind::String: {
      const std::string& s = v.string_value();
      uint64_t n = 0;
      auto r = std::from_chars(s.data(), s.data() + s.size(), n);
      if (r.ec == std::errc::result_out_of_range) return conversion_error("uint");
      if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size())
        return conversion_error("uint");
      return Value::uinteger(n);
    }
    default:
      return no_overload();
  }
}

Value to_double(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Double:
      return v;
    case ValueKind::Int:
      return Value::dbl(static_cast<double>(v.int_value()));
    case ValueKind::Uint:
      return Value::dbl(static_cast<double>(v.uint_value()));
    case ValueKind::String: {
      const std::string& s = v.string_value();
      // Go's ParseFloat: decimal or special forms, no surrounding space.
      std::string lower;
      for (char c : s) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      std::string_view body = lower;
      const bool neg = !body.empty() && body[0] == '-';
      if (!body.empty() && (body[0] == '-' || body[0] == '+')) body.remove_prefix(1);
      if (body == "inf" || body == "infinity")
        return Value::dbl(neg ? -std::numeric_limits<double>::infinity()
                              : std::numeric_limits<double>::infinity());
      if (body == "nan") return Value::dbl(std::numeric_limits<double>::quiet_NaN());
      const char* b = s.data();
      const char* e = b + s.size();
      if (b != e && *b == '+') ++b;
      double d = 0;
      auto r = std::from_chars(b, e, d);
      if (b == e || r.ptr != e || (r.ec != std::errc() && r.ec != std::errc::result_out_of_range))
        return conversion_error("double");
      if (r.ec == std::errc::result_out_of_range) return conversion_error("double");
      return Value::dbl(d);
    }
    default:
      return no_overload();
  }
}

Value to_string(const Value& v) {
  switch (v.kind()) {
    case ValueKind::String:
      return v;
    case ValueKind::Bool:
      return Value::string(v.bool_value() ? "true" : "false");
    case ValueKind::Int:
      return Value::string(std::to_string(v.int_value()));
    case ValueKind::Uint:
      return Value::string(std::to_string(v.uint_value()));
    case ValueKind::Double:
      return Value::string(format_double(v.double_value()));
    case ValueKind::Bytes:
      if (!valid_utf8(v.bytes_value()))
        return Value::error("invalid UTF-8 in bytes, cannot convert to string");
      return Value::string(v.bytes_value());
    default:
      return no_overload();
  }
}

Value to_bytes(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Bytes:
      return v;
    case ValueKind::String:
      return Value::bytes(v.string_value());
    default:
      return no_overload();
  }
}

Value to_bool(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Bool:
      return v;
    case ValueKind::String: {
      // Go's strconv.ParseBool spellings.
      const std::string& s = v.string_value();
      if (s == "1" || s == "t" || s == "T" || s == "true" || s == "TRUE" || s == "True")
        return Value::boolean(true);
      if (s == "0" || s == "f" || s == "F" || s == "false" || s == "FALSE" || s == "False")
        return Value::boolean(false);
      return conversion_error("bool");
    }
    default:
      return no_overload();
  }
}

// ---- arithmetic (cel-go common/types/overflow.go)

Value arith(Op op, const Value& a, const Value& b) {
  if (is_time_kind(a) || is_time_kind(b)) {
    if (op == Op::Add) return time_add(a, b);
    if (op == Op::Sub) return time_subtract(a, b);
    return no_overload();
  }
  if (a.kind() != b.kind()) return no_overload();
  switch (a.kind()) {
    case ValueKind::Int: {
      const int64_t x = a.int_value(), y = b.int_value();
      int64_t r = 0;
      switch (op) {
        case Op::Add:
          if (__builtin_add_overflow(x, y, &r)) return Value::error("integer overflow");
          return Value::integer(r);
        case Op::Sub:
          if (__builtin_sub_overflow(x, y, &r)) return Value::error("integer overflow");
          return Value::integer(r);
        case Op::Mul:
          if (__builtin_mul_overflow(x, y, &r)) return Value::error("integer overflow");
          return Value::integer(r);
        case Op::Div:
          if (y == 0) return Value::error("division by zero");
          if (x == std::numeric_limits<int64_t>::min() && y == -1)
            return Value::error("integer overflow");
          return Value::integer(x / y);
        case Op::Mod:
          if (y == 0) return Value::error("modulus by zero");
          if (x == std::numeric_limits<int64_t>::min() && y == -1)
            return Value::error("integer overflow");
          return Value::integer(x % y);
        default:
          return no_overload();
      }
    }
    case ValueKind::Uint: {
      const uint64_t x = a.uint_value(), y = b.uint_value();
      uint64_t r = 0;
      switch (op) {
        case Op::Add:
          if (__builtin_add_overflow(x, y, &r)) return Value::error("unsigned integer overflow");
          return Value::uinteger(r);
        case Op::Sub:
          if (__builtin_sub_overflow(x, y, &r)) return Value::error("unsigned integer overflow");
          return Value::uinteger(r);
        case Op::Mul:
          if (__builtin_mul_overflow(x, y, &r)) return Value::error("unsigned integer overflow");
          return Value::uinteger(r);
        case Op::Div:
          if (y == 0) return Value::error("division by zero");
          return Value::uinteger(x / y);
        case Op::Mod:
          if (y == 0) return Value::error("modulus by zero");
          return Value::uinteger(x % y);
        default:
          return no_overload();
      }
    }
    case ValueKind::Double: {
      const double x = a.double_value(), y = b.double_value();
      switch (op) {
        case Op::Add:
          return Value::dbl(x + y);
        case Op::Sub:
          return Value::dbl(x - y);
        case Op::Mul:
          return Value::dbl(x * y);
        case Op::Div:
          return Value::dbl(x / y);  // IEEE: 1.0 / 0.0 is +Inf
        default:
          return no_overload();
      }
    }
    case ValueKind::String:
      if (op != Op::Add) return no_overload();
      return Value::string(a.string_value() + b.string_value());
    case ValueKind::Bytes:
      if (op != Op::Add) return no_overload();
      return Value::bytes(a.bytes_value() + b.bytes_value());
    case ValueKind::List: {
      if (op != Op::Add) return no_overload();
      if (b.list_value().empty()) return a;
      if (a.list_value().empty()) return b;
      ListPayload items = a.list_value();
      items.insert(items.end(), b.list_value().begin(), b.list_value().end());
      return Value::list(std::move(items));
    }
    default:
      return no_overload();
  }
}

Value order(Op op, const Value& a, const Value& b) {
  int c;  // -1, 0, 1; 2 unordered (NaN)
  if (is_number(a) && is_number(b)) {
    c = compare_numeric(a, b);
  } else if (is_time_kind(a)) {
    c = time_compare(a, b);
    if (c == 3) return no_overload();
  } else if (a.kind() != b.kind()) {
    return no_overload();
  } else {
    switch (a.kind()) {
      case ValueKind::Bool:
        c = int(a.bool_value()) - int(b.bool_value());
        break;
      case ValueKind::String: {
        const int r = a.string_value().compare(b.string_value());
        c = r < 0 ? -1 : r > 0;
        break;
      }
      case ValueKind::Bytes: {
        const int r = a.bytes_value().compare(b.bytes_value());
        c = r < 0 ? -1 : r > 0;
        break;
      }
      default:
        return no_overload();
    }
  }
  if (c == 2) return Value::error("NaN values cannot be ordered");
  switch (op) {
    case Op::Lt:
      return Value::boolean(c < 0);
    case Op::Le:
      return Value::boolean(c <= 0);
    case Op::Gt:
      return Value::boolean(c > 0);
    default:
      return Value::boolean(c >= 0);
  }
}

bool valid_key(const Value& k) {
  const ValueKind kk = k.kind();
  return kk == ValueKind::Bool || kk == ValueKind::Int || kk == ValueKind::Uint ||
         kk == ValueKind::String;
}

// container[key] without optional semantics; `present` is cleared for a missing key or
// index (the caller decides between an error and optional.none()).
Value index_value(const Value& c, const Value& key, bool* missing) {
  if (c.kind() == ValueKind::List) {
    const ListPayload& l = c.list_value();
    int64_t i;
    switch (key.kind()) {
      case ValueKind::Int:
        i = key.int_value();
        break;
      case ValueKind::Uint:
        if (key.uint_value() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
          return Value::error("unsupported index value " + key_text(key) + " in list");
        i = static_cast<int64_t>(key.uint_value());
        break;
      case ValueKind::Double: {
        const double d = key.double_value();
        if (!(d > -9223372036854775809.0 && d < 9223372036854775808.0) || d != std::trunc(d))
          return Value::error("unsupported index value " + key_text(key) + " in list");
        i = static_cast<int64_t>(d);
        break;
      }
      default:
        return Value::error(
            fmt::format("unsupported index type '{}' in list", type_name(key.kind())));
    }
    if (i < 0 || static_cast<uint64_t>(i) >= l.size()) {
      *missing = true;
      return Value::error(fmt::format("index '{}' out of range in list size '{}'", i, l.size()));
    }
    return l[static_cast<size_t>(i)];
  }
  if (c.kind() == ValueKind::Map) {
    const MapPayload& m = c.map_value();
    if (!valid_key(key) && key.kind() != ValueKind::Double) return no_overload();
    if (const Value* v = m.find(key)) return *v;
    if (m.absent_is_empty_map) return Value::map({});
    *missing = true;
    return Value::error("no such key: " + key_text(key));
  }
  return no_overload();
}

// What cel-go's planner makes a constant under OptOptimize (Kubernetes' setting): literals,
// list and map literals of constants, type conversions of constants. They cost nothing.
bool is_constant(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Literal:
      return true;
    case ExprKind::List:
    case ExprKind::Map:
      for (const Expr& a : e.args) {
        if (!is_constant(a)) return false;
      }
      return true;
    case ExprKind::Call: {
      static constexpr std::string_view kConversions[] = {"bool", "bytes", "double", "duration",
                                                          "dyn",  "int",   "string", "timestamp",
                                                          "type", "uint"};
      if (e.has_target || e.args.size() != 1 || !is_constant(e.args[0])) return false;
      for (std::string_view c : kConversions) {
        if (e.name == c) return true;
      }
      return false;
    }
    default:
      return false;
  }
}

// Whether cel-go plans the node as an attribute (a variable with qualifiers, a
// conditional), whose cost is observed once for the whole chain.
bool is_attribute(const Expr& e) {
  return e.kind == ExprKind::Ident || e.kind == ExprKind::Select || e.kind == ExprKind::Index ||
         e.kind == ExprKind::Conditional;
}

// cel-go's overload ids for operators our evaluator implements, chosen by the runtime
// operand kinds (used when no checker result tells the planned id).
std::string runtime_operator_id(Op op, const Value& a, const Value& b) {
  const ValueKind ka = a.kind();
  const ValueKind kb = b.kind();
  const bool strings = ka == ValueKind::String && kb == ValueKind::String;
  const bool bytes = ka == ValueKind::Bytes && kb == ValueKind::Bytes;
  const char* suffix = strings ? "string" : bytes ? "bytes" : nullptr;
  switch (op) {
    case Op::Eq:
      return "equals";
    case Op::Ne:
      return "not_equals";
    case Op::Add:
      if (suffix) return std::string("add_") + suffix;
      if (ka == ValueKind::List && kb == ValueKind::List) return "add_list";
      return "add";
    case Op::Lt:
      return suffix ? std::string("less_") + suffix : "less";
    case Op::Le:
      return suffix ? std::string("less_equals_") + suffix : "less_equals";
    case Op::Gt:
      return suffix ? std::string("greater_") + suffix : "greater";
    case Op::Ge:
      return suffix ? std::string("greater_equals_") + suffix : "greater_equals";
    case Op::In:
      return kb == ValueKind::List ? "in_list" : kb == ValueKind::Map ? "in_map" : "in";
    default:
      return "";
  }
}

}  // namespace

// ---- the evaluator proper

// The evaluated arguments of one call: inline for up to four (nearly every call), so a
// call allocates nothing.
class Args {
 public:
  explicit Args(size_t n) {
    if (n > kInline) heap_.reserve(n);
  }
  void push_back(Value v) {
    if (heap_.capacity() == 0 && size_ < kInline) {
      inline_[size_++] = std::move(v);
    } else {
      heap_.push_back(std::move(v));
      ++size_;
    }
  }
  size_t size() const { return size_; }
  Value& back() { return heap_.capacity() ? heap_.back() : inline_[size_ - 1]; }
  const Value& operator[](size_t i) const { return heap_.capacity() ? heap_[i] : inline_[i]; }
  operator std::span<const Value>() const {
    return heap_.capacity() ? std::span<const Value>(heap_)
                            : std::span<const Value>(inline_.data(), size_);
  }

 private:
  static constexpr size_t kInline = 4;
  std::array<Value, kInline> inline_;
  std::vector<Value> heap_;
  size_t size_ = 0;
};

struct EvalState {
  const Evaluator& ev;
  const Activation& act;
  uint64_t limit;
  uint64_t cost = 0;
  bool exhausted = false;
  // Set while evaluating a node whose attribute chain cel-go resolves without observing
  // its root (a conditional's branch, a has() operand, an attribute used as an index).
  bool root_free = false;
  std::vector<std::pair<const Expr*, Value>>* trace = nullptr;  // EvalOptions::trace
  int in_macro = 0;
  std::vector<std::pair<std::string_view, Value>> locals{};  // innermost last

  // Adds to the actual cost; past the limit the evaluation is cancelled.
  void charge(uint64_t n) {
    if (exhausted) return;
    cost = n > std::numeric_limits<uint64_t>::max() - cost ? std::numeric_limits<uint64_t>::max()
                                                           : cost + n;
    if (cost > limit) exhausted = true;
  }
  Value budget_error() const { return Value::error(kCostExceeded); }

  // The cost rule of a call node of a checked tree (planned from its overload id), or
  // nullptr in an unchecked tree.
  const CallCostRule* planned_rule(const Expr& e) const {
    if (ev.have_overload_ids_ && e.id != 0 && e.id < ev.cost_rules_.size())
      return &ev.cost_rules_[e.id];
    return nullptr;
  }

  // Charges one call as cel-go's cost tracker does.
  void charge_call(const Expr& e, std::string_view function, const Overload* o,
                   std::span<const Value> args, const Value& result) {
    if (o && o->decl->cost) {
      charge(o->decl->cost(args, result));
    } else if (const CallCostRule* r = planned_rule(e)) {
      charge(call_cost(*r, args, result));
    } else {
      charge(default_call_cost(function, o ? std::string_view(o->decl->id) : "", args, result));
    }
  }

  bool is_local(std::string_view name) const {
    for (const auto& [n, v] : locals) {
      if (n == name) return true;
    }
    return false;
  }

  const Value* lookup(std::string_view name) const {
    for (auto it = locals.rbegin(); it != locals.rend(); ++it) {
      if (it->first == name) return &it->second;
    }
    return act.find(name);
  }

  Value eval(const Expr& e) {
    if (!trace || in_macro > 0) return eval_node(e);
    Value v = eval_node(e);
    trace->push_back({&e, v});
    return v;
  }

  Value eval_node(const Expr& e) {
    const bool free = std::exchange(root_free, false);
    if (exhausted) return budget_error();
    switch (e.kind) {
      case ExprKind::Literal:
        if (e.id != 0 && e.id < ev.constants_.size()) return ev.constants_[e.id];
        return literal(e.constant);
      case ExprKind::Ident:
        return ident(e, free);
      case ExprKind::Select:
      case ExprKind::Index: {
        if (!is_chain(e)) return e.kind == ExprKind::Select ? select(e, free) : index(e, free);
        Value scratch;
        const Value& v = walk_chain(e, free, scratch);
        return &v == &scratch ? std::move(scratch) : v;  // copies only the final value
      }
      case ExprKind::Call:
        if (e.id != 0 && e.id < ev.folded_costs_.size() && ev.folded_costs_[e.id] >= 0 && !trace) {
          charge(static_cast<uint64_t>(ev.folded_costs_[e.id]));
          return ev.constants_[e.id];
        }
        return call(e);
      case ExprKind::List:
        return list(e);
      case ExprKind::Map:
        return map(e);
      case ExprKind::Unary:
        return unary(e);
      case ExprKind::Binary:
        return binary(e);
      case ExprKind::Conditional:
        return conditional(e);
      case ExprKind::Macro: {
        // Sub-expressions of comprehensions run once per element: not recorded.
        ++in_macro;
        Value v = macro(e);
        --in_macro;
        return v;
      }
    }
    return no_overload();
  }

  static Value literal(const Constant& c) {
    switch (c.kind) {
      case Constant::Kind::Null:
        return Value::null();
      case Constant::Kind::Bool:
        return Value::boolean(c.bool_value);
      case Constant::Kind::Int:
        return Value::integer(c.int_value);
      case Constant::Kind::Uint:
        return Value::uinteger(c.uint_value);
      case Constant::Kind::Double:
        return Value::dbl(c.double_value);
      case Constant::Kind::String:
        return Value::string(c.bytes);
      case Constant::Kind::Bytes:
        return Value::bytes(c.bytes);
    }
    return Value::null();
  }

  // Whether e is an attribute chain of a checked tree that walk_chain can resolve: plain
  // selects and constant-key indexes on a variable.
  bool is_chain(const Expr& e) const {
    // Explain records every node of the chain: walked node by node then.
    if (trace && in_macro == 0) return false;
    return e.id != 0 && e.id < ev.chains_.size() && ev.chains_[e.id];
  }

  // The value of the chain e (is_chain(e)), charged as select() and index() charge it,
  // read through the values it selects from without copying them: a reference into the
  // activation, or to `scratch` when a step makes a new value.
  const Value& walk_chain(const Expr& e, bool free, Value& scratch) {
    static constexpr size_t kMaxDepth = 16;
    const Expr* nodes[kMaxDepth];  // outermost first, the variable last
    size_t n = 0;
    for (const Expr* x = &e;; x = &x->args[0]) {
      nodes[n++] = x;
      if (x->kind == ExprKind::Ident) break;
    }
    if (exhausted) {
      scratch = budget_error();
      return scratch;
    }
    const Expr& root = *nodes[n - 1];
    std::string_view name = root.name;
    if (!name.empty() && name[0] == '.') name.remove_prefix(1);
    const Value* cur = lookup(name);
    if (cur) {
      if (!free) charge(1);
    } else {
      scratch = ident(root, free);
      cur = &scratch;
    }
    static const Value kEmptyMap = Value::map({});
    for (size_t i = n - 1; i-- > 0;) {
      if (cur->is_error()) return *cur;
      const Expr& q = *nodes[i];
      charge(1);  // the qualifier
      const Value* key = q.kind == ExprKind::Index ? &ev.constants_[q.args[1].id] : nullptr;
      if (cur->kind() == ValueKind::Map && (!key || key->kind() == ValueKind::String)) {
        const MapPayload& m = cur->map_value();
        if (const Value* found = m.find_string(key ? key->string_value() : q.name)) {
          cur = found;
          continue;
        }
        if (m.absent_is_empty_map) {
          cur = &kEmptyMap;
          continue;
        }
      }
      Value next = key ? index_of(*cur, *key, false) : field(*cur, q.name, false);
      scratch = std::move(next);
      cur = &scratch;
    }
    return *cur;
  }

  // The value of e, by reference when it is a constant or an attribute chain (no copy);
  // otherwise evaluated into `scratch`.
  const Value& eval_ref(const Expr& e, Value& scratch) {
    if (!trace || in_macro > 0) {
      if (e.kind == ExprKind::Literal && e.id != 0 && e.id < ev.constants_.size() && !exhausted) {
        root_free = false;
        return ev.constants_[e.id];
      }
      if (is_chain(e) || (e.kind == ExprKind::Ident && e.id != 0)) {
        const bool free = std::exchange(root_free, false);
        return walk_chain(e, free, scratch);
      }
    }
    scratch = eval(e);
    return scratch;
  }

  // `free`: the attribute's own observation is not charged (see root_free).
  Value ident(const Expr& e, bool free) {
    std::string_view name = e.name;
    if (!name.empty() && name[0] == '.') name.remove_prefix(1);
    if (const Value* v = lookup(name)) {
      if (!free) charge(1);
      return *v;
    }
    static constexpr std::string_view kTypes[] = {"bool",  "int",  "uint", "double",    "string",
                                                  "bytes", "list", "map",  "null_type", "type"};
    for (std::string_view t : kTypes) {
      if (name == t) return Value::type(std::string(t));  // a constant: free
    }
    if (!free) charge(1);
    return Value::error(fmt::format("no such attribute(s): {}", name));
  }

  // The target of a select or index: the rest of the attribute chain, or, for any other
  // expression, its value wrapped in a relative attribute observed once.
  Value chain_operand(const Expr& operand, bool free) {
    if (is_attribute(operand)) {
      root_free = free;
      return eval(operand);
    }
    Value v = eval(operand);
    if (!free) charge(1);
    return v;
  }

  // "a.b.c" when e is a chain of plain selects on an identifier, for variables whose
  // names contain dots; empty otherwise.
  static std::string dotted_name(const Expr& e) {
    if (e.kind == ExprKind::Ident) return e.name;
    if (e.kind != ExprKind::Select || e.optional) return {};
    std::string head = dotted_name(e.args[0]);
    return head.empty() ? head : head + "." + e.name;
  }

  Value select(const Expr& e, bool free) {
    // A variable whose name has dots ("a.b") wins over selecting b from a variable a,
    // unless a comprehension or cel.bind variable shadows a.
    // In a checked tree the checker has marked the qualified names.
    if ((e.id == 0 || e.qualified) &&
        (e.args[0].kind == ExprKind::Ident || e.args[0].kind == ExprKind::Select)) {
      const std::string dn = dotted_name(e);
      if (!dn.empty() && !is_local(std::string_view(dn).substr(0, dn.find('.')))) {
        if (const Value* v = act.find(dn)) {
          if (!free) charge(1);
          return *v;
        }
        if (is_library_type_name(dn) && !lookup(std::string_view(dn).substr(0, dn.find('.'))))
          return Value::type(dn);
      }
    }
    Value target = chain_operand(e.args[0], free);
    if (target.is_error()) return target;
    charge(1);  // the field qualifier
    return field(target, e.name, e.optional);
  }

  static Value field(const Value& target, const std::string& name, bool optional) {
    if (target.kind() == ValueKind::Optional) {
      // Optional chaining: selecting on an optional stays optional.
      if (!target.optional_value()) return target;
      return field(*target.optional_value(), name, true);
    }
    if (target.kind() != ValueKind::Map) return no_overload();
    // A string key needs no Value to look it up (the common case: device.driver, .memory).
    const MapPayload& m = target.map_value();
    for (const auto& [k, v] : m.entries) {
      if (k.kind() == ValueKind::String && k.string_value() == name)
        return optional ? Value::optional_of(v) : v;
    }
    if (m.absent_is_empty_map) {
      static const Value kEmpty = Value::map({});
      return optional ? Value::optional_of(kEmpty) : kEmpty;
    }
    if (optional) return Value::optional_none();
    return Value::error("no such key: " + name);
  }

  Value index(const Expr& e, bool free) {
    Value target = chain_operand(e.args[0], free);
    if (target.is_error()) return target;
    // The key qualifier is observed once: a constant, an attribute resolved without its
    // root, or any other expression's value.
    const Expr& k = e.args[1];
    if (!is_constant(k) && is_attribute(k)) root_free = true;
    Value key = eval(k);
    charge(1);
    if (key.is_error()) return key;
    return index_of(target, key, e.optional);
  }

  static Value index_of(const Value& target, const Value& key, bool optional) {
    if (target.kind() == ValueKind::Optional) {
      if (!target.optional_value()) return target;
      return index_of(*target.optional_value(), key, true);
    }
    bool missing = false;
    Value v = index_value(target, key, &missing);
    if (optional) {
      if (missing) return Value::optional_none();
      return v.is_error() ? v : Value::optional_of(std::move(v));
    }
    return v;
  }

  Value list(const Expr& e) {
    if (!is_constant(e)) charge(10);  // ListCreateBaseCost; constant lists are folded
    ListPayload items;
    items.reserve(e.args.size());
    for (size_t i = 0; i < e.args.size(); ++i) {
      Value v = eval(e.args[i]);
      if (v.is_error()) return v;
      if (i < e.optionals.size() && e.optionals[i]) {
        if (v.kind() != ValueKind::Optional) return no_overload();
        if (v.optional_value()) items.push_back(*v.optional_value());
        continue;
      }
      items.push_back(std::move(v));
    }
    return Value::list(std::move(items));
  }

  Value map(const Expr& e) {
    if (!is_constant(e)) charge(30);  // MapCreateBaseCost
    std::vector<std::pair<Value, Value>> entries;
    for (size_t i = 0; i + 1 < e.args.size(); i += 2) {
      Value k = eval(e.args[i]);
      if (k.is_error()) return k;
      Value v = eval(e.args[i + 1]);
      if (v.is_error()) return v;
      if (!valid_key(k))
        return Value::error(fmt::format("unsupported key type: {}", type_name(k.kind())));
      const size_t entry = i / 2;
      if (entry < e.optionals.size() && e.optionals[entry]) {
        if (v.kind() != ValueKind::Optional) return no_overload();
        if (!v.optional_value()) continue;
        v = *v.optional_value();
      }
      entries.emplace_back(std::move(k), std::move(v));
    }
    return Value::map(std::move(entries));
  }

  Value unary(const Expr& e) {
    Value v = eval(e.args[0]);
    charge(1);  // !_ and -_ cost 1 (cel-go's default call cost)
    if (v.is_error()) return v;
    if (e.op == Op::Not) {
      if (!is_bool(v)) return no_overload();
      return Value::boolean(!v.bool_value());
    }
    if (v.kind() == ValueKind::Int) {
      if (v.int_value() == std::numeric_limits<int64_t>::min())
        return Value::error("integer overflow");
      return Value::integer(-v.int_value());
    }
    if (v.kind() == ValueKind::Double) return Value::dbl(-v.double_value());
    if (v.kind() == ValueKind::Duration) return duration_negate(v);  // via dyn only
    return no_overload();
  }

  // && and ||: commutative; a decisive operand (false for &&, true for ||) wins over an
  // error or a non-bool on the other side.
  Value logical(const Expr& e) {
    const bool decisive = e.op == Op::Or;
    Value a = eval(e.args[0]);
    if (exhausted) return budget_error();
    if (is_bool(a) && a.bool_value() == decisive) return a;
    Value b = eval(e.args[1]);
    if (exhausted) return budget_error();
    if (is_bool(b) && b.bool_value() == decisive) return b;
    if (a.is_error()) return a;
    if (b.is_error()) return b;
    if (!is_bool(a) || !is_bool(b)) return no_overload();
    return Value::boolean(!decisive);
  }

  Value binary(const Expr& e) {
    if (e.op == Op::And || e.op == Op::Or) return logical(e);
    const Expr& rhs = e.args[1];
    // `x in [constants]`: cel-go's planner turns it into a set lookup without call cost,
    // and `x in []` into the constant false.
    const bool set_membership = e.op == Op::In && rhs.kind == ExprKind::List && is_constant(rhs) &&
                                std::all_of(rhs.args.begin(), rhs.args.end(), [](const Expr& x) {
                                  return x.kind == ExprKind::Literal &&
                                         x.constant.kind != Constant::Kind::Bytes &&
                                         x.constant.kind != Constant::Kind::Null;
                                });
    if (set_membership && rhs.args.empty()) return Value::boolean(false);
    // Both operands are evaluated before an error in either is reported (evalBinary).
    Value scratch_a, scratch_b;
    const Value& a = eval_ref(e.args[0], scratch_a);
    const Value& b = eval_ref(rhs, scratch_b);
    Value result = binary_value(e, a, b);
    if (!set_membership) {
      if (const CallCostRule* r = planned_rule(e)) {
        charge(call_cost(*r, a, b, result));
      } else {
        const Value args[] = {a, b};
        charge(default_call_cost(op_function_name(e.op), runtime_operator_id(e.op, a, b), args,
                                 result));
      }
    }
    return result;
  }

  Value binary_value(const Expr& e, const Value& a, const Value& b) {
    if (a.is_error()) return a;
    if (b.is_error()) return b;
    switch (e.op) {
      case Op::Eq:
        return equal(a, b);
      case Op::Ne: {
        // cel-go's != is "not exactly true", so the Quantity/Semver overload error of ==
        // does not surface here (spec/cel.md §3).
        return Value::boolean(!equals(a, b));
      }
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge:
        return order(e.op, a, b);
      case Op::In:
        return in(a, b);
      default:
        return arith(e.op, a, b);
    }
  }

  static Value in(const Value& x, const Value& c) {
    if (c.kind() == ValueKind::List) {
      for (const Value& y : c.list_value()) {
        if (equals(x, y)) return Value::boolean(true);
      }
      return Value::boolean(false);
    }
    if (c.kind() == ValueKind::Map) {
      // Only real entries: `"d" in device.attributes` is false for an absent domain.
      return Value::boolean(c.map_value().find(x) != nullptr);
    }
    return no_overload();
  }

  Value conditional(const Expr& e) {
    Value c = eval(e.args[0]);
    if (c.is_error()) return c;
    if (!is_bool(c)) return no_overload();
    // The branch is resolved as an attribute without its own observation.
    root_free = true;
    return eval(e.args[c.bool_value() ? 1 : 2]);
  }

  // ---- calls

  Value call(const Expr& e) {
    // Qualified library functions: sets.contains(a, b), lists.range(n), strings.quote(s).
    // In a checked tree the checker has said which calls these are.
    if (e.has_target && (e.id == 0 || e.qualified)) {
      const std::string ns = dotted_name(e.args[0]);
      if (!ns.empty() && !lookup(std::string_view(ns).substr(0, ns.find('.')))) {
        if (const Function* f = find_function(ns + "." + e.name);
            f && f->overloads.front().decl->impl) {
          return library_call(e, *f, false, std::span<const Expr>(e.args).subspan(1));
        }
      }
    }
    // Namespaced functions: optional.of(x), optional.none(), optional.ofNonZeroValue(x).
    if (e.has_target && e.args[0].kind == ExprKind::Ident && e.args[0].name == "optional" &&
        !lookup("optional")) {
      Value r = optional_function(e);
      charge(1);
      return r;
    }
    // x.or(y), x.orValue(y): cel-go evaluates y only when x is empty, at no call cost.
    if (e.has_target && e.args.size() == 2 &&
        (std::string_view(e.name) == "or" || std::string_view(e.name) == "orValue")) {
      Value t = eval(e.args[0]);
      if (t.is_error()) return t;
      if (t.kind() != ValueKind::Optional) return no_overload();
      if (t.optional_value()) return e.name == "or" ? t : *t.optional_value();
      Value y = eval(e.args[1]);
      if (y.is_error()) return y;
      if (e.name == "orValue") return y;
      if (y.kind() != ValueKind::Optional) return no_overload();
      return y;
    }
    // A type conversion of a constant is folded when the program is planned: no cost.
    const bool folded = is_constant(e);
    // Calls of one or two arguments evaluate all of them before reporting an error (cel-go's
    // evalUnary, evalBinary) and are charged; longer ones stop at the first error.
    Args args(e.args.size());
    std::optional<size_t> failed;  // the first argument that is an error
    for (const Expr& a : e.args) {
      args.push_back(eval(a));
      if (args.back().is_error() && !failed) {
        failed = args.size() - 1;
        if (e.args.size() > 2) return args.back();
      }
    }
    const Function* fn = e.id != 0 ? e.function : find_function(e.name);
    const Overload* o = fn && !failed ? select_overload(*fn, e.has_target, args) : nullptr;
    Value result = failed ? args[*failed] : call_value(e, fn, o, args);
    if (!folded) charge_call(e, e.name, o, args, result);
    return result;
  }

  Value call_value(const Expr& e, const Function* fn, const Overload* o,
                   std::span<const Value> args) {
    if (o && o->decl->impl) return o->decl->impl(args);
    const std::string_view f = e.name;
    const size_t n = args.size();
    if (!e.has_target && n == 1) {
      const Value& x = args[0];
      if (f == "int") return to_int(x);
      if (f == "uint") return to_uint(x);
      if (f == "double") return to_double(x);
      if (f == "string") return to_string(x);
      if (f == "bytes") return to_bytes(x);
      if (f == "bool") return to_bool(x);
      if (f == "dyn") return x;
      if (f == "type") {
        return Value::type(std::string(x.kind() == ValueKind::Type ? "type" : type_name(x)));
      }
      if (f == "size") return size(x);
    }
    if (f == "size" && e.has_target && n == 1) return size(args[0]);
    if (n == 2 && (f == "contains" || f == "startsWith" || f == "endsWith") && e.has_target) {
      if (args[0].kind() != ValueKind::String || args[1].kind() != ValueKind::String)
        return no_overload();
      const std::string& s = args[0].string_value();
      const std::string& t = args[1].string_value();
      if (f == "contains") return Value::boolean(s.find(t) != std::string::npos);
      if (f == "startsWith") return Value::boolean(s.starts_with(t));
      return Value::boolean(s.ends_with(t));
    }
    if (f == "matches" && n == 2) return matches(e, args[0], args[1]);
    if (e.has_target && args[0].kind() == ValueKind::Optional) {
      const Value* inner = args[0].optional_value();
      if (f == "hasValue" && n == 1) return Value::boolean(inner != nullptr);
      if (f == "value" && n == 1) {
        return inner ? *inner : Value::error("optional.none() dereference");
      }
      if (f == "orValue" && n == 2) return inner ? *inner : args[1];
      if (f == "or" && n == 2) {
        if (inner) return args[0];
        if (args[1].kind() != ValueKind::Optional) return no_overload();
        return args[1];
      }
    }
    if (fn || is_known_function(f)) return no_overload();
    return Value::error(fmt::format("undeclared reference to '{}' (in container '')", f));
  }

  Value library_call(const Expr& e, const Function& f, bool receiver,
                     std::span<const Expr> arg_exprs) {
    Args args(arg_exprs.size());
    std::optional<size_t> failed;
    for (const Expr& a : arg_exprs) {
      args.push_back(eval(a));
      if (args.back().is_error() && !failed) {
        failed = args.size() - 1;
        if (arg_exprs.size() > 2) return args.back();
      }
    }
    const Overload* o = failed ? nullptr : select_overload(f, receiver, args);
    Value result = failed                   ? args[*failed]
                   : (!o || !o->decl->impl) ? no_overload()
                                            : o->decl->impl(args);
    charge_call(e, f.name, o, args, result);
    return result;
  }

  static bool is_known_function(std::string_view f) {
    static constexpr std::string_view kKnown[] = {
        "int",     "uint",     "double", "string",   "bytes",      "bool",
        "dyn",     "type",     "size",   "contains", "startsWith", "endsWith",
        "matches", "hasValue", "value",  "orValue",  "or"};
    for (std::string_view k : kKnown) {
      if (f == k) return true;
    }
    return false;
  }

  Value optional_function(const Expr& e) {
    std::vector<Value> args;
    for (size_t i = 1; i < e.args.size(); ++i) {
      Value v = eval(e.args[i]);
      if (v.is_error()) return v;
      args.push_back(std::move(v));
    }
    if (e.name == "none" && args.empty()) return Value::optional_none();
    if (e.name == "of" && args.size() == 1) return Value::optional_of(args[0]);
    if (e.name == "ofNonZeroValue" && args.size() == 1) {
      return is_zero(args[0]) ? Value::optional_none() : Value::optional_of(args[0]);
    }
    return Value::error(
        fmt::format("undeclared reference to 'optional.{}' (in container '')", e.name));
  }

  static bool is_zero(const Value& v) {
    switch (v.kind()) {
      case ValueKind::Null:
        return true;
      case ValueKind::Bool:
        return !v.bool_value();
      case ValueKind::Int:
        return v.int_value() == 0;
      case ValueKind::Uint:
        return v.uint_value() == 0;
      case ValueKind::Double:
        return v.double_value() == 0;
      case ValueKind::String:
        return v.string_value().empty();
      case ValueKind::Bytes:
        return v.bytes_value().empty();
      case ValueKind::List:
        return v.list_value().empty();
      case ValueKind::Map:
        return v.map_value().entries.empty();
      case ValueKind::Quantity:
        return v.quantity_value().is_zero();
      case ValueKind::Duration:
        return v.duration_value() == 0;
      case ValueKind::Timestamp:  // Go's zero time.Time: 0001-01-01T00:00:00Z
        return v.timestamp_value().seconds == -62135596800 && v.timestamp_value().nanos == 0;
      default:
        return false;
    }
  }

  static Value size(const Value& x) {
    switch (x.kind()) {
      case ValueKind::String:
        return Value::integer(static_cast<int64_t>(utf8_length(x.string_value())));
      case ValueKind::Bytes:
        return Value::integer(static_cast<int64_t>(x.bytes_value().size()));
      case ValueKind::List:
        return Value::integer(static_cast<int64_t>(x.list_value().size()));
      case ValueKind::Map:
        return Value::integer(static_cast<int64_t>(x.map_value().entries.size()));
      default:
        return no_overload();
    }
  }

  Value matches(const Expr& e, const Value& s, const Value& pattern) {
    if (s.kind() != ValueKind::String || pattern.kind() != ValueKind::String) return no_overload();
    std::shared_ptr<const re2::RE2> re;
    if (auto it = ev.regexes_.find(&e); it != ev.regexes_.end()) {
      if (!it->second.re) return Value::error(it->second.error);
      re = it->second.re;
    } else {
      Evaluator::CompiledRegex c = compile_regex(pattern.string_value());
      if (!c.re) return Value::error(c.error);
      re = c.re;
    }
    // Unanchored search, as Go's regexp.MatchString.
    return Value::boolean(re2::RE2::PartialMatch(s.string_value(), *re));
  }

 public:
  // Go's regexp syntax and messages ("error parsing regexp: missing closing ): `(`"),
  // from the shared cache, so a pattern computed at run time compiles once too.
  static Evaluator::CompiledRegex compile_regex(const std::string& pattern) {
    std::string error;
    std::shared_ptr<const re2::RE2> re = compile_go_regex(pattern, &error);
    if (!re) return {nullptr, std::move(error)};
    return {std::move(re), {}};
  }

  // ---- macros

  Value macro(const Expr& e) {
    switch (e.macro) {
      case MacroKind::Has:
        return has(e.args[0]);
      case MacroKind::Bind: {
        Value init = eval(e.args[0]);
        locals.emplace_back(e.vars[0], std::move(init));
        Value r = eval(e.args[1]);
        locals.pop_back();
        return r;
      }
      case MacroKind::OptMap:
      case MacroKind::OptFlatMap: {
        // cel-go's expansion: x.hasValue() ? [optional.of](cel.bind(v, x.value(), f))
        // : optional.none(), x evaluated twice when present.
        const uint64_t before = cost;
        Value o = eval(e.args[0]);
        const uint64_t target_cost = cost - before;
        charge(1);  // hasValue()
        if (o.is_error()) return o;
        if (o.kind() != ValueKind::Optional) return no_overload();
        if (!o.optional_value()) {
          charge(1);  // optional.none()
          return o;
        }
        charge(target_cost + 1);  // x.value()
        locals.emplace_back(e.vars[0], *o.optional_value());
        Value r = eval(e.args[1]);
        locals.pop_back();
        if (e.macro == MacroKind::OptMap) charge(1);  // optional.of()
        if (r.is_error() || e.macro == MacroKind::OptFlatMap) return r;
        return Value::optional_of(std::move(r));
      }
      default:
        return comprehension(e);
    }
  }

  Value has(const Expr& sel) {
    // The operand chain is resolved without its root observation, the tested field is
    // one qualifier, and the presence test itself is free (PresenceTestHasCost(false)).
    if (is_attribute(sel.args[0])) root_free = true;
    Value target = eval(sel.args[0]);
    charge(1);
    if (target.is_error()) return target;
    if (target.kind() == ValueKind::Optional) {
      if (!target.optional_value()) return Value::boolean(false);
      target = *target.optional_value();
    }
    if (target.kind() != ValueKind::Map) return no_overload();
    const MapPayload& m = target.map_value();
    // QUIRK (spec/cel.md §2.2): the defaulting outer map answers every key.
    return Value::boolean(m.absent_is_empty_map || m.find(Value::string(sel.name)) != nullptr);
  }

  Value comprehension(const Expr& e) {
    Value range = eval(e.args[0]);
    if (range.is_error()) return range;
    const bool is_list = range.kind() == ValueKind::List;
    if (!is_list && range.kind() != ValueKind::Map) {
      return Value::error(
          fmt::format("got '{}', expected iterable type", go_type_name(range.kind())));
    }
    const bool two = e.vars.size() == 2;
    const size_t n = is_list ? range.list_value().size() : range.map_value().entries.size();
    const size_t base = locals.size();
    locals.emplace_back(e.vars[0], Value());
    if (two) locals.emplace_back(e.vars[1], Value());

    // Accumulators.
    Value err;  // all/exists: first error seen, reported when nothing decides
    bool have_err = false;
    int64_t count = 0;
    ListPayload out;
    std::vector<std::pair<Value, Value>> out_map;
    Value result;
    bool done = false;

    // Costs follow cel-go's expansion of each macro into a fold (parser/macro.go,
    // ext/comprehensions.go): per element the loop condition and the step, then the result.
    // all: cond @not_strictly_false(accu) = 2, step accu && p = 1 + p, result accu = 1.
    // exists: cond @not_strictly_false(!accu) = 3, step accu || p = 1 + p.
    // exists_one: cond true = 0, step p ? accu + 1 : accu = p + (2 or 0), result accu == 1.
    // map/transformList: step accu + [f] = 1 + (10 + f, or 0 for a constant f) + 1;
    // filter: p ? accu + [x] : accu = p + (13 or 0); transformMap(Entry): step
    // cel.@mapInsert(accu, [k,] t) = 1 [+ 1] + t + 1; all of them with result accu = 1.
    const bool quantifier = e.macro == MacroKind::All || e.macro == MacroKind::Exists;
    const uint64_t cond_cost = e.macro == MacroKind::All ? 2 : e.macro == MacroKind::Exists ? 3 : 0;
    for (size_t i = 0; i < n && !done; ++i) {
      if (exhausted) break;
      for (uint64_t c = 0; c < cond_cost; ++c) charge(1);  // one observation each
      if (quantifier) charge(1);                           // the accumulator in the step
      Value elem, key;
      if (is_list) {
        elem = range.list_value()[i];
        key = Value::integer(static_cast<int64_t>(i));
      } else {
        key = range.map_value().entries[i].first;
        elem = range.map_value().entries[i].second;
      }
      if (two) {
        locals[base].second = key;
        locals[base + 1].second = elem;
      } else {
        locals[base].second = is_list ? elem : key;
      }
      // A copy: nested comprehensions grow `locals` and would invalidate a reference.
      const Value x = locals[base].second;
      switch (e.macro) {
        case MacroKind::All:
        case MacroKind::Exists: {
          const bool decisive = e.macro == MacroKind::Exists;
          Value p = eval(e.args[1]);
          if (exhausted) {
            result = budget_error();
            done = true;
          } else if (is_bool(p)) {
            if (p.bool_value() == decisive) {
              result = p;
              done = true;
              // The condition that ends the loop, when an element is left.
              if (i + 1 < n) {
                for (uint64_t c = 0; c < cond_cost; ++c) charge(1);
              }
            }
          } else if (!have_err) {
            err = p.is_error() ? p : no_overload();
            have_err = true;
          }
          break;
        }
        case MacroKind::ExistsOne: {
          Value p = eval(e.args[1]);
          if (p.is_error() || !is_bool(p)) {
            result = p.is_error() ? p : no_overload();
            done = true;
          } else if (p.bool_value()) {
            ++count;
            charge(2);  // accu + 1
          }
          break;
        }
        case MacroKind::Map:
        case MacroKind::TransformList:
        case MacroKind::TransformMap:
        case MacroKind::Filter: {
          const bool filtered =
              (e.macro != MacroKind::Filter && e.args.size() == 3) || e.macro == MacroKind::Filter;
          if (filtered) {
            Value p = eval(e.args[1]);
            if (p.is_error() || !is_bool(p)) {
              result = p.is_error() ? p : no_overload();
              done = true;
              break;
            }
            if (!p.bool_value()) break;
          }
          if (e.macro == MacroKind::Filter) {
            charge(13);  // accu + [x]
            out.push_back(x);
            break;
          }
          Value t = eval(e.args.back());
          if (e.macro == MacroKind::TransformMap) {
            charge(3);  // cel.@mapInsert(accu, k, t)
          } else {
            charge(is_constant(e.args.back()) ? 2 : 12);  // accu + [t]
          }
          if (t.is_error()) {
            result = t;
            done = true;
            break;
          }
          if (e.macro == MacroKind::TransformMap) {
            out_map.emplace_back(key, std::move(t));
          } else {
            out.push_back(std::move(t));
          }
          break;
        }
        case MacroKind::TransformMapEntry: {
          if (e.args.size() == 3) {
            Value p = eval(e.args[1]);
            if (p.is_error() || !is_bool(p)) {
              result = p.is_error() ? p : no_overload();
              done = true;
              break;
            }
            if (!p.bool_value()) break;
          }
          Value t = eval(e.args.back());
          charge(2);  // cel.@mapInsert(accu, t)
          if (t.is_error() || t.kind() != ValueKind::Map) {
            result = t.is_error() ? t : no_overload();
            done = true;
            break;
          }
          for (const auto& [k, v] : t.map_value().entries) {
            for (const auto& [k2, v2] : out_map) {
              if (equals(k, k2)) {
                result = Value::error("insert failed: key " + key_text(k) + " already exists");
                done = true;
              }
            }
            out_map.emplace_back(k, v);
          }
          break;
        }
        default:
          break;
      }
    }
    locals.resize(base);
    if (exhausted) return budget_error();
    charge(e.macro == MacroKind::ExistsOne ? 2 : 1);  // the result expression
    if (done) return result;
    switch (e.macro) {
      case MacroKind::All:
        return have_err ? err : Value::boolean(true);
      case MacroKind::Exists:
        return have_err ? err : Value::boolean(false);
      case MacroKind::ExistsOne:
        return Value::boolean(count == 1);
      case MacroKind::TransformMap:
      case MacroKind::TransformMapEntry:
        return Value::map(std::move(out_map));
      default:
        return Value::list(std::move(out));
    }
  }
};

Evaluator::Evaluator(const Expr& expr) : expr_(&expr) {
  // Precompile literal patterns, as cel-go's OptOptimize does for matches().
  std::vector<const Expr*> stack{&expr};
  while (!stack.empty()) {
    const Expr* e = stack.back();
    stack.pop_back();
    if (e->kind == ExprKind::Call && e->name == "matches" && e->args.size() == 2 &&
        e->args[1].kind == ExprKind::Literal &&
        e->args[1].constant.kind == Constant::Kind::String) {
      regexes_.emplace(e, EvalState::compile_regex(e->args[1].constant.bytes));
    }
    for (const Expr& a : e->args) stack.push_back(&a);
  }
}

Evaluator::Evaluator(const Expr& expr, const CheckResult& checked) : Evaluator(expr) {
  have_overload_ids_ = true;
  // Children before parents (post-order), so a node's side tables can use its children's.
  std::vector<const Expr*> order;
  std::vector<const Expr*> stack{&expr};
  while (!stack.empty()) {
    const Expr* e = stack.back();
    stack.pop_back();
    order.push_back(e);
    for (const Expr& a : e->args) stack.push_back(&a);
  }
  std::reverse(order.begin(), order.end());
  size_t size = 0;
  for (const Expr* e : order) size = std::max<size_t>(size, e->id + 1);
  constants_.resize(size);
  cost_rules_.resize(size, CallCostRule::One);
  chains_.resize(size, false);
  chain_depths_.resize(size, 0);
  folded_costs_.resize(size, -1);
  auto checked_literal = [](const Expr& a) { return a.kind == ExprKind::Literal && a.id != 0; };
  for (const Expr* e : order) {
    if (e->id == 0) continue;
    switch (e->kind) {
      case ExprKind::Literal:
        constants_[e->id] = EvalState::literal(e->constant);
        break;
      case ExprKind::Ident:
        chains_[e->id] = true;
        chain_depths_[e->id] = 1;
        break;
      case ExprKind::Select:
      case ExprKind::Index: {
        const Expr& target = e->args[0];
        const bool qualifier_ok =
            e->kind == ExprKind::Select ? !e->qualified : checked_literal(e->args[1]);
        if (!e->optional && qualifier_ok && target.id != 0 && chains_[target.id] &&
            chain_depths_[target.id] < 16) {
          chains_[e->id] = true;
          chain_depths_[e->id] = static_cast<uint8_t>(chain_depths_[target.id] + 1);
        }
        break;
      }
      case ExprKind::Call:
      case ExprKind::Unary:
      case ExprKind::Binary: {
        // In a checked tree the planned id is used even when empty (a call left ambiguous by
        // dyn arguments costs by its function name only).
        const std::string_view fn =
            e->kind == ExprKind::Call ? std::string_view(e->name) : op_function_name(e->op);
        cost_rules_[e->id] = call_cost_rule(fn, planned_overload_id(*e, checked));
        break;
      }
      default:
        break;
    }
  }
  // A call of constant arguments (quantity("40Gi")) gives the same value at the same cost
  // every time: computed once here. Every library function is deterministic.
  const Activation none;
  for (const Expr* e : order) {
    if (e->id == 0 || e->kind != ExprKind::Call || e->qualified || e->args.empty() ||
        !std::all_of(e->args.begin(), e->args.end(), checked_literal)) {
      continue;
    }
    EvalState state{*this, none, std::numeric_limits<uint64_t>::max()};
    constants_[e->id] = state.call(*e);
    folded_costs_[e->id] = static_cast<int64_t>(state.cost);
  }
}

Evaluator::~Evaluator() = default;
Evaluator::Evaluator(Evaluator&&) noexcept = default;
Evaluator& Evaluator::operator=(Evaluator&&) noexcept = default;

Value Evaluator::evaluate(const Activation& activation, const EvalOptions& options) const {
  const uint64_t limit = options.max_steps != 0 ? options.max_steps : options.cost_limit;
  EvalState state{*this, activation, limit};
  state.trace = options.trace;
  Value v = state.eval(*expr_);
  if (options.actual_cost) *options.actual_cost = state.cost;
  if (state.exhausted) return state.budget_error();
  return v;
}

Value evaluate(const Expr& expr, const Activation& activation, const EvalOptions& options) {
  return Evaluator(expr).evaluate(activation, options);
}

}  // namespace dra::selectors
