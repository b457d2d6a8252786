// src/lint/lint.cpp -- the rules, the warnings that need no cluster, and the entry point.
#include "lint/lint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "lint/against.hpp"
#include "lint/cluster.hpp"
#include "lint/report.hpp"
#include "lint/validate.hpp"
#include "util/strings.hpp"

namespace dra::lint {

std::string_view to_string(Severity s) { return s == Severity::Error ? "error" : "warning"; }

namespace {

constexpr Rule kRules[] = {
    {"api", Severity::Error,
     "the Kubernetes API server rejects this field (its validation on create)"},
    {"syntax", Severity::Error,
     "the file is not valid YAML or JSON, or a field has the wrong type"},
    {"admin-access", Severity::Warning,
     "adminAccess needs the namespace label resource.kubernetes.io/admin-access=\"true\""},
    {"allocated-device-missing", Severity::Warning,
     "an allocation names a device no current slice publishes (--cluster)"},
    {"allocation-mode-all", Severity::Warning,
     "allocationMode All takes every matching device of a node, and fails while any is in use"},
    {"class-matches-nothing", Severity::Warning,
     "a class whose selectors match no device of the cluster (--cluster)"},
    {"count-over-claim-limit", Severity::Warning,
     "more than 32 devices in one claim: valid, but the allocator never allocates it"},
    {"deprecated-version", Severity::Warning,
     "a deprecated resource.k8s.io version (and the release that stops serving it)"},
    {"device-node-selector-terms", Severity::Warning,
     "a device's nodeSelector with other than one term: documented, not validated"},
    {"device-tainted-noexecute", Severity::Warning,
     "a device tainted NoExecute: Pods using it are evicted (--cluster)"},
    {"incomplete-pool", Severity::Warning,
     "a pool with fewer slices than it announces (--cluster)"},
    {"invalid-pool", Severity::Warning,
     "a pool the allocator refuses: a device name twice, an unknown counter (--cluster)"},
    {"reserved-for-missing-pod", Severity::Warning,
     "a claim reserved for a Pod the cluster does not have (--cluster)"},
    {"selector-matches-nothing", Severity::Warning,
     "a selector matches no device of the cluster (--against)"},
    {"stale-slices", Severity::Warning,
     "slices of an older pool generation, ignored by the allocator (--cluster)"},
    {"toleration-effect-none", Severity::Warning,
     "a toleration with effect None: accepted by validation, not documented"},
    {"too-many-tolerations", Severity::Warning,
     "more than 16 tolerations: the documented maximum, not enforced"},
    {"unguarded-attribute", Severity::Warning,
     "a selector fails with a CEL runtime error on some devices of the class: guard it "
     "(--against)"},
    {"unknown-attribute", Severity::Warning,
     "a selector reads an attribute or capacity no device of the class publishes (--against)"},
    {"unknown-class", Severity::Warning,
     "a request names a device class the cluster does not have (--against)"},
    {"unknown-request", Severity::Warning,
     "a container uses a request its claim (or template) does not have"},
    {"unsatisfiable-claim", Severity::Warning,
     "the allocator cannot place the claim on any node of the cluster (--against)"},
    {"unsupported-version", Severity::Warning,
     "a resource.k8s.io version kubectl-dra does not read: the object is not checked"},
};

std::string object_name(const k8s::ObjectMeta& m, std::string_view kind) {
  return m.namespace_.empty() ? fmt::format("{} {}", kind, m.name)
                              : fmt::format("{} {}/{}", kind, m.namespace_, m.name);
}

// The release that deprecated and the one that stops serving `version` of `kind`.
std::optional<std::pair<std::string_view, std::string_view>> deprecation(k8s::ApiVersion v,
                                                                         bool taint_rule) {
  if (v == k8s::ApiVersion::V1beta1) return std::pair{"1.35", "1.38"};
  if (v == k8s::ApiVersion::V1beta2)
    return taint_rule ? std::pair{"1.39", "1.42"} : std::pair{"1.36", "1.39"};
  return std::nullopt;
}

void deprecated(Report& r, const k8s::Source& src, const k8s::Origin& origin, bool taint_rule) {
  const auto when = deprecation(src.version, taint_rule);
  if (!when) return;
  r.warning("deprecated-version", "apiVersion", origin.at("apiVersion"),
            fmt::format("{} is deprecated since Kubernetes {} and no longer served from {}; use "
                        "resource.k8s.io/v1",
                        src.api_version, when->first, when->second));
}

void tolerations(Report& r, const std::string& path, const std::vector<k8s::DeviceToleration>& list,
                 k8s::Pos pos) {
  if (list.size() > 16)
    r.warning("too-many-tolerations", path, pos,
              fmt::format("{} tolerations: the API documents at most 16 (not enforced by "
                          "validation)",
                          list.size()));
  for (size_t i = 0; i < list.size(); ++i)
    if (list[i].effect == "None")
      r.warning("toleration-effect-none", fmt::format("{}[{}].effect", path, i),
                list[i].origin.at("effect"),
                "effect None is accepted by validation but not documented (NoSchedule, "
                "NoExecute); it tolerates only taints with effect None");
}

void request_warnings(Report& r, const std::string& path, const std::string& mode, int64_t count,
                      const std::vector<k8s::DeviceToleration>& tols, const k8s::Origin& o) {
  if (mode == "All")
    r.warning("allocation-mode-all", path + ".allocationMode", o.at("allocationMode"),
              "allocationMode All takes every matching device on the node and cannot be "
              "allocated while any of them is in use; prefer an exact count");
  if (count > 32)
    r.warning(
        "count-over-claim-limit", path + ".count", o.at("count"),
        fmt::format("count {} can never be allocated: a claim gets at most 32 devices", count));
  tolerations(r, path + ".tolerations", tols, o.at("tolerations"));
}

// The Namespace a namespaced object is created in (its own, else kubectl's "default"), when
// the linted files or the --against cluster have it.
const k8s::NamespaceObject* find_namespace(const k8s::Cluster& c, const Options& o,
                                           const std::string& object_namespace) {
  const std::string& name = object_namespace.empty() ? std::string("default") : object_namespace;
  for (const k8s::Cluster* where : {&c, o.against}) {
    if (!where) continue;
    for (const k8s::NamespaceObject& ns : where->namespaces)
      if (ns.metadata.name == name) return &ns;
  }
  return nullptr;
}

// Admin access: the API server's create strategy checks the first request that asks for it
// against the namespace's label, before validation, at `spec.devices.requests[i].adminAccess`
// (no `exactly`, and no `spec.` more for a template). Without the Namespace a warning says
// what the server will check.
void admin_access(Report& r, const std::string& path, const k8s::DeviceClaim& d,
                  const k8s::NamespaceObject* ns) {
  bool checked = false;
  for (size_t i = 0; i < d.requests.size(); ++i) {
    const auto& e = d.requests[i].exactly;
    if (!e || !e->admin_access.value_or(false)) continue;
    const k8s::Pos pos = e->origin.at("adminAccess");
    if (!ns) {
      r.warning("admin-access", fmt::format("{}.requests[{}].exactly.adminAccess", path, i), pos,
                "adminAccess is allowed only in namespaces labelled "
                "resource.kubernetes.io/admin-access=\"true\" (lint checks the label when the "
                "Namespace is among the files or in --against)");
      continue;
    }
    if (checked) break;
    checked = true;
    const auto& labels = ns->metadata.labels;
    const bool admin = std::any_of(labels.begin(), labels.end(), [](const auto& kv) {
      return kv.first == "resource.kubernetes.io/admin-access" && kv.second == "true";
    });
    if (!admin)
      r.forbidden(fmt::format("spec.devices.requests[{}].adminAccess", i), pos,
                  "admin access to devices requires the `resource.kubernetes.io/admin-access: "
                  "true` label on the containing namespace");
  }
}

void claim_warnings(Report& r, const std::string& path, const k8s::DeviceClaim& d) {
  for (size_t i = 0; i < d.requests.size(); ++i) {
    const k8s::DeviceRequest& req = d.requests[i];
    const std::string p = fmt::format("{}.requests[{}]", path, i);
    if (req.exactly) {
      const k8s::ExactDeviceRequest& e = *req.exactly;
      request_warnings(r, p + ".exactly", e.allocation_mode, e.count, e.tolerations, e.origin);
    }
    for (size_t s = 0; s < req.first_available.size(); ++s) {
      const k8s::DeviceSubRequest& sub = req.first_available[s];
      request_warnings(r, fmt::format("{}.firstAvailable[{}]", p, s), sub.allocation_mode,
                       sub.count, sub.tolerations, sub.origin);
    }
  }
}

// The spec a Pod's claim entry stands for: the claim or template it names, looked up in
// the linted objects, then in the --against cluster.
const k8s::ResourceClaimSpec* pod_claim_spec(const k8s::PodResourceClaim& prc,
                                             const std::string& ns,
                                             std::initializer_list<const k8s::Cluster*> where) {
  for (const k8s::Cluster* c : where) {
    if (!c) continue;
    if (prc.resource_claim_name)
      for (const auto& claim : c->resource_claims)
        if (claim.metadata.name == *prc.resource_claim_name && claim.metadata.namespace_ == ns)
          return &claim.spec;
    if (prc.resource_claim_template_name)
      for (const auto& t : c->resource_claim_templates)
        if (t.metadata.name == *prc.resource_claim_template_name && t.metadata.namespace_ == ns)
          return &t.spec.spec;
  }
  return nullptr;
}

void pod_warnings(const k8s::Cluster& c, const Options& o, std::vector<Finding>& out) {
  for (const k8s::Pod& pod : c.pods) {
    Report r(out, o, c.files.at(pod.source.file), k8s::ApiVersion::V1,
             object_name(pod.metadata, "Pod"));
    for (const k8s::ContainerClaim& cc : pod.container_claims) {
      if (cc.request.empty()) continue;
      const k8s::PodResourceClaim* entry = nullptr;
      for (const auto& prc : pod.resource_claims)
        if (prc.name == cc.name) entry = &prc;
      if (!entry) continue;  // validation reports the missing entry
      const k8s::ResourceClaimSpec* spec =
          pod_claim_spec(*entry, pod.metadata.namespace_, {&c, o.against});
      if (!spec) continue;
      std::vector<std::string> names;
      bool found = false;
      for (const auto& req : spec->devices.requests) {
        names.push_back(req.name);
        found = found || req.name == cc.request;
        for (const auto& sub : req.first_available) {
          names.push_back(req.name + "/" + sub.name);
          found = found || req.name + "/" + sub.name == cc.request;
        }
      }
      if (found) continue;
      const std::string close = util::did_you_mean(cc.request, names);
      r.warning("unknown-request", cc.path + ".request", cc.pos,
                fmt::format(
                    "the claim of entry {} has no request {}{}", quote(cc.name), quote(cc.request),
                    close.empty() ? fmt::format(" (its requests: {})", fmt::join(names, ", "))
                                  : fmt::format("; did you mean {}?", close)));
    }
  }
}

void warnings(const k8s::Cluster& c, const Options& o, std::vector<Finding>& out) {
  pod_warnings(c, o, out);
  auto report = [&](const k8s::Source& src, std::string object) {
    return Report(out, o, c.files.at(src.file), src.version, std::move(object));
  };
  for (const auto& x : c.device_classes) {
    Report r = report(x.source, object_name(x.metadata, "DeviceClass"));
    deprecated(r, x.source, x.origin, false);
  }
  for (const auto& x : c.resource_claims) {
    Report r = report(x.source, object_name(x.metadata, "ResourceClaim"));
    deprecated(r, x.source, x.origin, false);
    admin_access(r, "spec.devices", x.spec.devices, find_namespace(c, o, x.metadata.namespace_));
    claim_warnings(r, "spec.devices", x.spec.devices);
  }
  for (const auto& x : c.resource_claim_templates) {
    Report r = report(x.source, object_name(x.metadata, "ResourceClaimTemplate"));
    deprecated(r, x.source, x.origin, false);
    admin_access(r, "spec.spec.devices", x.spec.spec.devices,
                 find_namespace(c, o, x.metadata.namespace_));
    claim_warnings(r, "spec.spec.devices", x.spec.spec.devices);
  }
  for (const auto& x : c.resource_slices) {
    Report r = report(x.source, object_name(x.metadata, "ResourceSlice"));
    deprecated(r, x.source, x.origin, false);
    for (size_t i = 0; i < x.spec.devices.size(); ++i) {
      const k8s::Device& d = x.spec.devices[i];
      if (d.node_selector && d.node_selector->node_selector_terms.size() != 1)
        r.warning("device-node-selector-terms", fmt::format("spec.devices[{}].nodeSelector", i),
                  d.origin.at("nodeSelector"),
                  fmt::format("a device's nodeSelector should have exactly one term (it has "
                              "{}); documented, but not validated by the API server",
                              d.node_selector->node_selector_terms.size()));
    }
  }
  for (const auto& x : c.device_taint_rules) {
    Report r = report(x.source, object_name(x.metadata, "DeviceTaintRule"));
    deprecated(r, x.source, x.origin, true);
  }
}

}  // namespace

std::span<const Rule> rules() { return kRules; }

const Rule* find_rule(std::string_view id) {
  for (const Rule& r : kRules)
    if (r.id == id) return &r;
  return nullptr;
}

std::vector<Finding> lint(const k8s::Cluster& cluster, const Options& options) {
  std::vector<Finding> out;
  validate(cluster, options, out);
  warnings(cluster, options, out);
  if (options.against) against(cluster, *options.against, options, out);
  if (options.cluster) cluster_state(cluster, options, out);
  sort(out, cluster.files);
  return out;
}

std::vector<Finding> from_diagnostics(const util::Diagnostics& diags) {
  std::vector<Finding> out;
  for (const util::Diagnostic& d : diags.all()) {
    Finding f;
    f.file = d.pos.file;
    f.line = d.pos.line;
    f.column = d.pos.column;
    f.severity = d.severity == util::Severity::Error ? Severity::Error : Severity::Warning;
    f.rule = d.message.find("is not checked: kubectl-dra reads") != std::string::npos
                 ? "unsupported-version"
                 : "syntax";
    f.message = d.message;
    if (!d.hint.empty()) f.message += " (" + d.hint + ")";
    out.push_back(std::move(f));
  }
  return out;
}

void sort(std::vector<Finding>& findings, const std::vector<std::string>& file_order) {
  std::map<std::string_view, size_t> rank;
  for (size_t i = 0; i < file_order.size(); ++i) rank.emplace(file_order[i], i);
  auto file_rank = [&](const Finding& f) {
    auto it = rank.find(f.file);
    return it == rank.end() ? file_order.size() : it->second;
  };
  auto key = [&](const Finding& f) {
    return std::tuple(file_rank(f), std::string_view(f.file), f.line, f.column,
                      static_cast<int>(f.severity), std::string_view(f.path),
                      std::string_view(f.message), std::string_view(f.rule));
  };
  std::stable_sort(findings.begin(), findings.end(),
                   [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [&](const Finding& a, const Finding& b) { return key(a) == key(b); }),
                 findings.end());
}

}  // namespace dra::lint
