// src/k8s/value.hpp -- an owned, ordered JSON-like value: what the model keeps of fields it
// does not model (so nothing is lost on a round trip), opaque driver parameters, and the
// tree the writers print. Keys keep their input order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "k8s/node.hpp"
#include "util/thin_vec.hpp"

namespace dra::k8s {

struct ValueField;

struct Value {
  enum class Kind : uint8_t { Null, Bool, Int, Float, String, List, Map };
  Kind kind = Kind::Null;
  bool boolean = false;
  std::string text;                // String: the string; Int/Float: the number as written
  std::vector<Value> items;        // List
  std::vector<ValueField> fields;  // Map, in order
  Pos pos;                         // where it came from, if read from a file

  static Value null();
  static Value of(bool b);
  static Value of(int64_t i);
  static Value of(std::string s);
  static Value of(const char* s);
  static Value list();
  static Value map();

  bool is_null() const { return kind == Kind::Null; }
  // Map helpers. add() appends (the caller keeps keys unique); get() is nullptr if absent.
  Value& add(std::string key, Value v);
  const Value* get(std::string_view key) const;
  bool empty() const;
  friend bool operator==(const Value&, const Value&);
};

// One key and value of a Map, named as std::pair's members (structured bindings and
// `.first`/`.second` read alike). Not a std::pair: a pair holding Value inside Value is a
// recursive incomplete type that clang's standard-library checks refuse.
struct ValueField {
  std::string first;
  Value second;
  ValueField() = default;
  ValueField(std::string key, Value value) : first(std::move(key)), second(std::move(value)) {}
  friend bool operator==(const ValueField&, const ValueField&) = default;
};

// Defined once ValueField is complete (the vectors' members need it).
inline Value Value::null() { return Value(); }
inline Value Value::of(const char* s) { return of(std::string(s)); }
inline bool Value::empty() const { return items.empty() && fields.empty(); }

// A deep copy of a parsed node (aliases expanded), keeping positions.
Value to_value(const Node& node);

// A whole object kept as compact JSON text: a tenth of the memory of a Value tree, for
// objects kept only to be written back (core/v1 Pods and Nodes). Numbers in YAML-only
// forms (0x1f, 1_000) are normalised; everything else is kept as read.
struct RawJson {
  std::string text;  // empty: none
  bool empty() const { return text.empty(); }
  Value value() const;  // parses text; Null when empty
};
RawJson to_raw_json(const Node& node);

// Fields of an object the model does not know, in input order.
using Extras = util::ThinVec<std::pair<std::string, Value>>;

}  // namespace dra::k8s
