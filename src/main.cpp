// src/main.cpp -- kubectl-dra: a kubectl plugin for Dynamic Resource Allocation.
// main only sets up streams and turns an unexpected internal error into exit code 2.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "commands/registry.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  dra::commands::Io io{std::cout, std::cerr, std::cin};
  try {
    int status = dra::commands::run_cli(args, io);
    std::cout.flush();
    return status;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n"
              << "  hint: this is a bug in kubectl-dra; please report it with the input\n";
    return dra::commands::kExitError;
  }
}
