// src/author/spec_file.cpp -- the compact claim form of `new --from` (spec_file.hpp).
#include "author/spec_file.hpp"

#include <fmt/format.h>

#include "k8s/emit.hpp"
#include "k8s/node.hpp"
#include "k8s/parse.hpp"
#include "k8s/value.hpp"

namespace dra::author {
namespace {

class Reader {
 public:
  Reader(const std::string& file, util::Diagnostics& diags) : file_(file), diags_(diags) {}

  void top(const k8s::Node& n) {
    if (!n.is_mapping()) return bad(n, "expected a mapping with requests:");
    for (uint32_t i = 0; i < n.size; ++i) {
      const std::string_view k = n.key(i).text;
      const k8s::Node& v = n.value(i);
      if (k == "requests") {
        if (!v.is_sequence()) return bad(v, "requests is a list");
        for (uint32_t r = 0; r < v.size; ++r) request(v.item(r), false);
      } else if (k == "same" || k == "distinct") {
        strings(v, std::string(k));
      } else if (k == "config") {
        if (!v.is_sequence()) return bad(v, "config is a list of {driver, parameters}");
        for (uint32_t c = 0; c < v.size; ++c) config(v.item(c));
      } else {
        bad(n.key(i), fmt::format("unknown field {:?}", k),
            "the fields are requests, same, distinct and config");
      }
    }
  }

  SpecFile out;

 private:
  void bad(const k8s::Node& at, std::string message, std::string hint = {}) {
    diags_.error({file_, at.pos.line, at.pos.column}, std::move(message),
                 hint.empty() ? "see `kubectl dra new --help` for the form of --from files"
                              : std::move(hint));
  }
  void add(std::string flag, std::string value, const k8s::Node& at, bool verbatim = false) {
    util::SourcePos pos{file_, at.pos.line, at.pos.column};
    if (verbatim && at.style == k8s::ScalarStyle::Quoted) {
      // The value starts after the quote, if nothing in it could have been escaped.
      verbatim = value.find_first_of("\\\"'") == std::string::npos &&
                 value.find('\n') == std::string::npos;
      ++pos.column;
    } else if (verbatim) {
      verbatim = at.style == k8s::ScalarStyle::Plain && value.find('\n') == std::string::npos;
    }
    out.steps.push_back({std::move(flag), std::move(value)});
    out.positions.push_back(std::move(pos));
    out.verbatim.push_back(verbatim);
  }
  std::string scalar(const k8s::Node& n) {
    if (!n.is_scalar() || n.is_null()) bad(n, "expected a single value");
    return std::string(n.text);
  }
  void strings(const k8s::Node& v, const std::string& flag) {
    if (v.is_scalar()) return add(flag, scalar(v), v, true);
    if (!v.is_sequence()) return bad(v, fmt::format("{} is a list of values", flag));
    for (uint32_t i = 0; i < v.size; ++i) add(flag, scalar(v.item(i)), v.item(i), true);
  }

  void request(const k8s::Node& n, bool alternative) {
    if (!n.is_mapping()) return bad(n, "a request is a mapping with class:");
    const k8s::Node* cls = n.find("class");
    const k8s::Node* driver = n.find("driver");
    const k8s::Node* name = n.find("name");
    const k8s::Node* count = n.find("count");
    if (alternative) {
      if (!cls) return bad(n, "an alternative needs class:");
      if (name) bad(*name, "alternatives are named after their class");
      add("or", scalar(*cls) + (count ? ":" + scalar(*count) : ""), *cls);
    } else if (cls) {
      const std::string c = scalar(*cls);
      add("request", (name ? scalar(*name) : name_from_class(c)) + ":" + c, name ? *name : *cls);
      if (count) add("count", scalar(*count), *count);
    } else if (driver) {
      if (name) bad(*name, "a request by driver: is named after its class; give class: to name it");
      add("driver", scalar(*driver), *driver);
      if (count) add("count", scalar(*count), *count);
    } else {
      return bad(n, "a request needs class: (or driver:, with --against)");
    }
    for (uint32_t i = 0; i < n.size; ++i) {
      const std::string_view k = n.key(i).text;
      const k8s::Node& v = n.value(i);
      if (k == "class" || k == "driver" || k == "name" || k == "count") continue;
      if (k == "all") {
        if (scalar(v) == "true") add("all", "", v);
      } else if (k == "admin" && !alternative) {
        if (scalar(v) == "true") add("admin", "", v);
      } else if (k == "where" || k == "tolerate") {
        strings(v, std::string(k));
      } else if (k == "capacity") {
        if (!v.is_mapping()) {
          bad(v, "capacity is a mapping of NAME: QUANTITY");
          continue;
        }
        for (uint32_t c = 0; c < v.size; ++c)
          add("capacity", fmt::format("{}={}", v.key(c).text, scalar(v.value(c))), v.value(c));
      } else if (k == "or" && !alternative) {
        if (!v.is_sequence()) {
          bad(v, "or is a list of alternatives");
          continue;
        }
        for (uint32_t a = 0; a < v.size; ++a) request(v.item(a), true);
      } else {
        bad(n.key(i),
            fmt::format("unknown field {:?} in {}", k,
                        alternative ? "an alternative" : "a request"),
            alternative ? "an alternative has class, count, all, where, capacity, tolerate"
                        : "a request has name, class, driver, count, all, where, admin, "
                          "capacity, tolerate, or");
      }
    }
  }

  void config(const k8s::Node& n) {
    const k8s::Node* driver = n.is_mapping() ? n.find("driver") : nullptr;
    const k8s::Node* parameters = n.is_mapping() ? n.find("parameters") : nullptr;
    if (!driver || !parameters) return bad(n, "a config entry has driver: and parameters:");
    add("config", scalar(*driver) + "=" + k8s::to_compact_json(k8s::to_value(*parameters)),
        *parameters);
  }

  const std::string& file_;
  util::Diagnostics& diags_;
};

}  // namespace

SpecFile read_spec_file(std::string_view text, const std::string& file, util::Diagnostics& diags) {
  Reader r(file, diags);
  size_t documents = 0;
  k8s::parse_yaml(
      text, file, {},
      [&](const k8s::ParsedObject& o) {
        if (documents++ == 0) r.top(o.node);
      },
      diags);
  return std::move(r.out);
}

}  // namespace dra::author
