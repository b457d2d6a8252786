// src/k8s/yaml_parser.cpp -- YAML to Nodes: the fast reader for the block YAML of dumps and
// manifests (yaml_fast.cpp), and libyaml's event parser for everything else.
// yaml-cpp's node tree is far too slow and large for cluster dumps (see bench/README.md);
// the events of either reader feed the shared TreeBuilder, which streams list items.
#include <fmt/format.h>
#include <yaml.h>

#include <algorithm>
#include <cstring>

#include "k8s/parse.hpp"
#include "k8s/tree_builder.hpp"
#include "k8s/yaml_events.hpp"

namespace dra::k8s {
namespace detail {
namespace {

Pos to_pos(const yaml_mark_t& m) {
  return {static_cast<uint32_t>(m.line + 1), static_cast<uint32_t>(m.column + 1)};
}

std::string_view anchor_of(const yaml_char_t* a) {
  return a ? std::string_view(reinterpret_cast<const char*>(a)) : std::string_view();
}

class Parser {
 public:
  Parser() { ok_ = yaml_parser_initialize(&p_) == 1; }
  ~Parser() {
    if (ok_) yaml_parser_delete(&p_);
  }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
  yaml_parser_t* get() { return &p_; }
  bool ok() const { return ok_; }

 private:
  yaml_parser_t p_{};
  bool ok_ = false;
};

class Event {
 public:
  ~Event() {
    if (live_) yaml_event_delete(&e_);
  }
  bool next(yaml_parser_t* p) {
    if (live_) yaml_event_delete(&e_);
    live_ = yaml_parser_parse(p, &e_) == 1;
    return live_;
  }
  const yaml_event_t& operator*() const { return e_; }
  const yaml_event_t* operator->() const { return &e_; }

 private:
  yaml_event_t e_{};
  bool live_ = false;
};

template <class Sink>
bool report_syntax_error(yaml_parser_t* p, std::string_view text, Sink& out) {
  std::string problem = p->problem ? p->problem : "malformed YAML";
  Pos pos = to_pos(p->problem_mark);
  if (p->error == YAML_READER_ERROR) {
    // libyaml's reader reports a byte offset, not a line, for encoding problems.
    const size_t offset = std::min(p->problem_offset, text.size());
    Pos at{1, 1};
    for (size_t i = 0; i < offset; ++i) {
      if (text[i] == '\n') {
        ++at.line;
        at.column = 1;
      } else if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) {
        ++at.column;
      }
    }
    std::string what = problem;
    if (p->problem_value != -1) what += fmt::format(" (byte 0x{:02x})", p->problem_value & 0xff);
    return out.syntax_error(at, what, "save the file as UTF-8 without control characters");
  }
  std::string message = problem;
  if (p->context) message = fmt::format("{} {}", problem, p->context);
  std::string hint;
  if (p->context && p->context_mark.line != p->problem_mark.line) {
    std::string_view what = p->context;  // e.g. "while parsing a block mapping"
    for (std::string_view prefix : {"while parsing ", "while scanning "})
      if (what.starts_with(prefix)) what.remove_prefix(prefix.size());
    hint = fmt::format("{} began at line {}, column {}", what, p->context_mark.line + 1,
                       p->context_mark.column + 1);
  }
  if (problem.find("did not find expected ',' or '}'") != std::string::npos)
    hint = fmt::format("a '{{' opened at line {}, column {} is not closed",
                       p->context_mark.line + 1, p->context_mark.column + 1);
  else if (problem.find("did not find expected ',' or ']'") != std::string::npos)
    hint = fmt::format("a '[' opened at line {}, column {} is not closed", p->context_mark.line + 1,
                       p->context_mark.column + 1);
  else if (problem.find("mapping values are not allowed") != std::string::npos)
    hint = "a value containing \": \" must be quoted, or the indentation is off";
  else if (problem.find("did not find expected key") != std::string::npos)
    hint =
        fmt::format("check the indentation of this line against line {}", p->context_mark.line + 1);
  else if (problem.find("found character that cannot start any token") != std::string::npos)
    hint = "YAML does not allow tabs for indentation; use spaces";
  return out.syntax_error(pos, message, hint);
}

}  // namespace

template <class Sink>
bool parse_yaml_libyaml(std::string_view text, Sink& out) {
  Parser parser;
  if (!parser.ok()) return out.syntax_error({}, "cannot initialise the YAML parser", {});
  yaml_parser_set_input_string(parser.get(), reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  yaml_parser_set_encoding(parser.get(), YAML_UTF8_ENCODING);
  Event ev;
  for (;;) {
    if (!ev.next(parser.get())) return report_syntax_error(parser.get(), text, out);
    switch (ev->type) {
      case YAML_STREAM_END_EVENT:
        return true;
      case YAML_DOCUMENT_START_EVENT:
        if (!out.document_start(to_pos(ev->start_mark))) return false;
        break;
      case YAML_DOCUMENT_END_EVENT:
        if (!out.document_end(to_pos(ev->start_mark))) return false;
        break;
      case YAML_MAPPING_START_EVENT:
        if (!out.collection_start(NodeKind::Mapping, to_pos(ev->start_mark),
                                  anchor_of(ev->data.mapping_start.anchor)))
          return false;
        break;
      case YAML_SEQUENCE_START_EVENT:
        if (!out.collection_start(NodeKind::Sequence, to_pos(ev->start_mark),
                                  anchor_of(ev->data.sequence_start.anchor)))
          return false;
        break;
      case YAML_MAPPING_END_EVENT:
      case YAML_SEQUENCE_END_EVENT:
        // mark.index counts characters, never more than bytes: a safe lower bound.
        if (!out.collection_end(
                ev->type == YAML_MAPPING_END_EVENT ? NodeKind::Mapping : NodeKind::Sequence,
                to_pos(ev->start_mark), ev->end_mark.index))
          return false;
        break;
      case YAML_SCALAR_EVENT: {
        const auto& s = ev->data.scalar;
        YamlStyle style = YamlStyle::Plain;
        switch (s.style) {
          case YAML_SINGLE_QUOTED_SCALAR_STYLE:
            style = YamlStyle::SingleQuoted;
            break;
          case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
            style = YamlStyle::DoubleQuoted;
            break;
          case YAML_LITERAL_SCALAR_STYLE:
            style = YamlStyle::Literal;
            break;
          case YAML_FOLDED_SCALAR_STYLE:
            style = YamlStyle::Folded;
            break;
          default:
            break;
        }
        const char* tag = reinterpret_cast<const char*>(s.tag);
        const bool tagged_string = tag && std::strcmp(tag, "tag:yaml.org,2002:str") == 0;
        std::string_view value(reinterpret_cast<const char*>(s.value), s.length);
        if (!out.scalar(to_pos(ev->start_mark), value, style, false, tagged_string,
                        anchor_of(s.anchor)))
          return false;
        break;
      }
      case YAML_ALIAS_EVENT:
        if (!out.alias(to_pos(ev->start_mark), anchor_of(ev->data.alias.anchor))) return false;
        break;
      default:
        break;
    }
  }
}

template bool parse_yaml_libyaml<TreeSink>(std::string_view, TreeSink&);
template bool parse_yaml_libyaml<EventLog>(std::string_view, EventLog&);

}  // namespace detail

bool parse_yaml(std::string_view text, const std::string& file, const ParseLimits& limits,
                const ObjectFn& fn, util::Diagnostics& diags) {
  // The fast reader first: dumps and manifests are nearly always in its subset.
  size_t delivered = 0;
  const ObjectFn counted = [&](const ParsedObject& o) {
    ++delivered;
    fn(o);
  };
  {
    detail::TreeBuilder out(file, limits, counted, diags);
    detail::TreeSink sink(out);
    switch (detail::parse_yaml_fast(text, sink)) {
      case detail::FastResult::Ok:
        return true;
      case detail::FastResult::Error:
        return false;
      case detail::FastResult::Unsupported:
        break;
    }
  }
  // It gave up, having reported nothing: libyaml reads the whole text again (and reports any
  // syntax error). The fast reader's events were the start of libyaml's, so its objects are
  // libyaml's first ones: hand each object to the caller once.
  size_t skip = delivered;
  const ObjectFn rest = [&](const ParsedObject& o) {
    if (skip > 0) {
      --skip;
      return;
    }
    fn(o);
  };
  detail::TreeBuilder out(file, limits, rest, diags);
  detail::TreeSink sink(out);
  return detail::parse_yaml_libyaml(text, sink);
}

}  // namespace dra::k8s
