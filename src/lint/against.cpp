// src/lint/against.cpp -- `lint --against DUMP`: the linted claims and classes checked
// against the classes and devices of a real cluster (its dump), with the CEL evaluator and
// the allocator themselves (no second implementation of either).
#include "lint/against.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "alloc/schedule.hpp"
#include "k8s/load.hpp"
#include "lint/report.hpp"
#include "selectors/cache.hpp"
#include "selectors/projection.hpp"
#include "util/strings.hpp"

namespace dra::lint {

namespace {

struct Dev {
  const k8s::ResourceSlice* slice;
  const k8s::Device* device;
};

// What a selector did on a set of devices.
struct Outcome {
  size_t matched = 0, errors = 0;
  std::string first_error;  // "driver/pool/device: message"
};

class Against {
 public:
  explicit Against(const k8s::Cluster& cluster) : cluster_(cluster) {
    for (const k8s::ResourceSlice& s : cluster.resource_slices)
      for (const k8s::Device& d : s.spec.devices) all_.push_back({&s, &d});
    for (const k8s::DeviceClass& c : cluster.device_classes)
      class_names_.push_back(c.metadata.name);
  }

  // Evaluates `expression` on `devices`; nullopt when it does not compile (validation says so).
  std::optional<Outcome> run(const std::string& expression, const std::vector<Dev>& devices,
                             std::vector<Dev>* matching = nullptr) {
    const selectors::Compiled& c = programs_.get(expression);
    if (!c.ok()) return std::nullopt;
    Outcome o;
    for (const Dev& d : devices) {
      const selectors::Match m =
          selectors::to_match(matches_.evaluate(*c.program, *d.device, d.slice->spec.driver));
      if (!m.error.empty()) {
        if (o.errors++ == 0)
          o.first_error = fmt::format("{}/{}/{}: {}", d.slice->spec.driver, d.slice->spec.pool.name,
                                      d.device->name, m.error);
      } else if (m.matches) {
        ++o.matched;
        if (matching) matching->push_back(d);
      }
    }
    return o;
  }

  // The devices a class admits (every selector true), computed once per class.
  const std::vector<Dev>& of_class(const k8s::DeviceClass& cls) {
    auto [it, fresh] = by_class_.try_emplace(cls.metadata.name);
    if (!fresh) return it->second;
    std::vector<Dev> in = all_;
    for (const k8s::DeviceSelector& s : cls.spec.selectors) {
      if (!s.cel) continue;
      std::vector<Dev> out;
      if (!run(s.cel->expression, in, &out)) return it->second;  // does not compile
      in = std::move(out);
    }
    it->second = std::move(in);
    return it->second;
  }

  const std::vector<Dev>& devices() const { return all_; }

  const k8s::DeviceClass* find_class(std::string_view name) const {
    for (const k8s::DeviceClass& c : cluster_.device_classes)
      if (c.metadata.name == name) return &c;
    return nullptr;
  }

  // Selector checks against `devices` (the devices of `what`, e.g. "class gpu.example.com").
  void selectors(Report& r, const std::string& path, const std::vector<k8s::DeviceSelector>& list,
                 const std::vector<Dev>& devices, const std::string& what) {
    std::vector<Dev> remaining = devices;
    for (size_t i = 0; i < list.size(); ++i) {
      if (!list[i].cel) continue;
      const k8s::CELDeviceSelector& cel = *list[i].cel;
      const std::string p = fmt::format("{}[{}].cel.expression", path, i);
      const k8s::Pos pos = cel.origin.at("expression");
      names(r, p, pos, cel.expression, devices, what);
      std::vector<Dev> out;
      const std::optional<Outcome> o = run(cel.expression, remaining, &out);
      if (!o) continue;
      if (o->errors > 0)
        r.warning("unguarded-attribute", p, pos,
                  fmt::format("fails with a CEL runtime error on {} of the {} devices of {} "
                              "(e.g. {}); guard the attribute with has() or `in`, or use "
                              "optional chaining (.?name.orValue(...))",
                              o->errors, remaining.size(), what, o->first_error));
      if (o->matched == 0 && !remaining.empty() && o->errors < remaining.size())
        r.warning("selector-matches-nothing", p, pos,
                  fmt::format("matches none of the {} devices of {}{}", remaining.size(), what,
                              i > 0 ? " that the selectors before it leave" : ""));
      else if (remaining.empty() && i == 0)
        r.warning("selector-matches-nothing", p, pos,
                  fmt::format("{} has no devices in the cluster", what));
      remaining = std::move(out);
    }
  }

  // Attribute and capacity names a selector reads that none of `devices` publishes.
  void names(Report& r, const std::string& path, k8s::Pos pos, const std::string& expression,
             const std::vector<Dev>& devices, const std::string& what) {
    if (devices.empty()) return;
    const selectors::Compiled& c = programs_.get(expression);
    if (!c.ok()) return;
    const auto paths = selectors::device_paths(c.program->ast());
    if (!paths) return;
    std::set<std::string> attributes, capacities;
    for (const Dev& d : devices) {
      auto add = [&](std::set<std::string>& into, std::string_view name) {
        into.insert(name.find('/') == std::string_view::npos
                        ? d.slice->spec.driver + "/" + std::string(name)
                        : std::string(name));
      };
      for (const auto& [name, _] : d.device->attributes) add(attributes, name.view());
      for (const auto& [name, _] : d.device->capacity) add(capacities, name.view());
    }
    for (const selectors::DevicePath& p : *paths) {
      const bool attribute = p.kind == selectors::DevicePath::Kind::Attribute;
      if (!attribute && p.kind != selectors::DevicePath::Kind::Capacity) continue;
      const std::string name = p.domain + "/" + p.name;
      const auto& known = attribute ? attributes : capacities;
      if (known.count(name)) continue;
      const std::vector<std::string> list(known.begin(), known.end());
      const std::string close = util::did_you_mean(name, list);
      r.warning("unknown-attribute", path, pos,
                fmt::format("no device of {} publishes {} {}{}", what,
                            attribute ? "attribute" : "capacity", name,
                            close.empty() ? "" : fmt::format("; did you mean {}?", close)));
    }
  }

  void claim(Report& r, const std::string& path, const k8s::DeviceClaim& d,
             const std::string& namespace_, const std::string& name, bool is_template,
             const k8s::ResourceClaimSpec& spec, k8s::ApiVersion version) {
    bool classes_ok = true;
    for (size_t i = 0; i < d.requests.size(); ++i) {
      const k8s::DeviceRequest& req = d.requests[i];
      const std::string p = fmt::format("{}.requests[{}]", path, i);
      auto one = [&](const std::string& rp, const std::string& class_name,
                     const std::vector<k8s::DeviceSelector>& sels, const k8s::Origin& o) {
        const k8s::DeviceClass* cls = find_class(class_name);
        if (!cls) {
          classes_ok = false;
          const std::string close = util::did_you_mean(class_name, class_names_);
          r.warning("unknown-class", rp + ".deviceClassName", o.at("deviceClassName"),
                    fmt::format("the cluster has no device class {}{}", quote(class_name),
                                close.empty() ? fmt::format(" (its classes: {})",
                                                            fmt::join(class_names_, ", "))
                                              : fmt::format("; did you mean {}?", close)));
          return;
        }
        selectors(r, rp + ".selectors", sels, of_class(*cls), "class " + class_name);
      };
      if (req.exactly)
        one(p + ".exactly", req.exactly->device_class_name, req.exactly->selectors,
            req.exactly->origin);
      for (size_t s = 0; s < req.first_available.size(); ++s) {
        const k8s::DeviceSubRequest& sub = req.first_available[s];
        one(fmt::format("{}.firstAvailable[{}]", p, s), sub.device_class_name, sub.selectors,
            sub.origin);
      }
    }
    if (!classes_ok || d.requests.empty()) return;
    // The allocator itself, as `allocate` would run it on an empty slot of each node.
    // As the API server stores it: with its defaults (lint reads specs as written).
    k8s::ResourceClaimSpec defaulted = spec;
    k8s::apply_defaults(defaulted, version);
    const alloc::Fit f =
        alloc::fit(cluster_, defaulted, namespace_.empty() ? "default" : namespace_, {}, 1);
    const k8s::Pos pos = d.origin.pos;
    const std::string what = is_template ? "a claim from this template" : "this claim";
    if (!f.error.empty()) {
      // fit() names its copy "fit-1": say which claim it stands for.
      std::string error = f.error;
      if (const size_t at = error.find("/fit-1"); at != std::string::npos)
        error.replace(at, 6, "/" + name);
      r.warning("unsatisfiable-claim", path, pos,
                fmt::format("the allocator fails on {}: {}", what, error));
    } else if (f.total == 0) {
      r.warning("unsatisfiable-claim", path, pos,
                fmt::format("no node of the cluster can satisfy {} with the devices free now "
                            "(other pending claims not counted); `kubectl dra explain` says why",
                            what));
    }
  }

  std::vector<std::string> class_names_;

 private:
  const k8s::Cluster& cluster_;
  std::vector<Dev> all_;
  std::map<std::string, std::vector<Dev>> by_class_;
  selectors::ProgramCache programs_;
  selectors::MatchCache matches_;
};

std::string name_of(const k8s::ObjectMeta& m, std::string_view kind) {
  return m.namespace_.empty() ? fmt::format("{} {}", kind, m.name)
                              : fmt::format("{} {}/{}", kind, m.namespace_, m.name);
}

}  // namespace

void against(const k8s::Cluster& linted, const k8s::Cluster& cluster, const Options& options,
             std::vector<Finding>& out) {
  Against a(cluster);
  auto report = [&](const k8s::Source& src, std::string object) {
    return Report(out, options, linted.files.at(src.file), src.version, std::move(object));
  };
  for (const k8s::DeviceClass& c : linted.device_classes) {
    Report r = report(c.source, name_of(c.metadata, "DeviceClass"));
    a.selectors(r, "spec.selectors", c.spec.selectors, a.devices(), "the cluster");
  }
  for (const k8s::ResourceClaim& c : linted.resource_claims) {
    if (c.status.allocation) continue;
    Report r = report(c.source, name_of(c.metadata, "ResourceClaim"));
    a.claim(r, "spec.devices", c.spec.devices, c.metadata.namespace_, c.metadata.name, false,
            c.spec, c.source.version);
  }
  for (const k8s::ResourceClaimTemplate& t : linted.resource_claim_templates) {
    Report r = report(t.source, name_of(t.metadata, "ResourceClaimTemplate"));
    a.claim(r, "spec.spec.devices", t.spec.spec.devices, t.metadata.namespace_, t.metadata.name,
            true, t.spec.spec, t.source.version);
  }
}

}  // namespace dra::lint
