// src/selectors/lib_lists_ext.cpp -- placeholder: declared, not yet implemented.
#include "selectors/library.hpp"

namespace dra::selectors {

std::span<const OverloadDecl> lists_extension() { return {}; }

}  // namespace dra::selectors
