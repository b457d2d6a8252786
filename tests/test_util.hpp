// tests/test_util.hpp -- shared test helpers: Catch2 printers for our value types.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "k8s/node.hpp"

namespace Catch {
template <>
struct StringMaker<dra::k8s::Pos> {
  static std::string convert(const dra::k8s::Pos& p) {
    return std::to_string(p.line) + ":" + std::to_string(p.column);
  }
};
}  // namespace Catch

#include <fstream>
#include <sstream>

#include "k8s/load.hpp"
#include "lint/lint.hpp"

namespace dra::testing {

// A file's bytes.
inline std::string slurp_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The objects of a YAML text; fails the test on any load error.
inline k8s::Cluster cluster_of(const std::string& yaml) {
  k8s::Cluster c;
  util::Diagnostics diags;
  k8s::load_text(yaml, "in.yaml", c, diags);
  INFO(diags.to_string());
  REQUIRE_FALSE(diags.has_errors());
  return c;
}

// What `kubectl dra lint` finds in a YAML text (loaded as lint loads files); fails the test
// if the text does not load.
inline std::vector<lint::Finding> lint_text(const std::string& yaml, lint::Options o = {}) {
  util::Diagnostics diags;
  k8s::Cluster cluster;
  k8s::LoadOptions lo;
  lo.apply_defaults = false;
  lo.for_lint = true;
  k8s::load_text(yaml, "in.yaml", cluster, diags, lo);
  INFO(diags.to_string());
  REQUIRE_FALSE(diags.has_errors());
  o.file_text = [yaml](uint32_t) -> std::string_view { return yaml; };
  return lint::lint(cluster, o);
}

}  // namespace dra::testing
