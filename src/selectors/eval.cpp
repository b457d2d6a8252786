// src/selectors/eval.cpp -- the tree-walking CEL evaluator.
// Semantics follow cel-spec doc/langdef.md as cel-go implements them for `dyn` values
// (the version Kubernetes pins, spec/cel.md §0); error texts are cel-go's.
#include "selectors/eval.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>

#include "selectors/library.hpp"

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

}  // namespace

// ---- the evaluator proper

struct EvalState {
  const Evaluator& ev;
  const Activation& act;
  uint64_t max_steps;
  uint64_t steps = 0;
  bool exhausted = false;
  std::vector<std::pair<std::string_view, Value>> locals;  // innermost last

  bool step() {
    if (exhausted) return false;
    if (++steps > max_steps) exhausted = true;
    return !exhausted;
  }
  Value budget_error() const { return Value::error(kCostExceeded); }

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
    if (!step()) return budget_error();
    switch (e.kind) {
      case ExprKind::Literal:
        return literal(e.constant);
      case ExprKind::Ident:
        return ident(e);
      case ExprKind::Select:
        return select(e);
      case ExprKind::Index:
        return index(e);
      case ExprKind::Call:
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
      case ExprKind::Macro:
        return macro(e);
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

  Value ident(const Expr& e) {
    std::string_view name = e.name;
    if (!name.empty() && name[0] == '.') name.remove_prefix(1);
    if (const Value* v = lookup(name)) return *v;
    static constexpr std::string_view kTypes[] = {"bool",  "int",  "uint", "double",    "string",
                                                  "bytes", "list", "map",  "null_type", "type"};
    for (std::string_view t : kTypes) {
      if (name == t) return Value::type(std::string(t));
    }
    return Value::error(fmt::format("no such attribute(s): {}", name));
  }

  // "a.b.c" when e is a chain of plain selects on an identifier, for variables whose
  // names contain dots; empty otherwise.
  static std::string dotted_name(const Expr& e) {
    if (e.kind == ExprKind::Ident) return e.name;
    if (e.kind != ExprKind::Select || e.optional) return {};
    std::string head = dotted_name(e.args[0]);
    return head.empty() ? head : head + "." + e.name;
  }

  Value select(const Expr& e) {
    // A variable whose name has dots ("a.b") wins over selecting b from a variable a,
    // unless a comprehension or cel.bind variable shadows a.
    if (e.args[0].kind == ExprKind::Ident || e.args[0].kind == ExprKind::Select) {
      const std::string dn = dotted_name(e);
      if (!dn.empty() && !is_local(std::string_view(dn).substr(0, dn.find('.')))) {
        if (const Value* v = act.find(dn)) return *v;
      }
    }
    Value target = eval(e.args[0]);
    if (target.is_error()) return target;
    return field(target, e.name, e.optional);
  }

  static Value field(const Value& target, const std::string& name, bool optional) {
    if (target.kind() == ValueKind::Optional) {
      // Optional chaining: selecting on an optional stays optional.
      if (!target.optional_value()) return target;
      return field(*target.optional_value(), name, true);
    }
    if (target.kind() != ValueKind::Map) return no_overload();
    bool missing = false;
    Value v = index_value(target, Value::string(name), &missing);
    if (optional) return missing ? Value::optional_none() : Value::optional_of(std::move(v));
    return v;
  }

  Value index(const Expr& e) {
    Value target = eval(e.args[0]);
    if (target.is_error()) return target;
    Value key = eval(e.args[1]);
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
    Value a = eval(e.args[0]);
    if (a.is_error()) return a;
    Value b = eval(e.args[1]);
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
    return eval(e.args[c.bool_value() ? 1 : 2]);
  }

  // ---- calls

  Value call(const Expr& e) {
    // Qualified library functions: sets.contains(a, b), lists.range(n), strings.quote(s).
    if (e.has_target) {
      const std::string ns = dotted_name(e.args[0]);
      if (!ns.empty() && !lookup(std::string_view(ns).substr(0, ns.find('.')))) {
        if (const Function* f = find_function(ns + "." + e.name);
            f && f->overloads.front().decl->impl) {
          return library_call(*f, false, std::span<const Expr>(e.args).subspan(1));
        }
      }
    }
    // Namespaced functions: optional.of(x), optional.none(), optional.ofNonZeroValue(x).
    if (e.has_target && e.args[0].kind == ExprKind::Ident && e.args[0].name == "optional" &&
        !lookup("optional")) {
      return optional_function(e);
    }
    std::vector<Value> args;
    args.reserve(e.args.size());
    for (const Expr& a : e.args) {
      Value v = eval(a);
      if (v.is_error()) return v;
      args.push_back(std::move(v));
    }
    const Function* fn = find_function(e.name);
    if (fn) {
      const Overload* o = select_overload(*fn, e.has_target, args);
      if (o && o->decl->impl) return o->decl->impl(args);
    }
    const std::string& f = e.name;
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
        return Value::type(std::string(x.kind() == ValueKind::Type ? "type" : type_name(x.kind())));
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

  Value library_call(const Function& f, bool receiver, std::span<const Expr> arg_exprs) {
    std::vector<Value> args;
    args.reserve(arg_exprs.size());
    for (const Expr& a : arg_exprs) {
      Value v = eval(a);
      if (v.is_error()) return v;
      args.push_back(std::move(v));
    }
    const Overload* o = select_overload(f, receiver, args);
    if (!o || !o->decl->impl) return no_overload();
    return o->decl->impl(args);
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
  static Evaluator::CompiledRegex compile_regex(const std::string& pattern) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_shared<const re2::RE2>(pattern, options);
    if (!re->ok()) return {nullptr, "error parsing regexp: " + re->error()};
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
        Value o = eval(e.args[0]);
        if (o.is_error()) return o;
        if (o.kind() != ValueKind::Optional) return no_overload();
        if (!o.optional_value()) return o;
        locals.emplace_back(e.vars[0], *o.optional_value());
        Value r = eval(e.args[1]);
        locals.pop_back();
        if (r.is_error() || e.macro == MacroKind::OptFlatMap) return r;
        return Value::optional_of(std::move(r));
      }
      default:
        return comprehension(e);
    }
  }

  Value has(const Expr& sel) {
    Value target = eval(sel.args[0]);
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

    for (size_t i = 0; i < n && !done; ++i) {
      if (!step()) {
        result = budget_error();
        done = true;
        break;
      }
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
            out.push_back(x);
            break;
          }
          Value t = eval(e.args.back());
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

Evaluator::~Evaluator() = default;
Evaluator::Evaluator(Evaluator&&) noexcept = default;
Evaluator& Evaluator::operator=(Evaluator&&) noexcept = default;

Value Evaluator::evaluate(const Activation& activation, const EvalOptions& options) const {
  EvalState state{*this, activation, options.max_steps, 0, false, {}};
  Value v = state.eval(*expr_);
  if (state.exhausted) return state.budget_error();
  return v;
}

Value evaluate(const Expr& expr, const Activation& activation, const EvalOptions& options) {
  return Evaluator(expr).evaluate(activation, options);
}

}  // namespace dra::selectors
