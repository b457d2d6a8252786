// src/selectors/program.hpp -- the front door of the CEL engine: compile an expression
// once (parse, type-check, the program-building checks cel-go makes), evaluate it many
// times. Mirrors DRA's cel/compile.go: a selector must have type bool (or dyn, the type of
// attribute values), constant conversions that fail ("int('x')") fail the compilation as
// cel-go's constant folding makes them, and messages read as upstream's.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "selectors/checker.hpp"
#include "selectors/eval.hpp"

namespace dra::selectors {

// Where a problem was found: the JSON contract of `cel eval` names these.
enum class Phase { Parse, Check, Eval };
std::string_view phase_name(Phase p);  // "parse", "check", "eval"

struct Issue {
  Phase phase = Phase::Parse;
  uint32_t offset = 0;  // byte offset in the expression
  std::string message;  // cel-go's text, e.g. "undeclared reference to 'x' (in container '')"
};

struct CompileOptions {
  const CheckEnv* env = nullptr;  // nullptr: dra_check_env()
  // DRA selectors: the result type must be bool or dyn ("must evaluate to bool or the
  // unknown type, not int"). Off for `cel eval`, which evaluates any expression.
  bool require_bool = true;
};

class Program {
 public:
  Program(std::string expression, std::unique_ptr<Expr> ast, CheckResult checked);
  ~Program();
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  const std::string& expression() const { return expression_; }
  const Expr& ast() const { return *ast_; }
  const Type& type() const { return checked_.type; }       // the checked result type
  const CheckResult& checked() const { return checked_; }  // node types
  Value evaluate(const Activation& activation, const EvalOptions& options = {}) const;

 private:
  std::string expression_;
  std::unique_ptr<Expr> ast_;
  CheckResult checked_;
  std::unique_ptr<Evaluator> evaluator_;
};

struct Compiled {
  std::shared_ptr<const Program> program;  // set when issues is empty
  std::vector<Issue> issues;               // sorted by offset; all of one phase
  bool ok() const { return issues.empty(); }
};

Compiled compile(std::string_view expression, const CompileOptions& options = {});

// What each sub-expression of `program` evaluated to, innermost first, for explain: the
// source text of the sub-expression and its value ("error: ..." for an error), leaving out
// literals, maps (device, device.attributes: they say nothing new) and sub-expressions
// whose text is their value. Sub-expressions inside comprehension bodies are not traced.
std::vector<std::pair<std::string, std::string>> trace_values(const Program& program,
                                                              const Activation& activation);

// The limits the API server enforces on a selector expression (kubernetes/api resource/v1
// CELSelectorExpressionMaxLength, CELSelectorExpressionMaxCost; spec/cel.md §1.4, §7.1).
inline constexpr size_t kMaxSelectorLength = 10 * 1024;

// A selector checked as the API server validates it: longer than kMaxSelectorLength bytes
// is an issue ("must be no more than 10240 bytes"), else it is compiled, and an estimated
// cost above the limit is an issue ("too complex, exceeds cost limit"). `estimated_cost`
// (if given) receives the estimate's maximum when the selector compiles.
std::vector<Issue> check_selector(std::string_view expression, uint64_t* estimated_cost = nullptr);

// cel-go's rendering of issues, as DRA reports them after "compilation failed: ":
//   ERROR: <input>:1:5: undeclared reference to 'x' (in container '')
//    | 1 + x
//    | ....^
// (several issues separated by newlines).
std::string format_issues(std::string_view expression, const std::vector<Issue>& issues);

}  // namespace dra::selectors
