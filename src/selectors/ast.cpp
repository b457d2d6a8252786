// src/selectors/ast.cpp -- operator symbols and the debug rendering of the AST.
#include "selectors/ast.hpp"

#include <fmt/format.h>

#include <cmath>

namespace dra::selectors {
namespace {

void quote(std::string& out, std::string_view s, bool bytes) {
  out += bytes ? "b\"" : "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '\a':
        out += "\\a";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\v':
        out += "\\v";
        continue;
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7F || (bytes && c >= 0x80)) {
      // In a string this is a code point below U+0080, so \x means the same in both.
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);  // strings are valid UTF-8: copied as they are
    }
  }
  out += '"';
}

void literal(std::string& out, const Constant& c) {
  switch (c.kind) {
    case Constant::Kind::Null:
      out += "null";
      return;
    case Constant::Kind::Bool:
      out += c.bool_value ? "true" : "false";
      return;
    case Constant::Kind::Int:
      out += fmt::format("{}", c.int_value);
      return;
    case Constant::Kind::Uint:
      out += fmt::format("{}u", c.uint_value);
      return;
    case Constant::Kind::Double: {
      std::string d = fmt::format("{}", c.double_value);  // shortest round trip
      if (std::isfinite(c.double_value) && d.find_first_of(".e") == std::string::npos) d += ".0";
      out += d;
      return;
    }
    case Constant::Kind::String:
      quote(out, c.bytes, false);
      return;
    case Constant::Kind::Bytes:
      quote(out, c.bytes, true);
      return;
  }
}

// Debug: every operation in parentheses, macros marked with "@". Source: as a person
// writes it, parentheses only where precedence needs them.
enum class Style { Debug, Source };

void render(std::string& out, const Expr& e, Style style = Style::Debug);

void render_list(std::string& out, const std::vector<Expr>& args, size_t from,
                 Style style = Style::Debug) {
  for (size_t i = from; i < args.size(); ++i) {
    if (i > from) out += ", ";
    render(out, args[i], style);
  }
}

// CEL's precedence, loosest first: ?: || && relations + * unary, then member access.
int precedence(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Conditional:
      return 1;
    case ExprKind::Binary:
      switch (e.op) {
        case Op::Or:
          return 2;
        case Op::And:
          return 3;
        case Op::Add:
        case Op::Sub:
          return 5;
        case Op::Mul:
        case Op::Div:
        case Op::Mod:
          return 6;
        default:
          return 4;
      }
    case ExprKind::Unary:
      return 7;
    default:
      return 8;
  }
}

void render_source_operand(std::string& out, const Expr& e, bool wrap) {
  if (wrap) out += '(';
  render(out, e, Style::Source);
  if (wrap) out += ')';
}

// The Source style of the operators, the member access on an operation, and macros.
bool render_source(std::string& out, const Expr& e) {
  switch (e.kind) {
    case ExprKind::Binary: {
      const int p = precedence(e);
      render_source_operand(out, e.args[0], precedence(e.args[0]) < p);
      out += fmt::format(" {} ", op_symbol(e.op));
      render_source_operand(out, e.args[1], precedence(e.args[1]) <= p);
      return true;
    }
    case ExprKind::Unary: {
      // -(-1) and !(!a): a doubled sign would read as another token or a literal.
      const Expr& a = e.args[0];
      const bool negative_literal =
          a.kind == ExprKind::Literal &&
          ((a.constant.kind == Constant::Kind::Int && a.constant.int_value < 0) ||
           (a.constant.kind == Constant::Kind::Double && std::signbit(a.constant.double_value)));
      out += op_symbol(e.op);
      render_source_operand(out, a, precedence(a) <= 7 || negative_literal);
      return true;
    }
    case ExprKind::Conditional:
      render_source_operand(out, e.args[0], precedence(e.args[0]) <= 1);
      out += " ? ";
      render_source_operand(out, e.args[1], false);
      out += " : ";
      render_source_operand(out, e.args[2], false);
      return true;
    case ExprKind::Select:
    case ExprKind::Index:
    case ExprKind::Call:
      if (e.args.empty() || (e.kind == ExprKind::Call && !e.has_target)) return false;
      if (precedence(e.args[0]) == 8) return false;
      render_source_operand(out, e.args[0], true);
      if (e.kind == ExprKind::Select) {
        out += e.optional ? ".?" : ".";
        out += e.name;
      } else if (e.kind == ExprKind::Index) {
        out += e.optional ? "[?" : "[";
        render(out, e.args[1], Style::Source);
        out += ']';
      } else {
        out += '.' + e.name + '(';
        render_list(out, e.args, 1, Style::Source);
        out += ')';
      }
      return true;
    case ExprKind::Macro: {
      if (e.macro == MacroKind::Bind && e.name == "sortBy") {
        // The expansion of l.sortBy(x, key), printed back as written.
        const Expr& keys = e.args[1].args[1];
        render_source_operand(out, e.args[0], precedence(e.args[0]) < 8);
        out += ".sortBy(" + keys.vars[0] + ", ";
        render(out, keys.args[1], Style::Source);
        out += ')';
        return true;
      }
      const bool receiver = e.macro != MacroKind::Has && e.macro != MacroKind::Bind;
      if (receiver) {
        render_source_operand(out, e.args[0], precedence(e.args[0]) < 8);
        out += '.';
      } else if (e.macro == MacroKind::Bind) {
        out += "cel.";
      }
      out += e.name + '(';
      for (const std::string& v : e.vars) out += v + ", ";
      render_list(out, e.args, receiver ? 1 : 0, Style::Source);
      out += ')';
      return true;
    }
    default:
      return false;
  }
}

void render(std::string& out, const Expr& e, Style style) {
  if (style == Style::Source && render_source(out, e)) return;
  switch (e.kind) {
    case ExprKind::Literal:
      literal(out, e.constant);
      return;
    case ExprKind::Ident:
      out += e.name;
      return;
    case ExprKind::Select:
      render(out, e.args[0], style);
      out += e.optional ? ".?" : ".";
      out += e.name;
      return;
    case ExprKind::Index:
      render(out, e.args[0], style);
      out += e.optional ? "[?" : "[";
      render(out, e.args[1], style);
      out += ']';
      return;
    case ExprKind::Call:
      if (e.has_target) {
        render(out, e.args[0], style);
        out += '.';
      }
      out += e.name;
      out += '(';
      render_list(out, e.args, e.has_target ? 1 : 0, style);
      out += ')';
      return;
    case ExprKind::List:
      out += '[';
      for (size_t i = 0; i < e.args.size(); ++i) {
        if (i > 0) out += ", ";
        if (e.optionals[i]) out += '?';
        render(out, e.args[i], style);
      }
      out += ']';
      return;
    case ExprKind::Map:
      out += '{';
      for (size_t i = 0; i + 1 < e.args.size(); i += 2) {
        if (i > 0) out += ", ";
        if (e.optionals[i / 2]) out += '?';
        render(out, e.args[i], style);
        out += ": ";
        render(out, e.args[i + 1], style);
      }
      out += '}';
      return;
    case ExprKind::Unary: {
      std::string operand;
      render(operand, e.args[0], style);
      out += '(';
      out += op_symbol(e.op);
      if (operand[0] == '-') out += ' ';  // (- -1), not (--1)
      out += operand;
      out += ')';
      return;
    }
    case ExprKind::Binary:
      out += '(';
      render(out, e.args[0], style);
      out += fmt::format(" {} ", op_symbol(e.op));
      render(out, e.args[1], style);
      out += ')';
      return;
    case ExprKind::Conditional:
      out += '(';
      render(out, e.args[0], style);
      out += " ? ";
      render(out, e.args[1], style);
      out += " : ";
      render(out, e.args[2], style);
      out += ')';
      return;
    case ExprKind::Macro: {
      // Has and Bind have no receiver; every other macro has one, in args[0].
      const bool receiver = e.macro != MacroKind::Has && e.macro != MacroKind::Bind;
      if (receiver) {
        render(out, e.args[0], style);
        out += ".@";
      } else {
        out += e.macro == MacroKind::Bind ? "@cel." : "@";
      }
      out += e.name;
      out += '(';
      for (const std::string& v : e.vars) out += v + ", ";
      render_list(out, e.args, receiver ? 1 : 0);
      out += ')';
      return;
    }
  }
}

}  // namespace

std::string_view op_symbol(Op op) {
  switch (op) {
    case Op::None:
      return "";
    case Op::Not:
      return "!";
    case Op::Negate:
      return "-";
    case Op::Or:
      return "||";
    case Op::And:
      return "&&";
    case Op::Eq:
      return "==";
    case Op::Ne:
      return "!=";
    case Op::Lt:
      return "<";
    case Op::Le:
      return "<=";
    case Op::Gt:
      return ">";
    case Op::Ge:
      return ">=";
    case Op::In:
      return "in";
    case Op::Add:
      return "+";
    case Op::Sub:
      return "-";
    case Op::Mul:
      return "*";
    case Op::Div:
      return "/";
    case Op::Mod:
      return "%";
  }
  return "";
}

std::string_view op_function_name(Op op) {
  switch (op) {
    case Op::Not:
      return "!_";
    case Op::Negate:
      return "-_";
    case Op::Or:
      return "_||_";
    case Op::And:
      return "_&&_";
    case Op::Eq:
      return "_==_";
    case Op::Ne:
      return "_!=_";
    case Op::Lt:
      return "_<_";
    case Op::Le:
      return "_<=_";
    case Op::Gt:
      return "_>_";
    case Op::Ge:
      return "_>=_";
    case Op::In:
      return "@in";
    case Op::Add:
      return "_+_";
    case Op::Sub:
      return "_-_";
    case Op::Mul:
      return "_*_";
    case Op::Div:
      return "_/_";
    case Op::Mod:
      return "_%_";
    case Op::None:
      break;
  }
  return "";
}

std::string to_debug_string(const Expr& e) {
  std::string out;
  render(out, e);
  return out;
}

std::string to_cel_string(const Expr& e) {
  std::string out;
  render(out, e, Style::Source);
  return out;
}

}  // namespace dra::selectors
