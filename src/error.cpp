#include <attune/error.hpp>

namespace attune {

const char* to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::usage: return "usage";
    case ErrorKind::instrument: return "instrument";
    case ErrorKind::answer: return "answer";
    case ErrorKind::data: return "data";
    case ErrorKind::io: return "io";
    case ErrorKind::text_pack: return "text_pack";
    case ErrorKind::limit: return "limit";
    case ErrorKind::internal: return "internal";
  }
  return "unknown";
}

std::string describe(const Location& w) {
  std::string out;
  auto add = [&out](const std::string& part) {
    if (!out.empty()) out += ", ";
    out += part;
  };
  if (!w.file.empty()) add(w.file);
  if (!w.json_path.empty()) add("at " + w.json_path);
  if (w.row >= 0) add("row " + std::to_string(w.row));
  if (w.line >= 0) add("line " + std::to_string(w.line));
  if (w.column >= 0) {
    std::string c = "column " + std::to_string(w.column);
    if (!w.column_name.empty()) c += " '" + w.column_name + "'";
    add(c);
  } else if (!w.column_name.empty()) {
    add("column '" + w.column_name + "'");
  }
  if (!w.item.empty()) add("item " + w.item);
  if (!w.value.empty()) add("value '" + w.value + "'");
  return printable(out);
}

std::string printable(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != 0x7F) {
      out.push_back(ch);
      continue;
    }
    switch (c) {
      case 0: out += "\\0"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: {
        static const char hex[] = "0123456789abcdef";
        out += "\\x";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 0xF]);
      }
    }
  }
  return out;
}

// Every part may come from data (a file name, a header, a value, a message quoting an id), so the
// whole text is made printable once here rather than at each of the many places that build one.
static std::string compose(const std::string& message, const Location& where, const std::string& expected) {
  std::string place = describe(where);
  std::string out = place.empty() ? message : place + ": " + message;
  if (!expected.empty()) out += " (expected " + expected + ")";
  return printable(out);
}

Error::Error(ErrorKind kind, std::string message, Location where, std::string expected)
    : std::runtime_error(compose(message, where, expected)),
      kind_(kind),
      message_(std::move(message)),
      where_(std::move(where)),
      expected_(std::move(expected)) {}

}  // namespace attune
