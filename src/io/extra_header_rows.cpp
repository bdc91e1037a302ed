// Qualtrics-style extra header rows under a CSV header (formats.hpp: check_extra_header_rows).
#include <attune/error.hpp>
#include <attune/formats.hpp>

#include "column_map.hpp"
#include "csv.hpp"
#include "header_read.hpp"

#include <charconv>
#include <cstring>

namespace attune {

void check_extra_header_rows(const ScoringPlan& plan, std::FILE* in, const std::string& file, const BatchOptions& opt) {
  if (opt.skip_rows != 0) return;
  const long start = std::ftell(in);
  if (start < 0) return;  // not seekable: cannot look ahead without consuming the stream
  // Qualtrics' question-text row can be long; 4 MB covers the three records of any real export.
  // The look-ahead starts at 64 KB and grows only when the three records do not fit: zero-filling
  // and reading 4 MB for every file cost a few milliseconds before the first row was scored.
  constexpr std::size_t kMaxLook = 4u << 20;
  std::string buf;
  std::vector<std::vector<std::string>> recs;
  std::vector<std::int64_t> rec_line;
  for (std::size_t look = 64u << 10;; look *= 4) {
    buf.resize(std::min(look, kMaxLook));
    const std::size_t got = std::fread(&buf[0], 1, buf.size(), in);
    std::clearerr(in);
    if (std::fseek(in, start, SEEK_SET) != 0) throw IoError("cannot rewind input after looking at its header", Location::in_file(file));
    const bool whole = got < buf.size();  // the look-ahead holds the rest of the input
    buf.resize(got);
    const char* base = buf.data();
    const char* p = base;
    const char* end = base + got;
    if (got >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    // A header over the column limit is the pipeline's to refuse: parsed here, 4 MB of commas
    // became four million stored fields (160 MB).
    if (io::first_line_over_column_limit(p, end, opt.delimiter)) return;
    io::RecordParser parser(opt.delimiter);
    parser.set_base(base);
    recs.clear();
    rec_line.clear();
    std::int64_t line = 0;
    bool cut = false;  // a record may run past the look-ahead
    while (p < end && recs.size() < 3) {
      if (*p == '\n') { ++p; ++line; continue; }
      const std::int64_t at = line + 1;
      int nl = 0;
      const io::RecordStatus st = parser.parse(p, end, nl);
      // A record that reaches the end of a partial look-ahead, or breaks there (a quoted field
      // cut short), may be whole further on.
      if (!whole && (p >= end || st != io::RecordStatus::ok)) { cut = true; break; }
      if (st != io::RecordStatus::ok) return;  // the pipeline reports syntax errors
      line += nl;
      std::vector<std::string> r;
      for (std::size_t i = 0; i < parser.field_count(); ++i) r.emplace_back(parser.field(i, base));
      recs.push_back(std::move(r));
      rec_line.push_back(at);
    }
    if (!cut) break;
    if (look >= kMaxLook) return;  // three records longer than 4 MB: not an export to warn about
  }
  if (recs.size() < 3) return;
  std::vector<int> item_col;
  try {
    item_col = io::map_item_columns(plan, recs[0], opt.mapping, file);
  } catch (const Error&) {
    return;  // the pipeline reports the mapping problem with its own message
  }
  auto is_missing_code = [&](const std::string& v) {
    for (const auto& c : opt.missing_codes) if (v == c) return true;
    return false;
  };
  // A row "is text" when every non-empty item cell is neither a number nor a declared missing code.
  auto text_row = [&](const std::vector<std::string>& r, bool& import_id, int& first_col) {
    if (r.size() != recs[0].size()) return false;
    int text = 0;
    for (int c : item_col) {
      std::string v = r[static_cast<std::size_t>(c)];
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
      std::size_t b = v.find_first_not_of(" \t");
      v = b == std::string::npos ? std::string() : v.substr(b);
      if (v.empty() || is_missing_code(v)) continue;
      double d = 0;
      auto res = std::from_chars(v.data() + (v[0] == '+'), v.data() + v.size(), d);
      if (res.ec == std::errc() && res.ptr == v.data() + v.size()) return false;
      if (v.rfind("{\"ImportId\"", 0) == 0) import_id = true;
      if (first_col < 0) first_col = c;
      ++text;
    }
    return text > 0;
  };
  bool id1 = false, id2 = false;
  int col1 = -1, col2 = -1;
  if (!text_row(recs[1], id1, col1) || !text_row(recs[2], id2, col2)) return;
  Location where;
  where.file = file;
  where.row = 1;
  where.line = rec_line[1];
  where.column = col1 + 1;
  where.column_name = recs[0][static_cast<std::size_t>(col1)];
  std::string v = recs[1][static_cast<std::size_t>(col1)];
  if (v.size() > 80) v = v.substr(0, 80) + "...";
  where.value = v;
  throw DataError(std::string("rows 1 and 2 under the header hold text, not answers") +
                      (id2 ? " (row 2 has ImportId tags): this looks like a Qualtrics export with two extra header rows"
                           : ": this looks like an export with extra header rows (e.g. Qualtrics)"),
                  where, "answers from row 1 on; if these are header rows, pass --skip-rows 2");
}

}  // namespace attune
