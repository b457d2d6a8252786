// src/commands/man.cpp -- the man page, kubectl-dra(1), made from the help text of every
// command and the help topics (hidden `kubectl dra __man`; scripts/release.sh ships it).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <sstream>

#include "commands/registry.hpp"

#ifndef DRA_VERSION
#define DRA_VERSION "0.0.0"
#endif
#ifndef DRA_BUILD_DATE
#define DRA_BUILD_DATE ""
#endif

namespace dra::commands {
namespace {

// Text as roff shows it literally: backslashes escaped, no line taken for a request.
std::string roff(const std::string& text) {
  std::string out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::string escaped;
    for (size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      if (c == '\\') {
        escaped += "\\e";
      } else if (c == '-') {
        escaped += "\\-";
      } else if (c < 0x80) {
        escaped += static_cast<char>(c);
      } else {  // UTF-8: roff's \[uXXXX], so any roff reads it
        const int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
        uint32_t cp = c & (0x3f >> extra);
        for (int k = 0; k < extra && i + 1 < line.size(); ++k)
          cp = (cp << 6) | (static_cast<unsigned char>(line[++i]) & 0x3f);
        escaped += fmt::format("\\[u{:04X}]", cp);
      }
    }
    if (!escaped.empty() && (escaped[0] == '.' || escaped[0] == '\'')) escaped = "\\&" + escaped;
    out += escaped + "\n";
  }
  return out;
}

}  // namespace

std::string man_page(CLI::App& root) {
  std::string out;
  out += fmt::format(".TH KUBECTL\\-DRA 1 \"{}\" \"kubectl-dra {}\" \"User Commands\"\n",
                     DRA_BUILD_DATE, DRA_VERSION);
  out += ".SH NAME\nkubectl\\-dra \\- Dynamic Resource Allocation for people and CI\n";
  out +=
      ".SH SYNOPSIS\n.B kubectl dra\n\\fICOMMAND\\fR [\\fIFLAGS\\fR]\n.br\n"
      ".B kubectl\\-dra\n\\fICOMMAND\\fR [\\fIFLAGS\\fR]\n";
  out +=
      ".SH DESCRIPTION\n"
      "kubectl\\-dra is a kubectl plugin for Kubernetes Dynamic Resource Allocation (the "
      "resource.k8s.io API): it writes ResourceClaims from short flags and templates, checks "
      "CEL device selectors and lints DRA manifests, allocates claims locally as the "
      "scheduler would, and explains allocation decisions, from a dump (\\-f) or the live "
      "cluster of the current kubectl context (read only).\n";
  out += ".SH COMMANDS\n";
  for (CLI::App* sub : root.get_subcommands({})) {
    if (sub->get_group().empty()) continue;
    out += fmt::format(".SS kubectl dra {}\n.nf\n", sub->get_name());
    out += roff(root.get_formatter()->make_help(sub, "kubectl dra", CLI::AppFormatMode::Normal));
    out += ".fi\n";
  }
  out += ".SH HELP TOPICS\n";
  for (const auto& [name, summary] : help_topics()) {
    out += fmt::format(".SS {}\n.nf\n", name);
    out += roff(help_topic(name));
    out += ".fi\n";
  }
  out += ".SH SEE ALSO\n.BR kubectl (1)\n";
  return out;
}

}  // namespace dra::commands
