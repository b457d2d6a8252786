// src/lint/report.hpp -- findings about one object, with field paths in the API server's
// notation and messages in its words (apimachinery field.Error). Internal to src/lint/.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "k8s/model.hpp"
#include "k8s/names.hpp"
#include "lint/lint.hpp"

namespace dra::lint {

// Go's %q of a string: what field.Error prints for string values.
std::string quote(std::string_view s);

// The path of a field in the object's own version, from its v1 path: v1beta1 claims have
// no `exactly` level ("spec.devices.requests[0].count") and v1beta1 devices keep all but
// their name under `basic` ("spec.devices[0].basic.attributes[model]").
std::string versioned_path(std::string_view v1_path, k8s::ApiVersion version);

// Where findings about one object go.
class Report {
 public:
  Report(std::vector<Finding>& out, const Options& options, std::string file,
         k8s::ApiVersion version, std::string object)
      : out_(out),
        options_(options),
        file_(std::move(file)),
        version_(version),
        object_(std::move(object)) {}

  void add(Severity s, std::string_view rule, const std::string& v1_path, k8s::Pos pos,
           std::string message);

  // The API server's kinds of field errors (apimachinery field.ErrorType), rule "api".
  void required(const std::string& path, k8s::Pos pos, std::string_view detail = {});
  void invalid(const std::string& path, k8s::Pos pos, std::string_view value,
               std::string_view detail);
  void duplicate(const std::string& path, k8s::Pos pos, std::string_view value);
  void too_many(const std::string& path, k8s::Pos pos, size_t actual, size_t max);
  // TooLong; declarative validation's maxLength counts "characters".
  void too_long(const std::string& path, k8s::Pos pos, size_t max, std::string_view unit = "bytes");
  void not_supported(const std::string& path, k8s::Pos pos, std::string_view value,
                     const std::vector<std::string_view>& supported);
  void forbidden(const std::string& path, k8s::Pos pos, std::string_view detail);
  void not_found(const std::string& path, k8s::Pos pos, std::string_view value);

  void warning(std::string_view rule, const std::string& path, k8s::Pos pos, std::string message);

  const Options& options() const { return options_; }
  // Whether the server's declarative validation sees the fields reported on (its text then
  // replaces the handwritten one where it covers a check). Not for a claim template's spec,
  // which resource/v1 marks +k8s:opaqueType.
  bool declarative() const { return declarative_; }
  void set_declarative(bool on) { declarative_ = on; }
  k8s::ApiVersion version() const { return version_; }

 private:
  std::vector<Finding>& out_;
  const Options& options_;
  std::string file_;
  k8s::ApiVersion version_;
  std::string object_;
  bool declarative_ = true;
};

// Name formats (k8s/names.hpp), as lint's checks name them.
using k8s::c_identifier;
using k8s::dns1123_label;
using k8s::dns1123_subdomain;
using k8s::dns1123_subdomain_caseless;
using k8s::Helper;
using k8s::label_value;
using k8s::qualified_name;

}  // namespace dra::lint
