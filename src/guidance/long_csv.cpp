// CSV records and score cells for the long-file commands (long_csv.hpp).
#include "long_csv.hpp"

#include <attune/error.hpp>
#include <attune/result.hpp>

#include <cmath>
#include <cstdio>

namespace attune::detail {

bool next_record(std::istream& in, Record& rec, long& line) {
  rec.clear();
  if (in.peek() == EOF) return false;
  std::string field;
  bool quoted = false;
  int ch;
  ++line;
  while ((ch = in.get()) != EOF) {
    if (quoted) {
      if (ch == '"' && in.peek() == '"') { field += '"'; in.get(); }
      else if (ch == '"') quoted = false;
      else { if (ch == '\n') ++line; field += static_cast<char>(ch); }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      rec.push_back(field);
      field.clear();
    } else if (ch == '\n') {
      break;
    } else if (ch != '\r') {
      field += static_cast<char>(ch);
    }
  }
  rec.push_back(field);
  return true;
}

double cell_number(const std::string& v, const std::string& source, long line, const std::string& column) {
  if (v.empty() || v == "NA") return kMissing;
  std::size_t used = 0;
  double x = kMissing;
  try { x = std::stod(v, &used); } catch (const std::exception&) { used = 0; }
  if (used != v.size() || !std::isfinite(x)) {
    Location where = Location::in_file(source);
    where.line = line;
    where.column_name = column;
    where.value = v;
    throw DataError("not a score", where, "a number, or an empty cell for a missing score");
  }
  return x;
}

std::string csv_num(double x) {
  if (std::isnan(x)) return "";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6f", x);
  return buf;
}

std::string csv_text(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char ch : v) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

}  // namespace attune::detail
