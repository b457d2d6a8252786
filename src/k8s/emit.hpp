// src/k8s/emit.hpp -- Values to text, byte for byte as kubectl prints them: YAML as
// `kubectl get -o yaml` (sigs.k8s.io/yaml, i.e. go-yaml v2's emitter) and JSON as
// `kubectl get -o json` (encoding/json MarshalIndent). Keys are written in the Value's
// order; k8s/encode.hpp decides that order.
#pragma once

#include <string>
#include <vector>

#include "k8s/value.hpp"

namespace dra::k8s {

// One YAML document, ending in a newline. Block style with 2-space indentation; a list that
// is a mapping's value starts at the key's indentation; empty maps and lists are `{}` and
// `[]`. A string is written plain unless go-yaml v2 would read the plain form back as
// something else (null, bool, int, float, timestamp: "", "yes", "on", "1e3", "0x1f",
// "2024-01-02") or the form is not valid plain YAML (leading or trailing space, a leading
// indicator, ": " or " #"); then single-quoted, or double-quoted with escapes when it holds
// characters single quotes cannot carry. Strings with a line break are literal blocks
// (`|`, `|-`, `|+`). Plain and quoted scalars longer than 80 columns are folded at spaces,
// as go-yaml does. Numbers are written as their text says. Invalid UTF-8 becomes U+FFFD,
// as encoding/json does before sigs.k8s.io/yaml sees the text.
std::string to_yaml(const Value& value);

// Several YAML documents, separated by "---" lines (as kubectl separates printed objects).
std::string to_yaml_documents(const std::vector<Value>& documents);

// JSON with 4-space indentation and "key": value, ending in a newline; empty maps and lists
// are `{}` and `[]`. Strings are escaped as Go's encoding/json does (<, >, & as \u003c,
// \u003e, \u0026; U+2028/U+2029; control characters; invalid UTF-8 as \ufffd); other
// non-ASCII text is kept as UTF-8. Numbers are written as their text says when that is a
// JSON number; YAML-only forms (0x1f, 1_000, +1, .5) are converted, non-finite floats are
// written as null.
std::string to_json(const Value& value);

// The same JSON on one line without spaces or a final newline (for storing, not people).
std::string to_compact_json(const Value& value);

}  // namespace dra::k8s
