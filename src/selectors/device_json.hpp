// src/selectors/device_json.hpp -- the `device` variable from its CEL view written as JSON,
// for `kubectl dra cel eval --device-json FILE` (issue #3):
//   {"driver": "...", "attributes": {"<domain>": {"<name>": VALUE}},
//    "capacity": {"<domain>": {"<name>": "<quantity>"}}, "allowMultipleAllocations": false}
// VALUE: a string (string attribute), an integer (int), a boolean (bool), {"version": "1.2.3"}
// (version), or an array of one of those (list attribute). Absent keys default to "", {} and
// false. Domains are taken as written (no splitting at "/").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "k8s/node.hpp"
#include "selectors/value.hpp"
#include "util/diag.hpp"

namespace dra::selectors {

// Reads the CEL view from `root` (a parsed mapping). Every problem is a diagnostic at its
// file position; returns nullopt when there was any.
std::optional<Value> device_from_json(const k8s::Node& root, const std::string& file,
                                      util::Diagnostics& diags);

// Parses `text` (JSON, or YAML) from `file` and reads the CEL view from it.
std::optional<Value> device_from_json_text(std::string_view text, const std::string& file,
                                           util::Diagnostics& diags);

}  // namespace dra::selectors
