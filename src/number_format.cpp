#include "number_format.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace attune::detail {

namespace {

const char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

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
    p[0] = kPairs[2 * q];
    p[1] = kPairs[2 * q + 1];
    width -= 2;
  }
  if (width) *--p = static_cast<char>('0' + v % 10);
}

}  // namespace

namespace {

constexpr std::uint64_t kPow[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};

// One instance per number of decimals, so every division below is by a constant (a multiply)
// rather than a 64-bit divide, and the fraction's digit loop is unrolled: four or more numbers
// per row, millions of rows.
template <int D>
std::size_t format_fixed_d(double x, char* buf) {
  if (std::isnan(x)) return 0;
  constexpr std::uint64_t kScale = kPow[D];
  const double scaled = std::fabs(x) * static_cast<double>(kScale);
  if (!(scaled < 9.0e17)) return static_cast<std::size_t>(std::snprintf(buf, 32, "%.17g", x));
  const std::uint64_t v = static_cast<std::uint64_t>(scaled + 0.5);
  const std::uint64_t ip = v / kScale;
  const std::uint64_t frac = v % kScale;
  char* p = buf;
  if (x < 0 && v != 0) *p++ = '-';
  if (ip < 10) {
    *p++ = static_cast<char>('0' + ip);
  } else {
    const int n = digit_count(ip);
    write_digits(ip, n, p);
    p += n;
  }
  if (D == 0 || frac == 0) return static_cast<std::size_t>(p - buf);
  // All D digits of the fraction (leading zeros kept), then the trailing zeros dropped: frac is
  // not 0, so the scan stops before the point.
  *p++ = '.';
  write_digits(frac, D, p);
  p += D;
  while (p[-1] == '0') --p;
  return static_cast<std::size_t>(p - buf);
}

constexpr FixedFormatter kFormatters[] = {format_fixed_d<0>, format_fixed_d<1>, format_fixed_d<2>, format_fixed_d<3>, format_fixed_d<4>,
                                     format_fixed_d<5>, format_fixed_d<6>, format_fixed_d<7>, format_fixed_d<8>, format_fixed_d<9>};

}  // namespace

FixedFormatter fixed_formatter(int decimals) { return kFormatters[decimals < 0 ? 0 : decimals > 9 ? 9 : decimals]; }

std::size_t format_fixed(double x, int decimals, char* buf) { return fixed_formatter(decimals)(x, buf); }

}  // namespace attune::detail
