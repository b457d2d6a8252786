// src/k8s/tree_builder.cpp -- parser events to Nodes, with list streaming and limits.
#include "k8s/tree_builder.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "util/strings.hpp"

namespace dra::k8s::detail {

TreeBuilder::TreeBuilder(const std::string& file, const ParseLimits& limits, const ObjectFn& fn,
                         util::Diagnostics& diags)
    : file_(file), limits_(limits), fn_(fn), diags_(diags) {}

bool TreeBuilder::error(Pos pos, std::string message, std::string hint) {
  diags_.error({file_, pos.line, pos.column}, std::move(message), std::move(hint));
  return false;
}

bool TreeBuilder::begin_document(size_t index) {
  document_ = index;
  frames_in_use_ = 0;
  anchors_.clear();
  alias_budget_used_ = 0;
  list_kind_.clear();
  list_api_version_.clear();
  root_done_ = false;
  items_streamed_ = false;
  root_arena_.reset();
  item_arena_.reset();
  return true;
}

bool TreeBuilder::end_document() {
  if (!root_done_) {
    // An empty document (a bare "---") holds no object; kubectl skips it too.
  }
  return true;
}

Arena& TreeBuilder::arena_for_depth(size_t depth) {
  // Nodes below a streamed `items` sequence live in the item arena, freed per item.
  if (frames_in_use_ >= 2 && stack_[1].streaming_items && depth >= 2) return item_arena_;
  return root_arena_;
}

bool TreeBuilder::begin(NodeKind kind, Pos pos, std::string_view anchor) {
  if (frames_in_use_ >= limits_.max_depth)
    return error(pos, fmt::format("nesting deeper than {} levels", limits_.max_depth),
                 "Kubernetes objects are far shallower; check the file is a manifest or dump");
  if (frames_in_use_ == stack_.size()) stack_.emplace_back();
  Frame& f = stack_[frames_in_use_];
  f.kind = kind;
  f.pos = pos;
  f.anchor.assign(anchor);
  f.children.clear();
  // The root mapping's `items` sequence is streamed item by item.
  f.streaming_items = false;
  if (kind == NodeKind::Sequence && frames_in_use_ == 1) {
    const Frame& root = stack_[0];
    f.streaming_items = root.kind == NodeKind::Mapping && root.children.size() % 2 == 1 &&
                        root.children.back().text == "items";
  }
  ++frames_in_use_;
  return true;
}

bool TreeBuilder::check_duplicate_keys(const Frame& f) {
  const size_t pairs = f.children.size() / 2;
  auto dup = [&](size_t i, size_t j) {
    const Node& first = f.children[2 * i];
    const Node& again = f.children[2 * j];
    error(again.pos,
          fmt::format("duplicate key \"{}\" (first at line {})", util::printable(again.text),
                      first.pos.line),
          "remove one of them; Kubernetes rejects mappings with repeated keys");
    return false;
  };
  if (pairs < 16) {
    for (size_t i = 0; i < pairs; ++i)
      for (size_t j = i + 1; j < pairs; ++j)
        if (f.children[2 * i].text == f.children[2 * j].text) return dup(i, j);
    return true;
  }
  std::vector<uint32_t> order(pairs);
  for (uint32_t i = 0; i < pairs; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return f.children[2 * a].text < f.children[2 * b].text;
  });
  for (size_t i = 1; i < pairs; ++i)
    if (f.children[2 * order[i - 1]].text == f.children[2 * order[i]].text)
      return dup(order[i - 1], order[i]);
  return true;
}

bool TreeBuilder::end() {
  Frame& f = stack_[frames_in_use_ - 1];
  if (f.kind == NodeKind::Mapping && !check_duplicate_keys(f)) return false;
  if (f.streaming_items) items_streamed_ = true;
  Arena& arena = arena_for_depth(frames_in_use_ - 1);
  Node node;
  node.kind = f.kind;
  node.pos = f.pos;
  node.size = static_cast<uint32_t>(f.kind == NodeKind::Mapping ? f.children.size() / 2
                                                                : f.children.size());
  if (!f.children.empty()) {
    Node* kids = arena.nodes(f.children.size());
    std::copy(f.children.begin(), f.children.end(), kids);
    node.children = kids;
  }
  if (!f.anchor.empty()) anchors_[f.anchor] = node;
  --frames_in_use_;
  return add(node);
}

bool TreeBuilder::add(const Node& node) {
  if (frames_in_use_ == 0) {
    // The document's root is complete.
    root_done_ = true;
    fn_(ParsedObject{node, false, items_streamed_, list_kind_, list_api_version_, document_,
                     consumed_});
    return true;
  }
  Frame& parent = stack_[frames_in_use_ - 1];
  if (parent.streaming_items && frames_in_use_ == 2) {
    fn_(ParsedObject{node, true, false, list_kind_, list_api_version_, document_, consumed_});
    item_arena_.reset();
    // Anchors defined inside the item pointed into the item arena; forget them all (an
    // alias across list items is refused below as an unknown anchor).
    if (!anchors_.empty()) anchors_.clear();
    return true;
  }
  if (parent.kind == NodeKind::Mapping && parent.children.size() % 2 == 0) {
    // A key. Kubernetes objects only have string keys.
    if (!node.is_scalar())
      return error(node.pos, fmt::format("mapping key is {}", describe(node)),
                   "keys in Kubernetes objects are strings");
  }
  if (frames_in_use_ == 1 && parent.kind == NodeKind::Mapping && parent.children.size() % 2 == 1 &&
      node.is_scalar()) {
    std::string_view key = parent.children.back().text;
    if (key == "kind") list_kind_.assign(node.text);
    if (key == "apiVersion") list_api_version_.assign(node.text);
  }
  parent.children.push_back(node);
  return true;
}

bool TreeBuilder::scalar(Pos pos, std::string_view text, ScalarStyle style, bool stable,
                         bool tagged_string, std::string_view anchor) {
  if (text.size() > limits_.max_scalar_bytes)
    return error(
        pos,
        fmt::format("value of {} bytes is longer than the limit of {}", text.size(),
                    limits_.max_scalar_bytes),
        "the API server stores at most 1.5 MiB per object; check that the file is a manifest or "
        "dump");
  Node node;
  node.kind = NodeKind::Scalar;
  node.style = style;
  node.tagged_string = tagged_string;
  node.pos = pos;
  node.text = stable ? text : arena_for_depth(frames_in_use_).copy(text);
  if (!anchor.empty()) anchors_[std::string(anchor)] = node;
  return add(node);
}

static size_t count_nodes(const Node& n, size_t limit) {
  size_t total = 1;
  if (n.is_scalar()) return total;
  const uint32_t kids = n.is_mapping() ? 2 * n.size : n.size;
  for (uint32_t i = 0; i < kids && total <= limit; ++i)
    total += count_nodes(n.children[i], limit - total);
  return total;
}

bool TreeBuilder::alias(Pos pos, std::string_view anchor) {
  auto it = anchors_.find(std::string(anchor));
  if (it == anchors_.end())
    return error(pos, fmt::format("unknown anchor \"{}\"", util::printable(anchor)),
                 "define the anchor (&name) before its alias (*name), in the same object");
  // Aliases share the anchored nodes, but whoever walks the tree visits them again: bound
  // the total so that an alias bomb ends with an error, not an exhausted machine.
  const size_t left = limits_.max_alias_expansion - alias_budget_used_;
  const size_t n = count_nodes(it->second, left);
  if (n > left)
    return error(pos,
                 fmt::format("aliases expand to more than {} nodes", limits_.max_alias_expansion),
                 "this looks like an alias bomb; expand the aliases by hand if it is meant");
  alias_budget_used_ += n;
  Node node = it->second;
  node.pos = pos;
  return add(node);
}

}  // namespace dra::k8s::detail
