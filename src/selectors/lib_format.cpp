// src/selectors/lib_format.cpp -- placeholder: declared, not yet implemented.
#include "selectors/library.hpp"

namespace dra::selectors {

std::span<const OverloadDecl> kubernetes_format_library() { return {}; }

}  // namespace dra::selectors
