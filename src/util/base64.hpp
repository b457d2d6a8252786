// src/util/base64.hpp -- standard base64 (RFC 4648, "+/" with "=" padding), as Go's
// encoding/base64.StdEncoding writes and reads it: kubeconfig's *-data fields, CEL bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dra::util {

std::string base64_encode(std::string_view bytes);

// The decoded bytes; nullopt when `text` is not padded standard base64. Line breaks
// (\r, \n) are skipped, as Go's decoder skips them; any other character outside the
// alphabet, a missing or misplaced '=', or non-zero trailing bits make it fail.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace dra::util
