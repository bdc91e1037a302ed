// The CSV reader of a chunk: each record through the packed fast path (packed_row.hpp), the simple
// split (split_line.hpp) or the RFC 4180 parser, then its item cells judged (cells.hpp) and its
// kept columns escaped for the output format.
#include "parse_chunk.hpp"

#include "../../validate_answer.hpp"
#include "packed_row.hpp"
#include "row_cells.hpp"
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
