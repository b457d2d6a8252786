// src/selectors/checker.hpp -- the CEL type checker for the DRA environment.
// A port of cel-go's checker behaviour (checker/checker.go, checker/types.go): every node
// gets a type, calls resolve against the declared overloads (library.hpp) with type
// parameters unified as cel-go unifies them, and what cel-go rejects at compile time is
// rejected here with cel-go's message ("found no matching overload for 'isQuantity'
// applied to '(list(int))'", "undeclared reference to 'x' (in container '')",
// "undefined field 'name'", ...). Kubernetes' AST validators run afterwards:
// homogeneous list and map literals, and literal `matches` patterns.
// The checker annotates the AST (Expr::function, Expr::qualified) for the evaluator.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "selectors/ast.hpp"
#include "selectors/types.hpp"

namespace dra::selectors {

// A message type the environment declares, with its fields (cel-go's type provider).
struct ObjectDecl {
  std::string name;
  std::vector<std::pair<std::string, Type>> fields;
};

struct CheckEnv {
  std::vector<std::pair<std::string, Type>> variables;
  std::vector<ObjectDecl> objects;
};

// The environment DRA selectors are compiled in (the stored-expressions flavour that the
// scheduler uses, spec/cel.md §1.3): `device` of type kubernetes.DRADevice with driver,
// allowMultipleAllocations, attributes map(string, map(string, dyn)) and capacity
// map(string, map(string, kubernetes.Quantity)).
const CheckEnv& dra_check_env();

// An environment without variables (for `cel eval` without a device).
const CheckEnv& empty_check_env();

struct CheckError {
  uint32_t offset = 0;  // byte offset in the expression, as Expr::offset
  std::string message;
};

struct CheckResult {
  Type type;  // the type of the whole expression (type parameters left become dyn)
  std::vector<CheckError> errors;  // sorted by offset
  // The type of every node (type parameters left become dyn), for the cost estimator and
  // explain. Keys point into the checked Expr.
  std::unordered_map<const Expr*, Type> types;
  bool ok() const { return errors.empty(); }
};

// Type-checks `expr` and annotates its calls. Never throws for bad input.
CheckResult check(Expr& expr, const CheckEnv& env);

// cel-go's FormatCELType: the spelling of types inside checker messages ("null",
// "duration", "timestamp", "!error!", otherwise as to_string).
std::string format_cel_type(const Type& t);

}  // namespace dra::selectors
