// The CSV reader of a chunk: each record through the packed fast path (packed_row.hpp), the simple
// split (split_line.hpp) or the RFC 4180 parser, then its item cells judged (cells.hpp) and its
// kept columns escaped for the output format.
#include "parse_chunk.hpp"

#include "../../validate_answer.hpp"
#include "packed_row.hpp"
#include "split_line.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace attune::batch {

namespace {

using io::RecordStatus;

// Where the packed reader may take rows (read_packed_row): the items fill one run of P columns and no
// kept column is among them (the packed reader gives no views of item cells); and the digit
// characters it may convert in registers.
struct PackedPlan {
  bool packed = false;
  std::size_t first_item = 0;
  char digits[2] = {'1', '0'};
};

PackedPlan plan_packed(const Layout& L, std::size_t P, bool simple, const double* one_char, double lo, double hi) {
  PackedPlan pp;
  const std::size_t ncols = L.header.size();
  const int* col_item = L.col_item.data();
  std::size_t first_item = ncols;
  for (std::size_t i = 0; i < P; ++i) first_item = std::min(first_item, static_cast<std::size_t>(L.item_col[i]));
  bool packed = simple && P > 0 && first_item + P <= ncols;
  for (std::size_t c = first_item; packed && c < first_item + P; ++c) packed = col_item[c] >= 0;
  for (int c : L.keep_col) {
    const auto k = static_cast<std::size_t>(c);
    packed = packed && (k < first_item || k >= first_item + P);
  }
  pp.packed = packed;
  pp.first_item = first_item;
  bool in_order = packed;
  for (std::size_t i = 0; in_order && i < P; ++i) in_order = col_item[first_item + i] == static_cast<int>(i);
  if (in_order && lo >= 0 && lo <= 9) {
    const int first = static_cast<int>(std::ceil(lo)), last = static_cast<int>(std::min(hi, 9.0));
    bool plain = first <= last;
    for (int k = first; plain && k <= last; ++k) plain = one_char['0' + k] == k;
    if (plain) { pp.digits[0] = static_cast<char>('0' + first); pp.digits[1] = static_cast<char>('0' + last); }
  }
  return pp;
}

// One row's error record in res.errors (row and line local to the chunk); returns its index.
std::int32_t add_row_error(const Job& job, ChunkResult& res, std::size_t r, std::int64_t start_line, std::int64_t col,
                           std::string value, std::string reason, std::string expected, int item) {
  const Layout& L = *job.layout;
  RowError e;
  e.row = static_cast<std::int64_t>(r);
  e.line = start_line;
  e.column = col + 1;
  if (col >= 0 && static_cast<std::size_t>(col) < L.header.size()) e.column_name = L.header[static_cast<std::size_t>(col)];
  if (item >= 0) e.item = job.plan->data().instrument.items[static_cast<std::size_t>(item)].id;
  if (value.size() > 200) value = value.substr(0, 200) + "...";
  e.value = std::move(value);
  e.reason = std::move(reason);
  e.expected = std::move(expected);
  res.errors.push_back(std::move(e));
  return static_cast<std::int32_t>(res.errors.size() - 1);
}

// The item cells the split did not decide, judged one by one into xr; the first bad one is reported.
// Returns the error's index, or -1.
std::int32_t read_item_cells(const Job& job, ChunkResult& res, const std::string_view* fields, const double* one_char,
                             double* xr, std::size_t r, std::int64_t start_line) {
  const auto& d = job.plan->data();
  const double lo = d.data_min, hi = d.data_max;
  const int* item_col = job.layout->item_col.data();
  for (std::size_t i = 0; i < d.n_items; ++i) {
    std::string_view cell = fields[item_col[i]];
    // The common cell is empty or one digit: decided by one table lookup and one well-predicted
    // branch. An empty cell's view still points into the chunk, so reading one byte is safe.
    if (cell.size() <= 1) {
      const std::size_t ch = cell.size() ? static_cast<unsigned char>(cell[0]) : kEmptyCell;
      const double v = one_char[ch];
      if (!(v == kSlow)) { xr[i] = v; continue; }
    }
    double v = 0;
    Cell c = parse_cell(cell, *job.codes, v);
    if (c == Cell::value && detail::answer_ok(v, lo, hi)) {
      xr[i] = v;
    } else if (c == Cell::not_a_number) {
      return add_row_error(job, res, r, start_line, item_col[i], std::string(cell), "not a number",
                           detail::answer_expectation(lo, hi) +
                               (job.opt->missing_codes.empty() ? "; declare missing codes with --missing" : ""),
                           static_cast<int>(i));
    } else if (c == Cell::value) {
      return add_row_error(job, res, r, start_line, item_col[i], std::string(cell), detail::answer_problem(v, lo, hi),
                           detail::answer_expectation(lo, hi), static_cast<int>(i));
    }
  }
  return -1;
}

// Kept columns, escaped now while the record's fields are at hand (empty when the row is broken).
void append_kept(const Layout& L, Workspace& ws, bool fields_ok, bool json, bool simple, char dl) {
  for (std::size_t k = 0; k < L.keep_col.size(); ++k) {
    std::string_view v = fields_ok ? ws.fields[static_cast<std::size_t>(L.keep_col[k])] : std::string_view();
    if (json) {
      if (k) ws.kept.push_back(',');
      io::append_json_string(ws.kept, L.header[static_cast<std::size_t>(L.keep_col[k])]);
      ws.kept.push_back(':');
      io::append_json_string(ws.kept, v);
    } else if (simple) {
      // A field of a chunk with no quote and no CR, split at delimiters and line feeds, holds
      // none of the characters that need quoting: copied as it is.
      ws.kept.append(v.data(), v.size());
      ws.kept.push_back(dl);
    } else {
      io::append_csv_field(ws.kept, v, dl);
      ws.kept.push_back(dl);
    }
  }
  ws.kept_end.push_back(static_cast<std::uint32_t>(ws.kept.size()));
}

// The workspace ready for a chunk of chunk_size bytes.
void reset_workspace(const Job& job, Workspace& ws, std::size_t chunk_size) {
  const std::size_t P = job.plan->data().n_items;
  ws.parser = io::RecordParser(job.opt->delimiter);
  // Answers of the chunk's rows, P per row. Grown by doubling and never shrunk or cleared: a
  // resize per row would zero-fill every row before it is written.
  if (ws.x.size() < (chunk_size / (2 * P + 1) + 1) * P) ws.x.resize((chunk_size / (2 * P + 1) + 1) * P);
  ws.kept.clear();
  ws.kept_end.clear();
  ws.error_of.clear();
  ws.row_line.clear();
  ws.invalid.clear();
  ws.fields.resize(job.layout->header.size() + 1);
}

// A record that could not be read whole (CSV syntax) or has the wrong field count: its error record.
// For a syntax error, p moves to the next line feed (the rest of the line belongs to the broken
// record; an unterminated quote too: the parser stops just after the opening quote, and reading on
// from there would turn the rest of the line into an invented row), line counts it, nfields becomes 0.
std::int32_t record_error(const Job& job, Workspace& ws, ChunkResult& res, RecordStatus st, std::size_t r,
                          std::int64_t start_line, const char*& p, const char* end, std::int64_t& line, std::size_t& nfields) {
  const std::size_t ncols = job.layout->header.size();
  if (st != RecordStatus::ok) {
    const std::int32_t err = add_row_error(job, res, r, start_line, static_cast<std::int64_t>(ws.parser.error_field()) - 1, "",
                                           std::string("CSV syntax: ") + io::describe(st), "RFC 4180 quoting", -1);
    const char* nlp = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    p = nlp ? nlp + 1 : end;
    if (nlp) ++line;
    nfields = 0;
    return err;
  }
  return add_row_error(job, res, r, start_line, static_cast<std::int64_t>(std::min(nfields, ncols)), "",
                       "row has " + std::to_string(nfields) + " fields, the header has " + std::to_string(ncols),
                       std::to_string(ncols) + " fields", -1);
}

// A row the split could not take whole: a record error (syntax, field count), or item cells to
// judge one by one. Returns the error's index, or -1; a row with an error has all answers missing.
std::int32_t judge_row(const Job& job, Workspace& ws, ChunkResult& res, RecordStatus st, std::size_t r, std::int64_t start_line,
                       const char*& p, const char* end, std::int64_t& line, std::size_t& nfields, const double* one_char, double* xr) {
  const std::int32_t err = st != RecordStatus::ok || nfields != job.layout->header.size()
                               ? record_error(job, ws, res, st, r, start_line, p, end, line, nfields)
                               : read_item_cells(job, res, ws.fields.data(), one_char, xr, r, start_line);
  if (err >= 0) for (std::size_t i = 0; i < job.plan->data().n_items; ++i) xr[i] = std::nan("");
  return err;
}

// A blank line at p (LF or CRLF) is skipped: not a row (counted, never silently).
inline bool skip_blank_line(const char*& p, const char* end, std::int64_t& line, ChunkResult& res) {
  if (!(*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n'))) return false;
  p += (*p == '\n') ? 1 : 2;
  ++line;
  ++res.blank;
  return true;
}

}  // namespace

// Reads a chunk's rows into the workspace: answers, kept columns, error records, lines.
void parse_chunk(const Job& job, Workspace& ws, ChunkResult& res, const char* chunk_data, std::size_t chunk_size) {
  const auto& d = job.plan->data();
  const Layout& L = *job.layout;
  const BatchOptions& opt = *job.opt;
  const bool json = opt.format == OutputFormat::jsonl;
  const std::size_t P = d.n_items;
  const std::size_t ncols = L.header.size();
  reset_workspace(job, ws, chunk_size);
  const char* base = chunk_data;
  const char* p = base;
  const char* end = base + chunk_size;
  ws.parser.set_base(base);
  // Most exports have no quotes and LF line ends: split those lines directly; anything else goes
  // through the full RFC 4180 parser. Both fill the same field views, so the rest is shared.
  const bool simple = !std::memchr(base, '"', chunk_size) && !std::memchr(base, '\r', chunk_size);
  const char dl = opt.delimiter;
  std::int64_t line = 0;
  // Loop invariants in locals: the answers are stored as doubles, which could alias the plan's
  // doubles and force a reload of every bound on every cell.
  const int* col_item = L.col_item.data();
  const bool count_cells = opt.quality || job.retain;  // kept rows may be scored with quality columns later
  double one_char[kOneCharTable];
  fill_one_char_table(one_char, *job.codes, d.data_min, d.data_max);
  const PackedPlan pp = plan_packed(L, P, simple, one_char, d.data_min, d.data_max);
  const bool packed = pp.packed;
  const std::size_t first_item = pp.first_item;
  while (p < end) {
    if (skip_blank_line(p, end, line, res)) continue;
    const std::int64_t start_line = line;
    RecordStatus st = RecordStatus::ok;
    std::size_t nfields = 0;
    const std::size_t r = ws.error_of.size();
    ws.row_line.push_back(start_line);
    if (ws.x.size() < (r + 1) * P) ws.x.resize(2 * (r + 1) * P);
    double* xr = &ws.x[r * P];
    bool items_done = false;  // the split already read every item cell (all empty or one character)
    // The packed reader stores every item or hands the row back; the other readers store only the
    // cells they meet, so the row starts as all missing (a packed attempt may have stored a few).
    const char* packed_end = packed ? read_packed_row(p, end, dl, ws.fields.data(), ncols, first_item, P, col_item, one_char, pp.digits, xr) : nullptr;
    if (!packed_end) for (std::size_t i = 0; i < P; ++i) xr[i] = kNaN;
    if (packed_end) {
      p = packed_end;
      nfields = ncols;
      items_done = true;
      ++line;
    } else if (simple) {
      p = split_line_items(p, end, dl, ws.fields.data(), ncols, nfields, col_item, one_char, xr, items_done);
      if (p[-1] == '\n') ++line;
    } else {
      int nl = 0;
      st = ws.parser.parse(p, end, nl);
      line += nl;
      nfields = ws.parser.field_count();
      for (std::size_t k = 0; k < nfields && k < ncols + 1; ++k) ws.fields[k] = ws.parser.field(k, base);
    }
    // The common row (read whole, every item cell decided by the split) has nothing left to judge.
    const bool whole = st == RecordStatus::ok && nfields == ncols;
    const std::int32_t err = whole && items_done ? -1 : judge_row(job, ws, res, st, r, start_line, p, end, line, nfields, one_char, xr);
    if (count_cells) ws.invalid.push_back(err < 0 ? 0 : whole ? count_invalid(ws.fields, L.item_col, *job.codes, d.data_min, d.data_max) : -1);
    ws.error_of.push_back(err);
    append_kept(L, ws, nfields == ncols, json, simple, dl);
  }
  ws.kept.append(kTextSlack, '\0');  // past the last row's text (PaddedText, copy_short)
  res.newlines = static_cast<std::uint64_t>(line);
  res.rows = ws.error_of.size();
}

}  // namespace attune::batch
