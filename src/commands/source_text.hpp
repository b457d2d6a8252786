// src/commands/source_text.hpp -- the text of input files, read again after loading, for
// source lines under messages and positions inside CEL expressions.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace dra::commands {

// Each file's text, read once; empty for an unreadable file, and for stdin unless set.
class FileTexts {
 public:
  const std::string& get(const std::string& file);
  void set(const std::string& file, std::string text) { texts_[file] = std::move(text); }

 private:
  std::map<std::string, std::string> texts_;
};

// Line `line` (from 1) of `text`, without its line break; empty past the end.
std::string line_of(std::string_view text, uint32_t line);

}  // namespace dra::commands
