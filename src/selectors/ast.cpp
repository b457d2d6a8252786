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

void render(std::string& out, const Expr& e);

void render_list(std::string& out, const std::vector<Expr>& args, size_t from) {
  for (size_t i = from; i < args.size(); ++i) {
    if (i > from) out += ", ";
    render(out, args[i]);
  }
}

void render(std::string& out, const Expr& e) {
  switch (e.kind) {
    case ExprKind::Literal:
      literal(out, e.constant);
      return;
    case ExprKind::Ident:
      out += e.name;
      return;
    case ExprKind::Select:
      render(out, e.args[0]);
      out += e.optional ? ".?" : ".";
      out += e.name;
      return;
    case ExprKind::Index:
      render(out, e.args[0]);
      out += e.optional ? "[?" : "[";
      render(out, e.args[1]);
      out += ']';
      return;
    case ExprKind::Call:
      if (e.has_target) {
        render(out, e.args[0]);
        out += '.';
      }
      out += e.name;
      out += '(';
      render_list(out, e.args, e.has_target ? 1 : 0);
      out += ')';
      return;
    case ExprKind::List:
      out += '[';
      for (size_t i = 0; i < e.args.size(); ++i) {
        if (i > 0) out += ", ";
        if (e.optionals[i]) out += '?';
        render(out, e.args[i]);
      }
      out += ']';
      return;
    case ExprKind::Map:
      out += '{';
      for (size_t i = 0; i + 1 < e.args.size(); i += 2) {
        if (i > 0) out += ", ";
        if (e.optionals[i / 2]) out += '?';
        render(out, e.args[i]);
        out += ": ";
        render(out, e.args[i + 1]);
      }
      out += '}';
      return;
    case ExprKind::Unary: {
      std::string operand;
      render(operand, e.args[0]);
      out += '(';
      out += op_symbol(e.op);
      if (operand[0] == '-') out += ' ';  // (- -1), not (--1)
      out += operand;
      out += ')';
      return;
    }
    case ExprKind::Binary:
      out += '(';
      render(out, e.args[0]);
      out += fmt::format(" {} ", op_symbol(e.op));
      render(out, e.args[1]);
      out += ')';
      return;
    case ExprKind::Conditional:
      out += '(';
      render(out, e.args[0]);
      out += " ? ";
      render(out, e.args[1]);
      out += " : ";
      render(out, e.args[2]);
      out += ')';
      return;
    case ExprKind::Macro: {
      // Has and Bind have no receiver; every other macro has one, in args[0].
      const bool receiver = e.macro != MacroKind::Has && e.macro != MacroKind::Bind;
      if (receiver) {
        render(out, e.args[0]);
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

std::string to_debug_string(const Expr& e) {
  std::string out;
  render(out, e);
  return out;
}

}  // namespace dra::selectors
