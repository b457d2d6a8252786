// src/selectors/program.cpp -- compile once, evaluate many times (program.hpp).
#include "selectors/program.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "selectors/cost.hpp"
#include "selectors/parser.hpp"

namespace dra::selectors {
namespace {

bool is_conversion(const Expr& e) {
  static constexpr std::string_view kConversions[] = {
      "int", "uint", "double", "string", "bytes", "bool", "dyn", "type", "duration", "timestamp"};
  if (e.kind != ExprKind::Call || e.has_target || e.args.size() != 1) return false;
  return std::find(std::begin(kConversions), std::end(kConversions), e.name) !=
         std::end(kConversions);
}

// 'literal'.format([constants...]): cel-go's string format validator checks the clauses
// against the arguments at compile time. With every argument a constant, formatting them
// now finds exactly the errors it reports.
bool is_constant_format(const Expr& e) {
  return e.has_target && e.name == "format" && e.args.size() == 2 &&
         e.args[0].kind == ExprKind::Literal && e.args[0].constant.kind == Constant::Kind::String &&
         e.args[1].kind == ExprKind::List;
}

// The number of arguments the clauses of a format string take ("%%" takes none).
size_t format_clauses(std::string_view f) {
  size_t n = 0;
  for (size_t i = 0; i + 1 < f.size(); ++i) {
    if (f[i] != '%') continue;
    if (f[i + 1] != '%') ++n;
    ++i;
  }
  return n;
}

void check_format(const Expr& e, std::vector<Issue>& issues) {
  const std::string& f = e.args[0].constant.bytes;
  size_t percents = 0;
  for (size_t i = f.size(); i > 0 && f[i - 1] == '%'; --i) ++percents;
  if (percents % 2 == 1) {  // a clause cut off at the end
    issues.push_back({Phase::Check, e.offset, "unexpected end of string"});
    return;
  }
  const Value v = evaluate(e, Activation{});
  if (v.is_error()) {
    issues.push_back({Phase::Check, e.offset, v.error_message()});
    return;
  }
  const size_t wanted = format_clauses(e.args[0].constant.bytes);
  if (e.args[1].args.size() > wanted) {
    issues.push_back({Phase::Check, e.offset,
                      fmt::format("too many arguments supplied to string.format (expected {}, "
                                  "got {})",
                                  wanted, e.args[1].args.size())});
  }
}

// cel-go's OptOptimize plan decorators: literals, list and map literals of constants, and
// type conversions of constants are constants; a constant conversion is evaluated while
// the program is built, so its failure is a compile-time error ("program instantiation
// failed"), even in a branch that would never run (spec/cel.md §11.1).
bool fold_constants(const Expr& e, std::vector<Issue>& issues) {
  bool all_const = true;
  for (size_t i = e.qualified ? 1 : 0; i < e.args.size(); ++i)
    all_const = fold_constants(e.args[i], issues) && all_const;
  switch (e.kind) {
    case ExprKind::Literal:
      return true;
    case ExprKind::List:
    case ExprKind::Map:
      return all_const;
    case ExprKind::Call: {
      if (all_const && is_constant_format(e)) check_format(e, issues);
      // optional.of(constant) and optional.none(): constant for the format check only.
      if (all_const && e.qualified && e.args[0].name == "optional" &&
          (e.name == "of" || e.name == "none"))
        return true;
      if (!all_const || !is_conversion(e)) return false;
      const Value v = evaluate(e, Activation{});
      if (v.is_error()) {
        issues.push_back(
            {Phase::Check, e.offset, "program instantiation failed: " + v.error_message()});
        return false;
      }
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

std::string_view phase_name(Phase p) {
  switch (p) {
    case Phase::Parse:
      return "parse";
    case Phase::Check:
      return "check";
    case Phase::Eval:
      return "eval";
  }
  return "?";
}

Program::Program(std::string expression, std::unique_ptr<Expr> ast, CheckResult checked)
    : expression_(std::move(expression)),
      ast_(std::move(ast)),
      checked_(std::move(checked)),
      evaluator_(std::make_unique<Evaluator>(*ast_, checked_)) {}

Program::~Program() = default;

Value Program::evaluate(const Activation& activation, const EvalOptions& options) const {
  return evaluator_->evaluate(activation, options);
}

std::vector<std::pair<std::string, std::string>> trace_values(const Program& program,
                                                              const Activation& activation) {
  std::vector<std::pair<const Expr*, Value>> trace;
  EvalOptions options;
  options.trace = &trace;
  program.evaluate(activation, options);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [e, v] : trace) {
    if (e->kind == ExprKind::Literal || v.kind() == ValueKind::Map) continue;
    std::string text = to_cel_string(*e);
    std::string value = v.is_error() ? "error: " + v.error_message() : to_debug_string(v);
    if (text != value) out.emplace_back(std::move(text), std::move(value));
  }
  return out;
}

Compiled compile(std::string_view expression, const CompileOptions& options) {
  Compiled out;
  ParseResult parsed = parse(expression);
  if (!parsed.ok()) {
    for (ParseError& e : parsed.errors)
      out.issues.push_back({Phase::Parse, e.offset, "Syntax error: " + std::move(e.message)});
    return out;
  }
  auto ast = std::make_unique<Expr>(*std::move(parsed.expr));
  CheckResult checked = check(*ast, options.env ? *options.env : dra_check_env());
  if (!checked.ok()) {
    for (CheckError& e : checked.errors)
      out.issues.push_back({Phase::Check, e.offset, std::move(e.message)});
    return out;
  }
  if (options.require_bool && checked.type.kind != Type::Kind::Bool &&
      checked.type.kind != Type::Kind::Dyn) {
    out.issues.push_back({Phase::Check, 0,
                          fmt::format("must evaluate to bool or the unknown type, not {}",
                                      to_string(checked.type))});
    return out;
  }
  fold_constants(*ast, out.issues);
  if (!out.issues.empty()) return out;
  out.program =
      std::make_shared<const Program>(std::string(expression), std::move(ast), std::move(checked));
  return out;
}

std::vector<Issue> check_selector(std::string_view expression, uint64_t* estimated_cost) {
  if (expression.size() > kMaxSelectorLength) {
    return {{Phase::Check, 0,
             fmt::format("must be no more than {} bytes (this one has {})", kMaxSelectorLength,
                         expression.size())}};
  }
  Compiled c = compile(expression);
  if (!c.ok()) return std::move(c.issues);
  const CostEstimate cost = estimate_cost(*c.program);
  if (estimated_cost) *estimated_cost = cost.max;
  if (exceeds_cost_limit(cost)) {
    return {{Phase::Check, 0,
             fmt::format("{} (estimated cost {}, limit {})", kCostLimitMessage, cost.max,
                         kMaxSelectorCost)}};
  }
  return {};
}

std::string format_issues(std::string_view expression, const std::vector<Issue>& issues) {
  std::string out;
  for (const Issue& issue : issues) {
    const LineColumn lc = line_column(expression, issue.offset);
    if (!out.empty()) out += '\n';
    out += fmt::format("ERROR: <input>:{}:{}: {}", lc.line, lc.column, issue.message);
    // The source line, and a caret under the column (full-width for wide characters).
    size_t start = 0;
    for (uint32_t line = 1; line < lc.line; ++line) start = expression.find('\n', start) + 1;
    size_t end = expression.find('\n', start);
    if (end == std::string_view::npos) end = expression.size();
    std::string snippet(expression.substr(start, end - start));
    if (snippet.size() > 16384) continue;
    std::replace(snippet.begin(), snippet.end(), '\t', ' ');
    std::string marker;
    size_t i = 0;
    auto char_len = [&](size_t at) -> size_t {
      const auto c = static_cast<unsigned char>(snippet[at]);
      return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    };
    for (uint32_t col = 1; col < lc.column && i < snippet.size(); ++col) {
      const size_t n = char_len(i);
      marker += n > 1 ? "\uff0e" : ".";
      i += n;
    }
    marker += (i < snippet.size() && char_len(i) > 1) ? "\uff3e" : "^";
    out += "\n | " + snippet + "\n | " + marker;
  }
  return out;
}

}  // namespace dra::selectors
