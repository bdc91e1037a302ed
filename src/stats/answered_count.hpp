#pragma once
// How many answers a run of a row holds, as doubles (NaN = missing) or bytes (kNotAnsweredByte =
// missing): the sums (reliability_sums.cpp, reliability_bytes.cpp) and the accumulator's per-scale look.
#include "byte_accumulator.hpp"
#include "../simd/vec4.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace attune::detail {

// Answered (not NaN) values among x[0..n), two per SSE2 compare.
inline std::size_t count_answered(const double* x, std::size_t n) {
  mask2 count = {0, 0};
  std::size_t i = 0;
  for (; i + 2 <= n; i += 2) {
    pair2 v;
    std::memcpy(&v, x + i, sizeof v);
    count -= v == v;
  }
  std::size_t c = static_cast<std::size_t>(count[0] + count[1]);
  if (i < n && !std::isnan(x[i])) ++c;
  return c;
}

// Bit b set when item i0 + b of x[0..n) is not answered, for b < min(16, n - i0): one SSE2
// compare; a last group shorter than 16 is read as the row's last 16 bytes, never past the row.
inline unsigned missing_bits(const std::int8_t* x, std::size_t n, std::size_t i0) {
  unsigned bits = 0;
#if defined(__SSE2__)
  if (n >= 16) {
    const __m128i missing = _mm_set1_epi8(kNotAnsweredByte);
    const std::size_t at = i0 + 16 <= n ? i0 : n - 16;
    bits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + at)), missing)));
    return bits >> (i0 - at);
  }
#endif
  for (std::size_t i = i0; i < n && i < i0 + 16; ++i) bits |= (x[i] == kNotAnsweredByte ? 1u : 0u) << (i - i0);
  return bits;
}

// Set bits of a 16-bit mask, in a few register operations (the builtin is a library call
// without -mpopcnt, which the baseline build cannot assume).
inline unsigned bits_set16(unsigned v) {
  v = v - ((v >> 1) & 0x5555u);
  v = (v & 0x3333u) + ((v >> 2) & 0x3333u);
  v = (v + (v >> 4)) & 0x0F0Fu;
  return (v + (v >> 8)) & 0x1Fu;
}

// Items of x[0..n) not answered.
inline std::size_t count_missing(const std::int8_t* x, std::size_t n) {
  std::size_t m = 0;
  for (std::size_t i0 = 0; i0 < n; i0 += 16) {
    const unsigned bits = missing_bits(x, n, i0);
    if (bits) m += bits_set16(bits);  // most groups have no gap
  }
  return m;
}

}  // namespace attune::detail
