// src/selectors/library.hpp -- the functions of the DRA CEL environment, declared once.
// Every function (standard, extension, Kubernetes, DRA) is a table of overloads, each
// with cel-go's overload id, a signature in text, its implementation and, where upstream
// charges more than 1, its runtime cost and cost estimate. The type checker resolves
// calls against the signatures; the evaluator calls the implementations, choosing among
// a function's overloads by the kinds of the runtime arguments when the static types
// leave more than one (dyn). Operators are declared here too (names "_+_", "_==_", ...)
// for the checker; the evaluator implements those itself.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "selectors/types.hpp"
#include "selectors/value.hpp"

namespace dra::selectors {

// The implementation of an overload. args: the receiver first for a receiver-style call
// (`s.f(x)` gets {s, x}), then the arguments; never an error value (errors in arguments
// propagate before the call). Returns the result or an error Value with cel-go's message.
using Impl = Value (*)(std::span<const Value> args);

// Runtime cost of one call with these arguments and result, as cel-go/Kubernetes charge it
// (spec/cel.md §7.2). nullptr: 1.
using CallCost = uint64_t (*)(std::span<const Value> args, const Value& result);

// Estimated sizes (string length in code points, bytes length, list or map entries) of
// the arguments of a call, as the cost estimator knows them.
struct SizeEstimate {
  uint64_t min = 0;
  uint64_t max = std::numeric_limits<uint64_t>::max();
};
struct CostEstimate {
  uint64_t min = 1;
  uint64_t max = 1;
};
struct CallEstimate {
  CostEstimate cost;
  std::optional<SizeEstimate> result_size;  // nullopt: unknown
};
// The estimated cost of one call (Kubernetes' library/cost.go EstimateCallCost).
// nullptr: cost 1, result size unknown.
using EstimateCost = CallEstimate (*)(std::span<const SizeEstimate> args);

struct OverloadDecl {
  // cel-go's overload id: "list_indexof", "string_lower_ascii", "ip", ...
  std::string_view id;
  // "NAME(T1, T2) -> R" for a global call, "T0.NAME(T1) -> R" for a receiver call; NAME
  // may be qualified ("sets.contains(list(A), list(A)) -> bool"). Types in the notation
  // of parse_type; one upper-case letter is a type parameter.
  std::string_view signature;
  Impl impl = nullptr;  // nullptr: implemented inside the evaluator (operators, macros)
  CallCost cost = nullptr;
  EstimateCost estimate = nullptr;
};

// The libraries, each a static table (src/selectors/lib_*.cpp).
std::span<const OverloadDecl> standard_library();  // operators, size, conversions, ...
std::span<const OverloadDecl> kubernetes_quantity_library();
std::span<const OverloadDecl> kubernetes_semver_library();
std::span<const OverloadDecl> kubernetes_regex_library();  // find, findAll
std::span<const OverloadDecl> kubernetes_lists_library();  // isSorted, sum, min, ...
std::span<const OverloadDecl> kubernetes_url_library();
std::span<const OverloadDecl> kubernetes_ip_library();
std::span<const OverloadDecl> kubernetes_cidr_library();
std::span<const OverloadDecl> kubernetes_format_library();
std::span<const OverloadDecl> strings_extension();  // cel-go ext.Strings version 2
std::span<const OverloadDecl> lists_extension();    // cel-go ext.Lists version 3
std::span<const OverloadDecl> sets_extension();     // cel-go ext.Sets
std::span<const OverloadDecl> dra_library();        // includes

// An overload with its signature parsed.
struct Overload {
  const OverloadDecl* decl = nullptr;
  bool receiver = false;     // declared as T0.NAME(...)
  std::vector<Type> params;  // the receiver first when `receiver`
  Type result;
};

struct Function {
  std::string name;  // qualified: "sets.contains", "optional.of", "_+_"
  std::vector<Overload> overloads;
};

// The function of that (qualified) name in the DRA environment, or nullptr.
const Function* find_function(std::string_view name);

// Every declared function; for completion and tests.
std::span<const Function> all_functions();

// The runtime dispatch: the first overload of `f` with this call style and arity whose
// declared parameter types accept the runtime arguments (types.hpp accepts()), or
// nullptr ("no such overload").
const Overload* select_overload(const Function& f, bool receiver, std::span<const Value> args);

}  // namespace dra::selectors
