// src/render/cel.hpp -- how `kubectl dra cel` prints CEL values and errors.
// The -o json forms are a contract with external conformance checks (issue #3): keep them
// exact.
//   success: {"type": T, "value": V}
//   failure: {"error": MESSAGE, "phase": "parse"|"check"|"eval"}
#pragma once

#include <string>
#include <string_view>

#include "selectors/program.hpp"
#include "selectors/value.hpp"

namespace dra::render {

// The CEL runtime type name: bool, int, uint, double, string, bytes, list, map, null_type,
// type, optional_type, kubernetes.Quantity, kubernetes.Semver, net.IP, net.CIDR, ...
std::string cel_type_name(const selectors::Value& v);

// V of the contract: numbers as JSON numbers (int and uint beyond 2^53 as decimal strings;
// NaN and infinities as "NaN", "Infinity", "-Infinity"), bytes as standard base64, lists
// as arrays, maps as objects with string keys (ints in decimal, bools "true"/"false"),
// types by name, quantities in canonical form, semvers as MAJOR.MINOR.PATCH[-PRE][+BUILD],
// other library values in their string form, an optional as its value or null.
std::string cel_value_json(const selectors::Value& v);

// {"type": T, "value": V}
std::string cel_result_json(const selectors::Value& v);
// {"error": MESSAGE, "phase": PHASE}
std::string cel_error_json(std::string_view message, selectors::Phase phase);

// A JSON string literal for `s` (UTF-8): quotes, backslashes and control characters escaped.
std::string json_quote(std::string_view s);

}  // namespace dra::render
