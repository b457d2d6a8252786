// src/util/diag.cpp -- formatting of diagnostics (ninja's and clang's caret style).
#include "util/diag.hpp"

#include <fmt/format.h>

namespace dra::util {

void Diagnostics::add(Diagnostic d) {
  if (d.severity == Severity::Error) ++errors_;
  list_.push_back(std::move(d));
}

void Diagnostics::error(SourcePos pos, std::string message, std::string hint) {
  add({Severity::Error, std::move(pos), std::move(message), {}, std::move(hint), {}});
}

void Diagnostics::warning(SourcePos pos, std::string message, std::string hint) {
  add({Severity::Warning, std::move(pos), std::move(message), {}, std::move(hint), {}});
}

void Diagnostics::clear() {
  list_.clear();
  errors_ = 0;
}

std::string format_pos(const SourcePos& pos) {
  if (pos.line == 0) return pos.file;
  if (pos.column == 0) return fmt::format("{}:{}", pos.file, pos.line);
  return fmt::format("{}:{}:{}", pos.file, pos.line, pos.column);
}

static std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Note:
      return "note";
  }
  return "error";
}

static std::string short_line(const Diagnostic& d) {
  std::string where = format_pos(d.pos);
  if (where.empty()) return fmt::format("{}: {}\n", severity_name(d.severity), d.message);
  return fmt::format("{}: {}: {}\n", where, severity_name(d.severity), d.message);
}

std::string format_long(const Diagnostic& d) {
  std::string out = short_line(d);
  if (!d.snippet.empty() && d.pos.line > 0) {
    std::string num = std::to_string(d.pos.line);
    out += fmt::format("  {} | {}\n", num, d.snippet);
    if (d.pos.column > 0) {
      // Keep tabs in the caret line so the caret lines up under tab-indented text.
      std::string pad;
      for (size_t i = 0; i + 1 < d.pos.column && i < d.snippet.size(); ++i)
        pad += d.snippet[i] == '\t' ? '\t' : ' ';
      out += fmt::format("  {} | {}^\n", std::string(num.size(), ' '), pad);
    }
  }
  if (!d.context.empty()) out += fmt::format("  {}\n", d.context);
  if (!d.hint.empty()) out += fmt::format("  hint: {}\n", d.hint);
  return out;
}

std::string Diagnostics::to_string() const {
  std::string out;
  for (const auto& d : list_) out += short_line(d);
  return out;
}

std::string Diagnostics::to_long_string() const {
  std::string out;
  for (const auto& d : list_) out += format_long(d);
  return out;
}

}  // namespace dra::util
