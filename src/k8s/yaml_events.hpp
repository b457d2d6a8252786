// src/k8s/yaml_events.hpp -- the YAML event stream that both YAML readers produce: libyaml's
// (yaml_parser.cpp, the whole language) and the fast reader (yaml_fast.cpp, the block-YAML
// subset of dumps and manifests, which gives up on anything else). Each reports events to a
// Sink: parse_yaml hands them to the TreeBuilder, tests record both streams and compare them.
// Private to k8s/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/tree_builder.hpp"

namespace dra::k8s::detail {

// libyaml's scalar styles (the Node keeps less: both quoted styles are Quoted).
enum class YamlStyle : uint8_t { Plain, SingleQuoted, DoubleQuoted, Literal, Folded };

// A Sink receives, in document order (each member returns false after the sink reported an
// error, e.g. a duplicate key; the reader then stops):
//   bool document_start(Pos);
//   bool document_end(Pos);
//   bool collection_start(NodeKind, Pos, std::string_view anchor);
//   bool collection_end(NodeKind, Pos, size_t consumed);  // consumed: as ParsedObject::consumed
//   bool scalar(Pos, std::string_view value, YamlStyle, bool stable, bool tagged_string,
//               std::string_view anchor);  // stable: as TreeBuilder::scalar
//   bool alias(Pos, std::string_view anchor);
//   bool syntax_error(Pos, std::string message, std::string hint);  // libyaml's; returns false
// Positions are where libyaml's event starts (1-based; columns in characters).

// Production: events to Nodes.
class TreeSink {
 public:
  explicit TreeSink(TreeBuilder& out) : out_(out) {}
  bool document_start(Pos) { return out_.begin_document(documents_++); }
  bool document_end(Pos) { return out_.end_document(); }
  bool collection_start(NodeKind kind, Pos pos, std::string_view anchor) {
    return out_.begin(kind, pos, anchor);
  }
  bool collection_end(NodeKind, Pos, size_t consumed) {
    out_.set_consumed(consumed);
    return out_.end();
  }
  bool scalar(Pos pos, std::string_view value, YamlStyle style, bool stable, bool tagged_string,
              std::string_view anchor) {
    return out_.scalar(pos, value, node_style(style), stable, tagged_string, anchor);
  }
  bool alias(Pos pos, std::string_view anchor) { return out_.alias(pos, anchor); }
  bool syntax_error(Pos pos, std::string message, std::string hint) {
    return out_.error(pos, std::move(message), std::move(hint));
  }

 private:
  static ScalarStyle node_style(YamlStyle style) {
    switch (style) {
      case YamlStyle::SingleQuoted:
      case YamlStyle::DoubleQuoted:
        return ScalarStyle::Quoted;
      case YamlStyle::Literal:
        return ScalarStyle::Literal;
      case YamlStyle::Folded:
        return ScalarStyle::Folded;
      case YamlStyle::Plain:
        break;
    }
    return ScalarStyle::Plain;
  }

  TreeBuilder& out_;
  size_t documents_ = 0;
};

// Tests: one recorded event.
struct YamlEvent {
  enum class Type : uint8_t {
    DocumentStart,
    DocumentEnd,
    MappingStart,
    MappingEnd,
    SequenceStart,
    SequenceEnd,
    Scalar,
    Alias,
    SyntaxError,
  };
  Type type = Type::Scalar;
  Pos pos;
  YamlStyle style = YamlStyle::Plain;
  std::string text;    // a scalar's value, a syntax error's message
  std::string anchor;  // an anchor, or the anchor an alias refers to
  bool tagged_string = false;
  friend bool operator==(const YamlEvent&, const YamlEvent&) = default;
};

// Tests: a Sink that records every event (it never fails).
class EventLog {
 public:
  std::vector<YamlEvent> events;

  bool document_start(Pos pos) { return add(YamlEvent::Type::DocumentStart, pos); }
  bool document_end(Pos pos) { return add(YamlEvent::Type::DocumentEnd, pos); }
  bool collection_start(NodeKind kind, Pos pos, std::string_view anchor) {
    add(kind == NodeKind::Mapping ? YamlEvent::Type::MappingStart : YamlEvent::Type::SequenceStart,
        pos);
    events.back().anchor = anchor;
    return true;
  }
  bool collection_end(NodeKind kind, Pos pos, size_t) {
    return add(
        kind == NodeKind::Mapping ? YamlEvent::Type::MappingEnd : YamlEvent::Type::SequenceEnd,
        pos);
  }
  bool scalar(Pos pos, std::string_view value, YamlStyle style, bool, bool tagged_string,
              std::string_view anchor) {
    events.push_back({YamlEvent::Type::Scalar, pos, style, std::string(value), std::string(anchor),
                      tagged_string});
    return true;
  }
  bool alias(Pos pos, std::string_view anchor) {
    add(YamlEvent::Type::Alias, pos);
    events.back().anchor = anchor;
    return true;
  }
  bool syntax_error(Pos pos, std::string message, std::string) {
    add(YamlEvent::Type::SyntaxError, pos);
    events.back().text = std::move(message);
    return false;
  }

 private:
  bool add(YamlEvent::Type type, Pos pos) {
    events.push_back({type, pos, YamlStyle::Plain, {}, {}, false});
    return true;
  }
};

// The fast reader's verdict. Error: the sink reported an error (stop; nothing more to do).
// Unsupported: the text is outside the subset, or libyaml would reject it; nothing was reported
// (the events delivered so far are the start of libyaml's, so a caller may re-read the text
// with libyaml and skip what it already has).
enum class FastResult : uint8_t { Ok, Error, Unsupported };

// Reads `text` (UTF-8 YAML) and reports its events, exactly as libyaml would, or gives up.
template <class Sink>
FastResult parse_yaml_fast(std::string_view text, Sink& sink);

// Reads `text` with libyaml; false after a syntax error (reported to the sink) or a sink error.
template <class Sink>
bool parse_yaml_libyaml(std::string_view text, Sink& sink);

extern template FastResult parse_yaml_fast<TreeSink>(std::string_view, TreeSink&);
extern template FastResult parse_yaml_fast<EventLog>(std::string_view, EventLog&);
extern template bool parse_yaml_libyaml<TreeSink>(std::string_view, TreeSink&);
extern template bool parse_yaml_libyaml<EventLog>(std::string_view, EventLog&);

}  // namespace dra::k8s::detail
