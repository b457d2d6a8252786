// src/selectors/lib_sets.cpp -- placeholder: declared, not yet implemented.
#include "selectors/library.hpp"

namespace dra::selectors {

std::span<const OverloadDecl> sets_extension() { return {}; }

}  // namespace dra::selectors
