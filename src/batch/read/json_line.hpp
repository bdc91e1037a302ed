#pragma once
// One line of a JSON Lines file: a flat object of keys to scalar values (RFC 8259 strings and
// numbers, null, true, false). The JSON Lines reader (jsonl_reader.hpp) reads the header's keys and
// every row with it; anything else is a DataError naming the file, the line and the key.
#include <attune/error.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace attune::batch {

class JsonLine {
 public:
  explicit JsonLine(const std::string& file) : file_(file) {}
  // The line number errors name (1-based; local to a chunk on a worker, made global later).
  std::int64_t line = 0;

  // Calls on_pair(key, value) for each member of the object in [p, e), in order. value: the number's
  // text, the string unescaped, "" for null, "true" or "false"; valid until the next call (strings
  // are unescaped into one buffer that holds the whole line, so earlier views stay put).
  template <class F>
  void object(const char* p, const char* e, F&& on_pair);

  [[noreturn]] void fail(const std::string& what, const std::string& key, const std::string& expected) const;

 private:
  static void skip_ws(const char*& p, const char* e) {
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) ++p;
  }
  std::string_view value(const char*& p, const char* e);
  void string(const char*& p, const char* e, std::string& out) const;
  void escape(const char*& p, const char* e, std::string& out) const;
  unsigned hex4(const char*& p, const char* e) const;
  std::string_view number(const char*& p, const char* e) const;

  const std::string& file_;
  std::string key_;
  std::string values_;
};

template <class F>
void JsonLine::object(const char* p, const char* e, F&& on_pair) {
  values_.clear();  // key_ stays: an error before this line's first key names the last key read, as it always has
  values_.reserve(static_cast<std::size_t>(e - p));  // unescaped text is never longer: no reallocation
  skip_ws(p, e);
  if (p >= e || *p != '{') fail("line is not a JSON object", {}, "one JSON object per line, e.g. {\"id\": 1, \"Q1\": 5}");
  ++p;
  skip_ws(p, e);
  if (p < e && *p == '}') {
    ++p;
  } else {
    for (;;) {
      skip_ws(p, e);
      if (p >= e || *p != '"') fail("expected a key", key_, "a quoted key");
      string(p, e, key_);
      skip_ws(p, e);
      if (p >= e || *p != ':') fail("expected ':' after the key", key_, "\"key\": value");
      ++p;
      skip_ws(p, e);
      on_pair(static_cast<const std::string&>(key_), value(p, e));
      skip_ws(p, e);
      if (p < e && *p == ',') { ++p; continue; }
      if (p < e && *p == '}') { ++p; break; }
      fail("expected ',' or '}'", key_, "members separated by commas");
    }
  }
  skip_ws(p, e);
  if (p != e) fail("text after the object", {}, "one JSON object per line");
}

}  // namespace attune::batch
