// src/render/output.cpp -- -o values.
#include "render/output.hpp"

namespace dra::render {

std::optional<OutputFormat> parse_output(std::string_view s) {
  if (s.empty() || s == "table") return OutputFormat::Table;
  if (s == "wide") return OutputFormat::Wide;
  if (s == "name") return OutputFormat::Name;
  if (s == "yaml") return OutputFormat::Yaml;
  if (s == "json") return OutputFormat::Json;
  return std::nullopt;
}

}  // namespace dra::render
