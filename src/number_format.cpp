#include "number_format.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>

namespace attune::detail {

std::size_t format_fixed(double x, int decimals, char* buf) {
  if (std::isnan(x)) return 0;
  static const double kPow[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  if (decimals < 0) decimals = 0;
  if (decimals > 9) decimals = 9;
  const double scaled = std::fabs(x) * kPow[decimals];
  if (!(scaled < 9.0e17)) return static_cast<std::size_t>(std::snprintf(buf, 32, "%.*g", 17, x));
  std::uint64_t v = static_cast<std::uint64_t>(std::llround(scaled));
  char tmp[32];
  int n = 0;
  int frac = decimals;
  // Drop trailing zeros of the fraction.
  while (frac > 0 && v % 10 == 0) { v /= 10; --frac; }
  for (int i = 0; i < frac; ++i) { tmp[n++] = static_cast<char>('0' + v % 10); v /= 10; }
  if (frac > 0) tmp[n++] = '.';
  do { tmp[n++] = static_cast<char>('0' + v % 10); v /= 10; } while (v);
  std::size_t len = 0;
  bool zero = (n == 1 && tmp[0] == '0');
  if (x < 0 && !zero) buf[len++] = '-';
  while (n) buf[len++] = tmp[--n];
  return len;
}

}  // namespace attune::detail
