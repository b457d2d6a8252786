// src/render/table.hpp -- kubectl-style tables: upper-case headers, columns separated by
// three spaces, no borders, the last column not padded.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace dra::render {

struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  void add(std::vector<std::string> row) { rows.push_back(std::move(row)); }
};

// Prints `t`; with no rows prints nothing (the caller says "No resources found").
void print(const Table& t, std::ostream& out);

// Display width of UTF-8 text (code points; no East Asian wide handling).
size_t display_width(const std::string& s);

}  // namespace dra::render
