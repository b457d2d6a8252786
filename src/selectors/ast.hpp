// src/selectors/ast.hpp -- the CEL abstract syntax tree the parser produces.
// One node type, Expr, tagged by kind. Operators keep their own kinds (not calls named
// "_+_" as in cel-go) and macros stay unexpanded (kind Macro), so the evaluator and
// explain can see what the user wrote. Every node carries the byte offset of the
// character that defines it in the expression (see Expr::offset).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dra::selectors {

struct Function;  // library.hpp

enum class ExprKind {
  Literal,      // constant: see Constant
  Ident,        // name; a leading dot (".a") is kept in the name
  Select,       // args[0].name, or args[0].?name when optional
  Index,        // args[0][args[1]], or args[0][?args[1]] when optional
  Call,         // name(args...), or args[0].name(args[1..]) when has_target
  List,         // [args...]; optional[i] marks "?elem"
  Map,          // {args[0]: args[1], args[2]: args[3], ...}; optional[i] marks entry i "?key"
  Unary,        // op args[0]
  Binary,       // args[0] op args[1]
  Conditional,  // args[0] ? args[1] : args[2]
  Macro,        // see MacroKind for the shape of vars and args
};

enum class Op {
  None,
  Not,
  Negate,  // unary
  Or,
  And,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  In,
  Add,
  Sub,
  Mul,
  Div,
  Mod,
};

// The macros of the DRA environment: cel-go's standard macros, the two-variable
// comprehensions (ext.TwoVarComprehensions), cel.bind (ext.Bindings) and the optional
// macros (cel.OptionalTypes).
enum class MacroKind {
  Has,                // has(args[0]); args[0] is a Select
  All,                // args[0].all(vars[0], args[1]); two-variable form: vars[0], vars[1]
  Exists,             // as All
  ExistsOne,          // as All; spelled exists_one or existsOne (see Expr::name)
  Map,                // args[0].map(vars[0], args[1]) or args[0].map(vars[0], filter, transform)
  Filter,             // args[0].filter(vars[0], args[1])
  TransformList,      // args[0].transformList(vars[0], vars[1], [filter,] transform)
  TransformMap,       // as TransformList
  TransformMapEntry,  // as TransformList
  Bind,               // cel.bind(vars[0], args[0] init, args[1] body); named "sortBy" when it
                      // is the expansion of l.sortBy(x, key) (parser.cpp sort_by)
  OptMap,             // args[0].optMap(vars[0], args[1])
  OptFlatMap,         // args[0].optFlatMap(vars[0], args[1])
};

// The variable of the sortBy expansion; no CEL identifier can be spelled so.
inline constexpr std::string_view kSortByInput = "@__sortBy_input__";

// A literal value. Strings hold UTF-8; bytes hold arbitrary octets.
struct Constant {
  enum class Kind { Null, Bool, Int, Uint, Double, String, Bytes };
  Kind kind = Kind::Null;
  bool bool_value = false;
  int64_t int_value = 0;
  uint64_t uint_value = 0;
  double double_value = 0;
  std::string bytes;  // String and Bytes
};

struct Expr {
  ExprKind kind = ExprKind::Literal;
  // Byte offset in the expression of: the first character of a literal or identifier; the
  // operator of a unary, binary or conditional ("?"); the "." of a select; the "[" of an
  // index or list; the "{" of a map; the "(" of a call or macro.
  uint32_t offset = 0;
  Op op = Op::None;
  MacroKind macro = MacroKind::Has;
  bool optional = false;          // Select ".?" and Index "[?"
  bool has_target = false;        // Call: receiver style, the receiver is args[0]
  std::string name;               // Ident, Select field, Call function, Macro as written
  Constant constant;              // Literal
  std::vector<std::string> vars;  // Macro: iteration or bound variables
  std::vector<bool> optionals;    // List elements / Map entries written with "?"
  std::vector<Expr> args;
  // Set by the type checker (checker.hpp) on a Call: the function it resolved to, and
  // whether the call names a namespaced function (sets.contains(a, b)), whose target
  // args[0] is then the namespace, not an argument. On a Select, `qualified` marks a
  // qualified name (net.IP) rather than a field selection.
  const Function* function = nullptr;
  bool qualified = false;
  // Set by the type checker: 1, 2, ... in pre-order, for the evaluator's side tables
  // (constants, planned overloads); 0 in an unchecked tree.
  uint32_t id = 0;
  uint32_t height = 1;  // nodes on the longest path to a leaf; bounds recursion later
};

// The operator as written in CEL: "!", "-", "||", "==", "in", "+", ...
std::string_view op_symbol(Op op);

// The name cel-go declares the operator's function under: "!_", "-_", "_||_", "_==_",
// "@in", "_+_", ...; "" for Op::None.
std::string_view op_function_name(Op op);

// A canonical, fully parenthesised rendering for tests and debugging: every unary, binary
// and conditional operation in parentheses, macros marked with "@" (m.@all(x, p),
// @has(a.b), @cel.bind(x, i, e)), literals in a form that reads back to the same value
// (1u, 1.0, "\n", b"\xff").
std::string to_debug_string(const Expr& e);

// The expression as a person writes it, with parentheses only where precedence needs
// them: `device.driver == "x" && !(a || b)`. For explain.
std::string to_cel_string(const Expr& e);

}  // namespace dra::selectors
