// src/commands/registry.hpp -- the table of subcommands (ninja's tool table) and the one
// entry point main() and the golden tests call.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "commands/command.hpp"

namespace dra::commands {

Command add_get(CLI::App& root);
Command add_version(CLI::App& root);
Command add_cel(CLI::App& root);
Command add_allocate(CLI::App& root);
Command add_fit(CLI::App& root);
Command add_explain(CLI::App& root);
Command add_lint(CLI::App& root);
Command add_new(CLI::App& root);
Command add_templates(CLI::App& root);
Command add_dump(CLI::App& root);
Command add_help(CLI::App& root);
Command add_completion(CLI::App& root);

// Help topics (`kubectl dra help TOPIC`): names and one-line summaries, and a topic's text
// ("" for none).
std::vector<std::pair<std::string, std::string>> help_topics();
std::string help_topic(std::string_view name);

// The script `kubectl dra completion SHELL` prints ("" for an unknown shell).
std::string completion_script(std::string_view shell);

// kubectl-dra(1) in roff, from the help of every command and the topics (hidden `__man`).
std::string man_page(CLI::App& root);

// The hidden `__complete` entry point (cobra's protocol; complete.cpp).
int run_complete(CLI::App& root, const std::vector<std::string>& args, Io& io);

// Parses `args` (without the program name) and runs the chosen subcommand. Usage errors go
// to io.err with exit code kExitError; --help prints to io.out and returns kExitOk.
int run_cli(const std::vector<std::string>& args, Io& io);

}  // namespace dra::commands
