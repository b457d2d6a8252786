// src/k8s/load.hpp -- reading cluster objects from files, directories and stdin.
// The front door of k8s/ for commands: files in, a Cluster and diagnostics out.
#pragma once

#include <cstdio>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/model.hpp"
#include "k8s/parse.hpp"
#include "util/diag.hpp"

namespace dra::k8s {

struct LoadOptions {
  std::vector<std::string> filenames;  // files, directories, or "-" for stdin
  bool recursive = false;              // -R: walk directories recursively
  ParseLimits limits;
  size_t max_file_bytes = size_t{2} << 30;  // 2 GiB per file
  // Objects read in one load, of every kind (kept or skipped). Bounds the model's memory,
  // which a file of tiny objects would otherwise blow up well beyond the file's own size.
  size_t max_objects = 2000000;
  // Apply the API server's defaults (allocationMode ExactCount, count 1, toleration operator
  // Equal) as it does on create, per the version the object was read in. Off keeps objects
  // exactly as written (round trips, lint of what the user wrote).
  bool apply_defaults = true;
  // For lint: keep what the API server would reject where the model can hold it, without
  // diagnostics (lint reports it as the server would). See DecodeContext::for_lint.
  bool for_lint = false;
  std::istream* stdin_stream = nullptr;  // for "-"; std::cin when null
};

// Reads every file named in `opts` into one Cluster. Each problem (unreadable file,
// malformed YAML/JSON, wrong field types, unknown resource.k8s.io versions) is a diagnostic
// with a file position; loading goes on with the next object or file, so all problems are
// reported together. Objects of kinds that do not matter to DRA are counted, not kept.
Cluster load(const LoadOptions& opts, util::Diagnostics& diags);

// Adds the objects in `text` (named `file` in diagnostics) to `cluster`.
void load_text(std::string_view text, const std::string& file, Cluster& cluster,
               util::Diagnostics& diags, const LoadOptions& opts = {});

// Moves `from`'s objects to the end of `into`'s lists (and its files, renumbering).
void append(Cluster& into, Cluster&& from);

// Applies the API server's defaulting to one claim spec (see LoadOptions::apply_defaults).
void apply_defaults(ResourceClaimSpec& spec, ApiVersion read_as);

}  // namespace dra::k8s
