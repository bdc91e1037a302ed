// JSON string escaping, shared by result JSON and batch output. Kept outside src/io/ so builds
// without file streaming (WebAssembly) still have it.
#include "io/csv.hpp"

namespace attune::io {

void append_json_string(std::string& out, std::string_view v) {
  static const char* hex = "0123456789abcdef";
  out.push_back('"');
  // Copy runs that need no escaping in one go; escape the rest.
  std::size_t run = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(v[i]);
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

}  // namespace attune::io
