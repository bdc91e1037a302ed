// JSON string escaping (src/text/json_escape.cpp) skips eight plain bytes at a time; its plain twin is
// the byte-at-a-time version it replaced (kept here verbatim). Same bytes for random texts of plain
// ASCII, quotes, backslashes, control characters, UTF-8 and bytes that are not UTF-8, at every offset.
#include <catch2/catch.hpp>

#include "../src/text/json_escape.hpp"  // internal: the escaper

#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::size_t twin_utf8_sequence(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  const std::size_t left = s.size() - i;
  const auto cont = [&](std::size_t k) { return (b(k) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return left >= 2 && cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (left < 3 || !cont(i + 1) || !cont(i + 2)) return 0;
    if (c == 0xE0 && b(i + 1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(i + 1) >= 0xA0) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (left < 4 || !cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    if (c == 0xF0 && b(i + 1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(i + 1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;  // a stray continuation byte, 0xC0, 0xC1 or 0xF5..0xFF
}

// The escaper before it skipped eight plain bytes at a time (the plain twin).
void twin_append_json_string(std::string& out, std::string_view v) {
  static const char* hex = "0123456789abcdef";
  out.push_back('"');
  // Copy runs that need no escaping in one go; escape the rest. Input bytes are not trusted to be
  // UTF-8 (a survey export may be Latin-1 or corrupt), and JSON must be: each byte that does not
  // start a well-formed sequence becomes U+FFFD, so the output always parses.
  std::size_t run = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(v[i]);
    if (c >= 0x80) {
      if (const std::size_t n = twin_utf8_sequence(v, i)) {
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

}  // namespace

TEST_CASE("JSON escaping: eight bytes at a time gives the bytes of one at a time") {
  const std::vector<std::string> pieces = {"a", "plain text ", "\"", "\\", "\n", "\t", std::string(1, '\0'), "\x01", "\x1f",
                                           "\x7f", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xC3", "\xFF", "\xED\xA0\x80"};
  std::mt19937 rng(8);
  for (int k = 0; k < 20000; ++k) {
    std::string text;
    const int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) text += pieces[rng() % pieces.size()];
    std::string mine, theirs;
    attune::text::append_json_string(mine, text);
    twin_append_json_string(theirs, text);
    CAPTURE(text);
    REQUIRE(mine == theirs);
  }
  std::string out;
  attune::text::append_json_string(out, "0123456789abcdef\"0123456789abcdef\x01");
  CHECK(out == "\"0123456789abcdef\\\"0123456789abcdef\\u0001\"");
}
