// src/commands/source_text.cpp -- see source_text.hpp.
#include "commands/source_text.hpp"

#include <cstdint>
#include <fstream>
#include <sstream>

namespace dra::commands {

const std::string& FileTexts::get(const std::string& file) {
  auto [it, fresh] = texts_.try_emplace(file);
  if (fresh && file != "-") {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    it->second = ss.str();
  }
  return it->second;
}

std::string line_of(std::string_view text, uint32_t line) {
  for (uint32_t l = 1; l < line; ++l) {
    const size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return {};
    text.remove_prefix(nl + 1);
  }
  std::string out(text.substr(0, text.find('\n')));
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return out;
}

}  // namespace dra::commands
