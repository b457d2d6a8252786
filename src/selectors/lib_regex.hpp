// src/selectors/lib_regex.hpp -- regular expressions with Go's regexp syntax and messages,
// for the Kubernetes regex library (find, findAll) and the checker.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace dra::selectors {

// The message Go's regexp.Compile gives for `pattern`, which upstream reports when a
// constant pattern of find/findAll fails to compile at program creation:
// "error parsing regexp: missing closing ): `(`". nullopt when the pattern compiles.
std::optional<std::string> regex_compile_error(std::string_view pattern);

// `pattern` compiled for Go's regexp semantics (RE2, leftmost-first, UTF-8), from a
// bounded, thread-safe cache. nullptr when it does not compile; then *error (if given) is
// Go's message as above.
std::shared_ptr<const re2::RE2> compile_go_regex(std::string_view pattern,
                                                 std::string* error = nullptr);

}  // namespace dra::selectors
