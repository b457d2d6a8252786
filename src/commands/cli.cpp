// src/commands/cli.cpp -- builds the CLI11 app, parses, dispatches; maps errors to exit codes.
#include <CLI/CLI.hpp>
#include <algorithm>

#include "commands/registry.hpp"

namespace dra::commands {

int run_cli(const std::vector<std::string>& raw_args, Io& io) {
  CLI::App app{"kubectl dra: Dynamic Resource Allocation for people and CI", "kubectl dra"};
  app.require_subcommand(1);
  app.footer("Run `kubectl dra COMMAND --help` for the flags of a command.");
  int verbosity = 0;
  app.add_option("-v,--v", verbosity, "Log verbosity (0-9)")->type_name("N");

  // The subcommand table.
  std::vector<Command> commands = {
      add_get(app), add_allocate(app),  add_fit(app),  add_explain(app), add_lint(app),
      add_new(app), add_templates(app), add_dump(app), add_cel(app),     add_version(app)};
  for (auto& c : commands) {
    c.app->add_option("-v,--v", verbosity, "Log verbosity (0-9)")->type_name("N");
  }

  // kubectl writes -v=2; CLI11 wants -v 2.
  std::vector<std::string> args;
  for (const auto& a : raw_args) {
    if (a.rfind("-v=", 0) == 0) {
      args.push_back("-v");
      args.push_back(a.substr(3));
    } else {
      args.push_back(a);
    }
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    for (auto& c : commands)
      if (c.app->parsed()) {
        io.out << c.app->help("kubectl dra");
        return kExitOk;
      }
    io.out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    io.out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    // A subcommand's --help surfaces as CallForHelp from that subcommand.
    if (e.get_exit_code() == 0) {
      for (auto& c : commands)
        if (c.app->parsed()) {
          io.out << c.app->help("kubectl dra");
          return kExitOk;
        }
      io.out << app.help();
      return kExitOk;
    }
    io.err << "error: " << e.what() << "\n";
    io.err << "  hint: run `kubectl dra --help` for usage\n";
    return kExitError;
  }
  io.verbosity = verbosity;
  for (auto& c : commands)
    if (c.app->parsed()) return c.run(io);
  io.err << "error: no command given\n";
  return kExitError;
}

}  // namespace dra::commands
