// src/selectors/parser.hpp -- parses a CEL expression into an Expr (ast.hpp).
// The grammar is cel-spec's (doc/langdef.md) with what the Kubernetes environment adds to
// cel-go's parser: optional syntax (a.?b, a[?b], [?x], {?k: v}) and the macros of
// ast.hpp's MacroKind. Message construction (Msg{f: v}) and backquoted identifiers are
// rejected: DRA declares no message types and Kubernetes does not enable escapes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "selectors/ast.hpp"

namespace dra::selectors {

// cel-go's parser defaults; Kubernetes sets neither limit (apiserver
// pkg/cel/environment/base.go, DRA cel/compile.go), so these are the limits selectors have.
inline constexpr uint32_t kMaxCodePoints = 100'000;  // parser.expressionSizeCodePointLimit
inline constexpr uint32_t kMaxRecursionDepth = 250;  // parser.maxRecursionDepth

struct ParseOptions {
  uint32_t max_code_points = kMaxCodePoints;
  uint32_t max_depth = kMaxRecursionDepth;
};

struct ParseError {
  uint32_t offset = 0;  // byte offset of the offending character in the expression
  std::string message;  // lowercase, no final period, e.g. unexpected "="; comparisons use "=="
  friend bool operator==(const ParseError&, const ParseError&) = default;
};

struct ParseResult {
  std::optional<Expr> expr;        // set when errors is empty
  std::vector<ParseError> errors;  // in order of offset; the first syntax error ends parsing
  bool ok() const { return errors.empty(); }
};

// Parses `expression`. Never throws for bad input: every problem is a ParseError. After a
// syntax error parsing stops; errors that do not break the structure (a reserved word used
// as a name, an out-of-range literal, a malformed macro) are all reported.
ParseResult parse(std::string_view expression, const ParseOptions& options = {});

// 1-based line and column of a byte offset; columns count code points, as cel-go does.
struct LineColumn {
  uint32_t line = 1;
  uint32_t column = 1;
};
LineColumn line_column(std::string_view expression, uint32_t offset);

// "line:column: message" for each error, one per line, for tests and messages.
std::string format_errors(std::string_view expression, const std::vector<ParseError>& errors);

}  // namespace dra::selectors
