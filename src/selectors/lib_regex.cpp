// src/selectors/lib_regex.cpp -- placeholder: declared, not yet implemented.
#include "selectors/library.hpp"

namespace dra::selectors {

std::span<const OverloadDecl> kubernetes_regex_library() { return {}; }

}  // namespace dra::selectors
