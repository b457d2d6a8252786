// src/k8s/live.hpp -- a Cluster read from a live API server: discovery of the
// resource.k8s.io versions it serves, then every list the commands need, page by page.
#pragma once

#include <ostream>
#include <string>

#include "k8s/client.hpp"
#include "k8s/load.hpp"
#include "k8s/model.hpp"
#include "util/diag.hpp"
#include "util/result.hpp"

namespace dra::k8s {

struct LiveOptions {
  // Claims, templates and Pods are read from every namespace: the allocator needs every
  // allocated claim of the cluster to know which devices are in use. When a cluster-wide
  // list is forbidden, they are read from this namespace instead (if set), with a warning.
  std::string fallback_namespace;
  size_t page_size = 500;            // ?limit= per request
  LoadOptions load;                  // how objects are decoded (lint reads them as written)
  std::ostream* warnings = nullptr;  // "warning: ..." lines (stderr)
};

// The resource.k8s.io version read: v1 if served, else v1beta2, else v1beta1.
struct Discovery {
  std::string dra_version;            // "v1"
  std::string taint_rule_version;     // where DeviceTaintRules are read; empty: not read
  bool pool_status_requests = false;  // ResourcePoolStatusRequest (alpha) is served
};
util::Result<Discovery> discover(ApiClient& client);

// Every DeviceClass, ResourceSlice, DeviceTaintRule, Node and Namespace, and the
// ResourceClaims, ResourceClaimTemplates and the Pods that reference claims. Objects are
// decoded as files are (diagnostics name the request path); an environment failure (an
// unreachable server, 401/403, an answer that is not a list) is the error.
util::Result<Cluster> read_cluster(ApiClient& client, const LiveOptions& options,
                                   util::Diagnostics& diags);

}  // namespace dra::k8s
