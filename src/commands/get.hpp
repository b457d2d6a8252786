// src/commands/get.hpp -- `kubectl dra get`.
#pragma once

#include <string>
#include <vector>

#include "commands/command.hpp"
#include "commands/flags.hpp"

namespace dra::commands {

struct GetOptions {
  std::string resource;            // devices, pools, slices, classes, claims (or an alias)
  std::vector<std::string> names;  // optional NAME...
  SourceOptions source;
  std::string output;      // -o
  std::string node;        // --node
  std::string driver;      // --driver
  std::string class_name;  // --class: devices that DeviceClass selects
  std::string selector;    // --selector: devices this CEL expression selects
};

int run_get(const GetOptions& opts, Io& io);
Command add_get(CLI::App& root);

}  // namespace dra::commands
