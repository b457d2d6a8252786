// src/selectors/lib_url.cpp -- placeholder: declared, not yet implemented.
#include "selectors/library.hpp"

namespace dra::selectors {

std::span<const OverloadDecl> kubernetes_url_library() { return {}; }

}  // namespace dra::selectors
