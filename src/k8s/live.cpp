// src/k8s/live.cpp -- reading a Cluster from the API server (live.hpp).
#include "k8s/live.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "k8s/load.hpp"
#include "k8s/parse.hpp"

namespace dra::k8s {
namespace {

// Calls fn(root) for the JSON object in `body`; false when it is not one.
template <class F>
bool with_json(const std::string& body, F&& fn) {
  util::Diagnostics ignored;
  bool seen = false;
  parse_json(
      body, "response", {},
      [&](const ParsedObject& o) {
        if (seen || !o.node.is_mapping()) return;
        seen = true;
        fn(o.node);
      },
      ignored);
  return seen;
}

std::string text_of(const Node* n) { return n && n->is_scalar() ? std::string(n->text) : ""; }

// metadata.continue of a list answer. The API server writes metadata before items, so
// only the part before "items" is read (the list itself can be large).
std::string continue_token(const std::string& body) {
  const size_t items = body.find("\"items\"");
  const std::string head = body.substr(0, items == std::string::npos ? body.size() : items) + "}";
  std::string token;
  // The head is a JSON object cut before items: close it if it ended with a comma.
  std::string fixed = head;
  const size_t last = fixed.find_last_not_of(" \t\r\n}", fixed.size() - 2);
  if (last != std::string::npos && fixed[last] == ',') fixed.erase(last, 1);
  with_json(fixed, [&](const Node& root) {
    if (const Node* m = root.find("metadata"); m && m->is_mapping())
      token = text_of(m->find("continue"));
  });
  if (token.empty() && items != std::string::npos) {  // metadata after items: read it all
    with_json(body, [&](const Node& root) {
      if (const Node* m = root.find("metadata"); m && m->is_mapping())
        token = text_of(m->find("continue"));
    });
  }
  return token;
}

struct Listed {
  Cluster objects;
  long forbidden = 0;  // 403: nothing read
};

// Every page of the list at `path` ("/api/v1/nodes"), decoded into a Cluster. A continue
// token that expired (410) restarts the list once, without pages, as client-go's pager does.
util::Result<Listed> list_all(ApiClient& client, const std::string& path, std::string_view resource,
                              const LiveOptions& options, util::Diagnostics& diags) {
  const size_t page_size = options.page_size;
  Listed out;
  std::string cont;
  bool paged = page_size > 0;
  for (;;) {
    std::string url = path;
    if (paged) url += fmt::format("?limit={}", page_size);
    if (!cont.empty()) url += "&continue=" + url_escape(cont);
    auto r = client.get(url);
    if (!r) return util::Error{r.error()};
    if (r->status == 410 && !cont.empty() && paged) {
      out.objects = {};
      cont.clear();
      paged = false;
      continue;
    }
    if (r->status == 403) {
      out.forbidden = 403;
      out.objects = {};
      return out;
    }
    if (r->status / 100 != 2) return util::Error{client.error_for(*r, "list", resource)};
    load_text(r->body, client.config().server + path, out.objects, diags, options.load);
    cont = paged ? continue_token(r->body) : "";
    if (cont.empty()) return out;
  }
}

}  // namespace

util::Result<Discovery> discover(ApiClient& client) {
  auto r = client.get("/apis/resource.k8s.io");
  if (!r) return util::Error{r.error()};
  if (r->status == 404)
    return util::Error{fmt::format(
        "the API server at {} serves no resource.k8s.io API group: Dynamic Resource Allocation "
        "is off there (it is GA and on by default since Kubernetes 1.34)",
        client.config().server)};
  if (r->status / 100 != 2)
    return util::Error{client.error_for(*r, "get", "the resource.k8s.io API group (discovery)")};
  std::vector<std::string> served;
  const bool ok = with_json(r->body, [&](const Node& root) {
    const Node* versions = root.find("versions");
    if (!versions || !versions->is_sequence()) return;
    for (uint32_t i = 0; i < versions->size; ++i)
      if (versions->item(i).is_mapping())
        served.push_back(text_of(versions->item(i).find("version")));
  });
  if (!ok) return util::Error{"the API server's discovery answer for resource.k8s.io is not JSON"};
  Discovery d;
  for (const char* v : {"v1", "v1beta2", "v1beta1"})
    if (std::find(served.begin(), served.end(), v) != served.end()) {
      d.dra_version = v;
      break;
    }
  if (d.dra_version.empty())
    return util::Error{fmt::format(
        "the API server serves resource.k8s.io only in {}, which kubectl-dra does not read; it "
        "reads v1, v1beta2 and v1beta1 (Kubernetes 1.32 and later)",
        served.empty() ? "no version" : fmt::format("{}", fmt::join(served, ", ")))};
  // Which kinds each version serves: DeviceTaintRules may be in another version than the rest.
  auto resources_of = [&](const std::string& v) -> std::vector<std::string> {
    std::vector<std::string> names;
    auto rr = client.get("/apis/resource.k8s.io/" + v);
    if (!rr || rr->status / 100 != 2) return names;
    with_json(rr->body, [&](const Node& root) {
      const Node* list = root.find("resources");
      if (!list || !list->is_sequence()) return;
      for (uint32_t i = 0; i < list->size; ++i)
        if (list->item(i).is_mapping()) names.push_back(text_of(list->item(i).find("name")));
    });
    return names;
  };
  for (const std::string v : {"v1", "v1beta2"}) {  // the versions we read DeviceTaintRules in
    if (std::find(served.begin(), served.end(), v) == served.end()) continue;
    const auto names = resources_of(v);
    auto has = [&](const char* n) {
      return std::find(names.begin(), names.end(), n) != names.end();
    };
    if (d.taint_rule_version.empty() && has("devicetaintrules")) d.taint_rule_version = v;
    if (has("resourcepoolstatusrequests")) d.pool_status_requests = true;
  }
  return d;
}

util::Result<Cluster> read_cluster(ApiClient& client, const LiveOptions& options,
                                   util::Diagnostics& diags) {
  auto d = discover(client);
  if (!d) return util::Error{d.error()};
  const std::string dra = "/apis/resource.k8s.io/" + d->dra_version;
  Cluster cluster;
  auto warn = [&](const std::string& text) {
    if (options.warnings) *options.warnings << "warning: " << text << "\n";
  };
  // Cluster-scoped kinds: needed whole.
  struct Scoped {
    std::string path;
    const char* resource;
    bool required;
  };
  std::vector<Scoped> cluster_scoped = {
      {dra + "/deviceclasses", "deviceclasses.resource.k8s.io", true},
      {dra + "/resourceslices", "resourceslices.resource.k8s.io", true},
      {"/api/v1/nodes", "nodes", true},
      {"/api/v1/namespaces", "namespaces", false},
  };
  if (!d->taint_rule_version.empty())
    cluster_scoped.push_back(
        {"/apis/resource.k8s.io/" + d->taint_rule_version + "/devicetaintrules",
         "devicetaintrules.resource.k8s.io", true});
  for (const Scoped& s : cluster_scoped) {
    auto l = list_all(client, s.path, s.resource, options, diags);
    if (!l) return util::Error{l.error()};
    if (l->forbidden) {
      if (s.required)
        return util::Error{fmt::format(
            "forbidden (403): your RBAC lacks \"list\" on {} (cluster-wide); kubectl-dra needs "
            "to read them, or give a dump with -f",
            s.resource)};
      warn(
          fmt::format("cannot list {} (403 Forbidden): admin-access checks that need a "
                      "Namespace's labels are skipped",
                      s.resource));
      continue;
    }
    append(cluster, std::move(l->objects));
  }
  // Namespaced kinds: every namespace (the allocator needs every allocation), or one.
  struct Namespaced {
    std::string prefix, plural;
    const char* resource;
  };
  const Namespaced namespaced[] = {
      {dra, "resourceclaims", "resourceclaims.resource.k8s.io"},
      {dra, "resourceclaimtemplates", "resourceclaimtemplates.resource.k8s.io"},
      {"/api/v1", "pods", "pods"},
  };
  for (const Namespaced& n : namespaced) {
    const std::string all = n.prefix + "/" + n.plural;
    const std::string one = n.prefix + "/namespaces/" + options.fallback_namespace + "/" + n.plural;
    auto l = list_all(client, all, n.resource, options, diags);
    if (!l) return util::Error{l.error()};
    if (l->forbidden && !options.fallback_namespace.empty()) {
      l = list_all(client, one, n.resource, options, diags);
      if (!l) return util::Error{l.error()};
      if (!l->forbidden)
        warn(
            fmt::format("cannot list {} in all namespaces (403 Forbidden); read namespace "
                        "\"{}\" only: devices held by claims elsewhere look free",
                        n.resource, options.fallback_namespace));
    }
    if (l->forbidden) {
      return util::Error{fmt::format(
          "forbidden (403): your RBAC lacks \"list\" on {} {}; kubectl-dra needs to read them, "
          "or give a dump with -f",
          n.resource,
          options.fallback_namespace.empty()
              ? std::string("in all namespaces")
              : "in all namespaces and in namespace \"" + options.fallback_namespace + "\"")};
    }
    if (n.plural == "pods") {
      // Only Pods that reference claims matter to DRA.
      std::deque<Pod> kept;
      for (Pod& p : l->objects.pods)
        if (!p.resource_claims.empty()) kept.push_back(std::move(p));
      l->objects.pods = std::move(kept);
    }
    append(cluster, std::move(l->objects));
  }
  (void)d->pool_status_requests;
  return cluster;
}

}  // namespace dra::k8s
