// src/selectors/lib_strings.cpp -- placeholder: declared, not yet implemented.
#include "selectors/library.hpp"

namespace dra::selectors {

std::span<const OverloadDecl> strings_extension() { return {}; }

}  // namespace dra::selectors
