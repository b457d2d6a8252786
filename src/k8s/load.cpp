// src/k8s/load.cpp -- files, directories and stdin to a Cluster.
#include "k8s/load.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <iterator>

#include "k8s/decode.hpp"
#include "util/strings.hpp"

namespace dra::k8s {
namespace {

namespace fs = std::filesystem;

// A read-only view of a whole file: mapped when possible, else read into memory.
class FileText {
 public:
  ~FileText() {
    if (map_) munmap(map_, size_);
  }
  FileText() = default;
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;

  // Returns an empty string on success, else what went wrong.
  std::string open(const std::string& path, size_t max_bytes) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::strerror(errno);
    struct stat st {};
    if (fstat(fd, &st) != 0) {
      std::string e = std::strerror(errno);
      ::close(fd);
      return e;
    }
    if (S_ISREG(st.st_mode)) {
      size_ = static_cast<size_t>(st.st_size);
      if (size_ > max_bytes) {
        ::close(fd);
        too_large_ = true;
        return fmt::format("file is {} bytes, more than the limit of {}", size_, max_bytes);
      }
      if (size_ > 0) {
        void* p = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
          map_ = p;
          madvise(map_, size_, MADV_SEQUENTIAL);
          ::close(fd);
          return {};
        }
      }
    }
    // Pipes, process substitution and the like: read until end of file.
    std::string err = read_fd(fd, max_bytes);
    ::close(fd);
    return err;
  }

  std::string read_stream(std::istream& in, size_t max_bytes) {
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      data_.append(buf, static_cast<size_t>(in.gcount()));
      if (data_.size() > max_bytes) {
        too_large_ = true;
        return fmt::format("input is more than the limit of {} bytes", max_bytes);
      }
    }
    return {};
  }

  // The last error was the size limit.
  bool too_large() const { return too_large_; }

  // Drops the pages before `offset` from memory; they are read again from the file if
  // touched (the mapping is private and never written), so this is always safe.
  void release_before(size_t offset) {
    if (!map_) return;
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    const size_t end = std::min(offset, size_) / page * page;
    if (end < released_ + (size_t{1} << 20)) return;  // in 1 MiB steps
    madvise(static_cast<char*>(map_) + released_, end - released_, MADV_DONTNEED);
    released_ = end;
  }

  std::string_view text() const {
    if (map_) return {static_cast<const char*>(map_), size_};
    return data_;
  }

 private:
  std::string read_fd(int fd, size_t max_bytes) {
    char buf[1 << 16];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        return std::strerror(errno);
      }
      if (n == 0) return {};
      data_.append(buf, static_cast<size_t>(n));
      if (data_.size() > max_bytes) {
        too_large_ = true;
        return fmt::format("input is more than the limit of {} bytes", max_bytes);
      }
    }
  }

  void* map_ = nullptr;
  size_t size_ = 0;
  size_t released_ = 0;
  std::string data_;
  bool too_large_ = false;
};

constexpr std::string_view kTooLargeHint =
    "split the input into smaller files (e.g. one kind or namespace per file); see Limits in "
    "the README";

bool has_manifest_extension(const fs::path& p) {
  // kubectl's rule for directories: .json, .yaml and .yml files.
  const std::string ext = p.extension().string();
  return ext == ".json" || ext == ".yaml" || ext == ".yml";
}

std::string scalar_text(const Node* n) {
  return n && n->is_scalar() ? std::string(n->text) : std::string();
}

class Loader {
 public:
  Loader(Cluster& cluster, util::Diagnostics& diags, const LoadOptions& opts)
      : cluster_(cluster), diags_(diags), opts_(opts) {}

  // True once the object limit was reached: the rest of the input is not read.
  bool stopped() const { return stopped_; }

  void text(std::string_view text, const std::string& file, FileText* source = nullptr) {
    const uint32_t index = static_cast<uint32_t>(cluster_.files.size());
    cluster_.files.push_back(file);
    const size_t before = diags_.all().size();
    parse_objects(
        text, file, opts_.limits,
        [&](const ParsedObject& o) {
          object(o, file, index);
          // Keep memory near the model's size: the parsed part of a large file can go.
          if (source) source->release_before(o.consumed);
        },
        diags_);
    add_snippets(text, file, before);
  }

  // Gives this file's new diagnostics the source line they point at, for the caret view.
  void add_snippets(std::string_view text, const std::string& file, size_t from) {
    auto& list = diags_.mutable_all();
    for (size_t i = from; i < list.size() && i < from + 100; ++i) {
      util::Diagnostic& d = list[i];
      if (d.pos.file != file || d.pos.line == 0 || !d.snippet.empty()) continue;
      size_t start = 0;
      for (uint32_t line = 1; line < d.pos.line && start != std::string_view::npos; ++line) {
        start = text.find('\n', start);
        if (start != std::string_view::npos) ++start;
      }
      if (start == std::string_view::npos || start > text.size()) continue;
      size_t end = text.find('\n', start);
      std::string_view line = text.substr(start, end == std::string_view::npos ? end : end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.size() > 200) continue;  // minified JSON: the line is no help
      d.snippet = util::printable(line, 200);
    }
  }

 private:
  void object(const ParsedObject& o, const std::string& file, uint32_t index) {
    const Node& n = o.node;
    if (n.is_null()) return;  // an empty YAML document
    if (n.is_sequence() && !o.list_item) {
      // A bare JSON or YAML array of objects.
      for (uint32_t i = 0; i < n.size; ++i)
        object(ParsedObject{n.item(i), true, false, {}, {}, o.document}, file, index);
      return;
    }
    if (!n.is_mapping()) {
      diags_.error({file, n.pos.line, n.pos.column},
                   fmt::format("expected a Kubernetes object (a mapping), found {}", describe(n)),
                   "each YAML document or JSON value must be one object or a List of objects");
      return;
    }
    std::string kind = scalar_text(n.find("kind"));
    std::string api_version = scalar_text(n.find("apiVersion"));
    if (o.items_streamed) {
      if (!kind.ends_with("List"))
        diags_.warning({file, n.pos.line, n.pos.column},
                       fmt::format("object of kind \"{}\" has a top-level \"items\" list; read "
                                   "its items as objects",
                                   util::printable(kind)));
      return;
    }
    if (const Node* items = n.find("items");
        items && items->is_sequence() && kind.ends_with("List")) {
      // A list that was not streamed (e.g. nested in a JSON array): walk it here.
      for (uint32_t i = 0; i < items->size; ++i)
        object(ParsedObject{items->item(i), true, false, kind, api_version, o.document}, file,
               index);
      return;
    }
    if (stopped_) return;
    if (++objects_ > opts_.max_objects) {
      stopped_ = true;
      diags_.error({file, n.pos.line, n.pos.column},
                   fmt::format("more than {} objects in the input; this object and everything "
                               "after it is not read",
                               opts_.max_objects),
                   "read fewer objects at once: one namespace, or only the DRA kinds "
                   "(kubectl get deviceclasses,resourceslices,resourceclaims,nodes,pods)");
      return;
    }
    // Items of typed lists (ResourceSliceList from the API) carry no kind of their own.
    if (o.list_item && kind.empty() && o.list_kind.ends_with("List") && o.list_kind != "List") {
      kind = std::string(o.list_kind.substr(0, o.list_kind.size() - 4));
      if (api_version.empty()) api_version = std::string(o.list_api_version);
    }
    if (kind.empty()) {
      diags_.error({file, n.pos.line, n.pos.column}, "object has no \"kind\"",
                   "add kind and apiVersion, e.g. kind: ResourceClaim, apiVersion: "
                   "resource.k8s.io/v1");
      return;
    }
    if (api_version.empty()) {
      diags_.error({file, n.pos.line, n.pos.column},
                   fmt::format("{} has no \"apiVersion\"", util::printable(kind)),
                   "add apiVersion, e.g. resource.k8s.io/v1 or v1");
      return;
    }

    detail::DecodeContext ctx{
        file, diags_,
        Source{index, api_version, ApiVersion::V1, static_cast<uint32_t>(o.document), o.list_item},
        opts_.for_lint};
    const auto slash = api_version.find('/');
    const std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
    if (group == kGroup) {
      auto version = parse_api_version(api_version);
      static constexpr std::string_view kResourceKinds[] = {
          "DeviceClass", "ResourceSlice", "ResourceClaim", "ResourceClaimTemplate",
          "DeviceTaintRule"};
      const bool dra_kind = std::find(std::begin(kResourceKinds), std::end(kResourceKinds), kind) !=
                            std::end(kResourceKinds);
      if (!dra_kind) {
        ++cluster_.skipped_objects;  // ResourcePoolStatusRequest, future kinds
        return;
      }
      if (!version || (kind == "DeviceTaintRule" && *version == ApiVersion::V1beta1)) {
        const Node* av = n.find("apiVersion");
        if (opts_.for_lint) {  // lint: a real version we do not read is not an error of the file
          diags_.warning(
              {file, av->pos.line, av->pos.column},
              fmt::format("{} in \"{}\" is not checked: kubectl-dra reads resource.k8s.io/v1, "
                          "v1beta2 and v1beta1{}",
                          kind, util::printable(api_version),
                          api_version == "resource.k8s.io/v1alpha3"
                              ? " (v1alpha3 is deprecated since Kubernetes 1.36 and no longer "
                                "served from 1.39; use resource.k8s.io/v1)"
                              : ""));
          return;
        }
        diags_.error(
            {file, av->pos.line, av->pos.column},
            fmt::format("{} in \"{}\" is not supported", kind, util::printable(api_version)),
            "kubectl-dra reads resource.k8s.io/v1, v1beta2 and v1beta1; convert with "
            "`kubectl get -o yaml` from a cluster that serves v1");
        return;
      }
      ctx.source.version = *version;
      if (kind == "DeviceClass") return add(n, ctx, cluster_.device_classes);
      if (kind == "ResourceSlice") return add(n, ctx, cluster_.resource_slices);
      if (kind == "ResourceClaim") {
        add(n, ctx, cluster_.resource_claims);
        if (opts_.apply_defaults && !cluster_.resource_claims.empty())
          apply_defaults(cluster_.resource_claims.back().spec, *version);
        return;
      }
      if (kind == "ResourceClaimTemplate") {
        add(n, ctx, cluster_.resource_claim_templates);
        if (opts_.apply_defaults && !cluster_.resource_claim_templates.empty())
          apply_defaults(cluster_.resource_claim_templates.back().spec.spec, *version);
        return;
      }
      return add(n, ctx, cluster_.device_taint_rules);
    }
    if (api_version == "v1" && kind == "Node") return add(n, ctx, cluster_.nodes);
    if (api_version == "v1" && kind == "Pod") return add(n, ctx, cluster_.pods);
    if (api_version == "v1" && kind == "Namespace") return add(n, ctx, cluster_.namespaces);
    if ((api_version == "apps/v1" &&
         (kind == "Deployment" || kind == "ReplicaSet" || kind == "StatefulSet")) ||
        (api_version == "batch/v1" && kind == "Job")) {
      cluster_.workloads.emplace_back();
      cluster_.workloads.back().kind = kind;
      if (!detail::decode(n, ctx, cluster_.workloads.back())) cluster_.workloads.pop_back();
      return;
    }
    ++cluster_.skipped_objects;
  }

  template <typename T>
  void add(const Node& n, detail::DecodeContext& ctx, std::deque<T>& into) {
    // Decode in place; drop the object again if it had errors.
    into.emplace_back();
    if (!detail::decode(n, ctx, into.back())) into.pop_back();
  }

  Cluster& cluster_;
  util::Diagnostics& diags_;
  const LoadOptions& opts_;
  size_t objects_ = 0;
  bool stopped_ = false;
};

void apply_request_defaults(std::string& mode, int64_t& count,
                            std::vector<DeviceToleration>& tolerations) {
  if (mode.empty()) mode = "ExactCount";
  if (mode == "ExactCount" && count == 0) count = 1;
  for (auto& t : tolerations)
    if (t.operator_.empty()) t.operator_ = "Equal";
}

}  // namespace

void apply_defaults(ResourceClaimSpec& spec, ApiVersion read_as) {
  for (DeviceRequest& r : spec.devices.requests) {
    if (r.exactly) {
      // v1beta1 defaults the flat request only when it names a class (v1beta1/defaults.go).
      if (read_as != ApiVersion::V1beta1 || !r.exactly->device_class_name.empty())
        apply_request_defaults(r.exactly->allocation_mode, r.exactly->count,
                               r.exactly->tolerations);
    }
    for (DeviceSubRequest& s : r.first_available)
      apply_request_defaults(s.allocation_mode, s.count, s.tolerations);
  }
}

void append(Cluster& into, Cluster&& from) {
  const auto offset = static_cast<uint32_t>(into.files.size());
  for (std::string& f : from.files) into.files.push_back(std::move(f));
  auto move_all = [&](auto& dst, auto& src) {
    for (auto& o : src) {
      o.source.file += offset;
      dst.push_back(std::move(o));
    }
  };
  move_all(into.device_classes, from.device_classes);
  move_all(into.resource_slices, from.resource_slices);
  move_all(into.resource_claims, from.resource_claims);
  move_all(into.resource_claim_templates, from.resource_claim_templates);
  move_all(into.device_taint_rules, from.device_taint_rules);
  move_all(into.nodes, from.nodes);
  move_all(into.pods, from.pods);
  move_all(into.namespaces, from.namespaces);
  move_all(into.workloads, from.workloads);
  into.skipped_objects += from.skipped_objects;
  if (into.default_namespace.empty()) into.default_namespace = from.default_namespace;
  from = {};
}

void load_text(std::string_view text, const std::string& file, Cluster& cluster,
               util::Diagnostics& diags, const LoadOptions& opts) {
  Loader(cluster, diags, opts).text(text, file);
}

Cluster load(const LoadOptions& opts, util::Diagnostics& diags) {
  Cluster cluster;
  Loader loader(cluster, diags, opts);
  auto load_file = [&](const std::string& path) {
    if (loader.stopped()) return;
    FileText file;
    std::string err = file.open(path, opts.max_file_bytes);
    if (!err.empty()) {
      diags.error({path, 0, 0}, fmt::format("cannot read file: {}", err),
                  file.too_large() ? std::string(kTooLargeHint) : std::string());
      return;
    }
    loader.text(file.text(), path, &file);
  };
  for (const std::string& name : opts.filenames) {
    if (loader.stopped()) break;
    if (name == "-") {
      FileText in;
      std::string err =
          in.read_stream(opts.stdin_stream ? *opts.stdin_stream : std::cin, opts.max_file_bytes);
      if (!err.empty()) {
        diags.error({"-", 0, 0}, fmt::format("cannot read standard input: {}", err),
                    in.too_large() ? std::string(kTooLargeHint) : std::string());
        continue;
      }
      loader.text(in.text(), "-");
      continue;
    }
    std::error_code ec;
    const fs::file_status st = fs::status(name, ec);
    if (ec || !fs::exists(st)) {
      diags.error({name, 0, 0}, "no such file or directory",
                  "check the path given with -f/--filename");
      continue;
    }
    if (!fs::is_directory(st)) {
      load_file(name);
      continue;
    }
    // A directory: its manifest files in name order (kubectl's order), recursing with -R.
    std::vector<std::string> files;
    auto collect = [&](auto&& iterator) {
      for (const auto& entry : iterator) {
        std::error_code e2;
        if (entry.is_regular_file(e2) && has_manifest_extension(entry.path()))
          files.push_back(entry.path().string());
      }
    };
    if (opts.recursive)
      collect(fs::recursive_directory_iterator(name, fs::directory_options::skip_permission_denied,
                                               ec));
    else
      collect(fs::directory_iterator(name, ec));
    if (ec) {
      diags.error({name, 0, 0}, fmt::format("cannot read directory: {}", ec.message()));
      continue;
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) load_file(f);
  }
  return cluster;
}

}  // namespace dra::k8s
