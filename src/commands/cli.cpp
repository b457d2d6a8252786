// src/commands/cli.cpp -- builds the CLI11 app, parses, dispatches; maps errors to exit codes.
#include <CLI/CLI.hpp>
#include <algorithm>

#include "commands/registry.hpp"

namespace dra::commands {

int run_cli(const std::vector<std::string>& raw_args, Io& io) {
  CLI::App app{"kubectl dra: Dynamic Resource Allocation for people and CI", "kubectl dra"};
  app.require_subcommand(1);
  app.footer(
      "Run `kubectl dra COMMAND --help` for the flags and examples of a command, and\n"
      "`kubectl dra help TOPIC` for selectors, where, templates, exit-codes or quirks.");
  int verbosity = 0;
  app.add_option("-v,--v", verbosity, "Log verbosity (0-9)")->type_name("N");

  // The subcommand table.
  std::vector<Command> commands = {add_get(app),       add_allocate(app),   add_fit(app),
                                   add_explain(app),   add_lint(app),       add_new(app),
                                   add_templates(app), add_dump(app),       add_cel(app),
                                   add_version(app),   add_completion(app), add_help(app)};
  // -v on every command and every subcommand (cel eval, ...), where kubectl users put it.
  auto add_verbosity = [&](auto&& self, CLI::App& a) -> void {
    a.add_option("-v,--v", verbosity, "Log verbosity (0-9)")->type_name("N");
    for (CLI::App* sub : a.get_subcommands({})) self(self, *sub);
  };
  for (auto& c : commands) add_verbosity(add_verbosity, *c.app);

  // Shell completion asks here (hidden; cobra's protocol, which kubectl speaks to plugins).
  if (!raw_args.empty() && raw_args.front() == "__complete")
    return run_complete(app, {raw_args.begin() + 1, raw_args.end()}, io);
  if (raw_args.size() == 1 && raw_args.front() == "__man") {  // hidden: the man page
    io.out << man_page(app);
    return kExitOk;
  }

  // kubectl's global flags may come before the command (`kubectl dra --context prod get
  // devices`); they belong to the command: move them to the end.
  static const char* const kGlobal[] = {"--kubeconfig",
                                        "--context",
                                        "--cluster",
                                        "--user",
                                        "-n",
                                        "--namespace",
                                        "-s",
                                        "--server",
                                        "--token",
                                        "--certificate-authority",
                                        "--client-certificate",
                                        "--client-key",
                                        "--tls-server-name",
                                        "--request-timeout"};
  std::vector<std::string> ordered, moved;
  size_t i = 0;
  for (; i < raw_args.size(); ++i) {
    const std::string& a = raw_args[i];
    if (a.empty() || a[0] != '-') break;  // the command
    const std::string name = a.substr(0, a.find('='));
    const bool global =
        std::find(std::begin(kGlobal), std::end(kGlobal), name) != std::end(kGlobal);
    if (a == "-A" || a == "--all-namespaces" || name == "--insecure-skip-tls-verify") {
      moved.push_back(a);
    } else if (global) {
      moved.push_back(a);
      if (a.find('=') == std::string::npos && i + 1 < raw_args.size())
        moved.push_back(raw_args[++i]);
    } else {
      ordered.push_back(a);
    }
  }
  ordered.insert(ordered.end(), raw_args.begin() + static_cast<std::ptrdiff_t>(i), raw_args.end());
  ordered.insert(ordered.end(), moved.begin(), moved.end());

  // kubectl writes -v=2; CLI11 wants -v 2.
  std::vector<std::string> args;
  for (const auto& a : ordered) {
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
