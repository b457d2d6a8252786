// src/commands/help.cpp -- `kubectl dra help [TOPIC|COMMAND]`: help topics (docs/help/*.txt and
// docs/upstream-quirks.md, built into the binary) and the help of commands.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "commands/registry.hpp"
#include "util/strings.hpp"

namespace dra::commands {

struct EmbeddedTopic {
  std::string_view name, summary, text;
};
const std::vector<EmbeddedTopic>& embedded_topics();  // help_topics_data.cpp (generated)

std::vector<std::pair<std::string, std::string>> help_topics() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const EmbeddedTopic& t : embedded_topics())
    out.emplace_back(std::string(t.name), std::string(t.summary));
  return out;
}

std::string help_topic(std::string_view name) {
  for (const EmbeddedTopic& t : embedded_topics())
    if (t.name == name) return std::string(t.text);
  return {};
}

Command add_help(CLI::App& root) {
  auto topic = std::make_shared<std::string>();
  CLI::App* app = root.add_subcommand("help", "Help on a topic or a command");
  std::string topics;
  for (const EmbeddedTopic& t : embedded_topics())
    topics += fmt::format("  {:<12} {}\n", t.name, t.summary);
  app->footer("Topics:\n" + topics + R"(
Examples:
  kubectl dra help selectors
  kubectl dra help allocate        # the same as kubectl dra allocate --help)");
  app->add_option("topic", *topic, "A topic, or a command")->type_name("TOPIC|COMMAND");
  return {app, [topic, &root, topics](Io& io) {
            if (topic->empty()) {
              // (root.help() would show the help command's own help: it is the one parsed.)
              io.out << root.get_formatter()->make_help(&root, "kubectl dra",
                                                        CLI::AppFormatMode::Normal)
                     << "\nHelp topics (kubectl dra help TOPIC):\n"
                     << topics;
              return kExitOk;
            }
            if (std::string text = help_topic(*topic); !text.empty()) {
              io.out << text;
              return kExitOk;
            }
            for (CLI::App* sub : root.get_subcommands({}))
              if (sub->get_name() == *topic && !sub->get_group().empty()) {
                io.out << sub->help("kubectl dra");
                return kExitOk;
              }
            std::vector<std::string> known;
            for (const EmbeddedTopic& t : embedded_topics()) known.emplace_back(t.name);
            for (CLI::App* sub : root.get_subcommands({})) known.push_back(sub->get_name());
            const std::string near = util::did_you_mean(*topic, known);
            io.err << fmt::format("error: no help topic or command \"{}\"\n", *topic)
                   << (near.empty() ? "" : "  hint: did you mean \"" + near + "\"?\n")
                   << "  hint: topics: ";
            bool first = true;
            for (const EmbeddedTopic& t : embedded_topics()) {
              io.err << (first ? "" : ", ") << t.name;
              first = false;
            }
            io.err << "; `kubectl dra --help` lists the commands\n";
            return kExitError;
          }};
}

}  // namespace dra::commands
