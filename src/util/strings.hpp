// src/util/strings.hpp -- small string helpers used across folders.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dra::util {

// Levenshtein distance, capped: returns max_distance + 1 when the strings differ by more.
size_t edit_distance(std::string_view a, std::string_view b, size_t max_distance = 64);

// The candidate closest to `word` by edit distance, if one is within a third of its length
// (at least 1, at most 3 edits); empty otherwise. Used for "did you mean".
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);

std::vector<std::string_view> split(std::string_view s, char sep);
std::string join(std::span<const std::string> parts, std::string_view sep);
bool starts_with(std::string_view s, std::string_view prefix);
// Replace invalid UTF-8 and control characters for safe display in one line.
std::string printable(std::string_view s, size_t max_len = 80);

}  // namespace dra::util
