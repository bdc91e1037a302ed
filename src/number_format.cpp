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

// Writes v in decimal, most significant digit first; returns the length.
inline int write_uint(std::uint64_t v, char* out) {
  char tmp[24];
  int n = 24;
  while (v >= 100) {
    const unsigned q = static_cast<unsigned>(v % 100);
    v /= 100;
    n -= 2;
    std::memcpy(tmp + n, kPairs + 2 * q, 2);
  }
  if (v >= 10) {
    n -= 2;
    std::memcpy(tmp + n, kPairs + 2 * v, 2);
  } else {
    tmp[--n] = static_cast<char>('0' + v);
  }
  std::memcpy(out, tmp + n, static_cast<std::size_t>(24 - n));
  return 24 - n;
}

}  // namespace

std::size_t format_fixed(double x, int decimals, char* buf) {
  if (std::isnan(x)) return 0;
  static const std::uint64_t kPow[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};
  if (decimals < 0) decimals = 0;
  if (decimals > 9) decimals = 9;
  const double scaled = std::fabs(x) * static_cast<double>(kPow[decimals]);
  if (!(scaled < 9.0e17)) return static_cast<std::size_t>(std::snprintf(buf, 32, "%.17g", x));
  const std::uint64_t v = static_cast<std::uint64_t>(scaled + 0.5);
  std::uint64_t ip = v / kPow[decimals];
  std::uint64_t frac = v % kPow[decimals];
  std::size_t len = 0;
  if (x < 0 && v != 0) buf[len++] = '-';
  len += static_cast<std::size_t>(write_uint(ip, buf + len));
  if (frac == 0) return len;
  // Fraction: drop trailing zeros, then left-pad to its remaining width.
  int width = decimals;
  while (frac % 10 == 0) { frac /= 10; --width; }
  buf[len++] = '.';
  char digits[24];
  int nd = write_uint(frac, digits);
  for (int i = nd; i < width; ++i) buf[len++] = '0';
  std::memcpy(buf + len, digits, static_cast<std::size_t>(nd));
  return len + static_cast<std::size_t>(nd);
}

}  // namespace attune::detail
