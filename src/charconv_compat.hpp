#pragma once
// Floating-point <charconv> where the standard library has it (libstdc++ 11+), C stdio where it does
// not (Emscripten's libc++ 14 lacks from_chars/to_chars for double). Both are exact round trips.
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <system_error>

namespace attune::detail {

#if defined(__cpp_lib_to_chars) || (defined(__GLIBCXX__) && !defined(_LIBCPP_VERSION))
#define ATTUNE_FLOAT_CHARCONV 1
#endif

// Parses a double from [first, last); returns the end of the number, or nullptr if none.
inline const char* parse_double(const char* first, const char* last, double& out) {
#if defined(ATTUNE_FLOAT_CHARCONV)
  auto r = std::from_chars(first, last, out);
  return r.ec == std::errc() ? r.ptr : nullptr;
#else
  char buf[64];
  std::size_t n = static_cast<std::size_t>(last - first);
  if (n == 0 || n >= sizeof buf) return nullptr;
  std::memcpy(buf, first, n);
  buf[n] = '\0';
  if (buf[0] == ' ' || buf[0] == '+' || buf[0] == '\t') return nullptr;  // from_chars rejects these too
  char* end = nullptr;
  out = std::strtod(buf, &end);
  if (end == buf) return nullptr;
  return first + (end - buf);
#endif
}

// Writes the shortest text that reads back as x; returns its length (buf needs 32 bytes).
inline int shortest_double(double x, char* buf) {
#if defined(ATTUNE_FLOAT_CHARCONV)
  return static_cast<int>(std::to_chars(buf, buf + 32, x).ptr - buf);
#else
  for (int precision = 15; precision <= 17; ++precision) {
    int n = std::snprintf(buf, 32, "%.*g", precision, x);
    if (std::strtod(buf, nullptr) == x) return n;
  }
  return std::snprintf(buf, 32, "%.17g", x);
#endif
}

}  // namespace attune::detail
