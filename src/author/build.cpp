// src/author/build.cpp -- `kubectl dra new`'s flags to a ResourceClaimSpec (build.hpp).
#include "author/build.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

#include "k8s/parse.hpp"
#include "k8s/quantity.hpp"
#include "k8s/value.hpp"
#include "selectors/cache.hpp"
#include "selectors/program.hpp"
#include "util/strings.hpp"

namespace dra::author {
namespace {

struct Fail {
  BuildError error;
};

[[noreturn]] void fail(const Step& s, std::string message, std::string hint = {},
                       size_t column = 0) {
  throw Fail{{s.flag, s.value, column, std::move(message), std::move(hint), std::nullopt}};
}

bool dns_label(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  auto ok = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!ok(s.front()) || !ok(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return ok(c) || c == '-'; });
}

// `base`, or base-2, base-3, ... if taken.
template <typename List, typename Name>
std::string unique_name(const std::string& base, const List& list, Name name_of) {
  auto taken = [&](const std::string& n) {
    return std::any_of(list.begin(), list.end(), [&](const auto& x) { return name_of(x) == n; });
  };
  if (!taken(base)) return base;
  for (int i = 2;; ++i)
    if (const std::string n = fmt::format("{}-{}", base, i); !taken(n)) return n;
}

// Just enough: one device (the server's default) is left unsaid.
void set_count(std::string& mode, int64_t& count, int64_t n) {
  mode = n > 1 ? "ExactCount" : "";
  count = n > 1 ? n : 0;
}

int64_t parse_count(const Step& s, std::string_view text, size_t column) {
  int64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || p != text.data() + text.size() || n < 1)
    fail(s, fmt::format("{:?} is not a count (a whole number of devices, at least 1)", text),
         "--all asks for every matching device", column);
  return n;
}

using Devices = std::vector<std::pair<const k8s::ResourceSlice*, const k8s::Device*>>;

// The devices of `cluster` that the class selects; nullopt when a selector does not compile
// (lint says what is wrong with the class).
std::optional<Devices> devices_of_class(const k8s::DeviceClass& cls, const k8s::Cluster& cluster) {
  std::vector<std::shared_ptr<const selectors::Program>> programs;
  for (const k8s::DeviceSelector& sel : cls.spec.selectors) {
    if (!sel.cel) continue;
    const selectors::Compiled compiled = selectors::compile(sel.cel->expression);
    if (!compiled.ok()) return std::nullopt;
    programs.push_back(compiled.program);
  }
  selectors::MatchCache cache;
  Devices out;
  for (const k8s::ResourceSlice& sl : cluster.resource_slices)
    for (const k8s::Device& d : sl.spec.devices)
      if (std::all_of(programs.begin(), programs.end(), [&](const auto& p) {
            return selectors::to_match(cache.evaluate(*p, d, sl.spec.driver)).matches;
          }))
        out.emplace_back(&sl, &d);
  return out;
}

// Everything a request option may apply to: the exact request or one alternative.
struct Target {
  std::string* class_name;
  std::vector<k8s::DeviceSelector>* selectors;
  std::string* mode;
  int64_t* count;
  std::vector<k8s::DeviceToleration>* tolerations;
  std::optional<k8s::CapacityRequirements>* capacity;
  std::optional<bool>* admin;  // null for an alternative
  std::string* domain;
};

class Builder {
 public:
  explicit Builder(const BuildOptions& o) : o_(o) {}

  Built run(const std::vector<Step>& steps) {
    Built out;
    try {
      for (size_t i = 0; i < steps.size(); ++i) {
        current_ = i;
        apply(steps[i]);
      }
      current_.reset();
      if (requests_.empty())
        throw Fail{{"", "", 0, "no request: say what the claim asks for",
                    "e.g. --class gpu.example.com, or --request gpu:gpu.example.com:2",
                    std::nullopt}};
      finish();
      for (Req& r : requests_) out.spec.devices.requests.push_back(std::move(r.request));
      out.spec.devices.constraints = std::move(constraints_);
      out.spec.devices.config = std::move(config_);
    } catch (const Fail& f) {
      out.error = f.error;
      out.error->step = current_;
    }
    return out;
  }

 private:
  struct Req {
    k8s::DeviceRequest request;
    std::string domain;                // of the exact request
    std::vector<std::string> domains;  // of each alternative
  };
  struct Constraint {
    Step step;
    size_t index = 0;  // of the step
    bool distinct = false;
    std::string attribute;
    std::vector<std::string> requests;
  };

  void apply(const Step& s) {
    const std::string& f = s.flag;
    if (f == "request") return request(s);
    if (f == "class") return class_(s);
    if (f == "driver") return driver(s);
    if (f == "or") return alternative(s);
    if (f == "same" || f == "distinct") return constraint(s, f == "distinct");
    if (f == "config") return config(s);
    Target t = target(s);
    if ((f == "count" && *t.mode == "All") || (f == "all" && *t.count > 1))
      fail(s, "--count and --all are both given for this request",
           "--all asks for every matching device; --count N for N of them");
    if (f == "count") {
      set_count(*t.mode, *t.count, parse_count(s, s.value, 1));
    } else if (f == "all") {
      *t.mode = "All";
      *t.count = 0;
    } else if (f == "where") {
      where(s, t);
    } else if (f == "admin") {
      if (!t.admin)
        fail(s, "an alternative (--or) cannot have admin access",
             "admin access is for exact requests; put --admin before --or");
      *t.admin = true;
    } else if (f == "capacity") {
      capacity(s, t);
    } else if (f == "tolerate") {
      tolerate(s, t);
    } else {
      fail(s, fmt::format("unknown option --{}", f));
    }
  }

  // The request (or alternative) the options apply to now.
  Target target(const Step& s) {
    if (requests_.empty())
      fail(s, fmt::format("--{} must follow a request", s.flag),
           "start one with --class CLASS or --request NAME:CLASS[:COUNT]");
    Req& r = requests_.back();
    if (!r.request.first_available.empty()) {
      k8s::DeviceSubRequest& a = r.request.first_available.back();
      return {&a.device_class_name, &a.selectors, &a.allocation_mode, &a.count, &a.tolerations,
              &a.capacity,          nullptr,      &r.domains.back()};
    }
    k8s::ExactDeviceRequest& e = *r.request.exactly;
    return {&e.device_class_name, &e.selectors, &e.allocation_mode, &e.count,
            &e.tolerations,       &e.capacity,  &e.admin_access,    &r.domain};
  }

  // A class named on the command line: known to --against when given.
  const k8s::DeviceClass* find_class(const Step& s, std::string_view name, size_t column) {
    if (!o_.against) return nullptr;
    std::vector<std::string> names;
    for (const k8s::DeviceClass& c : o_.against->device_classes) {
      if (c.metadata.name == name) return &c;
      names.push_back(c.metadata.name);
    }
    const std::string close = util::did_you_mean(name, names);
    fail(s, fmt::format("the cluster has no device class {:?}", name),
         close.empty() ? fmt::format("its classes: {}", util::join(names, ", "))
                       : fmt::format("did you mean {}?", close),
         column);
  }

  // The domain bare attribute names of a class are in: its driver.
  std::string domain_of(const Step& s, const std::string& cls, size_t column) {
    if (const k8s::DeviceClass* c = find_class(s, cls, column)) return class_driver(*c, o_.against);
    // Without a cluster: a class named like a driver (gpu.nvidia.com) is taken to be that
    // driver's; bare names are an error otherwise (where_to_cel says so).
    return cls.find('.') != std::string::npos ? cls : "";
  }

  void new_request(const Step& s, std::string name, std::string cls, int64_t count,
                   size_t class_column) {
    Req r;
    r.request.name = std::move(name);
    r.request.exactly.emplace();
    r.domain = domain_of(s, cls, class_column);
    r.request.exactly->device_class_name = std::move(cls);
    set_count(r.request.exactly->allocation_mode, r.request.exactly->count, count);
    requests_.push_back(std::move(r));
  }

  void request(const Step& s) {
    const auto parts = util::split(s.value, ':');
    if (parts.size() < 2 || parts.size() > 3 || parts[0].empty() || parts[1].empty())
      fail(s, fmt::format("{:?} is not NAME:CLASS[:COUNT]", s.value),
           "e.g. --request gpu:gpu.example.com:2");
    const std::string name(parts[0]);
    if (!dns_label(name))
      fail(s, fmt::format("request name {:?} is not a DNS label", name),
           "lower case letters, digits and '-', e.g. gpu-0", 1);
    for (const Req& r : requests_)
      if (r.request.name == name) fail(s, fmt::format("a request {:?} exists already", name));
    const int64_t count =
        parts.size() == 3 ? parse_count(s, parts[2], parts[0].size() + parts[1].size() + 3) : 0;
    new_request(s, name, std::string(parts[1]), count, parts[0].size() + 2);
  }

  void class_(const Step& s) {
    if (requests_.empty()) {
      new_request(s,
                  unique_name(name_from_class(s.value), requests_,
                              [](const Req& r) { return r.request.name; }),
                  s.value, 0, 1);
      return;
    }
    Target t = target(s);
    fail(s,
         fmt::format("request {:?} has a class already ({})", requests_.back().request.name,
                     *t.class_name),
         "start another request with --request NAME:CLASS[:COUNT]");
  }

  void driver(const Step& s) {
    if (!requests_.empty()) {
      *target(s).domain = s.value;  // the domain of bare names
      return;
    }
    if (!o_.against)
      fail(s, "--driver without a request needs --against to find the driver's class",
           "give --class CLASS, or --against DUMP");
    std::vector<std::string> classes;
    for (const k8s::DeviceClass& c : o_.against->device_classes)
      if (class_driver(c, o_.against) == s.value) classes.push_back(c.metadata.name);
    if (classes.size() != 1)
      fail(s,
           classes.empty() ? fmt::format("no device class selects driver {}", s.value)
                           : fmt::format("several device classes select driver {}: {}", s.value,
                                         util::join(classes, ", ")),
           "give --class CLASS");
    class_({"class", classes.front()});
    requests_.back().domain = s.value;
  }

  void alternative(const Step& s) {
    if (requests_.empty())
      fail(s, "--or must follow a request", "e.g. --class gpu.example.com --or other.example.com");
    Req& r = requests_.back();
    const auto parts = util::split(s.value, ':');
    if (parts.size() > 2 || parts[0].empty())
      fail(s, fmt::format("{:?} is not CLASS[:COUNT]", s.value));
    if (r.request.exactly) {  // the exact request becomes the first alternative
      const k8s::ExactDeviceRequest& e = *r.request.exactly;
      if (e.admin_access.value_or(false))
        fail(s, "a request with admin access cannot have alternatives",
             "admin access is for exact requests only");
      k8s::DeviceSubRequest a;
      a.name = name_from_class(e.device_class_name);
      a.device_class_name = e.device_class_name;
      a.selectors = e.selectors;
      a.allocation_mode = e.allocation_mode;
      a.count = e.count;
      a.tolerations = e.tolerations;
      a.capacity = e.capacity;
      r.request.first_available.push_back(std::move(a));
      r.domains.push_back(r.domain);
      r.request.exactly.reset();
    }
    k8s::DeviceSubRequest a;
    a.name = unique_name(name_from_class(parts[0]), r.request.first_available,
                         [](const k8s::DeviceSubRequest& x) { return x.name; });
    a.device_class_name = std::string(parts[0]);
    set_count(a.allocation_mode, a.count,
              parts.size() == 2 ? parse_count(s, parts[1], parts[0].size() + 2) : 0);
    r.domains.push_back(domain_of(s, a.device_class_name, 1));
    r.request.first_available.push_back(std::move(a));
  }

  // The devices of a class in --against, for the types of names.
  // The names the class's devices publish, worked out once per class (each --where asks).
  const std::optional<Vocabulary>& vocabulary(const Step& s, const std::string& cls) {
    if (auto it = vocabularies_.find(cls); it != vocabularies_.end()) return it->second;
    std::optional<Vocabulary> v;
    if (const k8s::DeviceClass* c = find_class(s, cls, 0))
      if (const std::optional<Devices> devices = devices_of_class(*c, *o_.against))
        v = Vocabulary::of(*devices);
    return vocabularies_.emplace(cls, std::move(v)).first->second;
  }

  void where(const Step& s, Target& t) {
    const std::optional<Vocabulary>& v = vocabulary(s, *t.class_name);
    const WhereResult w = where_to_cel(s.value, *t.domain, v ? &*v : nullptr, o_.params);
    if (w.error) fail(s, w.error->message, w.error->hint, w.error->column);
    k8s::DeviceSelector sel;
    sel.cel.emplace();
    sel.cel->expression = w.cel;
    t.selectors->push_back(std::move(sel));
  }

  void capacity(const Step& s, Target& t) {
    const size_t eq = s.value.find('=');
    if (eq == std::string::npos || eq == 0)
      fail(s, fmt::format("{:?} is not NAME=QUANTITY", s.value), "e.g. --capacity memory=10Gi");
    std::string error;
    const auto q = k8s::Quantity::parse(std::string_view(s.value).substr(eq + 1), &error);
    if (!q) fail(s, fmt::format("not a quantity: {}", error), "e.g. 10Gi, 400G, 500m", eq + 2);
    if (!*t.capacity) t.capacity->emplace();
    (*t.capacity)->requests.emplace_back(s.value.substr(0, eq), *q);
  }

  void tolerate(const Step& s, Target& t) {
    std::string_view v = s.value;
    k8s::DeviceToleration tol;
    const size_t colon = v.rfind(':');
    if (colon != std::string_view::npos) {
      tol.effect = std::string(v.substr(colon + 1));
      if (tol.effect != "NoSchedule" && tol.effect != "NoExecute" && tol.effect != "None")
        fail(s, fmt::format("{:?} is not a taint effect", tol.effect),
             "effects: NoSchedule, NoExecute (or leave it out to tolerate any)", colon + 2);
      v = v.substr(0, colon);
    }
    const size_t eq = v.find('=');
    tol.key = std::string(v.substr(0, eq));
    if (eq == std::string_view::npos) {
      tol.operator_ = "Exists";
    } else {
      tol.operator_ = "Equal";
      tol.value = std::string(v.substr(eq + 1));
    }
    if (tol.key.empty() && tol.operator_ == "Equal")
      fail(s, "a toleration with a value needs a key", "KEY[=VALUE][:EFFECT]");
    t.tolerations->push_back(std::move(tol));
  }

  void config(const Step& s) {
    const size_t eq = s.value.find('=');
    if (eq == std::string::npos || eq == 0)
      fail(s, fmt::format("{:?} is not DRIVER=JSON", s.value),
           R"(e.g. --config gpu.example.com='{"sharing":{"strategy":"TimeSlicing"}}')");
    util::Diagnostics diags;
    k8s::Value parameters;
    bool object = false;
    k8s::parse_json(
        std::string_view(s.value).substr(eq + 1), "--config", {},
        [&](const k8s::ParsedObject& o) {
          parameters = k8s::to_value(o.node);
          object = parameters.kind == k8s::Value::Kind::Map;
        },
        diags);
    if (diags.has_errors() || !object)
      fail(s, "the parameters are not a JSON object",
           R"(e.g. {"sharing":{"strategy":"TimeSlicing"}})", eq + 2);
    k8s::DeviceClaimConfiguration c;
    c.config.opaque.emplace();
    c.config.opaque->driver = s.value.substr(0, eq);
    c.config.opaque->parameters = std::move(parameters);
    config_.push_back(std::move(c));
  }

  void constraint(const Step& s, bool distinct) {
    Constraint c{s, *current_, distinct, s.value, {}};
    if (const size_t eq = s.value.find('='); eq != std::string::npos) {
      c.attribute = s.value.substr(0, eq);
      for (std::string_view r : util::split(std::string_view(s.value).substr(eq + 1), ','))
        c.requests.emplace_back(r);
    }
    if (c.attribute.empty())
      fail(s, "no attribute name", "e.g. --same resource.kubernetes.io/pcieRoot");
    pending_.push_back(std::move(c));
  }

  // Constraints name requests that may come after them: checked once all are known.
  void finish() {
    for (Constraint& c : pending_) {
      current_ = c.index;
      for (const std::string& name : c.requests) {
        const bool known = std::any_of(requests_.begin(), requests_.end(), [&](const Req& r) {
          if (r.request.name == name) return true;
          for (const auto& a : r.request.first_available)
            if (r.request.name + "/" + a.name == name) return true;
          return false;
        });
        if (!known) {
          std::vector<std::string> names;
          for (const Req& r : requests_) names.push_back(r.request.name);
          fail(c.step, fmt::format("the claim has no request {:?}", name),
               fmt::format("its requests: {}", util::join(names, ", ")));
        }
      }
      std::string attribute = c.attribute;
      if (attribute.find('/') == std::string::npos) {
        // A bare name is in the driver's domain of the requests it applies to.
        const Req* r = &requests_.front();
        if (!c.requests.empty())
          for (const Req& x : requests_)
            if (x.request.name == c.requests.front().substr(0, c.requests.front().find('/')))
              r = &x;
        const std::string domain = r->request.exactly ? r->domain : r->domains.front();
        if (domain.empty())
          fail(c.step, fmt::format("cannot tell the domain of {}", attribute),
               fmt::format("qualify it (e.g. resource.kubernetes.io/{})", attribute));
        attribute = domain + "/" + attribute;
      }
      k8s::DeviceConstraint dc;
      dc.requests = c.requests;
      (c.distinct ? dc.distinct_attribute : dc.match_attribute) = attribute;
      constraints_.push_back(std::move(dc));
    }
  }

  const BuildOptions& o_;
  std::optional<size_t> current_;                                  // the step being applied
  std::map<std::string, std::optional<Vocabulary>> vocabularies_;  // by class
  std::vector<Req> requests_;
  std::vector<Constraint> pending_;
  std::vector<k8s::DeviceConstraint> constraints_;
  std::vector<k8s::DeviceClaimConfiguration> config_;
};

}  // namespace

std::string name_from_class(std::string_view cls) {
  std::string n(cls.substr(0, cls.find('.')));
  for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return dns_label(n) ? n : "device";
}

Built build_claim_spec(const std::vector<Step>& steps, const BuildOptions& options) {
  return Builder(options).run(steps);
}

std::string class_driver(const k8s::DeviceClass& cls, const k8s::Cluster* cluster) {
  // The common form: device.driver == "x" (either way round).
  for (const k8s::DeviceSelector& s : cls.spec.selectors) {
    if (!s.cel) continue;
    const std::string& e = s.cel->expression;
    for (std::string_view pattern : {"device.driver == \"", "device.driver==\""}) {
      const size_t at = e.find(pattern);
      if (at == std::string::npos) continue;
      const size_t start = at + pattern.size(), end = e.find('"', start);
      if (end != std::string::npos) return e.substr(start, end - start);
    }
  }
  if (!cluster) return "";
  const std::optional<Devices> devices = devices_of_class(cls, *cluster);
  if (!devices) return "";
  std::string driver;
  for (const auto& [slice, device] : *devices) {
    if (!driver.empty() && driver != slice->spec.driver) return "";
    driver = slice->spec.driver;
  }
  return driver;
}

}  // namespace dra::author
