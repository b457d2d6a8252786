// src/selectors/value.cpp -- construction, equality and printing of CEL runtime values.
#include "selectors/value.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "selectors/lib_time.hpp"

namespace dra::selectors {

Value Value::string(std::string s) {
  return Value(
      Rep(std::in_place_index<5>, Text{std::make_shared<const std::string>(std::move(s))}));
}
Value Value::bytes(std::string b) {
  return Value(
      Rep(std::in_place_index<6>, Text{std::make_shared<const std::string>(std::move(b))}));
}
Value Value::list(ListPayload items) {
  return Value(Rep(std::in_place_index<7>, std::make_shared<const ListPayload>(std::move(items))));
}

namespace {
std::shared_ptr<const MapPayload> make_map(std::vector<std::pair<Value, Value>> entries,
                                           bool defaulting) {
  auto m = std::make_shared<MapPayload>();
  m->absent_is_empty_map = defaulting;
  m->entries.reserve(entries.size());
  for (auto& [k, v] : entries) {
    const bool text = k.kind() == ValueKind::String;
    auto same = std::find_if(m->entries.begin(), m->entries.end(), [&, &k = k](const auto& e) {
      return text
                 ? e.first.kind() == ValueKind::String && e.first.string_value() == k.string_value()
                 : equals(e.first, k);
    });
    if (same != m->entries.end()) {
      same->second = std::move(v);
    } else {
      m->entries.emplace_back(std::move(k), std::move(v));
    }
  }
  return m;
}
}  // namespace

Value Value::map(std::vector<std::pair<Value, Value>> entries) {
  return Value(Rep(std::in_place_index<8>, make_map(std::move(entries), false)));
}
Value Value::defaulting_map(std::vector<std::pair<Value, Value>> entries) {
  return Value(Rep(std::in_place_index<8>, make_map(std::move(entries), true)));
}
Value Value::type(std::string name) {
  return Value(
      Rep(std::in_place_index<9>, Text{std::make_shared<const std::string>(std::move(name))}));
}
Value Value::optional_none() {
  return Value(Rep(std::in_place_index<10>, std::shared_ptr<const Value>()));
}
Value Value::optional_of(Value v) {
  return Value(Rep(std::in_place_index<10>, std::make_shared<const Value>(std::move(v))));
}
Value Value::error(std::string message) {
  return Value(
      Rep(std::in_place_index<11>, Text{std::make_shared<const std::string>(std::move(message))}));
}
Value Value::quantity(k8s::Quantity q) {
  return Value(Rep(std::in_place_index<12>,
                   QuantityRef{std::make_shared<const k8s::Quantity>(std::move(q)), false}));
}
Value Value::computed_quantity(k8s::Quantity q) {
  return Value(Rep(std::in_place_index<12>,
                   QuantityRef{std::make_shared<const k8s::Quantity>(std::move(q)), true}));
}
Value Value::semver(k8s::Semver v) {
  return Value(Rep(std::in_place_index<13>, std::make_shared<const k8s::Semver>(std::move(v))));
}

Value Value::opaque(std::shared_ptr<const OpaqueValue> v) {
  return Value(Rep(std::in_place_index<14>, std::move(v)));
}

const Value* MapPayload::find_string(std::string_view key) const {
  for (const auto& [k, v] : entries) {
    if (k.kind() == ValueKind::String && k.string_value() == key) return &v;
  }
  return nullptr;
}

const Value* MapPayload::find(const Value& key) const {
  if (key.kind() == ValueKind::String) return find_string(key.string_value());
  for (const auto& [k, v] : entries) {
    if (equals(k, key)) return &v;
  }
  return nullptr;
}

std::string_view type_name(ValueKind kind) {
  switch (kind) {
    case ValueKind::Null:
      return "null_type";
    case ValueKind::Bool:
      return "bool";
    case ValueKind::Int:
      return "int";
    case ValueKind::Uint:
      return "uint";
    case ValueKind::Double:
      return "double";
    case ValueKind::String:
      return "string";
    case ValueKind::Bytes:
      return "bytes";
    case ValueKind::List:
      return "list";
    case ValueKind::Map:
      return "map";
    case ValueKind::Type:
      return "type";
    case ValueKind::Optional:
      return "optional_type";
    case ValueKind::Error:
      return "error";
    case ValueKind::Quantity:
      return "kubernetes.Quantity";
    case ValueKind::Semver:
      return "kubernetes.Semver";
    case ValueKind::Opaque:
      return "opaque";
    case ValueKind::Duration:
      return "google.protobuf.Duration";
    case ValueKind::Timestamp:
      return "google.protobuf.Timestamp";
  }
  return "unknown";
}

std::string_view type_name(const Value& v) {
  if (v.kind() == ValueKind::Opaque) return v.opaque_value().type_name();
  return type_name(v.kind());
}

namespace {

bool is_number(ValueKind k) {
  return k == ValueKind::Int || k == ValueKind::Uint || k == ValueKind::Double;
}

// -1, 0, 1 for numbers of any two numeric kinds; 2 when unordered (NaN).
int compare_numbers(const Value& a, const Value& b) {
  const ValueKind ka = a.kind(), kb = b.kind();
  auto cmp = [](auto x, auto y) { return x < y ? -1 : (x > y ? 1 : 0); };
  if (ka == ValueKind::Double || kb == ValueKind::Double) {
    // cel-go (common/types/compare.go): an integer compared with a double outside the
    // integer's range is less or greater; otherwise both compare as doubles, so
    // 9223372036854775807 == 9223372036854775808.0 (the conversion rounds).
    const bool swap = ka != ValueKind::Double;
    const double d = swap ? b.double_value() : a.double_value();
    const Value& o = swap ? a : b;
    if (std::isnan(d)) return 2;
    double x;
    if (o.kind() == ValueKind::Double) {
      x = o.double_value();
      if (std::isnan(x)) return 2;
    } else if (o.kind() == ValueKind::Int) {
      if (d < -9223372036854775808.0) return swap ? 1 : -1;
      if (d > 9223372036854775808.0) return swap ? -1 : 1;
      x = static_cast<double>(o.int_value());
    } else {
      if (d < 0) return swap ? 1 : -1;
      if (d > 18446744073709551616.0) return swap ? -1 : 1;
      x = static_cast<double>(o.uint_value());
    }
    // Compare a (the double or the integer o) with b.
    const double l = swap ? x : d;
    const double r = swap ? d : x;
    return cmp(l, r);
  }
  if (ka == kb) {
    return ka == ValueKind::Int ? cmp(a.int_value(), b.int_value())
                                : cmp(a.uint_value(), b.uint_value());
  }
  if (ka == ValueKind::Int) {
    if (a.int_value() < 0) return -1;
    return cmp(static_cast<uint64_t>(a.int_value()), b.uint_value());
  }
  if (b.int_value() < 0) return 1;
  return cmp(a.uint_value(), static_cast<uint64_t>(b.int_value()));
}

}  // namespace

int compare_numeric(const Value& a, const Value& b) { return compare_numbers(a, b); }

Value equal(const Value& a, const Value& b) {
  if (a.is_error()) return a;
  if (b.is_error()) return b;
  const ValueKind ka = a.kind(), kb = b.kind();
  if (is_number(ka) && is_number(kb)) return Value::boolean(compare_numbers(a, b) == 0);
  if (ka != kb) {
    if (ka == ValueKind::Quantity || ka == ValueKind::Semver || ka == ValueKind::Opaque)
      return Value::error("no such overload");
    return Value::boolean(false);
  }
  switch (ka) {
    case ValueKind::Null:
      return Value::boolean(true);
    case ValueKind::Bool:
      return Value::boolean(a.bool_value() == b.bool_value());
    case ValueKind::String:
      return Value::boolean(a.string_value() == b.string_value());
    case ValueKind::Bytes:
      return Value::boolean(a.bytes_value() == b.bytes_value());
    case ValueKind::Type:
      return Value::boolean(a.type_name() == b.type_name());
    case ValueKind::Quantity:
      if (b.quantity_is_computed()) return Value::error("no such overload");
      return Value::boolean(a.quantity_value() == b.quantity_value());
    case ValueKind::Semver:
      return Value::boolean(a.semver_value() == b.semver_value());
    case ValueKind::Duration:
      return Value::boolean(a.duration_value() == b.duration_value());
    case ValueKind::Timestamp:
      return Value::boolean(a.timestamp_value().seconds == b.timestamp_value().seconds &&
                            a.timestamp_value().nanos == b.timestamp_value().nanos);
    case ValueKind::Opaque:
      if (a.opaque_value().type_name() != b.opaque_value().type_name())
        return Value::error("no such overload");
      return Value::boolean(a.opaque_value().equal(b.opaque_value()));
    case ValueKind::Optional: {
      const Value* x = a.optional_value();
      const Value* y = b.optional_value();
      if (!x || !y) return Value::boolean(!x && !y);
      return equal(*x, *y);
    }
    case ValueKind::List: {
      const ListPayload& x = a.list_value();
      const ListPayload& y = b.list_value();
      if (x.size() != y.size()) return Value::boolean(false);
      // cel-go: a false element decides; otherwise the first error.
      Value err;
      bool have_err = false;
      for (size_t i = 0; i < x.size(); ++i) {
        Value r = equal(x[i], y[i]);
        if (r.is_error()) {
          if (!have_err) err = r, have_err = true;
        } else if (!r.bool_value()) {
          return r;
        }
      }
      return have_err ? err : Value::boolean(true);
    }
    case ValueKind::Map: {
      const MapPayload& x = a.map_value();
      const MapPayload& y = b.map_value();
      if (x.entries.size() != y.entries.size()) return Value::boolean(false);
      Value err;
      bool have_err = false;
      for (const auto& [k, v] : x.entries) {
        const Value* w = y.find(k);
        if (!w) return Value::boolean(false);
        Value r = equal(v, *w);
        if (r.is_error()) {
          if (!have_err) err = r, have_err = true;
        } else if (!r.bool_value()) {
          return r;
        }
      }
      return have_err ? err : Value::boolean(true);
    }
    default:
      return Value::boolean(false);
  }
}

bool equals(const Value& a, const Value& b) {
  const Value r = equal(a, b);
  return r.kind() == ValueKind::Bool && r.bool_value();
}

namespace {
std::string quote(std::string_view s, bool bytes) {
  std::string out = bytes ? "b\"" : "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f || (bytes && c >= 0x80))
          out += fmt::format("\\x{:02x}", c);
        else
          out += static_cast<char>(c);
    }
  }
  return out + "\"";
}
}  // namespace

std::string cel_string_literal(std::string_view s) { return quote(s, false); }

std::string to_debug_string(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Null:
      return "null";
    case ValueKind::Bool:
      return v.bool_value() ? "true" : "false";
    case ValueKind::Int:
      return std::to_string(v.int_value());
    case ValueKind::Uint:
      return std::to_string(v.uint_value()) + "u";
    case ValueKind::Double: {
      const double d = v.double_value();
      if (std::isnan(d)) return "double(\"NaN\")";
      if (std::isinf(d)) return d > 0 ? "double(\"Infinity\")" : "double(\"-Infinity\")";
      std::string s = fmt::format("{}", d);
      if (s.find_first_of(".eE") == std::string::npos) s += ".0";
      return s;
    }
    case ValueKind::String:
      return quote(v.string_value(), false);
    case ValueKind::Bytes:
      return quote(v.bytes_value(), true);
    case ValueKind::List: {
      std::string out = "[";
      const char* sep = "";
      for (const Value& e : v.list_value()) out += sep + to_debug_string(e), sep = ", ";
      return out + "]";
    }
    case ValueKind::Map: {
      std::string out = "{";
      const char* sep = "";
      for (const auto& [k, e] : v.map_value().entries)
        out += sep + to_debug_string(k) + ": " + to_debug_string(e), sep = ", ";
      return out + "}";
    }
    case ValueKind::Type:
      return v.type_name();
    case ValueKind::Optional:
      return v.optional_value() ? "optional.of(" + to_debug_string(*v.optional_value()) + ")"
                                : "optional.none()";
    case ValueKind::Error:
      return "error(" + quote(v.error_message(), false) + ")";
    case ValueKind::Quantity:
      return "quantity(\"" + v.quantity_value().to_string() + "\")";
    case ValueKind::Semver:
      return "semver(\"" + v.semver_value().to_string() + "\")";
    case ValueKind::Opaque:
      return v.opaque_value().debug_string();
    case ValueKind::Duration:
      return "duration(\"" + format_duration(v.duration_value()) + "\")";
    case ValueKind::Timestamp: {
      TimestampValue utc = v.timestamp_value();
      utc.offset = 0;
      return "timestamp(\"" + format_timestamp(utc) + "\")";
    }
  }
  return "?";
}

}  // namespace dra::selectors
