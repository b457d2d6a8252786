// src/author/where.hpp -- `--where` conditions in plain words ("model=H100", "memory>=40Gi",
// "driverVersion>=535.0.0", "mig", "!mig", "model in (A100,H100)", "has(foo)") made into
// CEL device selectors that cannot fail at run time (each read is guarded by has()).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/model.hpp"

namespace dra::author {

// What a name stands for on the devices: an attribute of some type, or a capacity.
enum class ValueType { String, Int, Bool, Version, Quantity, Strings, Ints, Bools, Versions };
std::string_view to_string(ValueType t);

// The names the devices of a class publish, with their types (from a dump, --against).
// Without one, a condition's type comes from its literal.
struct Vocabulary {
  struct Entry {
    std::string domain, id;  // qualified: domain "/" id
    bool capacity = false;
    ValueType type = ValueType::String;
  };
  std::vector<Entry> entries;  // each (domain, id, capacity) once; a name may have two types
  // Every name the devices publish: attributes and capacities, with their types.
  static Vocabulary of(
      const std::vector<std::pair<const k8s::ResourceSlice*, const k8s::Device*>>& devices);
};

// Why a condition cannot be turned into CEL: `column` (1-based) in the condition.
struct WhereError {
  size_t column = 1;
  std::string message;
  std::string hint;
};

struct WhereResult {
  std::string cel;  // set when error is empty
  std::optional<WhereError> error;
};

// A template's parameter value: `{name}` in a condition's value position stands for it,
// substituted after parsing (never re-read as condition text); a string is a string literal.
struct ParamValue {
  std::string text;
  bool is_string = true;
};
using ParamValues = std::vector<std::pair<std::string, ParamValue>>;

// The CEL expression for `condition`. Bare names are in `domain` (the class's driver); a
// qualified name ("domain/id") keeps its own. `vocabulary`: the names the class's devices
// publish, when known.
WhereResult where_to_cel(std::string_view condition, std::string_view domain,
                         const Vocabulary* vocabulary, const ParamValues* params = nullptr);

}  // namespace dra::author
