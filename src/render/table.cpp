// src/render/table.cpp -- kubectl's tabwriter layout (minwidth 0, padding 3, no trailing pad).
#include "render/table.hpp"

#include <algorithm>

namespace dra::render {

size_t display_width(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s)
    if ((c & 0xc0) != 0x80) ++w;
  return w;
}

void print(const Table& t, std::ostream& out) {
  if (t.rows.empty()) return;
  std::vector<size_t> width(t.headers.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], display_width(row[i]));
  };
  measure(t.headers);
  for (const auto& r : t.rows) measure(r);
  auto line = [&](const std::vector<std::string>& row) {
    std::string s;
    for (size_t i = 0; i < width.size(); ++i) {
      const std::string cell = i < row.size() ? row[i] : std::string();
      s += cell;
      if (i + 1 < width.size()) s.append(width[i] - display_width(cell) + 3, ' ');
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    out << s << '\n';
  };
  line(t.headers);
  for (const auto& r : t.rows) line(r);
}

}  // namespace dra::render
