// The portable twins of from_chars/to_chars for doubles (charconv_compat.hpp). In WebAssembly they are
// the hot path of one person's JSON: Emscripten's strtod and printf compute in 128-bit long double,
// emulated in software, so the common cases avoid them.
#include "charconv_compat.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace attune::detail {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A plain integer of at most 15 digits (exact in a double) not followed by a fraction, an exponent
// or more digits; nullptr otherwise.
const char* parse_small_integer(const char* first, const char* last, double& out) {
  const char* p = first;
  const bool negative = p < last && *p == '-';
  if (negative) ++p;
  const char* digits = p;
  std::int64_t v = 0;
  while (p < last && p - digits < 15 && is_digit(*p)) v = v * 10 + (*p++ - '0');
  if (p == digits) return nullptr;
  if (p < last && (is_digit(*p) || *p == '.' || *p == 'e' || *p == 'E')) return nullptr;
  out = negative ? -static_cast<double>(v) : static_cast<double>(v);
  return p;
}

}  // namespace

const char* parse_double_portable(const char* first, const char* last, double& out) {
  if (const char* end = parse_small_integer(first, last, out)) return end;
  // A number is never 63 characters long: the text after the 63rd cannot belong to it, so copying
  // only the start of a long document keeps a number inside it readable.
  char buf[64];
  std::size_t n = static_cast<std::size_t>(last - first);
  if (n == 0) return nullptr;
  if (n >= sizeof buf) n = sizeof buf - 1;
  std::memcpy(buf, first, n);
  buf[n] = '\0';
  if (buf[0] == ' ' || buf[0] == '+' || buf[0] == '\t') return nullptr;  // from_chars rejects these too
  char* end = nullptr;
  out = std::strtod(buf, &end);
  if (end == buf) return nullptr;
  return first + (end - buf);
}

int shortest_double_portable(double x, char* buf) {
  char* end = nlohmann::detail::to_chars(buf, buf + 32, x);
  // Grisu2 marks a whole number with ".0" ("7.0"); std::to_chars writes "7".
  if (end - buf >= 2 && end[-1] == '0' && end[-2] == '.') end -= 2;
  return static_cast<int>(end - buf);
}

}  // namespace attune::detail
