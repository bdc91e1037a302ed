#pragma once
// Filling in a pack's text: "{pattern}", "{steps}", "{day}" ... replaced by their values, for the
// plan (recommend.cpp), its renderings (render.cpp), compare's and couple's words (retake_render.cpp,
// couple.cpp). Internal.
#include <string>
#include <utility>

namespace attune::detail {

// Every `from` in s replaced by `to`, left to right; the search goes on after each replacement, so a
// value that holds the mark is never replaced again.
inline std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

// Every "{key}" in s replaced by value.
inline std::string fill_key(std::string s, const std::string& key, const std::string& value) {
  return replace_all(std::move(s), "{" + key + "}", value);
}

}  // namespace attune::detail
