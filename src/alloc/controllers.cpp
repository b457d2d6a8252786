// src/alloc/controllers.cpp -- controllers' work on the model (see controllers.hpp).
#include "alloc/controllers.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "alloc/schedule.hpp"
#include "k8s/emit.hpp"
#include "k8s/load.hpp"

namespace dra::alloc {

namespace {

constexpr std::string_view kNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

uint64_t fnv1a(std::string_view a, std::string_view b, uint64_t salt) {
  uint64_t h = 14695981039346656037ULL ^ salt;
  for (unsigned char c : a) h = (h ^ c) * 1099511628211ULL;
  h = (h ^ 0xff) * 1099511628211ULL;
  for (unsigned char c : b) h = (h ^ c) * 1099511628211ULL;
  return h;
}

const k8s::Value* find_extra(const k8s::Origin& origin, std::string_view key) {
  for (const auto& [k, v] : origin.extras)
    if (k == key) return &v;
  return nullptr;
}

k8s::Value claim_statuses_value(const std::vector<k8s::PodResourceClaimStatus>& statuses) {
  k8s::Value list = k8s::Value::list();
  for (const auto& s : statuses) {
    k8s::Value e = k8s::Value::map();
    e.add("name", k8s::Value::of(s.name));
    if (s.resource_claim_name) e.add("resourceClaimName", k8s::Value::of(*s.resource_claim_name));
    list.items.push_back(std::move(e));
  }
  return list;
}

}  // namespace

k8s::Value pod_controller_references(const k8s::Pod& pod) {
  k8s::Value ref = k8s::Value::map();
  ref.add("apiVersion", k8s::Value::of("v1"));
  ref.add("kind", k8s::Value::of("Pod"));
  ref.add("name", k8s::Value::of(pod.metadata.name));
  ref.add("uid", k8s::Value::of(pod.metadata.uid));
  ref.add("controller", k8s::Value::of(true));
  k8s::Value refs = k8s::Value::list();
  refs.items.push_back(std::move(ref));
  return refs;
}

void set_pod_field(k8s::Pod& pod, std::string_view section, std::string_view key,
                   k8s::Value value) {
  k8s::Value v = pod.raw.value();
  if (v.kind != k8s::Value::Kind::Map) return;  // a Pod that was never read: nothing to keep
  k8s::Value* status = nullptr;
  for (auto& f : v.fields)
    if (f.first == section) status = &f.second;
  if (!status) status = &v.add(std::string(section), k8s::Value::map());
  if (status->kind != k8s::Value::Kind::Map) *status = k8s::Value::map();
  if (value.is_null()) {  // removes the field
    std::erase_if(status->fields, [&](const auto& f) { return f.first == key; });
    pod.raw.text = k8s::to_compact_json(v);
    return;
  }
  for (auto& f : status->fields)
    if (f.first == key) {
      f.second = std::move(value);
      pod.raw.text = k8s::to_compact_json(v);
      return;
    }
  status->add(std::string(key), std::move(value));
  pod.raw.text = k8s::to_compact_json(v);
}

std::string generated_name(std::string_view base, std::string_view seed,
                           const std::function<bool(const std::string&)>& taken) {
  const std::string_view cut = base.substr(0, std::min<size_t>(base.size(), 58));
  for (uint64_t salt = 0;; ++salt) {
    uint64_t h = fnv1a(seed, base, salt);
    std::string name(cut);
    for (int i = 0; i < 5; ++i) {
      name += kNameAlphabet[h % kNameAlphabet.size()];
      h /= kNameAlphabet.size();
    }
    if (!taken || !taken(name)) return name;
  }
}

std::string template_claim_base(std::string_view pod_name, std::string_view claim_name) {
  constexpr size_t kMaxBaseLen = 57;  // 63 less "-" and five generated characters
  const size_t length = pod_name.size() + claim_name.size() + 2;
  if (length <= kMaxBaseLen) return fmt::format("{}-{}-", pod_name, claim_name);
  return fmt::format("{}-{}", pod_name.substr(0, pod_name.size() * kMaxBaseLen / length),
                     claim_name.substr(0, claim_name.size() * kMaxBaseLen / length));
}

std::string controller_uid(const k8s::ObjectMeta& meta) {
  const k8s::Value* refs = find_extra(meta.origin, "ownerReferences");
  if (!refs || refs->kind != k8s::Value::Kind::List) return {};
  for (const k8s::Value& r : refs->items) {
    const k8s::Value* controller = r.get("controller");
    const k8s::Value* uid = r.get("uid");
    if (controller && controller->kind == k8s::Value::Kind::Bool && controller->boolean && uid &&
        uid->kind == k8s::Value::Kind::String)
      return uid->text;
  }
  return {};
}

std::vector<TemplateClaim> create_template_claims(k8s::Cluster& cluster) {
  std::vector<TemplateClaim> out;
  const bool any = std::any_of(cluster.pods.begin(), cluster.pods.end(), [](const auto& p) {
    return std::any_of(p.resource_claims.begin(), p.resource_claims.end(),
                       [](const auto& e) { return e.resource_claim_template_name.has_value(); });
  });
  if (!any) return out;  // the common case in dumps: nothing to index
  // Claims by namespace and name, and the names in use per namespace (for generated names).
  std::unordered_map<std::string, const k8s::ResourceClaim*> claims;
  auto key = [](std::string_view ns, std::string_view name) {
    return std::string(ns) + "/" + std::string(name);
  };
  for (const k8s::ResourceClaim& c : cluster.resource_claims)
    claims.emplace(key(c.metadata.namespace_, c.metadata.name), &c);
  std::unordered_map<std::string, const k8s::ResourceClaimTemplate*> templates;
  for (const auto& t : cluster.resource_claim_templates)
    templates.emplace(key(t.metadata.namespace_, t.metadata.name), &t);
  // Claims a Pod controls, by "<namespace>/<pod uid>/<entry name>" (the controller's owner
  // index plus its annotation check); the first one wins, as upstream takes the first.
  std::unordered_map<std::string, const k8s::ResourceClaim*> owned;
  for (const k8s::ResourceClaim& c : cluster.resource_claims) {
    const std::string* a = k8s::lookup(c.metadata.annotations, kPodClaimNameAnnotation);
    const std::string uid = a ? controller_uid(c.metadata) : std::string();
    if (!uid.empty()) owned.emplace(key(c.metadata.namespace_, uid + "/" + *a), &c);
  }

  for (k8s::Pod& pod : cluster.pods) {
    if (!pod.metadata.deletion_timestamp.empty()) continue;
    if (pod.phase == "Succeeded" || pod.phase == "Failed") continue;
    const std::string& ns = pod.metadata.namespace_;
    bool changed = false;
    for (const k8s::PodResourceClaim& entry : pod.resource_claims) {
      if (!entry.resource_claim_template_name) continue;  // a claim by name: the user's
      auto st = std::find_if(pod.resource_claim_statuses.begin(), pod.resource_claim_statuses.end(),
                             [&](const auto& s) { return s.name == entry.name; });
      if (st != pod.resource_claim_statuses.end()) {
        if (!st->resource_claim_name) continue;  // "not needed"
        auto it = claims.find(key(ns, *st->resource_claim_name));
        // Present and the Pod's (by uid, as IsForPod checks): nothing to do.
        if (it != claims.end() && controller_uid(it->second->metadata) == pod.metadata.uid)
          continue;
      }
      // A claim of the Pod's from an earlier pass: owned by it and annotated for the entry.
      const k8s::ResourceClaim* found = nullptr;
      if (!pod.metadata.uid.empty()) {
        auto it = owned.find(key(ns, pod.metadata.uid + "/" + entry.name));
        if (it != owned.end()) found = it->second;
      }
      bool created = false;
      if (!found) {
        auto t = templates.find(key(ns, *entry.resource_claim_template_name));
        if (t == templates.end()) continue;  // schedule() names the missing template
        const k8s::ResourceClaimTemplate* tmpl = t->second;
        k8s::ResourceClaim c;
        c.metadata.generate_name = template_claim_base(pod.metadata.name, entry.name);
        c.metadata.name = generated_name(
            c.metadata.generate_name, key(ns, pod.metadata.name),
            [&](const std::string& name) { return claims.count(key(ns, name)) > 0; });
        c.metadata.namespace_ = ns;
        c.metadata.labels = tmpl->spec.metadata.labels;
        c.metadata.annotations = tmpl->spec.metadata.annotations;
        std::erase_if(c.metadata.annotations,
                      [](const auto& a) { return a.first == kPodClaimNameAnnotation; });
        c.metadata.annotations.emplace_back(kPodClaimNameAnnotation, entry.name);
        c.metadata.origin.extras.push_back({"ownerReferences", pod_controller_references(pod)});
        c.spec = tmpl->spec.spec;
        c.source = tmpl->source;
        c.source.api_version = "resource.k8s.io/v1";
        c.source.version = k8s::ApiVersion::V1;
        cluster.resource_claims.push_back(std::move(c));
        found = &cluster.resource_claims.back();
        claims.emplace(key(ns, found->metadata.name), found);
        created = true;
      }
      if (st != pod.resource_claim_statuses.end()) {
        st->resource_claim_name = found->metadata.name;
      } else {
        k8s::PodResourceClaimStatus s;
        s.name = entry.name;
        s.resource_claim_name = found->metadata.name;
        pod.resource_claim_statuses.push_back(std::move(s));
      }
      changed = true;
      out.push_back({&pod, entry.name, *entry.resource_claim_template_name, found, created});
    }
    if (changed) {
      std::stable_sort(pod.resource_claim_statuses.begin(), pod.resource_claim_statuses.end(),
                       [](const auto& a, const auto& b) { return a.name < b.name; });
      set_pod_field(pod, "status", "resourceClaimStatuses",
                    claim_statuses_value(pod.resource_claim_statuses));
    }
  }
  return out;
}

namespace {

// A deterministic UUID-shaped uid for an object the simulation makes.
std::string made_uid(std::string_view what) {
  const uint64_t a = fnv1a(what, "uid", 1), b = fnv1a(what, "uid", 2);
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xffff,
                     b >> 48, b & 0xffffffffffffULL);
}

// The pod-template-hash of a Deployment: a 32-bit FNV-1a of the template written out in
// decimal, each digit mapped into the name alphabet (upstream's ComputeHash hashes Go's dump
// of the template; the shape is the same, the value is ours).
std::string template_hash(std::string_view template_text) {
  uint32_t h = 2166136261u;
  for (unsigned char c : template_text) h = (h ^ c) * 16777619u;
  std::string out;
  for (char digit : std::to_string(h))
    out += kNameAlphabet[static_cast<unsigned char>(digit) % kNameAlphabet.size()];
  return out;
}

k8s::Value controller_reference(std::string_view api_version, std::string_view kind,
                                std::string_view name, std::string_view uid) {
  k8s::Value ref = k8s::Value::map();
  ref.add("apiVersion", k8s::Value::of(std::string(api_version)));
  ref.add("kind", k8s::Value::of(std::string(kind)));
  ref.add("name", k8s::Value::of(std::string(name)));
  ref.add("uid", k8s::Value::of(std::string(uid)));
  ref.add("controller", k8s::Value::of(true));
  ref.add("blockOwnerDeletion", k8s::Value::of(true));
  k8s::Value refs = k8s::Value::list();
  refs.items.push_back(std::move(ref));
  return refs;
}

// Sets key in a Value map, replacing it if there.
void put(k8s::Value& map, std::string_view key, k8s::Value v) {
  for (auto& f : map.fields)
    if (f.first == key) {
      f.second = std::move(v);
      return;
    }
  map.add(std::string(key), std::move(v));
}
k8s::Value& map_at(k8s::Value& map, std::string_view key) {
  for (auto& f : map.fields)
    if (f.first == key) {
      if (f.second.kind != k8s::Value::Kind::Map) f.second = k8s::Value::map();
      return f.second;
    }
  return map.add(std::string(key), k8s::Value::map());
}

}  // namespace

void expand_workloads(k8s::Cluster& from, std::string_view created_at, util::Diagnostics& diags,
                      int64_t max_pods) {
  std::unordered_map<std::string, bool> taken;  // "<namespace>/<pod>"
  for (const k8s::Pod& p : from.pods)
    taken.emplace(p.metadata.namespace_ + "/" + p.metadata.name, true);
  std::string text;  // the Pods as one JSON List, decoded by the loader
  text += R"({"apiVersion":"v1","kind":"List","items":[)";
  bool first = true;
  for (const k8s::Workload& w : from.workloads) {
    const std::string ns = w.metadata.namespace_.empty() ? "default" : w.metadata.namespace_;
    const std::string id = fmt::format("{} {}/{}", w.kind, ns, w.metadata.name);
    const std::string uid = w.metadata.uid.empty() ? made_uid(id) : w.metadata.uid;
    const util::SourcePos at{from.files.empty() ? std::string() : from.files[w.source.file],
                             w.metadata.origin.pos.line, w.metadata.origin.pos.column};
    int64_t count = 0;
    if (w.kind == "Job") {
      const bool both_unset = !w.parallelism && !w.completions;
      const int64_t parallelism = both_unset ? 1 : w.parallelism.value_or(1);
      count = w.suspend.value_or(false) ? 0
              : w.completions           ? std::min(parallelism, *w.completions)
              : both_unset              ? 1
                                        : parallelism;
    } else {
      count = w.replicas.value_or(1);
    }
    if (count < 0) count = 0;
    if (count > max_pods) {
      diags.error(at,
                  fmt::format("{} would make {} Pods, more than the {} kubectl-dra expands", id,
                              count, max_pods),
                  "lower its replicas (or parallelism) for the simulation");
      continue;
    }
    const k8s::Value tmpl = w.pod_template.value();
    const k8s::Value* tmeta = tmpl.get("metadata");
    const k8s::Value* tspec = tmpl.get("spec");
    // The owner of the Pods: the workload, or for a Deployment its ReplicaSet.
    std::string owner_kind = w.kind, owner_name = w.metadata.name, owner_uid = uid;
    std::string owner_api = w.kind == "Job" ? "batch/v1" : "apps/v1";
    k8s::StringMap extra_labels;
    if (w.kind == "Deployment") {
      const std::string hash = template_hash(w.pod_template.text);
      owner_kind = "ReplicaSet";
      owner_name = w.metadata.name + "-" + hash;
      owner_uid = made_uid("ReplicaSet " + ns + "/" + owner_name);
      extra_labels.emplace_back("pod-template-hash", hash);
    } else if (w.kind == "Job") {
      extra_labels = {{"batch.kubernetes.io/controller-uid", uid},
                      {"batch.kubernetes.io/job-name", w.metadata.name},
                      {"controller-uid", uid},
                      {"job-name", w.metadata.name}};
    }
    const int64_t start = w.kind == "StatefulSet" ? w.ordinals_start.value_or(0) : 0;
    const bool indexed = w.kind == "Job" && w.completion_mode == "Indexed";
    for (int64_t i = 0; i < count; ++i) {
      k8s::Value pod = k8s::Value::map();
      pod.add("apiVersion", k8s::Value::of("v1"));
      pod.add("kind", k8s::Value::of("Pod"));
      k8s::Value meta = tmeta && tmeta->kind == k8s::Value::Kind::Map ? *tmeta : k8s::Value::map();
      std::erase_if(meta.fields, [](const auto& f) {
        return f.first != "labels" && f.first != "annotations" && f.first != "finalizers";
      });
      k8s::Value spec = tspec && tspec->kind == k8s::Value::Kind::Map ? *tspec : k8s::Value::map();
      k8s::StringMap labels = extra_labels;
      std::string name, generate_name;
      if (w.kind == "StatefulSet") {
        name = fmt::format("{}-{}", w.metadata.name, start + i);
        labels.emplace_back("apps.kubernetes.io/pod-index", std::to_string(start + i));
        labels.emplace_back("statefulset.kubernetes.io/pod-name", name);
        put(spec, "hostname", k8s::Value::of(name));
      } else {
        generate_name = indexed ? fmt::format("{}-{}-", w.metadata.name, i) : owner_name + "-";
        name = generated_name(generate_name, fmt::format("{}/{}", ns, i),
                              [&](const std::string& n) { return taken.count(ns + "/" + n) > 0; });
        if (indexed) {
          labels.emplace_back("batch.kubernetes.io/job-completion-index", std::to_string(i));
          put(map_at(meta, "annotations"), "batch.kubernetes.io/job-completion-index",
              k8s::Value::of(std::to_string(i)));
          put(spec, "hostname", k8s::Value::of(fmt::format("{}-{}", w.metadata.name, i)));
        }
      }
      taken.emplace(ns + "/" + name, true);
      k8s::Value& label_map = map_at(meta, "labels");
      for (auto& [k, v] : labels) put(label_map, k, k8s::Value::of(v));
      if (label_map.fields.empty())
        std::erase_if(meta.fields, [](const auto& f) { return f.first == "labels"; });
      k8s::Value out_meta = k8s::Value::map();
      out_meta.add("name", k8s::Value::of(name));
      if (!generate_name.empty()) out_meta.add("generateName", k8s::Value::of(generate_name));
      out_meta.add("namespace", k8s::Value::of(ns));
      out_meta.add("uid", k8s::Value::of(made_uid("Pod " + ns + "/" + name)));
      if (!created_at.empty())
        out_meta.add("creationTimestamp", k8s::Value::of(std::string(created_at)));
      for (auto& f : meta.fields) out_meta.add(f.first, f.second);
      out_meta.add("ownerReferences",
                   controller_reference(owner_api, owner_kind, owner_name, owner_uid));
      pod.add("metadata", std::move(out_meta));
      pod.add("spec", std::move(spec));
      text += first ? "" : ",";
      text += k8s::to_compact_json(pod);
      first = false;
    }
  }
  text += "]}";
  if (first) return;
  // Named after the files the workloads came from: errors in a template point there.
  k8s::Cluster pods;
  k8s::load_text(text, fmt::format("<Pods of the workloads in {}>", fmt::join(from.files, ", ")),
                 pods, diags);
  k8s::append(from, std::move(pods));
}

void apply_device_taint_rules(k8s::Cluster& cluster) {
  // Only a device a previous call tainted has a rule's taint to take off: the devices of a
  // loaded cluster (170,000 in a 10,000-node dump) are not read for nothing.
  if (cluster.rule_taints)
    for (k8s::ResourceSlice& slice : cluster.resource_slices)
      for (k8s::Device& d : slice.spec.devices) {
        if (std::none_of(d.taints.begin(), d.taints.end(),
                         [](const auto& t) { return !t.rule.empty(); }))
          continue;
        util::ThinVec<k8s::DeviceTaint> own;
        for (const k8s::DeviceTaint& t : d.taints)
          if (t.rule.empty()) own.push_back(t);
        d.taints = std::move(own);
      }
  cluster.rule_taints = false;
  for (const k8s::DeviceTaintRule& rule : cluster.device_taint_rules) {
    const auto& sel = rule.spec.device_selector;
    k8s::DeviceTaint taint = rule.spec.taint;
    taint.rule = rule.metadata.name;
    for (k8s::ResourceSlice& slice : cluster.resource_slices) {
      if (sel && sel->driver && *sel->driver != slice.spec.driver) continue;
      if (sel && sel->pool && *sel->pool != slice.spec.pool.name) continue;
      for (k8s::Device& d : slice.spec.devices)
        if (!sel || !sel->device || *sel->device == d.name) {
          d.taints.push_back(taint);
          cluster.rule_taints = true;
        }
    }
  }
}

namespace {

bool eviction_tolerates(const k8s::DeviceToleration& t, const k8s::DeviceTaint& taint) {
  if (t.effect != "NoExecute") return false;  // only explicit NoExecute tolerations count
  if (!t.key.empty() && t.key != taint.key) return false;
  if (t.operator_ == "Exists") return true;
  return (t.operator_.empty() || t.operator_ == "Equal") && t.value == taint.value;
}

std::string taint_text(const k8s::DeviceTaint& t) {
  std::string s = t.key + (t.value.empty() ? "" : "=" + t.value) + ":" + t.effect;
  if (!t.rule.empty()) s += " (DeviceTaintRule " + t.rule + ")";
  return s;
}

}  // namespace

std::vector<Eviction> evict_for_device_taints(k8s::Cluster& cluster) {
  // Nothing to do (the common case) without a NoExecute taint.
  const bool any = std::any_of(
      cluster.resource_slices.begin(), cluster.resource_slices.end(), [](const auto& slice) {
        return std::any_of(slice.spec.devices.begin(), slice.spec.devices.end(), [](const auto& d) {
          return std::any_of(d.taints.begin(), d.taints.end(),
                             [](const auto& t) { return t.effect == "NoExecute"; });
        });
      });
  if (!any) return {};
  // Devices by driver/pool/device.
  std::unordered_map<std::string, const k8s::Device*> devices;
  for (const k8s::ResourceSlice& slice : cluster.resource_slices)
    for (const k8s::Device& d : slice.spec.devices)
      devices.emplace(slice.spec.driver + "/" + slice.spec.pool.name + "/" + d.name, &d);
  // Each allocated claim's eviction, if any: the earliest over its devices' NoExecute taints.
  struct ClaimEviction {
    int64_t after;
    std::string device, taint;
  };
  std::unordered_map<const k8s::ResourceClaim*, ClaimEviction> evicted;
  for (const k8s::ResourceClaim& c : cluster.resource_claims) {
    if (!c.status.allocation) continue;
    for (const auto& r : c.status.allocation->devices.results) {
      const std::string id = r.driver + "/" + r.pool + "/" + r.device;
      auto d = devices.find(id);
      if (d == devices.end()) continue;
      for (const k8s::DeviceTaint& taint : d->second->taints) {
        if (taint.effect != "NoExecute") continue;
        bool forever = false, matched = false;
        int64_t after = 0;
        for (const k8s::DeviceToleration& t : r.tolerations) {
          if (!eviction_tolerates(t, taint)) continue;
          if (!t.toleration_seconds) {
            forever = true;
            break;
          }
          const int64_t secs = std::max<int64_t>(*t.toleration_seconds, 0);
          after = matched ? std::min(after, secs) : secs;
          matched = true;
        }
        if (forever) continue;
        auto [it, fresh] = evicted.try_emplace(&c, ClaimEviction{after, id, taint_text(taint)});
        if (!fresh && after < it->second.after) it->second = {after, id, taint_text(taint)};
      }
    }
  }
  std::vector<Eviction> out;
  if (evicted.empty()) return out;

  std::unordered_map<std::string, k8s::ResourceClaim*> by_name;
  for (k8s::ResourceClaim& c : cluster.resource_claims)
    by_name.emplace(c.metadata.namespace_ + "/" + c.metadata.name, &c);
  std::unordered_map<const k8s::ResourceClaim*, bool> reserved;  // has an evicted Pod
  std::vector<const k8s::ResourceClaim*> deleted;
  for (k8s::Pod& pod : cluster.pods) {
    if (pod.node_name.empty() || !pod.metadata.deletion_timestamp.empty() ||
        pod.phase == "Succeeded" || pod.phase == "Failed")
      continue;
    const std::string& ns = pod.metadata.namespace_;
    // The Pod's claims: (claim, made for the Pod).
    std::vector<std::pair<k8s::ResourceClaim*, bool>> claims;
    auto add = [&](const std::string& name, bool owned) {
      auto it = by_name.find(ns + "/" + name);
      if (it == by_name.end()) return;
      if (owned && controller_uid(it->second->metadata) != pod.metadata.uid) return;
      claims.emplace_back(it->second, owned);
    };
    for (const k8s::PodResourceClaim& e : pod.resource_claims) {
      if (e.resource_claim_name) {
        add(*e.resource_claim_name, false);
        continue;
      }
      for (const auto& st : pod.resource_claim_statuses)
        if (st.name == e.name && st.resource_claim_name) add(*st.resource_claim_name, true);
    }
    if (pod.extended_resource_claim_name) add(*pod.extended_resource_claim_name, true);
    auto reserved_for_pod = [&](const k8s::ResourceClaim& c) {
      return std::any_of(c.status.reserved_for.begin(), c.status.reserved_for.end(),
                         [&](const auto& r) {
                           return pod.metadata.uid.empty() ? r.name == pod.metadata.name
                                                           : r.uid == pod.metadata.uid;
                         });
    };
    bool pod_evicted = false;
    for (const auto& [c, owned] : claims) {
      auto e = evicted.find(c);
      if (e == evicted.end() || !reserved_for_pod(*c)) continue;
      pod_evicted = true;
      reserved[c] = true;
      out.push_back({qualified_name(pod.metadata), qualified_name(c->metadata), e->second.device,
                     e->second.taint, e->second.after});
    }
    if (!pod_evicted) continue;
    // The Pod goes; its replacement starts unbound, and gets new claims where the old ones
    // were made for it.
    pod.node_name.clear();
    set_pod_field(pod, "spec", "nodeName", k8s::Value::null());
    for (const auto& [c, owned] : claims) {
      if (owned) {
        deleted.push_back(c);
        continue;
      }
      std::erase_if(c->status.reserved_for, [&](const auto& r) {
        return pod.metadata.uid.empty() ? r.name == pod.metadata.name : r.uid == pod.metadata.uid;
      });
      if (c->status.reserved_for.empty()) c->status.allocation.reset();
    }
    if (std::any_of(claims.begin(), claims.end(), [](const auto& c) { return c.second; })) {
      std::erase_if(pod.resource_claim_statuses, [&](const k8s::PodResourceClaimStatus& st) {
        return std::any_of(claims.begin(), claims.end(), [&](const auto& c) {
          return c.second && st.resource_claim_name &&
                 *st.resource_claim_name == c.first->metadata.name;
        });
      });
      set_pod_field(pod, "status", "resourceClaimStatuses",
                    pod.resource_claim_statuses.empty()
                        ? k8s::Value::null()
                        : claim_statuses_value(pod.resource_claim_statuses));
      if (pod.extended_resource_claim_name) {
        pod.extended_resource_claim_name.reset();
        set_pod_field(pod, "status", "extendedResourceClaimStatus", k8s::Value::null());
      }
    }
  }
  // Allocated claims no Pod uses: reported; nothing is evicted.
  for (const k8s::ResourceClaim& c : cluster.resource_claims)
    if (auto e = evicted.find(&c);
        e != evicted.end() && !reserved.count(&c) && c.status.reserved_for.empty())
      out.push_back(
          {"", qualified_name(c.metadata), e->second.device, e->second.taint, e->second.after});
  if (!deleted.empty())
    std::erase_if(cluster.resource_claims, [&](const k8s::ResourceClaim& c) {
      return std::find(deleted.begin(), deleted.end(), &c) != deleted.end();
    });
  return out;
}

}  // namespace dra::alloc
