#pragma once
// Formatted numbers by their exact value (the double's bits), for output columns whose values
// repeat: a scale score is a sum of whole answers over a count, so a million rows hold a few
// hundred different ones (ECR-R: about 290 per scale). A hit copies the text the formatter wrote
// for that very value, so the output is the same byte for byte; formatting a number costs about 70
// instructions, the copy a dozen.
// Direct-mapped; the batch writer keeps one table per column kind and thread, for the default
// six decimals (the only formatter the table uses).
//
// A miss costs more than formatting alone (the hit-or-miss branch goes the wrong way), so a table
// is only worth it when nearly every lookup hits: on a million rows, tables that hit 82% of the
// time (the plane's projections, IRV) made the whole job 1-4% slower, in paired runs, than
// formatting each number. A table therefore watches its first `trial` lookups and goes on only if
// at least 15 in 16 of them hit (scale scores without norms hit 97.6%; with sample norms the
// scores, z and percentiles hit 74%, and the table stops).
#include "number_format.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace attune::detail {

class NumberTexts {
 public:
  static constexpr std::uint64_t kTrial = 4096;
  // trial: lookups before the table decides whether to go on; 0 keeps it looking whatever the hits.
  explicit NumberTexts(unsigned bits, std::uint64_t trial = kTrial)
      : slots_(std::size_t{1} << bits), shift_(64 - bits), trial_(trial) {
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
    if (!looking_) return format_fixed_d<6>(x, w);
    std::uint64_t key;
    std::memcpy(&key, &x, sizeof key);
    Entry& e = slots_[(key * 0x9E3779B97F4A7C15ull) >> shift_];
    const bool hit = e.key == key;
    hits_ += hit ? 1 : 0;
    if (++lookups_ == trial_) looking_ = hits_ * 16 >= trial_ * 15;
    if (hit) {
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
  // False once the trial found too few hits: put() then only formats.
  bool looking() const { return looking_; }

 private:
  struct Entry {
    std::uint64_t key = 0;
    std::uint64_t len = 0;
    char text[16] = {};
  };
  std::vector<Entry> slots_;
  unsigned shift_;
  std::uint64_t trial_;
  bool looking_ = true;
  std::uint64_t lookups_ = 0, hits_ = 0;
};

}  // namespace attune::detail
