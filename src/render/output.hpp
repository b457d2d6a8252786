// src/render/output.hpp -- the output formats of -o, as kubectl names them.
#pragma once

#include <optional>
#include <string_view>

namespace dra::render {

enum class OutputFormat { Table, Wide, Name, Yaml, Json };

std::optional<OutputFormat> parse_output(std::string_view s);  // "", "wide", "name", ...

}  // namespace dra::render
