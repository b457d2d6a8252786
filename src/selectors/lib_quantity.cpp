// src/selectors/lib_quantity.cpp -- placeholder: declared, not yet implemented.
#include "selectors/library.hpp"

namespace dra::selectors {

std::span<const OverloadDecl> kubernetes_quantity_library() { return {}; }

}  // namespace dra::selectors
