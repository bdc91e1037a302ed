// Each table of the report downloadable as CSV with no network and no script: a link whose href is
// a data: URI holding the table. The CSV is made from the finished HTML, so every table (present
// and future) gets one, and a cell's exact value (data-value, %.17g) is what the CSV holds.
#include "report_parts.hpp"

#include <cstdio>

namespace attune::report {

namespace {

// The entities the report writes, back to UTF-8 text.
std::string unescape(const std::string& s) {
  static const std::pair<const char*, const char*> kEntities[] = {
      {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&ge;", "\u2265"}, {"&le;", "\u2264"},
      {"&sup2;", "\u00b2"}, {"&plusmn;", "\u00b1"}, {"&radic;", "\u221a"}, {"&alpha;", "\u03b1"}, {"&ndash;", "\u2013"}, {"&nbsp;", " "}};
  std::string o;
  for (std::size_t i = 0; i < s.size();) {
    bool done = false;
    if (s[i] == '&') {
      for (const auto& [e, t] : kEntities) {
        const std::string ent(e);
        if (s.compare(i, ent.size(), ent) == 0) { o += t; i += ent.size(); done = true; break; }
      }
    }
    if (!done) o += s[i++];
  }
  return o;
}

std::string strip_tags(const std::string& s) {
  std::string o;
  bool in_tag = false;
  for (char c : s) {
    if (c == '<') in_tag = true;
    else if (c == '>') in_tag = false;
    else if (!in_tag) o += c;
  }
  return o;
}

// The value of attribute `name` in an opening tag, or nullptr-like empty with found = false.
bool attribute(const std::string& tag, const std::string& name, std::string& value) {
  const std::string key = " " + name + "=\"";
  const std::size_t p = tag.find(key);
  if (p == std::string::npos) return false;
  const std::size_t b = p + key.size(), e = tag.find('"', b);
  value = tag.substr(b, e - b);
  return true;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) {
    if (c == '"') o += '"';
    o += c;
  }
  return o + "\"";
}

// One table's rows: each <th>/<td> cell's exact value when it carries one ("NaN" -> empty), else its text.
std::string table_csv(const std::string& table) {
  std::string csv;
  for (std::size_t r = table.find("<tr"); r != std::string::npos; r = table.find("<tr", r + 3)) {
    const std::size_t r_end = std::min(table.find("</tr>", r), table.size());
    bool first = true;
    for (std::size_t c = table.find("<t", r + 3); c != std::string::npos && c < r_end; c = table.find("<t", c + 3)) {
      if (table[c + 2] != 'd' && table[c + 2] != 'h') continue;
      const std::size_t open_end = table.find('>', c);
      const std::string tag = table.substr(c, open_end - c);
      const std::size_t close = table.find(table[c + 2] == 'd' ? "</td>" : "</th>", open_end);
      std::string value;
      if (!attribute(tag, "data-value", value)) value = unescape(strip_tags(table.substr(open_end + 1, close - open_end - 1)));
      else if (value == "NaN") value.clear();
      csv += (first ? "" : ",") + csv_field(value);
      first = false;
    }
    csv += "\r\n";
  }
  return csv;
}

// RFC 3986: everything but the unreserved characters percent-encoded.
std::string percent_encode(const std::string& s) {
  std::string o;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
      o += static_cast<char>(c);
    } else {
      char b[4];
      std::snprintf(b, sizeof b, "%%%02X", c);
      o += b;
    }
  }
  return o;
}

}  // namespace

std::string add_csv_downloads(const std::string& html) {
  std::string out;
  std::size_t done = 0;
  for (std::size_t t = html.find("<table"); t != std::string::npos; t = html.find("<table", done)) {
    const std::size_t end = html.find("</table>", t);
    if (end == std::string::npos) break;
    const std::size_t after = end + 8;
    std::string id;
    attribute(html.substr(t, html.find('>', t) - t), "id", id);
    out.append(html, done, after - done);
    if (!id.empty()) {
      out += "\n<p class=\"csv\"><a class=\"csv-download\" download=\"" + id + ".csv\" href=\"data:text/csv;charset=utf-8," +
             percent_encode(table_csv(html.substr(t, after - t))) + "\">Download this table as CSV (" + id + ".csv)</a></p>";
    }
    done = after;
  }
  out.append(html, done, std::string::npos);
  return out;
}

}  // namespace attune::report
