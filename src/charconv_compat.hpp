#pragma once
// Floating-point <charconv> where the standard library has it (libstdc++ 11+), portable twins where it
// does not (Emscripten's libc++ 14 lacks from_chars/to_chars for double). Both are exact round trips.
#include <charconv>
#include <system_error>

namespace attune::detail {

#if defined(__cpp_lib_to_chars) || (defined(__GLIBCXX__) && !defined(_LIBCPP_VERSION))
#define ATTUNE_FLOAT_CHARCONV 1
#endif

// The twins, compiled everywhere so the native tests check them (tests/test_charconv_compat.cpp).
// Parses what from_chars parses: small integers (the usual answer) directly, anything else with
// strtod on at most 63 characters.
const char* parse_double_portable(const char* first, const char* last, double& out);
// The shortest text that reads back as x (Grisu2, as nlohmann's serializer), without printf;
// "null" for NaN and infinities is the caller's business. buf needs 32 bytes.
int shortest_double_portable(double x, char* buf);

// Parses a double from [first, last); returns the end of the number, or nullptr if none.
inline const char* parse_double(const char* first, const char* last, double& out) {
#if defined(ATTUNE_FLOAT_CHARCONV)
  auto r = std::from_chars(first, last, out);
  return r.ec == std::errc() ? r.ptr : nullptr;
#else
  return parse_double_portable(first, last, out);
#endif
}

// Writes the shortest text that reads back as x; returns its length (buf needs 32 bytes).
inline int shortest_double(double x, char* buf) {
#if defined(ATTUNE_FLOAT_CHARCONV)
  return static_cast<int>(std::to_chars(buf, buf + 32, x).ptr - buf);
#else
  return shortest_double_portable(x, buf);
#endif
}

}  // namespace attune::detail
