// The meaning of one cell (cells.hpp): the parts that are not on the per-cell fast path.
#include "cells.hpp"

#include "../validate_answer.hpp"

namespace attune::batch {

MissingCodes::MissingCodes(const std::vector<std::string>& codes) {
  for (const auto& c : codes) {
    text.push_back(c);
    double v = 0;
    auto r = std::from_chars(c.data(), c.data() + c.size(), v);
    if (r.ec == std::errc() && r.ptr == c.data() + c.size()) {
      numbers.push_back(v);
      if (v >= 0 && v <= 9 && v == static_cast<int>(v)) digit_missing[static_cast<int>(v)] = true;
    }
  }
}

int count_invalid(const std::vector<std::string_view>& fields, const std::vector<int>& item_col, const MissingCodes& codes,
                  double lo, double hi) {
  int n = 0;
  for (int col : item_col) {
    double v = 0;
    const Cell c = parse_cell(fields[static_cast<std::size_t>(col)], codes, v);
    if (c == Cell::not_a_number || (c == Cell::value && !detail::answer_ok(v, lo, hi))) ++n;
  }
  return n;
}

}  // namespace attune::batch
