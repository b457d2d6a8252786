// src/render/lint.cpp -- lint findings as text, JSON, GitHub annotations, SARIF and JUnit.
#include "render/lint.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

namespace dra::render {

namespace {

std::string head(const lint::Finding& f) {
  std::string where = f.file.empty() ? "<input>" : f.file;
  if (f.line) where += fmt::format(":{}", f.line);
  if (f.line && f.column) where += fmt::format(":{}", f.column);
  return where;
}

std::string what(const lint::Finding& f) {
  return f.path.empty() ? f.message : f.path + ": " + f.message;
}

std::string plural(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace

std::string lint_text(const std::vector<lint::Finding>& findings, size_t files, bool color) {
  auto paint = [&](std::string_view code, std::string_view s) {
    return color ? fmt::format("\033[{}m{}\033[0m", code, s) : std::string(s);
  };
  std::string out;
  size_t errors = 0, warnings = 0;
  for (const lint::Finding& f : findings) {
    const bool error = f.severity == lint::Severity::Error;
    (error ? errors : warnings)++;
    // The first line of the message carries the rule; the rest (a CEL error's own picture
    // of the expression) follows, indented.
    const std::string message = what(f);
    const size_t nl = message.find('\n');
    out +=
        fmt::format("{}: {} {} [{}]\n", paint("1", head(f)),
                    paint(error ? "1;31" : "1;35", std::string(lint::to_string(f.severity)) + ":"),
                    message.substr(0, nl), f.rule);
    for (size_t at = nl; at != std::string::npos;) {
      const size_t next = message.find('\n', at + 1);
      out +=
          "    " + message.substr(at + 1, next == std::string::npos ? next : next - at - 1) + "\n";
      at = next;
    }
    if (!f.object.empty()) out += fmt::format("  in {}\n", f.object);
    if (!f.snippet.empty()) {
      out += "  " + f.snippet + "\n";
      // The caret under the column (columns count bytes; tabs are kept so it lines up).
      std::string pad;
      for (size_t i = 0; f.column > 1 && i + 1 < f.column && i < f.snippet.size(); ++i)
        pad += f.snippet[i] == '\t' ? '\t' : ' ';
      out += "  " + pad + paint("1;32", "^") + "\n";
    }
  }
  if (errors == 0 && warnings == 0) {
    out += fmt::format("no problems found in {}\n", plural(files, "file", "files"));
  } else {
    out += fmt::format("{}, {} in {}\n", plural(errors, "error", "errors"),
                       plural(warnings, "warning", "warnings"), plural(files, "file", "files"));
  }
  return out;
}

k8s::Value lint_json(const std::vector<lint::Finding>& findings) {
  k8s::Value list = k8s::Value::list();
  for (const lint::Finding& f : findings) {
    k8s::Value x = k8s::Value::map();
    x.add("file", k8s::Value::of(f.file));
    x.add("line", k8s::Value::of(static_cast<int64_t>(f.line)));
    x.add("column", k8s::Value::of(static_cast<int64_t>(f.column)));
    x.add("severity", k8s::Value::of(std::string(lint::to_string(f.severity))));
    x.add("rule", k8s::Value::of(f.rule));
    x.add("path", k8s::Value::of(f.path));
    x.add("message", k8s::Value::of(f.message));
    list.items.push_back(std::move(x));
  }
  k8s::Value out = k8s::Value::map();
  out.add("findings", std::move(list));
  return out;
}

namespace {

// Workflow command escaping: data escapes %, CR and LF; properties also ':' and ','.
std::string gh_data(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}
std::string gh_property(std::string_view s) {
  std::string out;
  for (char c : gh_data(s)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string lint_github(const std::vector<lint::Finding>& findings) {
  std::string out;
  for (const lint::Finding& f : findings) {
    std::string props = "file=" + gh_property(f.file);
    if (f.line) props += fmt::format(",line={}", f.line);
    if (f.column) props += fmt::format(",col={}", f.column);
    props += ",title=" + gh_property("kubectl dra lint: " + f.rule);
    out += fmt::format("::{} {}::{}\n", f.severity == lint::Severity::Error ? "error" : "warning",
                       props, gh_data(what(f)));
  }
  return out;
}

k8s::Value lint_sarif(const std::vector<lint::Finding>& findings, const std::string& version) {
  using k8s::Value;
  auto text = [](std::string s) {
    Value v = Value::map();
    v.add("text", Value::of(std::move(s)));
    return v;
  };
  Value rules = Value::list();
  std::map<std::string, int64_t> rule_index;
  for (const lint::Finding& f : findings) {
    if (rule_index.count(f.rule)) continue;
    rule_index.emplace(f.rule, static_cast<int64_t>(rules.items.size()));
    Value r = Value::map();
    r.add("id", Value::of(f.rule));
    const lint::Rule* known = lint::find_rule(f.rule);
    r.add("shortDescription", text(known ? std::string(known->summary) : f.rule));
    Value config = Value::map();
    config.add("level",
               Value::of(std::string(
                   known && known->severity == lint::Severity::Warning ? "warning" : "error")));
    r.add("defaultConfiguration", std::move(config));
    rules.items.push_back(std::move(r));
  }
  Value results = Value::list();
  for (const lint::Finding& f : findings) {
    Value r = Value::map();
    r.add("ruleId", Value::of(f.rule));
    r.add("ruleIndex", Value::of(rule_index.at(f.rule)));
    r.add("level", Value::of(std::string(lint::to_string(f.severity))));
    r.add("message", text(what(f)));
    Value physical = Value::map();
    Value artifact = Value::map();
    artifact.add("uri", Value::of(f.file));
    physical.add("artifactLocation", std::move(artifact));
    if (f.line) {
      Value region = Value::map();
      region.add("startLine", Value::of(static_cast<int64_t>(f.line)));
      if (f.column) region.add("startColumn", Value::of(static_cast<int64_t>(f.column)));
      physical.add("region", std::move(region));
    }
    Value location = Value::map();
    location.add("physicalLocation", std::move(physical));
    if (!f.path.empty()) {
      Value logical = Value::map();
      logical.add("fullyQualifiedName",
                  Value::of(f.object.empty() ? f.path : f.object + " " + f.path));
      Value logicals = Value::list();
      logicals.items.push_back(std::move(logical));
      location.add("logicalLocations", std::move(logicals));
    }
    Value locations = Value::list();
    locations.items.push_back(std::move(location));
    r.add("locations", std::move(locations));
    results.items.push_back(std::move(r));
  }
  Value driver = Value::map();
  driver.add("name", Value::of("kubectl-dra"));
  driver.add("informationUri", Value::of("https://github.com/kubectl-dra/kubectl-dra"));
  driver.add("version", Value::of(version));
  driver.add("rules", std::move(rules));
  Value tool = Value::map();
  tool.add("driver", std::move(driver));
  Value run = Value::map();
  run.add("tool", std::move(tool));
  run.add("results", std::move(results));
  Value runs = Value::list();
  runs.items.push_back(std::move(run));
  Value out = Value::map();
  out.add("$schema", Value::of("https://json.schemastore.org/sarif-2.1.0.json"));
  out.add("version", Value::of("2.1.0"));
  out.add("runs", std::move(runs));
  return out;
}

namespace {

std::string xml(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t')
          out += ' ';
        else
          out += c;
    }
  }
  return out;
}

}  // namespace

std::string lint_junit(const std::vector<lint::Finding>& findings,
                       const std::vector<std::string>& files) {
  std::vector<std::string> order = files;
  std::set<std::string> known(files.begin(), files.end());
  for (const lint::Finding& f : findings)
    if (known.insert(f.file).second) order.push_back(f.file);
  size_t failures = 0;
  std::string suites;
  for (const std::string& file : order) {
    std::string cases;
    size_t here = 0, failed = 0;
    for (const lint::Finding& f : findings) {
      if (f.file != file) continue;
      ++here;
      const bool error = f.severity == lint::Severity::Error;
      ++failed;
      const std::string name = fmt::format("{} [{}]", head(f), f.rule);
      cases += fmt::format(
          "    <testcase name=\"{}\" classname=\"{}\">\n      <failure message=\"{}\" "
          "type=\"{}\">{}{}</failure>\n    </testcase>\n",
          xml(name), xml(file), xml(what(f)), error ? "error" : "warning", xml(what(f)),
          f.object.empty() ? "" : xml("\nin " + f.object));
    }
    if (here == 0) {
      ++here;
      cases += fmt::format("    <testcase name=\"lint\" classname=\"{}\"/>\n", xml(file));
    }
    failures += failed;
    suites +=
        fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">\n{}  </testsuite>\n",
                    xml(file), here, failed, cases);
  }
  size_t tests = 0;
  for (const std::string& file : order) {
    size_t n = 0;
    for (const lint::Finding& f : findings) n += f.file == file;
    tests += n == 0 ? 1 : n;
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kubectl dra lint\" "
      "tests=\"{}\" failures=\"{}\">\n{}</testsuites>\n",
      tests, failures, suites);
}

}  // namespace dra::render
