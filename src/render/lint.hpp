// src/render/lint.hpp -- `kubectl dra lint` findings in each output format.
#pragma once

#include <string>
#include <vector>

#include "k8s/value.hpp"
#include "lint/lint.hpp"

namespace dra::render {

// For people: "file:line:col: error: path: message [rule]", the source line and a caret
// under the column, then a summary line ("2 errors, 1 warning in 3 files").
std::string lint_text(const std::vector<lint::Finding>& findings, size_t files, bool color);

// {"findings": [{"file", "line", "column", "severity", "rule", "path", "message"}]}: exactly
// these keys in this order (a contract external checks rely on).
k8s::Value lint_json(const std::vector<lint::Finding>& findings);

// GitHub Actions workflow commands: "::error file=F,line=L,col=C,title=RULE::path: message".
std::string lint_github(const std::vector<lint::Finding>& findings);

// SARIF 2.1.0, one run, the rules that fired in tool.driver.rules.
k8s::Value lint_sarif(const std::vector<lint::Finding>& findings, const std::string& version);

// JUnit XML: a test suite per file, a failing test case per finding, a passing one for a
// file with none.
std::string lint_junit(const std::vector<lint::Finding>& findings,
                       const std::vector<std::string>& files);

}  // namespace dra::render
