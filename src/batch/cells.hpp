#pragma once
// The meaning of one answer cell, in one place: empty or blank and the declared missing codes are
// "not answered", small integers are read directly, anything else through from_chars; and the
// one-character table the fast readers decide most cells with. The readers (read/), the invalid-cell
// count of the quality columns and the error records all ask here.
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace attune::batch {

// Cells that mean "not answered". Empty (or blank) cells always do; codes are declared by the user.
struct MissingCodes {
  std::vector<std::string> text;
  std::vector<double> numbers;
  bool digit_missing[10] = {};  // fast path: single-digit cells
  explicit MissingCodes(const std::vector<std::string>& codes);
  bool text_match(std::string_view v) const {
    for (const auto& t : text) if (v == t) return true;
    return false;
  }
  bool number_match(double v) const {
    for (double n : numbers) if (v == n) return true;
    return false;
  }
};

inline std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

enum class Cell { value, missing, not_a_number };

// Small integers are by far the common case: parse them directly, fall back to from_chars.
inline Cell parse_cell(std::string_view raw, const MissingCodes& codes, double& out) {
  std::string_view v = trim(raw);
  if (v.empty()) return Cell::missing;
  std::size_t i = 0;
  bool neg = false;
  if (v[0] == '-' || v[0] == '+') { neg = v[0] == '-'; i = 1; }
  if (i < v.size() && v.size() - i <= 9) {
    long acc = 0;
    std::size_t j = i;
    for (; j < v.size(); ++j) {
      unsigned d = static_cast<unsigned>(v[j] - '0');
      if (d > 9) break;
      acc = acc * 10 + static_cast<long>(d);
    }
    if (j == v.size()) {
      out = static_cast<double>(neg ? -acc : acc);
      return codes.number_match(out) ? Cell::missing : Cell::value;
    }
  }
  if (codes.text_match(v)) return Cell::missing;
  double d = 0;
  const char* b = v.data() + (v[0] == '+' ? 1 : 0);
  auto r = std::from_chars(b, v.data() + v.size(), d);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size() || std::isnan(d) || std::isinf(d)) {
    if (r.ec == std::errc::result_out_of_range) { out = neg ? -HUGE_VAL : HUGE_VAL; return Cell::value; }
    return Cell::not_a_number;
  }
  out = d;
  return codes.number_match(out) ? Cell::missing : Cell::value;
}

// A cell a reader holds as a number, not as text (a .sav numeric value): what parse_cell says of the
// number's shortest text, without making the text. False for the numbers whose text parse_cell must
// judge itself (infinities, NaNs and subnormals: "inf", "nan" and an underflow are not answers).
inline bool number_cell(double x, const MissingCodes& codes, Cell& cell, double& out) {
  if (!std::isfinite(x) || (x != 0 && std::fabs(x) < std::numeric_limits<double>::min())) return false;
  out = x == 0 ? 0.0 : x;  // the text of -0 is "0"
  cell = codes.number_match(out) ? Cell::missing : Cell::value;
  return true;
}

// Invalid answer cells of a row (for the out-of-range quality index): cells that are not numbers or
// not answers on [lo, hi]. fields: the row's cells, item_col: the column of each item.
int count_invalid(const std::vector<std::string_view>& fields, const std::vector<int>& item_col, const MissingCodes& codes,
                  double lo, double hi);

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// In the one-character table: the cell needs the general path (which judges and reports it).
constexpr double kSlow = -HUGE_VAL;
// The one-character table's entry for the empty cell, after the 256 bytes.
constexpr std::size_t kEmptyCell = 256;
constexpr std::size_t kOneCharTable = 257;

// A one-character cell by its byte: the answer, NaN for not answered, or kSlow for anything the
// general path must judge (and report). The empty cell has its own entry past the bytes: a cell
// that is one NUL byte is not an empty cell but "not a number".
inline void fill_one_char_table(double (&one_char)[kOneCharTable], const MissingCodes& codes, double lo, double hi) {
  for (double& v : one_char) v = kSlow;
  one_char[kEmptyCell] = std::nan("");
  for (unsigned k = 0; k < 10; ++k) {
    if (codes.digit_missing[k]) one_char['0' + k] = std::nan("");
    else if (k >= lo && k <= hi) one_char['0' + k] = k;
  }
}

}  // namespace attune::batch
