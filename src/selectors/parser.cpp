// src/selectors/parser.cpp -- a recursive-descent parser for CEL with one token of
// lookahead. It accepts what cel-go's ANTLR grammar (parser/gen/CEL.g4) accepts in the
// Kubernetes environment and builds the same tree shapes (balanced && and ||, "-1" as one
// literal), but writes its own error messages and stops at the first syntax error.
#include "selectors/parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <utility>

#include "selectors/lexer.hpp"

namespace dra::selectors {
namespace {

// Thrown inside the parser at the first syntax error and caught in parse(): the structure
// is lost, so there is nothing more to check. It never leaves this file.
struct SyntaxError {
  ParseError error;
};

// Names cel-go refuses as identifiers and function names (parser.go, reservedIds); "in",
// "true", "false" and "null" never get here: the lexer makes them keywords.
constexpr std::string_view kReserved[] = {
    "as",  "break", "const",   "continue",  "else",   "for", "function", "if",    "import",
    "let", "loop",  "package", "namespace", "return", "var", "void",     "while",
};

bool is_reserved(std::string_view name) {
  return std::find(std::begin(kReserved), std::end(kReserved), name) != std::end(kReserved);
}

// The accumulator name of cel-go's expanded comprehensions; an iteration variable may not
// shadow it.
constexpr std::string_view kAccumulator = "__result__";

bool is_keyword(TokenKind k) {
  return k == TokenKind::True || k == TokenKind::False || k == TokenKind::Null ||
         k == TokenKind::In;
}

class Parser {
 public:
  Parser(std::string_view src, const ParseOptions& options)
      : src_(src), options_(options), lexer_(src) {}

  Expr parse_all() {
    advance();
    Expr e = parse_expr();
    if (tok_.kind != TokenKind::End) unexpected("an operator or the end of the expression");
    return e;
  }

  std::vector<ParseError> errors;

 private:
  // ---- tokens and errors

  void advance() {
    tok_ = lexer_.next();
    if (tok_.kind == TokenKind::Error) fail(tok_.offset, tok_.error);
  }

  [[noreturn]] void fail(uint32_t offset, std::string message) {
    throw SyntaxError{{offset, std::move(message)}};
  }

  [[noreturn]] void unexpected(std::string_view expected) {
    fail(tok_.offset, fmt::format("unexpected {}; expected {}", describe(tok_), expected));
  }

  void expect(TokenKind kind, std::string_view expected) {
    if (tok_.kind != kind) unexpected(expected);
    advance();
  }

  // An error that leaves the structure intact: report it and keep parsing.
  void report(uint32_t offset, std::string message) {
    errors.push_back({offset, std::move(message)});
  }

  // ---- nodes

  static Expr node(ExprKind kind, uint32_t offset) {
    Expr e;
    e.kind = kind;
    e.offset = offset;
    return e;
  }

  // Sets the height of a finished node and enforces the depth limit, which stands in for
  // cel-go's recursion limits (see parse_expr for the other half).
  Expr finish(Expr e) {
    uint32_t h = 0;
    for (const Expr& a : e.args) h = std::max(h, a.height);
    e.height = h + 1;
    if (e.height > options_.max_depth) too_deep(e.offset);
    return e;
  }

  [[noreturn]] void too_deep(uint32_t offset) {
    fail(offset,
         fmt::format("expression is nested too deeply (more than {} levels)", options_.max_depth));
  }

  Expr unary(Op op, uint32_t offset, Expr operand) {
    Expr e = node(ExprKind::Unary, offset);
    e.op = op;
    e.args.push_back(std::move(operand));
    return finish(std::move(e));
  }

  Expr binary(Op op, uint32_t offset, Expr lhs, Expr rhs) {
    Expr e = node(ExprKind::Binary, offset);
    e.op = op;
    e.args.push_back(std::move(lhs));
    e.args.push_back(std::move(rhs));
    return finish(std::move(e));
  }

  // ---- grammar, from the loosest operator to the tightest

  // expr: or ("?" or ":" expr)?
  Expr parse_expr() {
    // Each nested expression (parentheses, arguments, elements, indexes) is one level, as
    // each nested "expr" rule is in cel-go's recursion listener.
    if (++depth_ > options_.max_depth) too_deep(tok_.offset);
    Expr cond = parse_or();
    if (tok_.kind == TokenKind::Question) {
      const uint32_t at = tok_.offset;
      advance();
      Expr yes = parse_or();
      expect(TokenKind::Colon, "\":\" of the conditional a ? b : c");
      Expr no = parse_expr();
      Expr e = node(ExprKind::Conditional, at);
      e.args.push_back(std::move(cond));
      e.args.push_back(std::move(yes));
      e.args.push_back(std::move(no));
      cond = finish(std::move(e));
    }
    --depth_;
    return cond;
  }

  Expr parse_or() { return parse_logic(TokenKind::Or, Op::Or); }
  Expr parse_and() { return parse_logic(TokenKind::And, Op::And); }

  // A chain of || (or of &&) becomes a balanced tree, as cel-go's logicManager builds it,
  // so that long chains do not hit the depth limit.
  Expr parse_logic(TokenKind token, Op op) {
    std::vector<Expr> terms;
    std::vector<uint32_t> ops;
    terms.push_back(op == Op::Or ? parse_and() : parse_relation());
    while (tok_.kind == token) {
      ops.push_back(tok_.offset);
      advance();
      terms.push_back(op == Op::Or ? parse_and() : parse_relation());
    }
    if (ops.empty()) return std::move(terms[0]);
    return balance(terms, ops, op, 0, ops.size() - 1);
  }

  Expr balance(std::vector<Expr>& terms, const std::vector<uint32_t>& ops, Op op, size_t lo,
               size_t hi) {
    const size_t mid = (lo + hi + 1) / 2;
    Expr left = mid == lo ? std::move(terms[mid]) : balance(terms, ops, op, lo, mid - 1);
    Expr right = mid == hi ? std::move(terms[mid + 1]) : balance(terms, ops, op, mid + 1, hi);
    return binary(op, ops[mid], std::move(left), std::move(right));
  }

  // relation: add (("<" | "<=" | ">=" | ">" | "==" | "!=" | "in") add)*, left-associative
  Expr parse_relation() {
    Expr lhs = parse_add();
    for (;;) {
      Op op = Op::None;
      switch (tok_.kind) {
        case TokenKind::Lt:
          op = Op::Lt;
          break;
        case TokenKind::Le:
          op = Op::Le;
          break;
        case TokenKind::Gt:
          op = Op::Gt;
          break;
        case TokenKind::Ge:
          op = Op::Ge;
          break;
        case TokenKind::Eq:
          op = Op::Eq;
          break;
        case TokenKind::Ne:
          op = Op::Ne;
          break;
        case TokenKind::In:
          op = Op::In;
          break;
        default:
          return lhs;
      }
      const uint32_t at = tok_.offset;
      advance();
      lhs = binary(op, at, std::move(lhs), parse_add());
    }
  }

  Expr parse_add() {
    Expr lhs = parse_mul();
    while (tok_.kind == TokenKind::Plus || tok_.kind == TokenKind::Minus) {
      const Op op = tok_.kind == TokenKind::Plus ? Op::Add : Op::Sub;
      const uint32_t at = tok_.offset;
      advance();
      lhs = binary(op, at, std::move(lhs), parse_mul());
    }
    return lhs;
  }

  Expr parse_mul() {
    Expr lhs = parse_unary();
    for (;;) {
      Op op = Op::None;
      switch (tok_.kind) {
        case TokenKind::Star:
          op = Op::Mul;
          break;
        case TokenKind::Slash:
          op = Op::Div;
          break;
        case TokenKind::Percent:
          op = Op::Mod;
          break;
        default:
          return lhs;
      }
      const uint32_t at = tok_.offset;
      advance();
      lhs = binary(op, at, std::move(lhs), parse_unary());
    }
  }

  // unary: member | "!"+ member | "-"+ member. A run of the same operator cancels in
  // pairs, as in cel-go; a single "-" before a number is the number's sign (-1 is a literal,
  // --1 is 1), and the operand of a run is a member, so !-x and -!x are syntax errors.
  Expr parse_unary() {
    if (tok_.kind != TokenKind::Not && tok_.kind != TokenKind::Minus) return parse_member({});
    const TokenKind kind = tok_.kind;
    const uint32_t at = tok_.offset;
    size_t n = 0;
    while (tok_.kind == kind) {
      ++n;
      advance();
    }
    if (kind == TokenKind::Minus && n == 1 &&
        (tok_.kind == TokenKind::Int || tok_.kind == TokenKind::Double)) {
      return parse_member(at);
    }
    Expr operand = parse_member({});
    if (n % 2 == 0) return operand;
    return unary(kind == TokenKind::Not ? Op::Not : Op::Negate, at, std::move(operand));
  }

  // member: primary ("." name | "." name "(" args ")" | ".?" name | "[" expr "]" | "[?" expr "]")*
  Expr parse_member(std::optional<uint32_t> sign) {
    Expr e = parse_primary(sign);
    for (;;) {
      if (tok_.kind == TokenKind::Dot) {
        const uint32_t at = tok_.offset;
        advance();
        bool optional = false;
        if (tok_.kind == TokenKind::Question) {
          optional = true;
          advance();
        }
        std::string name = field_name();
        if (!optional && tok_.kind == TokenKind::LParen) {
          const uint32_t open = tok_.offset;
          std::vector<Expr> args = parse_args();
          e = call_or_macro(std::move(name), open, std::move(e), std::move(args));
          continue;
        }
        Expr s = node(ExprKind::Select, at);
        s.name = std::move(name);
        s.optional = optional;
        s.args.push_back(std::move(e));
        e = finish(std::move(s));
      } else if (tok_.kind == TokenKind::LBracket) {
        const uint32_t at = tok_.offset;
        advance();
        Expr x = node(ExprKind::Index, at);
        if (tok_.kind == TokenKind::Question) {
          x.optional = true;
          advance();
        }
        x.args.push_back(std::move(e));
        x.args.push_back(parse_expr());
        expect(TokenKind::RBracket, "\"]\"");
        e = finish(std::move(x));
      } else if (tok_.kind == TokenKind::LBrace && is_qualified_name(e)) {
        fail(tok_.offset,
             "message construction (Name{field: value}) is not supported: device "
             "selectors have no message types");
      } else {
        return e;
      }
    }
  }

  // The identifier after "." or ".?".
  std::string field_name() {
    if (tok_.kind == TokenKind::Ident) {
      std::string name(tok_.text);
      advance();
      return name;
    }
    if (is_keyword(tok_.kind)) {
      fail(tok_.offset, fmt::format("\"{0}\" is a keyword and cannot follow \".\"; select it "
                                    "with an index: [\"{0}\"]",
                                    tok_.text));
    }
    if (tok_.kind == TokenKind::EscapedIdent) escaped_ident();
    unexpected("a field name after \".\"");
  }

  [[noreturn]] void escaped_ident() {
    const std::string_view name = tok_.text.substr(1, tok_.text.size() - 2);
    fail(tok_.offset, fmt::format("backquoted identifiers are not enabled in Kubernetes CEL; "
                                  "select the field with an index: [\"{}\"]",
                                  name));
  }

  static bool is_qualified_name(const Expr& e) {
    if (e.kind == ExprKind::Ident) return true;
    return e.kind == ExprKind::Select && !e.optional && is_qualified_name(e.args[0]);
  }

  // primary: "."? name | "."? name "(" args ")" | "(" expr ")" | list | map | literal
  Expr parse_primary(std::optional<uint32_t> sign) {
    if (sign) return parse_number(*sign);
    switch (tok_.kind) {
      case TokenKind::Minus: {  // only after "!": a signed number, nothing else
        const uint32_t at = tok_.offset;
        advance();
        if (tok_.kind != TokenKind::Int && tok_.kind != TokenKind::Double) {
          fail(at, "unexpected \"-\" after \"!\"; put the negation in parentheses: !(-x)");
        }
        return parse_number(at);
      }
      case TokenKind::Dot: {
        const uint32_t at = tok_.offset;
        advance();
        if (tok_.kind != TokenKind::Ident) unexpected("a name after the leading \".\"");
        return parse_name(at, ".");
      }
      case TokenKind::Ident:
        return parse_name(tok_.offset, "");
      case TokenKind::LParen: {
        advance();
        Expr e = parse_expr();
        expect(TokenKind::RParen, "\")\"");
        return e;
      }
      case TokenKind::LBracket:
        return parse_list();
      case TokenKind::LBrace:
        return parse_map();
      case TokenKind::Int:
      case TokenKind::Double:
        return parse_number({});
      case TokenKind::Uint:
        return parse_uint();
      case TokenKind::String:
      case TokenKind::Bytes:
        return parse_string();
      case TokenKind::True:
      case TokenKind::False:
      case TokenKind::Null: {
        Expr e = node(ExprKind::Literal, tok_.offset);
        e.constant.kind =
            tok_.kind == TokenKind::Null ? Constant::Kind::Null : Constant::Kind::Bool;
        e.constant.bool_value = tok_.kind == TokenKind::True;
        advance();
        return e;
      }
      case TokenKind::EscapedIdent:
        escaped_ident();
      default:
        unexpected("an operand");
    }
  }

  // An identifier or a global call, at the current Ident token; `prefix` is "." for a
  // leading dot, which `at` then points to.
  Expr parse_name(uint32_t at, std::string_view prefix) {
    const uint32_t name_at = tok_.offset;
    std::string name(tok_.text);
    advance();
    if (is_reserved(name)) {
      report(name_at, fmt::format("\"{}\" is a reserved word and cannot be used as a name", name));
    }
    name.insert(0, prefix);
    if (tok_.kind == TokenKind::LParen) {
      const uint32_t open = tok_.offset;
      return call_or_macro(std::move(name), open, std::nullopt, parse_args());
    }
    Expr e = node(ExprKind::Ident, at);
    e.name = std::move(name);
    return e;
  }

  // "(" (expr ("," expr)*)? ")": no trailing comma, as in cel-go.
  std::vector<Expr> parse_args() {
    std::vector<Expr> args;
    advance();  // "("
    if (tok_.kind == TokenKind::RParen) {
      advance();
      return args;
    }
    for (;;) {
      args.push_back(parse_expr());
      if (tok_.kind == TokenKind::Comma) {
        advance();
        continue;
      }
      expect(TokenKind::RParen, "\",\" or \")\"");
      return args;
    }
  }

  // "[" (("?")? expr ("," ("?")? expr)*)? ","? "]"
  Expr parse_list() {
    Expr e = node(ExprKind::List, tok_.offset);
    advance();
    parse_entries(e, TokenKind::RBracket, false);
    return finish(std::move(e));
  }

  // "{" (("?")? expr ":" expr ("," ...)*)? ","? "}"
  Expr parse_map() {
    Expr e = node(ExprKind::Map, tok_.offset);
    advance();
    parse_entries(e, TokenKind::RBrace, true);
    return finish(std::move(e));
  }

  void parse_entries(Expr& e, TokenKind close, bool map) {
    const std::string_view closer = close == TokenKind::RBrace ? "\"}\"" : "\"]\"";
    if (tok_.kind == TokenKind::Comma) {  // "[,]" and "{,}" are empty literals in the grammar
      advance();
      expect(close, closer);
      return;
    }
    while (tok_.kind != close) {
      bool optional = false;
      if (tok_.kind == TokenKind::Question) {
        optional = true;
        advance();
      }
      e.optionals.push_back(optional);
      e.args.push_back(parse_expr());
      if (map) {
        expect(TokenKind::Colon, "\":\" between a map key and its value");
        e.args.push_back(parse_expr());
      }
      if (tok_.kind != TokenKind::Comma) break;
      advance();
    }
    expect(close, fmt::format("\",\" or {}", closer));
  }

  // ---- literals

  // An Int or Double token, negative when `sign` (the offset of its "-") is set.
  Expr parse_number(std::optional<uint32_t> sign) {
    const uint32_t at = sign.value_or(tok_.offset);
    const std::string_view text = tok_.text;
    const std::string shown = fmt::format("{}{}", sign ? "-" : "", text);
    Expr e = node(ExprKind::Literal, at);
    if (tok_.kind == TokenKind::Double) {
      e.constant.kind = Constant::Kind::Double;
      const std::string copy = shown;
      // strtod in the "C" locale accepts exactly the CEL forms; like Go's ParseFloat, an
      // overflow is an error and an underflow rounds to zero.
      const double d = std::strtod(copy.c_str(), nullptr);
      if (std::isinf(d)) report(at, fmt::format("double literal \"{}\" is out of range", shown));
      e.constant.double_value = d;
    } else {
      e.constant.kind = Constant::Kind::Int;
      const bool hex = text.size() > 2 && text[1] == 'x';
      uint64_t magnitude = 0;
      const std::string_view digits = hex ? text.substr(2) : text;
      const auto [end, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, hex ? 16 : 10);
      const uint64_t limit =
          static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + (sign ? 1u : 0u);
      if (ec != std::errc() || end != digits.data() + digits.size() || magnitude > limit) {
        report(at, fmt::format("int literal \"{}\" is out of range (64-bit signed)", shown));
      } else if (sign) {
        e.constant.int_value = static_cast<int64_t>(0 - magnitude);  // wraps for -2^63
      } else {
        e.constant.int_value = static_cast<int64_t>(magnitude);
      }
    }
    advance();
    return e;
  }

  Expr parse_uint() {
    const std::string_view text = tok_.text.substr(0, tok_.text.size() - 1);  // drop the "u"
    const bool hex = text.size() > 2 && text[1] == 'x';
    const std::string_view digits = hex ? text.substr(2) : text;
    Expr e = node(ExprKind::Literal, tok_.offset);
    e.constant.kind = Constant::Kind::Uint;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(),
                                           e.constant.uint_value, hex ? 16 : 10);
    if (ec != std::errc() || end != digits.data() + digits.size()) {
      report(tok_.offset,
             fmt::format("uint literal \"{}\" is out of range (64-bit unsigned)", tok_.text));
    }
    advance();
    return e;
  }

  Expr parse_string() {
    Expr e = node(ExprKind::Literal, tok_.offset);
    e.constant.kind =
        tok_.kind == TokenKind::Bytes ? Constant::Kind::Bytes : Constant::Kind::String;
    Unquoted u = unquote(tok_.text);
    if (!u.ok) report(tok_.offset + u.error_offset, std::move(u.error));
    e.constant.bytes = std::move(u.value);
    advance();
    return e;
  }

  // ---- calls and macros

  // A call, or the macro of that name and shape. `target` is the receiver of a.f(...).
  Expr call_or_macro(std::string name, uint32_t open, std::optional<Expr> target,
                     std::vector<Expr> args) {
    const size_t n = args.size();
    std::optional<MacroKind> macro;
    size_t vars = 1;
    if (!target) {
      if (name == "has" && n == 1) {
        macro = MacroKind::Has;
        vars = 0;
      }
    } else if (name == "all" || name == "exists" || name == "exists_one" || name == "existsOne") {
      if (n == 2 || n == 3) {
        macro = name == "all"      ? MacroKind::All
                : name == "exists" ? MacroKind::Exists
                                   : MacroKind::ExistsOne;
        vars = n - 1;
      }
    } else if (name == "map" && (n == 2 || n == 3)) {
      macro = MacroKind::Map;
    } else if (name == "filter" && n == 2) {
      macro = MacroKind::Filter;
    } else if ((name == "transformList" || name == "transformMap" || name == "transformMapEntry") &&
               (n == 3 || n == 4)) {
      macro = name == "transformList"  ? MacroKind::TransformList
              : name == "transformMap" ? MacroKind::TransformMap
                                       : MacroKind::TransformMapEntry;
      vars = 2;
    } else if ((name == "optMap" || name == "optFlatMap") && n == 2) {
      macro = name == "optMap" ? MacroKind::OptMap : MacroKind::OptFlatMap;
    } else if (name == "sortBy" && n == 2) {
      return sort_by(open, std::move(*target), std::move(args));
    } else if (name == "bind" && n == 3 && target->kind == ExprKind::Ident &&
               target->name == "cel") {
      // cel.bind: "cel" is a namespace, not a receiver.
      macro = MacroKind::Bind;
      target.reset();
    }

    if (!macro) {
      Expr e = node(ExprKind::Call, open);
      e.name = std::move(name);
      e.has_target = target.has_value();
      if (target) e.args.push_back(std::move(*target));
      for (Expr& a : args) e.args.push_back(std::move(a));
      return finish(std::move(e));
    }

    Expr e = node(ExprKind::Macro, open);
    e.macro = *macro;
    const std::string shown = *macro == MacroKind::Bind ? "cel.bind" : name;
    e.name = std::move(name);
    if (*macro == MacroKind::Has) {
      const Expr& arg = args[0];
      if (arg.kind != ExprKind::Select || arg.optional) {
        report(arg.offset, "has() needs a field selection, such as has(a.b)");
      }
    }
    for (size_t i = 0; i < vars; ++i) {
      const Expr& v = args[i];
      if (v.kind != ExprKind::Ident) {
        report(v.offset, fmt::format("argument {} of {}() must be a variable name", i + 1, shown));
      } else if (v.name == kAccumulator && *macro != MacroKind::Bind) {
        report(v.offset, fmt::format("\"{}\" is reserved for the accumulator of {}() and "
                                     "cannot be a variable name",
                                     kAccumulator, shown));
      } else if (i == 1 && args[0].kind == ExprKind::Ident && v.name == args[0].name) {
        report(v.offset, fmt::format("{}() uses the variable name \"{}\" twice", shown, v.name));
      }
      e.vars.push_back(v.name);
    }
    if (target) e.args.push_back(std::move(*target));
    for (size_t i = vars; i < n; ++i) e.args.push_back(std::move(args[i]));
    return finish(std::move(e));
  }

  // l.sortBy(x, key) (cel-go ext.Lists version 3) is the expansion cel-go's macro makes:
  // cel.bind(@__sortBy_input__, l,
  //          @__sortBy_input__.@sortByAssociatedKeys(@__sortBy_input__.map(x, key)))
  // with the Bind node named "sortBy", so that it prints back as written.
  Expr sort_by(uint32_t open, Expr target, std::vector<Expr> args) {
    if (target.kind == ExprKind::Literal || target.kind == ExprKind::Map) {
      report(target.offset,
             "sortBy can only be applied to a list, identifier, comprehension, call or select "
             "expression");
    }
    const Expr& v = args[0];
    if (v.kind != ExprKind::Ident) {
      report(v.offset, "argument 1 of sortBy() must be a variable name");
    } else if (v.name == kAccumulator) {
      report(v.offset, fmt::format("\"{}\" is reserved for the accumulator of sortBy() and "
                                   "cannot be a variable name",
                                   kAccumulator));
    }
    auto input = [&] {
      Expr i = node(ExprKind::Ident, open);
      i.name = std::string(kSortByInput);
      return finish(std::move(i));
    };
    Expr keys = node(ExprKind::Macro, open);
    keys.macro = MacroKind::Map;
    keys.name = "map";
    keys.vars.push_back(v.name);
    keys.args.push_back(input());
    keys.args.push_back(std::move(args[1]));
    Expr sorted = node(ExprKind::Call, open);
    sorted.name = "@sortByAssociatedKeys";
    sorted.has_target = true;
    sorted.args.push_back(input());
    sorted.args.push_back(finish(std::move(keys)));
    Expr bind = node(ExprKind::Macro, open);
    bind.macro = MacroKind::Bind;
    bind.name = "sortBy";
    bind.vars.push_back(std::string(kSortByInput));
    bind.args.push_back(std::move(target));
    bind.args.push_back(finish(std::move(sorted)));
    return finish(std::move(bind));
  }

  std::string_view src_;
  ParseOptions options_;
  Lexer lexer_;
  Token tok_;
  uint32_t depth_ = 0;
};

uint32_t count_code_points(std::string_view s) {
  uint32_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

ParseResult parse(std::string_view expression, const ParseOptions& options) {
  ParseResult result;
  // Checked first, as in cel-go, so that a huge input costs nothing more.
  if (const uint32_t n = count_code_points(expression); n > options.max_code_points) {
    result.errors.push_back({0, fmt::format("expression is {} code points long; the limit is {}", n,
                                            options.max_code_points)});
    return result;
  }
  Parser parser(expression, options);
  std::optional<Expr> expr;
  try {
    expr = parser.parse_all();
  } catch (SyntaxError& e) {
    parser.errors.push_back(std::move(e.error));
  }
  result.errors = std::move(parser.errors);
  std::stable_sort(result.errors.begin(), result.errors.end(),
                   [](const ParseError& a, const ParseError& b) { return a.offset < b.offset; });
  if (result.errors.empty()) result.expr = std::move(expr);
  return result;
}

LineColumn line_column(std::string_view expression, uint32_t offset) {
  LineColumn lc;
  const size_t end = std::min<size_t>(offset, expression.size());
  for (size_t i = 0; i < end; ++i) {
    const char c = expression[i];
    if (c == '\n') {
      ++lc.line;
      lc.column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++lc.column;
    }
  }
  return lc;
}

std::string format_errors(std::string_view expression, const std::vector<ParseError>& errors) {
  std::string out;
  for (const ParseError& e : errors) {
    const LineColumn lc = line_column(expression, e.offset);
    out += fmt::format("{}:{}: {}\n", lc.line, lc.column, e.message);
  }
  return out;
}

}  // namespace dra::selectors
