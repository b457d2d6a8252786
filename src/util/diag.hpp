// src/util/diag.hpp -- diagnostics: what is wrong with the input, where, and what to do.
// Every input problem (YAML/JSON, a selector, a flag, kubeconfig content) becomes a
// Diagnostic; commands collect them and stop at the next checkpoint (STYLE.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dra::util {

// A place in an input file. line and column are 1-based; 0 means "unknown".
struct SourcePos {
  std::string file;  // the path as the user typed it; "-" for stdin
  uint32_t line = 0;
  uint32_t column = 0;
};

enum class Severity { Error, Warning, Note };

struct Diagnostic {
  Severity severity = Severity::Error;
  SourcePos pos;
  std::string message;  // lowercase, no final period, user values in double quotes
  std::string context;  // e.g. "in DeviceClass gpu.example.com, spec.selectors[0]"
  std::string hint;     // what to do; may be empty
  std::string snippet;  // the offending source line, if known (shown with a caret)
};

// An ordered list of diagnostics. Not thread-safe; one per command run.
class Diagnostics {
 public:
  void add(Diagnostic d);
  void error(SourcePos pos, std::string message, std::string hint = {});
  void warning(SourcePos pos, std::string message, std::string hint = {});

  bool has_errors() const { return errors_ > 0; }
  size_t error_count() const { return errors_; }
  const std::vector<Diagnostic>& all() const { return list_; }
  // For adding snippets after the fact; do not change severities through it.
  std::vector<Diagnostic>& mutable_all() { return list_; }
  bool empty() const { return list_.empty(); }
  void clear();

  // One line per diagnostic: "file:line:column: error: message" (no snippet, context or hint).
  std::string to_string() const;
  // The full form for people: the line, the source line with a caret, context and hint.
  std::string to_long_string() const;

 private:
  std::vector<Diagnostic> list_;
  size_t errors_ = 0;
};

// "file:line:column" (or "file:line", or "file" when parts are unknown).
std::string format_pos(const SourcePos& pos);
// The long form of one diagnostic, as to_long_string prints it.
std::string format_long(const Diagnostic& d);

}  // namespace dra::util
