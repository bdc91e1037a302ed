// One JSON Lines object (json_line.hpp): values, strings and their escapes, numbers.
#include "json_line.hpp"

namespace attune::batch {

namespace {

void put_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

void JsonLine::fail(const std::string& what, const std::string& key, const std::string& expected) const {
  Location where;
  where.file = file_;
  where.line = line;
  if (!key.empty()) {
    where.column_name = key;
    where.json_path = "/" + key;
  }
  throw DataError(what, where, expected);
}

std::string_view JsonLine::value(const char*& p, const char* e) {
  if (p >= e) fail("missing value", key_, "a number, string, null, true or false");
  if (*p == '"') {
    const std::size_t from = values_.size();
    string(p, e, values_);
    return std::string_view(values_.data() + from, values_.size() - from);
  }
  if (*p == '-' || (*p >= '0' && *p <= '9')) return number(p, e);
  if (e - p >= 4 && std::memcmp(p, "null", 4) == 0) {
    p += 4;
    return {};
  }
  if (e - p >= 4 && std::memcmp(p, "true", 4) == 0) {
    p += 4;
    return "true";
  }
  if (e - p >= 5 && std::memcmp(p, "false", 5) == 0) {
    p += 5;
    return "false";
  }
  if (*p == '{' || *p == '[') fail("nested objects and arrays are not supported", key_, "a number, string, null, true or false");
  fail("not a JSON value", key_, "a number, string, null, true or false");
}

unsigned JsonLine::hex4(const char*& p, const char* e) const {
  if (e - p < 4) fail("bad \\u escape in a string", key_, "\\uXXXX");
  unsigned v = 0;
  for (int i = 0; i < 4; ++i, ++p) {
    const char c = *p;
    v <<= 4;
    if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
    else fail("bad \\u escape in a string", key_, "\\uXXXX");
  }
  return v;
}

// p just past the backslash.
void JsonLine::escape(const char*& p, const char* e, std::string& out) const {
  if (p >= e) fail("unterminated string", key_, "a closing \"");
  const char c = *p++;
  switch (c) {
    case '"': out.push_back('"'); return;
    case '\\': out.push_back('\\'); return;
    case '/': out.push_back('/'); return;
    case 'b': out.push_back('\b'); return;
    case 'f': out.push_back('\f'); return;
    case 'n': out.push_back('\n'); return;
    case 'r': out.push_back('\r'); return;
    case 't': out.push_back('\t'); return;
    case 'u': break;
    default: fail(std::string("bad escape \\") + c + " in a string", key_, "a JSON escape");
  }
  unsigned cp = hex4(p, e);
  if (cp >= 0xD800 && cp < 0xDC00 && e - p >= 6 && p[0] == '\\' && p[1] == 'u') {
    p += 2;
    const unsigned lo = hex4(p, e);
    if (lo < 0xDC00 || lo > 0xDFFF) fail("unpaired surrogate in a string", key_, "a valid \\u escape");
    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
  } else if (cp >= 0xD800 && cp < 0xE000) {
    fail("unpaired surrogate in a string", key_, "a valid \\u escape");
  }
  put_utf8(out, cp);
}

// p at the opening quote; the unescaped text is appended to out. A key's errors name what was read
// of it so far (out is key_ then).
void JsonLine::string(const char*& p, const char* e, std::string& out) const {
  if (&out == &key_) out.clear();
  ++p;
  for (;;) {
    const char* q = p;
    while (q < e && *q != '"' && *q != '\\' && static_cast<unsigned char>(*q) >= 0x20) ++q;
    out.append(p, static_cast<std::size_t>(q - p));
    p = q;
    if (p >= e) fail("unterminated string", key_, "a closing \"");
    if (*p == '"') {
      ++p;
      return;
    }
    if (static_cast<unsigned char>(*p) < 0x20) fail("control character in a string", key_, "escaped as \\n, \\t, ...");
    ++p;  // the backslash
    escape(p, e, out);
  }
}

namespace {

bool skip_digits(const char*& p, const char* e) {
  const char* f = p;
  while (p < e && *p >= '0' && *p <= '9') ++p;
  return p != f;
}

}  // namespace

// A JSON number per RFC 8259; returns its text.
std::string_view JsonLine::number(const char*& p, const char* e) const {
  const char* b = p;
  if (p < e && *p == '-') ++p;
  const char* d = p;
  if (!skip_digits(p, e) || (p - d > 1 && *d == '0')) fail("bad number", key_, "a JSON number");
  if (p < e && *p == '.') {
    ++p;
    if (!skip_digits(p, e)) fail("bad number", key_, "a JSON number");
  }
  if (p < e && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < e && (*p == '+' || *p == '-')) ++p;
    if (!skip_digits(p, e)) fail("bad number", key_, "a JSON number");
  }
  return std::string_view(b, static_cast<std::size_t>(p - b));
}

}  // namespace attune::batch
