// src/selectors/types.hpp -- CEL types as the type checker sees them.
// cel-go's checker types in miniature: primitives, list(T), map(K, V), optional_type(T),
// type(T), named opaque library types (kubernetes.Quantity, net.IP, ...), the DRA device
// object, type parameters of generic overloads (A, K, V) and dyn. Types print as cel-go
// prints them in messages: "list(int)", "map(string, dyn)", "kubernetes.Quantity".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dra::selectors {

class Value;

struct Type {
  enum class Kind {
    Dyn,
    Null,
    Bool,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    Duration,   // google.protobuf.Duration
    Timestamp,  // google.protobuf.Timestamp
    List,       // params[0]: element
    Map,        // params[0]: key, params[1]: value
    Optional,   // params[0]
    TypeType,   // type(params[0]); params empty for a plain `type`
    Opaque,     // name: "kubernetes.Quantity", "net.IP", ...
    Object,     // name: "kubernetes.DRADevice"
    Param,      // a type parameter of a generic overload; name: "A"
    Error,      // the type of an expression that failed to check
  };
  Kind kind = Kind::Dyn;
  std::string name;
  std::vector<Type> params;

  static Type dyn() { return {}; }
  static Type of(Kind k) { return Type{k, {}, {}}; }
  static Type list(Type elem) { return Type{Kind::List, {}, {std::move(elem)}}; }
  static Type map(Type k, Type v) { return Type{Kind::Map, {}, {std::move(k), std::move(v)}}; }
  static Type optional(Type t) { return Type{Kind::Optional, {}, {std::move(t)}}; }
  static Type type_of(Type t) { return Type{Kind::TypeType, {}, {std::move(t)}}; }
  static Type opaque(std::string n) { return Type{Kind::Opaque, std::move(n), {}}; }
  static Type param(std::string n) { return Type{Kind::Param, std::move(n), {}}; }

  bool operator==(const Type&) const = default;
};

// Parses the notation of overload signatures and prints it back: "int", "list(A)",
// "map(string, dyn)", "optional_type(V)", "type(A)", "kubernetes.Quantity". A single
// upper-case letter is a type parameter; any other dotted name an opaque type. nullopt
// when `text` is malformed.
std::optional<Type> parse_type(std::string_view text);

// cel-go's spelling in messages: "list(int)", "map(string, dyn)", "optional_type(int)",
// "type(int)", "google.protobuf.Duration", "null_type", "kubernetes.DRADevice".
std::string to_string(const Type& t);

// The library types that are also identifiers, as type values: kubernetes.Quantity,
// kubernetes.Semver, kubernetes.URL, kubernetes.NamedFormat, net.IP, net.CIDR; and the
// well-known google.protobuf.Duration and google.protobuf.Timestamp.
bool is_library_type_name(std::string_view name);

// Whether a runtime value may be passed where `t` is declared, judged on the value's kind
// on the value's kind: dyn and type parameters take anything, list(T) any list, map(K, V)
// any map, an opaque type values of that name. Implementations of overloads that differ
// only in element types pick by the elements themselves, as cel-go's dyn dispatch does.
bool accepts(const Type& t, const Value& v);

}  // namespace dra::selectors
