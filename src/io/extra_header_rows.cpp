// Qualtrics-style extra header rows under a CSV header (formats.hpp: check_extra_header_rows).
#include <attune/error.hpp>
#include <attune/formats.hpp>

#include "column_map.hpp"
#include "csv.hpp"
#include "header_read.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace attune {

namespace {

// The first three records of the input and the line each starts on.
struct FirstRecords {
  std::vector<std::vector<std::string>> recs;
  std::vector<std::int64_t> line;
};

enum class Look { done, cut, give_up };

// The records in one look-ahead [base, base + got); `whole` when it holds the rest of the input.
Look parse_records(const char* base, std::size_t got, bool whole, char delimiter, FirstRecords& out) {
  const char* p = base;
  const char* end = base + got;
  if (got >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
  // A header over the column limit is the pipeline's to refuse: parsed here, 4 MB of commas
  // became four million stored fields (160 MB).
  if (io::first_line_over_column_limit(p, end, delimiter)) return Look::give_up;
  io::RecordParser parser(delimiter);
  parser.set_base(base);
  out.recs.clear();
  out.line.clear();
  std::int64_t line = 0;
  while (p < end && out.recs.size() < 3) {
    if (*p == '\n') { ++p; ++line; continue; }
    const std::int64_t at = line + 1;
    int nl = 0;
    const io::RecordStatus st = parser.parse(p, end, nl);
    // A record that reaches the end of a partial look-ahead, or breaks there (a quoted field
    // cut short), may be whole further on.
    if (!whole && (p >= end || st != io::RecordStatus::ok)) return Look::cut;
    if (st != io::RecordStatus::ok) return Look::give_up;  // the pipeline reports syntax errors
    line += nl;
    std::vector<std::string> r;
    for (std::size_t i = 0; i < parser.field_count(); ++i) r.emplace_back(parser.field(i, base));
    out.recs.push_back(std::move(r));
    out.line.push_back(at);
  }
  return Look::done;
}

// Reads ahead and seeks back. False when there is nothing to judge.
bool read_first_records(std::FILE* in, const std::string& file, char delimiter, FirstRecords& out) {
  const long start = std::ftell(in);
  if (start < 0) return false;  // not seekable: cannot look ahead without consuming the stream
  // Qualtrics' question-text row can be long; 4 MB covers the three records of any real export.
  // The look-ahead starts at 64 KB and grows only when the three records do not fit: zero-filling
  // and reading 4 MB for every file cost a few milliseconds before the first row was scored.
  constexpr std::size_t kMaxLook = 4u << 20;
  std::string buf;
  for (std::size_t look = 64u << 10;; look *= 4) {
    buf.resize(std::min(look, kMaxLook));
    const std::size_t got = std::fread(&buf[0], 1, buf.size(), in);
    std::clearerr(in);
    if (std::fseek(in, start, SEEK_SET) != 0) throw IoError("cannot rewind input after looking at its header", Location::in_file(file));
    const Look l = parse_records(buf.data(), got, got < buf.size(), delimiter, out);
    if (l == Look::give_up) return false;
    if (l == Look::done) return out.recs.size() == 3;
    if (look >= kMaxLook) return false;  // three records longer than 4 MB: not an export to warn about
  }
}

// A row "is text" when every non-empty item cell is neither a number nor a declared missing code.
bool text_row(const std::vector<std::string>& r, std::size_t columns, const std::vector<int>& item_col,
              const std::vector<std::string>& missing_codes, bool& import_id, int& first_col) {
  if (r.size() != columns) return false;
  int text = 0;
  for (int c : item_col) {
    std::string v = r[static_cast<std::size_t>(c)];
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
    std::size_t b = v.find_first_not_of(" \t");
    v = b == std::string::npos ? std::string() : v.substr(b);
    if (v.empty() || std::find(missing_codes.begin(), missing_codes.end(), v) != missing_codes.end()) continue;
    double d = 0;
    auto res = std::from_chars(v.data() + (v[0] == '+'), v.data() + v.size(), d);
    if (res.ec == std::errc() && res.ptr == v.data() + v.size()) return false;
    if (v.rfind("{\"ImportId\"", 0) == 0) import_id = true;
    if (first_col < 0) first_col = c;
    ++text;
  }
  return text > 0;
}

}  // namespace

void check_extra_header_rows(const ScoringPlan& plan, std::FILE* in, const std::string& file, const BatchOptions& opt) {
  if (opt.skip_rows != 0) return;
  FirstRecords f;
  if (!read_first_records(in, file, opt.delimiter, f)) return;
  const auto& recs = f.recs;
  std::vector<int> item_col;
  try {
    item_col = io::map_item_columns(plan, recs[0], opt.mapping, file);
  } catch (const Error&) {
    return;  // the pipeline reports the mapping problem with its own message
  }
  bool id1 = false, id2 = false;
  int col1 = -1, col2 = -1;
  const std::size_t n = recs[0].size();
  if (!text_row(recs[1], n, item_col, opt.missing_codes, id1, col1) || !text_row(recs[2], n, item_col, opt.missing_codes, id2, col2)) return;
  Location where;
  where.file = file;
  where.row = 1;
  where.line = f.line[1];
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
