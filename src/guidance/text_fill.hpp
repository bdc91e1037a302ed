#pragma once
// Filling in a pack's text: "{pattern}", "{steps}", "{day}" ... replaced by their values, for the
// plan (recommend.cpp) and its renderings (render.cpp). Internal.
#include <string>

namespace attune::detail {

// Every `from` in s replaced by `to`, left to right; the search goes on after each replacement, so a
// value that holds the mark is never replaced again.
inline std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

}  // namespace attune::detail
