#pragma once
// Formatted numbers by their exact value (the double's bits), for output columns whose values
// repeat: a scale score is a sum of whole answers over a count, so a million rows hold a few
// hundred different ones (ECR-R: about 290 per scale), the plane's projections and IRV a few
// thousand. A hit copies the text the formatter wrote for that very value, so the output is the
// same byte for byte; formatting a number costs about 70 instructions, the copy a dozen.
// Direct-mapped; the batch writer keeps one table per column kind and thread, for the default
// six decimals (the only formatter the table uses).
#include "number_format.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace attune::detail {

class NumberTexts {
 public:
  explicit NumberTexts(unsigned bits) : slots_(std::size_t{1} << bits), shift_(64 - bits) {
    // Every slot starts as the text of +0.0, so a lookup can only ever find a value's own text.
    Entry zero;
    char buf[48] = {};
    zero.len = format_fixed_d<6>(0.0, buf);
    std::memcpy(zero.text, buf, sizeof zero.text);
    for (Entry& e : slots_) e = zero;
  }
  // Writes x's text with six decimals at w and returns its length: from the table, or formatted
  // (format_fixed_d<6>) on a miss. 16 bytes at w are written whatever the length; w needs the
  // formatter's room (32 bytes).
  __attribute__((always_inline)) std::size_t put(double x, char* w) {
    std::uint64_t key;
    std::memcpy(&key, &x, sizeof key);
    Entry& e = slots_[(key * 0x9E3779B97F4A7C15ull) >> shift_];
    if (e.key == key) {
      std::memcpy(w, e.text, sizeof e.text);
      return e.len;
    }
    const std::size_t n = format_fixed_d<6>(x, w);
    if (n <= sizeof e.text) {
      e.key = key;
      e.len = n;
      std::memcpy(e.text, w, sizeof e.text);
    }
    return n;
  }

 private:
  struct Entry {
    std::uint64_t key = 0;
    std::uint64_t len = 0;
    char text[16] = {};
  };
  std::vector<Entry> slots_;
  unsigned shift_;
};

}  // namespace attune::detail
