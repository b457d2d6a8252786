// src/selectors/lib_lists.cpp -- placeholder: declared, not yet implemented.
#include "selectors/library.hpp"

namespace dra::selectors {

std::span<const OverloadDecl> kubernetes_lists_library() { return {}; }

}  // namespace dra::selectors
