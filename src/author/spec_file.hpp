// src/author/spec_file.hpp -- `kubectl dra new --from FILE`: a claim in a compact YAML form,
// read into the same steps as the flags (build.hpp), each with its place in the file:
//
//   requests:
//   - name: gpu                  # optional: named after the class ("gpu" of gpu.nvidia.com)
//     class: gpu.nvidia.com      # or driver: (with --against)
//     count: 2                   # or all: true
//     where: [model=H100, "memory>=40Gi"]
//     admin: true
//     capacity: {bandwidth: 10G}
//     tolerate: ["dedicated=ml:NoSchedule"]
//     or:                        # alternatives (firstAvailable), each like a request
//     - {class: gpu.nvidia.com, count: 2, where: [model=A100]}
//   - {name: nic, class: rdma.dra.net}
//   same: [resource.kubernetes.io/pcieRoot]      # each ATTR[=REQ,...]
//   distinct: []
//   config:
//   - driver: gpu.nvidia.com
//     parameters: {sharing: {strategy: TimeSlicing}}
#pragma once

#include <string>
#include <vector>

#include "author/build.hpp"
#include "util/diag.hpp"

namespace dra::author {

struct SpecFile {
  std::vector<Step> steps;
  std::vector<util::SourcePos> positions;  // of each step's value in the file
  // Whether a step's value is its scalar as written, one character a column from
  // positions[i] on (a plain scalar, or a quoted one without escapes): an error's column
  // in the value is then a column in the file.
  std::vector<bool> verbatim;
};

// The steps `text` (the file `file`) describes; what is not of the form is an error in
// `diags` at its position.
SpecFile read_spec_file(std::string_view text, const std::string& file, util::Diagnostics& diags);

}  // namespace dra::author
