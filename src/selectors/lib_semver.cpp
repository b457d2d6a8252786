// src/selectors/lib_semver.cpp -- placeholder: declared, not yet implemented.
#include "selectors/library.hpp"

namespace dra::selectors {

std::span<const OverloadDecl> kubernetes_semver_library() { return {}; }

}  // namespace dra::selectors
