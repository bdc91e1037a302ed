#pragma once
// Fast fixed-point formatting for batch output: printing doubles dominates writing a million rows,
// and a fixed number of decimals (trailing zeros trimmed) is what a CSV reader wants anyway.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace attune::detail {

// "00" "01" ... "99": the two digits of n at 2n.
extern const char kDigitPairs[201];

// Writes x with at most `decimals` decimals (0..9), trailing zeros trimmed; NaN writes nothing.
// Returns the number of characters written; buf needs 32 bytes.
std::size_t format_fixed(double x, int decimals, char* buf);

// The same, with the number of decimals chosen once (a loop over millions of numbers calls it
// directly instead of dispatching on decimals per number).
using FixedFormatter = std::size_t (*)(double x, char* buf);
FixedFormatter fixed_formatter(int decimals);

// The formatter for D decimals itself, for a loop that wants it inlined (fixed_formatter(D)
// returns this very function).
inline int digit_count(std::uint64_t v) {
  int n = 1;
  while (v >= 10) { v /= 10; ++n; }
  return n;
}

// Writes exactly `width` digits of v (leading zeros included) ending at out + width, back to front,
// two at a time: no temporary buffer and no copy, which matters at millions of numbers.
inline void write_digits(std::uint64_t v, int width, char* out) {
  char* p = out + width;
  while (width >= 2) {
    const unsigned q = static_cast<unsigned>(v % 100);
    v /= 100;
    p -= 2;
    p[0] = kDigitPairs[2 * q];
    p[1] = kDigitPairs[2 * q + 1];
    width -= 2;
  }
  if (width) *--p = static_cast<char>('0' + v % 10);
}

constexpr std::uint64_t kPow[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};

// The n (<= 8) decimal digits of f < 10^n as ASCII in one little-endian word, the first digit in
// the lowest byte and the bytes above n zero: two digits per table load, every division by a constant.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "digit_word puts the first digit in the lowest byte");
template <int N>
inline std::uint64_t digit_word(std::uint32_t f) {
  std::uint64_t w = 0;
  int shift = 8 * N;
  for (int left = N; left > 0;) {
    if (left % 2) {  // an odd count: the last digit alone
      shift -= 8;
      w |= static_cast<std::uint64_t>('0' + f % 10) << shift;
      f /= 10;
      --left;
    } else {
      shift -= 16;
      std::uint16_t two;
      std::memcpy(&two, &kDigitPairs[2 * (f % 100)], 2);
      w |= static_cast<std::uint64_t>(two) << shift;
      f /= 100;
      left -= 2;
    }
  }
  return w;
}

// How many of the N digit bytes of w to keep so that the last kept one is not '0': up to the
// highest byte that is not '0' (the | 1 only keeps the count defined when all are '0').
template <int N>
inline int significant_bytes(std::uint64_t w) {
  constexpr std::uint64_t kZeros = 0x3030303030303030ull >> (8 * (8 - N));
  return 8 - (__builtin_clzll((w ^ kZeros) | 1) >> 3);
}

// The fraction of a number with D decimals (frac < 10^D) after its integer part, which ends at p:
// '.' and its digits without trailing zeros, nothing when frac is 0. Returns the end. Writes up to
// 9 bytes past p whatever it keeps.
template <int D>
__attribute__((always_inline)) inline char* write_fraction(std::uint32_t frac, char* p) {
  if (D == 0) return p;
  constexpr int W = D < 1 ? 1 : D > 8 ? 8 : D;  // D = 0 never gets here
  if (D <= 8) {
    // '.' and the D digits as one word; without a fraction neither is kept.
    const std::uint64_t w = digit_word<W>(frac);
    *p = '.';
    std::memcpy(p + 1, &w, 8);
    return p + (frac ? 1 + static_cast<std::size_t>(significant_bytes<W>(w)) : 0);
  }
  if (frac == 0) return p;
  // Nine decimals: the first digit, then a word of eight.
  *p++ = '.';
  const std::uint32_t lead = frac / 100000000u, rest = frac % 100000000u;
  *p++ = static_cast<char>('0' + lead);
  if (rest == 0) return p;
  const std::uint64_t w = digit_word<8>(rest);
  std::memcpy(p, &w, 8);
  return p + significant_bytes<8>(w);
}

// Integer parts of 100 and more (and the %.17g fallback): out of line, so that the common path
// below needs no saved registers.
template <int D>
__attribute__((noinline)) std::size_t format_fixed_wide(double x, std::uint64_t v, char* buf) {
  constexpr std::uint64_t kScale = kPow[D];
  const std::uint64_t ip = v / kScale;
  char* p = buf;
  if (x < 0 && v != 0) *p++ = '-';
  const int n = digit_count(ip);
  write_digits(ip, n, p);
  return static_cast<std::size_t>(write_fraction<D>(static_cast<std::uint32_t>(v % kScale), p + n) - buf);
}

// One instance per number of decimals, so every division below is by a constant (a multiply)
// rather than a 64-bit divide, and the fraction's digit loop is unrolled: four or more numbers
// per row, millions of rows. buf may be written up to 12 bytes past the result. Always inlined:
// the row writer calls it a dozen times per row, and as a call each costs more than its body.
template <int D>
__attribute__((always_inline)) inline std::size_t format_fixed_d(double x, char* buf) {
  if (std::isnan(x)) return 0;
  constexpr std::uint64_t kScale = kPow[D];
  const double scaled = std::fabs(x) * static_cast<double>(kScale);
  if (!(scaled < 9.0e17)) return static_cast<std::size_t>(std::snprintf(buf, 32, "%.17g", x));
  const std::uint64_t v = static_cast<std::uint64_t>(scaled + 0.5);
  const std::uint64_t ip = v / kScale;
  if (ip >= 100) return format_fixed_wide<D>(x, v, buf);
  // Signs, one- or two-digit integer parts and whether there is a fraction differ from number to
  // number within a column: written without branches, which would be mispredicted.
  char* p = buf;
  *p = '-';
  p += (x < 0 && v != 0) ? 1 : 0;
  const std::size_t one = ip < 10 ? 1 : 0;  // "07" read from its second character
  std::memcpy(p, &kDigitPairs[2 * ip + one], 2);
  p += 2 - one;
  return static_cast<std::size_t>(write_fraction<D>(static_cast<std::uint32_t>(v % kScale), p) - buf);
}

}  // namespace attune::detail
