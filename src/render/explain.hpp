// src/render/explain.hpp -- what `kubectl dra explain` prints: a tree for a terminal, or the
// same content as JSON for tools.
#pragma once

#include <string>

#include "explain/explain.hpp"
#include "k8s/value.hpp"

namespace dra::render {

struct TextStyle {
  size_t width = 100;  // lines are wrapped to this many columns
  bool colour = false;
};

// The explanation as an indented tree; long lines wrap under their own indentation.
std::string explain_text(const explain::Explanation& e, const TextStyle& style);

// The explanation as one JSON object (fields in camelCase, counts as numbers).
k8s::Value explain_value(const explain::Explanation& e);

}  // namespace dra::render
