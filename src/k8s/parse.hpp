// src/k8s/parse.hpp -- YAML and JSON text to Nodes, one top-level object at a time.
//
// Lists are streamed: for a root mapping with an `items` sequence (kind: List and typed lists
// such as ResourceSliceList, as `kubectl get -o yaml|json` and the API server write them), each
// item is handed over on its own and its nodes are freed before the next, so memory stays
// bounded by the largest object rather than the file.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "k8s/node.hpp"
#include "util/diag.hpp"

namespace dra::k8s {

struct ParseLimits {
  size_t max_depth = 64;                 // nesting of mappings and sequences
  size_t max_alias_expansion = 1000000;  // nodes reachable through YAML aliases, in total
  size_t max_scalar_bytes = 16 * 1024 * 1024;
};

// What the parser hands over. For a list item, list_kind/list_api_version are the root's
// `kind` and `apiVersion` if they came before `items` (the API server writes them first;
// kubectl's items carry their own). For the root of a list, items_streamed is true and its
// `items` value is an empty sequence.
struct ParsedObject {
  const Node& node;
  bool list_item = false;
  bool items_streamed = false;
  std::string_view list_kind;
  std::string_view list_api_version;
  size_t document = 0;  // 0-based YAML document (or JSON value) index in the file
  // How far the parser has read (a lower bound). Callers may release that part of the input
  // only in a way that it can be read again: the YAML reader hands a file it gives up on to
  // libyaml, which reads it again from the start (the loader drops pages of a read-only
  // mapping, which come back from the file when touched).
  size_t consumed = 0;
};
using ObjectFn = std::function<void(const ParsedObject&)>;

// Parses `text` (the whole file) and calls `fn` for each top-level object. The Node passed
// is valid only during the call. Text whose first non-blank character is '{' or '[' is read
// as JSON (one or more values), anything else as YAML (one or more documents). Syntax errors
// are added to `diags` at their file position (`file` is the name to report) and parsing of
// that file stops; returns false then. Never throws on bad input.
bool parse_objects(std::string_view text, const std::string& file, const ParseLimits& limits,
                   const ObjectFn& fn, util::Diagnostics& diags);

// Both syntaxes explicitly (parse_objects picks one of these).
bool parse_json(std::string_view text, const std::string& file, const ParseLimits& limits,
                const ObjectFn& fn, util::Diagnostics& diags);
bool parse_yaml(std::string_view text, const std::string& file, const ParseLimits& limits,
                const ObjectFn& fn, util::Diagnostics& diags);

}  // namespace dra::k8s
