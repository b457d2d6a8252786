// src/selectors/lib_standard.cpp -- placeholder: declared, not yet implemented.
#include "selectors/library.hpp"

namespace dra::selectors {

std::span<const OverloadDecl> standard_library() { return {}; }

}  // namespace dra::selectors
