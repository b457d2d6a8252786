// src/selectors/lib_dra.cpp -- placeholder: declared, not yet implemented.
#include "selectors/library.hpp"

namespace dra::selectors {

std::span<const OverloadDecl> dra_library() { return {}; }

}  // namespace dra::selectors
