// src/k8s/tree_builder.hpp -- builds Nodes from parser events; shared by the JSON and YAML
// parsers so that list streaming, depth limits and duplicate keys behave the same for both.
// Private to k8s/.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "k8s/parse.hpp"

namespace dra::k8s::detail {

class TreeBuilder {
 public:
  TreeBuilder(const std::string& file, const ParseLimits& limits, const ObjectFn& fn,
              util::Diagnostics& diags);

  // Each returns false after an error was reported; the caller then stops.
  bool begin_document(size_t index);
  bool end_document();
  bool begin(NodeKind kind, Pos pos, std::string_view anchor = {});
  bool end();
  // `text` must stay valid until the scalar is stored (it is copied when needed: `stable`
  // says the text outlives the document, e.g. a view into the input file).
  bool scalar(Pos pos, std::string_view text, ScalarStyle style, bool stable,
              bool tagged_string = false, std::string_view anchor = {});
  bool alias(Pos pos, std::string_view anchor);
  bool error(Pos pos, std::string message, std::string hint = {});
  // How far the reader has got in the input (a lower bound), reported with each object.
  void set_consumed(size_t offset) { consumed_ = offset; }

 private:
  struct Frame {
    NodeKind kind;
    Pos pos;
    std::string anchor;
    std::vector<Node> children;
    bool streaming_items = false;  // this sequence is the root's `items`
  };
  bool add(const Node& node);
  bool check_duplicate_keys(const Frame& f);
  Arena& arena_for_depth(size_t depth);

  const std::string& file_;
  const ParseLimits& limits_;
  const ObjectFn& fn_;
  util::Diagnostics& diags_;
  Arena root_arena_, item_arena_;
  std::vector<Frame> stack_;
  size_t frames_in_use_ = 0;
  std::unordered_map<std::string, Node> anchors_;
  size_t alias_budget_used_ = 0;
  size_t document_ = 0;
  std::string list_kind_, list_api_version_;
  bool root_done_ = false;
  bool items_streamed_ = false;
  size_t consumed_ = 0;
};

}  // namespace dra::k8s::detail
