// JSON string escaping, shared by result JSON and batch output. Kept outside the batch path so builds
// without file streaming (WebAssembly) still have it.
#include "json_escape.hpp"

#include <cstdint>
#include <cstring>

namespace attune::text {

namespace {

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// A lead byte 0xE0..0xEF with `left` bytes from it: 3 when the sequence is well formed, else 0.
std::size_t three_byte_sequence(const unsigned char* p, std::size_t left) {
  if (left < 3 || !continuation(p[1]) || !continuation(p[2])) return 0;
  if (p[0] == 0xE0 && p[1] < 0xA0) return 0;   // overlong
  if (p[0] == 0xED && p[1] >= 0xA0) return 0;  // UTF-16 surrogate
  return 3;
}

// A lead byte 0xF0..0xF4 with `left` bytes from it: 4 when the sequence is well formed, else 0.
std::size_t four_byte_sequence(const unsigned char* p, std::size_t left) {
  if (left < 4 || !continuation(p[1]) || !continuation(p[2]) || !continuation(p[3])) return 0;
  if (p[0] == 0xF0 && p[1] < 0x90) return 0;   // overlong
  if (p[0] == 0xF4 && p[1] >= 0x90) return 0;  // above U+10FFFF
  return 4;
}

// Length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), or 0 if the bytes there are not one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  const std::size_t left = s.size() - i;
  if (p[0] >= 0xC2 && p[0] <= 0xDF) return left >= 2 && continuation(p[1]) ? 2 : 0;
  if (p[0] >= 0xE0 && p[0] <= 0xEF) return three_byte_sequence(p, left);
  if (p[0] >= 0xF0 && p[0] <= 0xF4) return four_byte_sequence(p, left);
  return 0;  // a stray continuation byte, 0xC0, 0xC1 or 0xF5..0xFF
}

// True when none of the 8 bytes at p needs attention: no control character, quote, backslash or
// byte >= 0x80 (word tricks from "Bit Twiddling Hacks": haszero and hasless). Texts are mostly plain
// ASCII, and looking at one byte at a time was a third of one person's result JSON in WebAssembly.
bool plain8(const char* p) {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  const auto has_zero = [&](std::uint64_t v) { return (v - ones) & ~v & highs; };
  const std::uint64_t control = (x - ones * 0x20) & ~x & highs;  // a byte < 0x20 (or >= 0x80, below)
  return ((x & highs) | control | has_zero(x ^ (ones * '"')) | has_zero(x ^ (ones * '\\'))) == 0;
}

}  // namespace

void append_json_string(std::string& out, std::string_view v) {
  static const char* hex = "0123456789abcdef";
  out.push_back('"');
  // Copy runs that need no escaping in one go; escape the rest. Input bytes are not trusted to be
  // UTF-8 (a survey export may be Latin-1 or corrupt), and JSON must be: each byte that does not
  // start a well-formed sequence becomes U+FFFD, so the output always parses.
  std::size_t run = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    while (i + 8 <= v.size() && plain8(v.data() + i)) i += 8;
    if (i == v.size()) break;
    const unsigned char c = static_cast<unsigned char>(v[i]);
    if (c >= 0x80) {
      if (const std::size_t n = utf8_sequence(v, i)) {
        i += n - 1;
        continue;
      }
      out.append(v.data() + run, i - run);
      run = i + 1;
      out += "\xEF\xBF\xBD";
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(v.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
    }
  }
  out.append(v.data() + run, v.size() - run);
  out.push_back('"');
}

}  // namespace attune::text
