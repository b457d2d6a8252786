// src/k8s/decode.hpp -- parsed nodes to model objects, converting older resource.k8s.io
// versions to the v1 shape as the API server does (spec/dra-api.md §7). Private to k8s/:
// other folders go through load.hpp.
#pragma once

#include <string>

#include "k8s/model.hpp"
#include "k8s/node.hpp"
#include "util/diag.hpp"

namespace dra::k8s::detail {

struct DecodeContext {
  const std::string& file;  // for diagnostics
  util::Diagnostics& diags;
  Source source;  // file index, apiVersion, version, document
  // Keep values the API server would reject where the model can hold them (an attribute
  // with no value or several is kept without one), and say nothing of them: lint reports
  // them in the server's words (LoadOptions::for_lint).
  bool for_lint = false;
};

// Each decodes `object` (the whole object: apiVersion, kind, metadata, ...) into `out`.
// Wrong types and bad values become diagnostics at their positions; decoding goes on, so
// all problems of an object are reported. Return false if any error was reported.
bool decode(const Node& object, DecodeContext& ctx, DeviceClass& out);
bool decode(const Node& object, DecodeContext& ctx, ResourceSlice& out);
bool decode(const Node& object, DecodeContext& ctx, ResourceClaim& out);
bool decode(const Node& object, DecodeContext& ctx, ResourceClaimTemplate& out);
bool decode(const Node& object, DecodeContext& ctx, DeviceTaintRule& out);
bool decode(const Node& object, DecodeContext& ctx, NodeObject& out);
bool decode(const Node& object, DecodeContext& ctx, Pod& out);
bool decode(const Node& object, DecodeContext& ctx, NamespaceObject& out);
bool decode(const Node& object, DecodeContext& ctx, Workload& out);

}  // namespace dra::k8s::detail
