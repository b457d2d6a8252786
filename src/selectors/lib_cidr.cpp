// src/selectors/lib_cidr.cpp -- placeholder: declared, not yet implemented.
#include "selectors/library.hpp"

namespace dra::selectors {

std::span<const OverloadDecl> kubernetes_cidr_library() { return {}; }

}  // namespace dra::selectors
