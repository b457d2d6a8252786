// src/selectors/lib_ip.cpp -- placeholder: declared, not yet implemented.
#include "selectors/library.hpp"

namespace dra::selectors {

std::span<const OverloadDecl> kubernetes_ip_library() { return {}; }

}  // namespace dra::selectors
