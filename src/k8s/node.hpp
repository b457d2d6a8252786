// src/k8s/node.hpp -- the one internal document interface: a parsed YAML or JSON document
// with the position of every node. Both parsers (json_parser, yaml_parser) produce it and
// everything above them reads it; nothing above k8s/ sees which syntax a file used.
//
// Nodes live in an Arena owned by the parser run that made them and are valid only as long
// as it; the loader turns each top-level object into model structs and then drops them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace dra::k8s {

// A 1-based line and column (in characters for YAML, bytes for JSON); 0 = unknown.
struct Pos {
  uint32_t line = 0;
  uint32_t column = 0;
  bool known() const { return line != 0; }
  friend bool operator==(const Pos&, const Pos&) = default;
};

enum class NodeKind : uint8_t { Scalar, Sequence, Mapping };

// How a scalar was written. Plain scalars are resolved as sigs.k8s.io/yaml (go-yaml v2)
// resolves them (null, bool, int, float, else string); quoted and block scalars are strings.
// JSON strings are Quoted; JSON numbers, true, false and null are Plain.
enum class ScalarStyle : uint8_t { Plain, Quoted, Literal, Folded };

// What a scalar means once resolved.
enum class ScalarType : uint8_t { Null, Bool, Int, Float, String };

struct Node {
  NodeKind kind = NodeKind::Scalar;
  ScalarStyle style = ScalarStyle::Plain;
  bool tagged_string = false;      // an explicit !!str tag
  Pos pos;                         // where the node starts
  std::string_view text;           // scalar: the decoded value
  const Node* children = nullptr;  // sequence: items; mapping: key, value, key, value ...
  uint32_t size = 0;               // sequence: items; mapping: pairs

  bool is_scalar() const { return kind == NodeKind::Scalar; }
  bool is_sequence() const { return kind == NodeKind::Sequence; }
  bool is_mapping() const { return kind == NodeKind::Mapping; }
  ScalarType scalar_type() const;  // only for scalars
  bool is_null() const { return is_scalar() && scalar_type() == ScalarType::Null; }
  // An Int scalar's value as go-yaml reads it (sign, 0x/0o/0b and leading-0 octal, "_"
  // separators); nullopt when it does not fit in int64. Precondition: scalar_type() is Int.
  std::optional<int64_t> int_value() const;

  // Sequence items and mapping pairs. Preconditions: kind matches.
  const Node& item(uint32_t i) const { return children[i]; }
  const Node& key(uint32_t i) const { return children[2 * i]; }
  const Node& value(uint32_t i) const { return children[2 * i + 1]; }
  // The value for `key` in a mapping, or nullptr (also for non-mappings).
  const Node* find(std::string_view key) const;
};

// A short word for a node's kind, for messages: "a mapping", "a list", "a string", "null" ...
std::string_view describe(const Node& node);

// Bump allocator for nodes and decoded strings. Not thread-safe.
class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  Node* nodes(size_t n);
  std::string_view copy(std::string_view s);
  void reset();  // frees nothing back to the system; reuses the first block
  size_t bytes_reserved() const { return reserved_; }

 private:
  void* allocate(size_t bytes, size_t align);
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<size_t> sizes_;
  size_t block_ = 0, used_ = 0, reserved_ = 0;
};

}  // namespace dra::k8s
