#include "json_walk.hpp"

namespace attune::detail {

json parse_json(const std::string& text, const std::string& file, ErrorKind kind, std::size_t max_depth) {
  // The size first: text handed over in memory (bindings, *_from_json_text) meets the same limit
  // as a file read with read_document.
  check_document_size(text.size(), file);
  // The callback sees every value's depth; refusing deep documents early bounds memory and keeps
  // recursive consumers (and the destructor) safe from hostile nesting.
  auto guard = [&](int depth, json::parse_event_t, json&) {
    if (static_cast<std::size_t>(depth) > max_depth) {
      Location where;
      where.file = file;
      throw Error(ErrorKind::limit, "JSON nested deeper than " + std::to_string(max_depth) + " levels", where,
                  "at most " + std::to_string(max_depth) + " levels of nesting");
    }
    return true;
  };
  try {
    return json::parse(text, guard, /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const json::parse_error& e) {
    // Turn the byte offset into line and column, which is what an editor shows.
    std::size_t offset = e.byte == 0 ? 0 : e.byte - 1;
    if (offset > text.size()) offset = text.size();
    std::int64_t line = 1, col = 1;
    for (std::size_t i = 0; i < offset; ++i) {
      if (text[i] == '\n') { ++line; col = 1; } else { ++col; }
    }
    Location where;
    where.file = file;
    where.line = line;
    where.column = col;
    std::string what = e.what();
    auto pos = what.find("parse error");
    throw Error(kind, "invalid JSON: " + (pos == std::string::npos ? what : what.substr(pos)), where,
                "well-formed JSON (RFC 8259)");
  } catch (const json::exception& e) {
    // Numbers that do not fit a double, invalid UTF-8 and the like.
    Location where;
    where.file = file;
    throw Error(kind, std::string("invalid JSON: ") + e.what(), where, "well-formed JSON with finite numbers");
  }
}

}  // namespace attune::detail
