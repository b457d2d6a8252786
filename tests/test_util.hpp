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

}  // namespace dra::testing
