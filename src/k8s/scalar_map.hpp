// src/k8s/scalar_map.hpp -- from a byte offset inside a scalar's decoded value back to the
// line and column in the file where that character was written.
//
// CEL expressions live in YAML or JSON strings; the CEL engine reports errors at a byte
// offset in the decoded string. To point at the file, the raw scalar is scanned again from
// its start, decoding it the way the parser did (libyaml's rules for YAML: line folding,
// quoting and escapes, block scalar indentation and chomping; RFC 8259 for JSON) while
// remembering where each decoded byte came from. If that scan does not give back exactly
// the decoded value, the answer is nullopt and callers use the scalar's own position.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "k8s/node.hpp"

namespace dra::k8s {

// Which reader produced the positions: they count differently. YAML (libyaml) counts
// characters (code points) in a column and takes \n, \r\n, \r, U+0085, U+2028 and U+2029 as
// line breaks; the JSON reader counts bytes and only \n breaks lines. A leading byte order
// mark is one column for libyaml and none for the JSON reader.
enum class SourceSyntax : uint8_t { Yaml, Json };

// The syntax parse_objects reads `file_text` as.
SourceSyntax detect_syntax(std::string_view file_text);

// The position in `file_text` of the character that byte `offset` of `decoded` comes from.
// `scalar_start` and `style` are the Node's pos and style (for YAML the position of the
// first property (&anchor, !tag) if any, else the first character of a plain scalar, the
// opening quote of a quoted one, the | or > of a block scalar); `decoded` is the Node's text.
//
// Every byte of a multi-byte character maps to that character; a character written as an
// escape maps to its backslash; a space or newline made by line folding maps to the line
// break it replaces. offset == decoded.size() gives the position just after the source of
// the last character (for an empty value: where the content would start). nullopt when
// offset > decoded.size(), when scalar_start is not in the text, or when scanning the text
// there does not reproduce `decoded` (so also for a node reached through an alias: its
// position is the alias's). Work is linear in the text up to the scalar's end (a block
// scalar is scanned at most 64 times, once per possible parent indentation); never reads
// outside `file_text`.
std::optional<Pos> scalar_offset_pos(std::string_view file_text, SourceSyntax syntax,
                                     Pos scalar_start, ScalarStyle style, std::string_view decoded,
                                     uint32_t offset);

// The same for a parsed scalar node of `file_text` (syntax as parse_objects chose it).
std::optional<Pos> scalar_offset_pos(std::string_view file_text, const Node& scalar,
                                     uint32_t offset);

}  // namespace dra::k8s
