// src/render/explain.cpp -- the explain tree and its JSON form.
#include "render/explain.hpp"

#include <fmt/format.h>

#include <vector>

namespace dra::render {
namespace {

using explain::ClaimExplanation;
using explain::Explanation;
using explain::RequestExplanation;

// A line of the tree and the lines under it.
struct Node {
  std::string text;
  std::vector<Node> children;
  Node& add(std::string t) {
    children.push_back({std::move(t), {}});
    return children.back();
  }
};

// Display width of UTF-8 text (code points; the tree uses no wide characters).
size_t columns(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Splits `text` into lines of at most `width` columns at spaces (a longer word stays whole).
std::vector<std::string> wrap(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  std::string line;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    const std::string word = text.substr(i, j - i);
    if (!line.empty() && columns(line) + 1 + columns(word) > width) {
      lines.push_back(std::move(line));
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
    i = j + 1;
  }
  if (!line.empty() || lines.empty()) lines.push_back(std::move(line));
  return lines;
}

void print(const Node& n, const std::string& lead, const std::string& rest, size_t width,
           std::string& out) {
  const size_t room = width > columns(lead) + 20 ? width - columns(lead) : 20;
  const std::vector<std::string> lines = wrap(n.text, room);
  for (size_t i = 0; i < lines.size(); ++i)
    out += (i == 0 ? lead : rest + (n.children.empty() ? "  " : "│ ")) + lines[i] + "\n";
  for (size_t i = 0; i < n.children.size(); ++i) {
    const bool last = i + 1 == n.children.size();
    print(n.children[i], rest + (last ? "└─ " : "├─ "), rest + (last ? "   " : "│  "), width, out);
  }
}

struct Paint {
  bool on = false;
  std::string operator()(std::string_view code, const std::string& s) const {
    return on ? fmt::format("\033[{}m{}\033[0m", code, s) : s;
  }
};

std::string state_text(const ClaimExplanation& c) {
  switch (c.state) {
    case ClaimExplanation::State::Pending:
      return "pending";
    case ClaimExplanation::State::Allocated:
      return "allocated";
    case ClaimExplanation::State::AllocatedNow:
      return "would be allocated";
    case ClaimExplanation::State::Error:
      return "error";
  }
  return "";
}

void request_node(const RequestExplanation& r, Node& parent) {
  Node& n = parent.add(
      fmt::format("request {}: {} of class {}{}", r.name,
                  r.mode == "All" ? std::string("all devices")
                                  : fmt::format("{} device{}", r.needed, r.needed == 1 ? "" : "s"),
                  r.device_class, r.class_missing ? " (missing)" : ""));
  if (!r.extended.empty()) n.add("extended resource " + r.extended);
  for (size_t i = 0; i < r.class_selectors.size(); ++i)
    n.add(fmt::format("class selector #{}: {}", i, r.class_selectors[i]));
  for (size_t i = 0; i < r.request_selectors.size(); ++i)
    n.add(fmt::format("request selector #{}: {}", i, r.request_selectors[i]));
  if (!r.funnel.empty()) {
    Node& f = n.add("devices");
    size_t label = 0;
    for (const auto& s : r.funnel) label = std::max(label, columns(s.what));
    for (const auto& s : r.funnel)
      f.add(fmt::format("{}{}  {}{}", s.what, std::string(label - columns(s.what), ' '), s.devices,
                        s.detail.empty() ? "" : " (" + s.detail + ")"));
  }
  if (!r.nearest.empty()) {
    Node& f = n.add("closest nodes");
    for (const auto& nc : r.nearest)
      f.add(fmt::format("{}: {} of {} device{}{}", nc.node, nc.candidates, r.needed,
                        r.needed == 1 ? "" : "s", nc.note.empty() ? "" : " (" + nc.note + ")"));
  }
  for (const auto& sm : r.selectors) {
    Node& s = n.add(fmt::format(
        "{} selector #{} rules out {}, e.g. {}:", sm.owner, sm.index,
        sm.ruled_out == 1 ? std::string("1 device") : fmt::format("{} devices", sm.ruled_out),
        sm.device));
    for (const auto& [expr, value] : sm.values) s.add(fmt::format("{} = {}", expr, value));
  }
}

}  // namespace

std::string explain_text(const Explanation& e, const TextStyle& style) {
  const Paint paint{style.colour};
  Node root{paint("1", e.subject), {}};
  if (!e.pod.empty() && e.subject != "pod " + e.pod) root.add("used by pod " + e.pod);
  std::string nodes = fmt::format("{} node{} considered, {} eligible", e.nodes,
                                  e.nodes == 1 ? "" : "s", e.eligible);
  if (e.placed_before)
    nodes += fmt::format("; {} earlier group{} placed first, as allocate places them",
                         e.placed_before, e.placed_before == 1 ? "" : "s");
  if (e.nodes || !e.excluded.empty()) {
    Node& n = root.add(nodes);
    for (const auto& [why, count] : e.excluded) n.add(fmt::format("{} excluded: {}", count, why));
  }
  for (const ClaimExplanation& c : e.claims) {
    const bool bad =
        c.state == ClaimExplanation::State::Pending || c.state == ClaimExplanation::State::Error;
    Node& cn =
        root.add(fmt::format("claim {}: {}{}", c.name, paint(bad ? "1;31" : "1;32", state_text(c)),
                             c.node.empty() ? "" : " on " + c.node));
    if (!c.made_for.empty()) cn.add("made for " + c.made_for);
    if (!c.error_kind.empty())
      cn.add(paint("1;31", c.error_kind) + ": " + c.reason);
    else if (!c.reason.empty())
      cn.add((bad ? "why: " : "") + c.reason);
    for (const RequestExplanation& r : c.requests) request_node(r, cn);
    if (!c.choices.empty()) {
      Node& ch = cn.add("devices");
      for (const auto& x : c.choices) {
        std::string why =
            !x.reachable ? std::string("not among the devices the node's pools hold now")
            : x.earlier  ? fmt::format(
                               "not the first candidate on this state: {} other{} come{} "
                                "before it in search order (the cluster changed since, or "
                                "another allocator chose)",
                               x.earlier, x.earlier == 1 ? "" : "s", x.earlier == 1 ? "s" : "")
            : x.skipped == 0 ? "the first candidate in search order"
                             : fmt::format(
                                   "the first candidate in search order; {} device{} of the class "
                                   "before it did not qualify ({})",
                                   x.skipped, x.skipped == 1 ? "" : "s", x.skipped_detail);
        ch.add(fmt::format("{}: {}: {}; {} other candidate{} on the node", x.request, x.device, why,
                           x.alternatives, x.alternatives == 1 ? "" : "s"));
      }
    }
    if (c.other_nodes_total)
      cn.add(fmt::format("would fit on {} other node{} too: {}{}", c.other_nodes_total,
                         c.other_nodes_total == 1 ? "" : "s", fmt::join(c.other_nodes, ", "),
                         c.other_nodes_total > c.other_nodes.size() ? ", ..." : ""));
    if (!c.suggestions.empty()) {
      Node& s = cn.add(paint("1", "suggestions"));
      for (const auto& x : c.suggestions) s.add(x);
    }
  }
  std::string out;
  print(root, "", "", std::max<size_t>(style.width, 40), out);
  return out;
}

k8s::Value explain_value(const Explanation& e) {
  using k8s::Value;
  auto str = [](const std::string& s) { return Value::of(s); };
  auto num = [](size_t n) { return Value::of(static_cast<int64_t>(n)); };
  auto strings = [&](const std::vector<std::string>& v) {
    Value l = Value::list();
    for (const auto& s : v) l.items.push_back(str(s));
    return l;
  };
  Value v = Value::map();
  v.add("subject", str(e.subject));
  if (!e.pod.empty()) v.add("pod", str(e.pod));
  v.add("nodes", num(e.nodes));
  v.add("eligibleNodes", num(e.eligible));
  v.add("placedBefore", num(e.placed_before));
  Value ex = Value::list();
  for (const auto& [why, count] : e.excluded) {
    Value x = Value::map();
    x.add("reason", str(why));
    x.add("nodes", num(count));
    ex.items.push_back(std::move(x));
  }
  v.add("excluded", std::move(ex));
  Value claims = Value::list();
  for (const ClaimExplanation& c : e.claims) {
    Value cv = Value::map();
    cv.add("name", str(c.name));
    if (!c.made_for.empty()) cv.add("madeFor", str(c.made_for));
    cv.add("state", str(c.state == ClaimExplanation::State::AllocatedNow ? "allocatedInThisRun"
                        : c.state == ClaimExplanation::State::Allocated  ? "allocated"
                        : c.state == ClaimExplanation::State::Error      ? "error"
                                                                         : "pending"));
    if (!c.node.empty()) cv.add("node", str(c.node));
    if (!c.error_kind.empty()) cv.add("error", str(c.error_kind));
    cv.add("reason", str(c.reason));
    Value reqs = Value::list();
    for (const RequestExplanation& r : c.requests) {
      Value rv = Value::map();
      rv.add("name", str(r.name));
      if (!r.extended.empty()) rv.add("extendedResource", str(r.extended));
      rv.add("deviceClassName", str(r.device_class));
      rv.add("allocationMode", str(r.mode));
      rv.add("needed", Value::of(static_cast<int64_t>(r.needed)));
      rv.add("classSelectors", strings(r.class_selectors));
      rv.add("selectors", strings(r.request_selectors));
      Value funnel = Value::list();
      for (const auto& s : r.funnel) {
        Value sv = Value::map();
        sv.add("step", str(s.what));
        sv.add("devices", num(s.devices));
        if (!s.detail.empty()) sv.add("detail", str(s.detail));
        funnel.items.push_back(std::move(sv));
      }
      rv.add("funnel", std::move(funnel));
      rv.add("mostOnOneNode", num(r.best));
      Value nearest = Value::list();
      for (const auto& nc : r.nearest) {
        Value nv = Value::map();
        nv.add("node", str(nc.node));
        nv.add("candidates", num(nc.candidates));
        if (!nc.note.empty()) nv.add("note", str(nc.note));
        nearest.items.push_back(std::move(nv));
      }
      rv.add("closestNodes", std::move(nearest));
      Value sels = Value::list();
      for (const auto& sm : r.selectors) {
        Value sv = Value::map();
        sv.add("owner", str(sm.owner));
        sv.add("index", Value::of(static_cast<int64_t>(sm.index)));
        sv.add("expression", str(sm.expression));
        sv.add("rulesOut", num(sm.ruled_out));
        sv.add("example", str(sm.device));
        Value vals = Value::list();
        for (const auto& [expr, value] : sm.values) {
          Value x = Value::map();
          x.add("expression", str(expr));
          x.add("value", str(value));
          vals.items.push_back(std::move(x));
        }
        sv.add("values", std::move(vals));
        sels.items.push_back(std::move(sv));
      }
      rv.add("selectorMisses", std::move(sels));
      reqs.items.push_back(std::move(rv));
    }
    cv.add("requests", std::move(reqs));
    Value choices = Value::list();
    for (const auto& x : c.choices) {
      Value xv = Value::map();
      xv.add("request", str(x.request));
      xv.add("device", str(x.device));
      xv.add("skipped", num(x.skipped));
      if (!x.skipped_detail.empty()) xv.add("skippedBecause", str(x.skipped_detail));
      xv.add("otherCandidates", num(x.alternatives));
      choices.items.push_back(std::move(xv));
    }
    cv.add("devices", std::move(choices));
    if (c.other_nodes_total) {
      cv.add("otherNodes", strings(c.other_nodes));
      cv.add("otherNodesTotal", num(c.other_nodes_total));
    }
    cv.add("suggestions", strings(c.suggestions));
    claims.items.push_back(std::move(cv));
  }
  v.add("claims", std::move(claims));
  return v;
}

}  // namespace dra::render
