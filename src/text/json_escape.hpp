#pragma once
// JSON string literals from bytes that need not be UTF-8 (survey exports may be Latin-1 or corrupt):
// the one escaping used by the result JSON, JSON Lines output and the reliability JSON.
#include <string>
#include <string_view>

namespace attune::text {

// Appends v as a JSON string literal; each byte that does not start a well-formed UTF-8 sequence
// becomes U+FFFD, so the output always parses.
void append_json_string(std::string& out, std::string_view v);

}  // namespace attune::text
