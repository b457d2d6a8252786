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
