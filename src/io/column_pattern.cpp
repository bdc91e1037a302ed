// Expanding a --map pattern for one item. Placeholders are read strictly: an unknown one is refused,
// because a literal "{x}" in a column name is far less likely than a typo that would map nothing.
#include "column_map.hpp"

#include <attune/error.hpp>

namespace attune::io {

namespace {

[[noreturn]] void bad_placeholder(const std::string& pattern, const std::string& what) {
  Location where;
  where.value = pattern;
  throw UsageError("column pattern '" + pattern + "': " + what, where,
                   "placeholders {n} (the item's position), {n:0W} (zero-padded to W digits, 1 to 9) or {id} (the item's id)");
}

std::string padded(int position, std::size_t width) {
  std::string digits = std::to_string(position);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

}  // namespace

std::string expand_pattern(const std::string& pattern, int position, const std::string& id, bool* uses_item) {
  std::string out;
  out.reserve(pattern.size() + 8);
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '}') bad_placeholder(pattern, "a '}' without its '{'");
    if (c != '{') {
      out.push_back(c);
      continue;
    }
    const std::size_t close = pattern.find('}', i + 1);
    if (close == std::string::npos) bad_placeholder(pattern, "a '{' without its '}'");
    const std::string name = pattern.substr(i + 1, close - i - 1);
    if (name == "n") {
      out += std::to_string(position);
    } else if (name == "id") {
      out += id;
    } else if (name.size() == 4 && name.compare(0, 3, "n:0") == 0 && name[3] >= '1' && name[3] <= '9') {
      out += padded(position, static_cast<std::size_t>(name[3] - '0'));
    } else {
      bad_placeholder(pattern, "unknown placeholder '{" + name + "}'");
    }
    if (uses_item) *uses_item = true;
    i = close;
  }
  return out;
}

}  // namespace attune::io
