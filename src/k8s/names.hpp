// src/k8s/names.hpp -- the name formats of apimachinery's util/validation (and the content
// package), with the messages each check gives, as the API server words them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dra::k8s {

// Which apimachinery helper words a length limit: util/validation says "characters", the
// content package (declarative validation; label keys and values everywhere) says "bytes".
enum class Helper { util, content };

// Name formats: the messages each check gives, empty when the value is valid.
std::vector<std::string> dns1123_label(std::string_view v, Helper h = Helper::util);
std::vector<std::string> dns1123_subdomain(std::string_view v, Helper h = Helper::util);
// Declarative validation's k8s-long-name-caseless (driver names in configs and results).
std::vector<std::string> dns1123_subdomain_caseless(std::string_view v);
std::vector<std::string> c_identifier(std::string_view v);
std::vector<std::string> label_value(std::string_view v);
std::vector<std::string> qualified_name(std::string_view v);  // label keys

}  // namespace dra::k8s
