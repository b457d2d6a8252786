// src/selectors/value.hpp -- CEL runtime values, as the evaluator produces and consumes them.
// A Value is small and cheap to copy: scalars inline, strings, lists, maps and opaque
// Kubernetes values behind shared pointers to immutable payloads. Errors are values too
// (cel-cpp's runtime/runtime.h): an evaluation returns a Value of kind Error carrying the
// message cel-go would report, e.g. "no such key: cores".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "k8s/quantity.hpp"
#include "k8s/semver.hpp"

namespace dra::selectors {

enum class ValueKind {
  Null,
  Bool,
  Int,
  Uint,
  Double,
  String,
  Bytes,
  List,
  Map,
  Type,
  Optional,
  Error,
  Quantity,   // kubernetes.Quantity
  Semver,     // kubernetes.Semver
  Opaque,     // a library type: net.IP, net.CIDR, kubernetes.URL, ... (OpaqueValue)
  Duration,   // google.protobuf.Duration: signed nanoseconds
  Timestamp,  // google.protobuf.Timestamp (TimestampValue)
};

// A point in time between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999999Z, with the
// UTC offset it was written with (kept only for its text form, as Go's time.Time keeps its
// location: string(timestamp("2009-02-13T23:31:30+01:00")) keeps "+01:00").
struct TimestampValue {
  int64_t seconds = 0;  // since 1970-01-01T00:00:00Z
  int32_t nanos = 0;    // 0 .. 999999999
  int32_t offset = 0;   // seconds east of UTC, for the text form
};

class Value;
struct MapPayload;

// A value of a type that a library defines (ip(), cidr(), url(), format.*): the core only
// needs its CEL type name, its equality and its printed forms.
class OpaqueValue {
 public:
  virtual ~OpaqueValue() = default;
  virtual std::string_view type_name() const = 0;  // "net.IP"
  // Precondition: `other` has the same type_name().
  virtual bool equal(const OpaqueValue& other) const = 0;
  // The value in CEL syntax, for messages and tests: ip("10.0.0.1").
  virtual std::string debug_string() const = 0;
  // The plain text form (what string(x) gives, and `cel eval -o json` prints).
  virtual std::string text() const = 0;
};

using ListPayload = std::vector<Value>;

class Value {
 public:
  Value() = default;  // null
  static Value null() { return {}; }
  static Value boolean(bool b) { return Value(Rep(std::in_place_index<1>, b)); }
  static Value integer(int64_t i) { return Value(Rep(std::in_place_index<2>, i)); }
  static Value uinteger(uint64_t u) { return Value(Rep(std::in_place_index<3>, u)); }
  static Value dbl(double d) { return Value(Rep(std::in_place_index<4>, d)); }
  static Value string(std::string s);
  static Value bytes(std::string b);
  static Value list(ListPayload items);
  // Entries in insertion order; a later duplicate key replaces the earlier one (cel-go).
  // Precondition: keys are bool, int, uint or string.
  static Value map(std::vector<std::pair<Value, Value>> entries);
  // A map that answers a lookup of any absent key with an empty map (DRA's
  // device.attributes and device.capacity, spec/cel.md §2.2); iteration, size and `in`
  // see only the real entries.
  static Value defaulting_map(std::vector<std::pair<Value, Value>> entries);
  static Value type(std::string name);  // a type value: "int", "map", "kubernetes.Quantity"
  static Value optional_none();
  static Value optional_of(Value v);
  static Value error(std::string message);
  static Value quantity(k8s::Quantity q);
  // The result of quantity add/sub. Upstream returns it in another object form (a
  // pointer) that its Quantity equality refuses as the right operand: `q == q.add(1)` is
  // "no such overload", `q.add(1) == q` compares (spec/cel.md §5.2 QUIRK).
  static Value computed_quantity(k8s::Quantity q);
  static Value semver(k8s::Semver v);
  static Value opaque(std::shared_ptr<const OpaqueValue> v);
  static Value duration(int64_t nanoseconds) {
    return Value(Rep(std::in_place_index<15>, nanoseconds));
  }
  static Value timestamp(TimestampValue t) { return Value(Rep(std::in_place_index<16>, t)); }

  ValueKind kind() const { return static_cast<ValueKind>(rep_.index()); }
  bool is_error() const { return kind() == ValueKind::Error; }

  // Accessors; precondition: the matching kind.
  bool bool_value() const { return std::get<1>(rep_); }
  int64_t int_value() const { return std::get<2>(rep_); }
  uint64_t uint_value() const { return std::get<3>(rep_); }
  double double_value() const { return std::get<4>(rep_); }
  const std::string& string_value() const { return *std::get<5>(rep_).s; }  // UTF-8
  const std::string& bytes_value() const { return *std::get<6>(rep_).s; }
  const ListPayload& list_value() const { return *std::get<7>(rep_); }
  const MapPayload& map_value() const { return *std::get<8>(rep_); }
  const std::string& type_name() const { return *std::get<9>(rep_).s; }
  // Optional: nullptr when empty.
  const Value* optional_value() const { return std::get<10>(rep_).get(); }
  const std::string& error_message() const { return *std::get<11>(rep_).s; }
  const k8s::Quantity& quantity_value() const { return *std::get<12>(rep_).q; }
  bool quantity_is_computed() const { return std::get<12>(rep_).computed; }  // see above
  const k8s::Semver& semver_value() const { return *std::get<13>(rep_); }
  const OpaqueValue& opaque_value() const { return *std::get<14>(rep_); }
  int64_t duration_value() const { return std::get<15>(rep_); }  // nanoseconds
  const TimestampValue& timestamp_value() const { return std::get<16>(rep_); }

 private:
  struct Text {
    std::shared_ptr<const std::string> s;
  };
  struct QuantityRef {
    std::shared_ptr<const k8s::Quantity> q;
    bool computed = false;
  };
  using Rep = std::variant<std::monostate, bool, int64_t, uint64_t, double, Text, Text,
                           std::shared_ptr<const ListPayload>, std::shared_ptr<const MapPayload>,
                           Text, std::shared_ptr<const Value>, Text, QuantityRef,
                           std::shared_ptr<const k8s::Semver>, std::shared_ptr<const OpaqueValue>,
                           int64_t, TimestampValue>;
  explicit Value(Rep rep) : rep_(std::move(rep)) {}
  Rep rep_;
};

struct MapPayload {
  std::vector<std::pair<Value, Value>> entries;  // insertion order, keys unique
  bool absent_is_empty_map = false;              // see Value::defaulting_map
  // The entry whose key equals `key` under CEL equality (1 finds 1u and 1.0), or nullptr.
  const Value* find(const Value& key) const;
  // The same for a string key.
  const Value* find_string(std::string_view key) const;
};

// The CEL runtime type name: "bool", "int", "uint", "double", "string", "bytes", "list",
// "map", "null_type", "type", "optional_type", "kubernetes.Quantity", "kubernetes.Semver",
// "google.protobuf.Duration", "google.protobuf.Timestamp"; "error" for errors.
// Precondition: kind is not Opaque (use type_name(const Value&)).
std::string_view type_name(ValueKind kind);
// The runtime type name of this value, opaque library types included.
std::string_view type_name(const Value& v);

// CEL equality (cel-go's Equal): numbers compare by value across int, uint and double;
// values of different kinds are unequal; NaN is unequal to everything; lists and maps
// compare element-wise. Returns a bool Value, or an error when an operand is an error,
// or "no such overload" when the left operand is a Quantity or Semver and the right one
// is of another kind (upstream's asymmetry, spec/cel.md §3) or a computed quantity (§5.2);
// likewise for opaque library values on the left.
Value equal(const Value& a, const Value& b);

// Precondition: both numbers (int, uint or double). -1, 0 or 1, as cel-go compares across
// kinds: ints exactly, an int with a double as doubles unless the double is outside the
// int's range; 2 when a NaN makes them unordered.
int compare_numeric(const Value& a, const Value& b);

// The same comparison as a plain bool, errors counting as "not equal" (`in`, map keys).
bool equals(const Value& a, const Value& b);

// The value in CEL literal syntax, for messages and tests: 1, 1u, 1.0, "a", b"\xff",
// [1, 2], {"a": 1}, null, int, optional.of(1), optional.none(), error("..."),
// duration("3600s"), timestamp("2009-02-13T23:31:30Z") (cel-go's forms; timestamps in UTC).
std::string to_debug_string(const Value& v);

// A CEL string literal for `s`: double quotes, with quotes, backslashes and control
// characters escaped.
std::string cel_string_literal(std::string_view s);

}  // namespace dra::selectors
