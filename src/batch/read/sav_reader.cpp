// The .sav reader of the batch path (sav_reader.hpp): decoded cells straight into the block of
// answers; numbers are answers as they are, only strings and kept columns are text.
#include "sav_reader.hpp"

#include "row_cells.hpp"
#include "../tuning.hpp"
#include "sav_cells.hpp"

#include <cerrno>
#include <cstring>

namespace attune::batch {

namespace {

namespace sc = sav_cells;

// One case's cells, by column: kind, number, text.
struct SavRow {
  std::vector<char> kind;
  std::vector<double> num;
  std::vector<std::string_view> text;
  void resize(std::size_t n) {
    kind.assign(n, sc::kMissing);
    num.assign(n, kNaN);
    text.assign(n, std::string_view());
  }
  // The record in [p, e); cells past its end are not answered. A text view is set only for text
  // cells (the only ones whose view is read).
  void decode(const char* p, const char* e) {
    for (std::size_t c = 0; c < kind.size(); ++c) {
      char k = p < e ? *p++ : sc::kMissing;
      if (k == sc::kSmall && e - p >= 1) {
        num[c] = static_cast<signed char>(*p++);
      } else if (k == sc::kNumber && e - p >= 8) {
        std::memcpy(&num[c], p, 8);
        p += 8;
      } else if (k == sc::kText && e - p >= 4) {
        const std::uint32_t n = std::min<std::uint32_t>(sc::read_u32(p), static_cast<std::uint32_t>(e - p - 4));
        text[c] = std::string_view(p + 4, n);
        p += 4 + n;
      } else {
        k = sc::kMissing;
      }
      kind[c] = k;
    }
  }
};

// The answer each whole number within -128..127 is, by the number + 128 (as the one-character table
// is for CSV digits): its value, NaN for a missing code, kSlow when cells.hpp must judge it (and
// report it).
void fill_small_table(double (&t)[256], const MissingCodes& codes, double lo, double hi) {
  for (int v = -128; v < 128; ++v) {
    double x = 0;
    Cell c = Cell::value;
    number_cell(v, codes, c, x);
    t[v + 128] = c == Cell::missing ? kNaN : detail::answer_ok(x, lo, hi) ? x : kSlow;
  }
}

// What cells.hpp says of column col's cell (v: its answer); text: the cell as read, made from the
// number only when asked for (an error record, a kept column).
Cell item_cell(const SavRow& row, std::size_t col, const MissingCodes& codes, double& v, std::string& text, bool want_text) {
  if (row.kind[col] == sc::kMissing) return Cell::missing;
  if (row.kind[col] == sc::kText) {
    if (want_text) text.assign(row.text[col].data(), row.text[col].size());
    return parse_cell(row.text[col], codes, v);
  }
  char buf[40];
  Cell c;
  const bool plain = number_cell(row.num[col], codes, c, v);
  if (want_text || !plain) text.assign(buf, sc::number_text(row.num[col], buf));
  return plain ? c : parse_cell(text, codes, v);
}

// The item cells into xr; the first bad one is reported (its index returned), as read_item_cells.
std::int32_t read_sav_items(const Job& job, ChunkResult& res, const SavRow& row, const double (&small)[256], double* xr,
                            std::size_t r, std::int64_t line) {
  const auto& d = job.plan->data();
  std::string text;
  for (std::size_t i = 0; i < d.n_items; ++i) {
    const auto col = static_cast<std::size_t>(job.layout->item_col[i]);
    // The common cell is a small whole number: decided by one table lookup.
    if (row.kind[col] == sc::kSmall) {
      const double x = small[static_cast<int>(row.num[col]) + 128];
      if (!(x == kSlow)) {
        xr[i] = x;
        continue;
      }
    }
    double v = 0;
    const Cell c = item_cell(row, col, *job.codes, v, text, false);
    if (c == Cell::missing || (c == Cell::value && detail::answer_ok(v, d.data_min, d.data_max))) {
      if (c == Cell::value) xr[i] = v;
      continue;
    }
    item_cell(row, col, *job.codes, v, text, true);
    return judged_cell(job, res, c, v, text, xr[i], r, line, i);
  }
  return -1;
}

int count_invalid_sav(const Job& job, const SavRow& row) {
  const auto& d = job.plan->data();
  std::string text;
  int n = 0;
  for (int col : job.layout->item_col) {
    double v = 0;
    const Cell c = item_cell(row, static_cast<std::size_t>(col), *job.codes, v, text, false);
    if (c == Cell::not_a_number || (c == Cell::value && !detail::answer_ok(v, d.data_min, d.data_max))) ++n;
  }
  return n;
}

// The kept columns' text in ws.fields: numbers written out into `numbers` (room made first, so the
// views stay put).
void kept_fields(const Layout& L, const SavRow& row, Workspace& ws, std::string& numbers) {
  numbers.clear();
  numbers.reserve(40 * L.keep_col.size());
  for (int c : L.keep_col) {
    const auto col = static_cast<std::size_t>(c);
    ws.fields[col] = row.kind[col] == sc::kText ? row.text[col] : std::string_view();
    if (row.kind[col] != sc::kNumber && row.kind[col] != sc::kSmall) continue;
    char buf[40];
    const std::size_t n = sc::number_text(row.num[col], buf);
    ws.fields[col] = std::string_view(numbers.data() + numbers.size(), n);
    numbers.append(buf, n);
  }
}

}  // namespace

io::HeaderRead read_sav_header(std::FILE* in, const std::string& file, const BatchOptions& opt) {
  io::HeaderRead h;
  std::string buf;
  std::size_t pos = 0;
  const std::size_t need = 1 + opt.skip_rows;
  for (std::size_t records = 0; records < need;) {
    const std::size_t avail = buf.size() - pos;
    if (avail >= 4 && avail - 4 >= sc::read_u32(buf.data() + pos)) {
      const char* rec = buf.data() + pos + 4;
      const std::uint32_t len = sc::read_u32(buf.data() + pos);
      if (records == 0) {
        for (const char* p = rec; p < rec + len && *p == sc::kText;) {
          const std::uint32_t n = sc::read_u32(p + 1);
          h.header.emplace_back(p + 5, n);
          p += 5 + n;
        }
      } else {
        ++h.skipped;
      }
      pos += 4 + len;
      ++records;
      ++h.lines;
      continue;
    }
    if (h.eof) break;
    const std::size_t old = buf.size();
    buf.resize(old + batch::chunk_bytes(opt));
    const std::size_t got = std::fread(&buf[old], 1, batch::chunk_bytes(opt), in);
    buf.resize(old + got);
    h.bytes += got;
    if (got == 0) {
      if (std::ferror(in)) throw IoError(std::string("read failed: ") + std::strerror(errno), Location::in_file(file));
      h.eof = true;
    }
  }
  if (h.header.empty()) throw DataError("empty file: no header row", Location::in_file(file), "a header row naming the columns, then one row per person");
  h.rest = buf.substr(pos);
  return h;
}

void parse_sav_chunk(const Job& job, Workspace& ws, ChunkResult& res, const char* data, std::size_t size) {
  const Layout& L = *job.layout;
  const std::size_t P = job.plan->data().n_items;
  reset_workspace(job, ws, size);
  thread_local SavRow row;
  thread_local std::string numbers;
  row.resize(L.header.size());
  double small[256];
  fill_small_table(small, *job.codes, job.plan->data().data_min, job.plan->data().data_max);
  const bool count_cells = job.opt->quality || job.retain;
  std::int64_t line = 0;  // a case is a "line" of one, as the CSV reader counts them
  for (const char* p = data; p + 4 <= data + size; ++line) {
    const char* rec = p + 4;
    p = rec + std::min<std::size_t>(sc::read_u32(p), static_cast<std::size_t>(data + size - rec));
    row.decode(rec, p);
    const std::size_t r = ws.error_of.size();
    ws.row_line.push_back(line);
    if (ws.x.size() < (r + 1) * P) ws.x.resize(2 * (r + 1) * P);
    double* xr = &ws.x[r * P];
    for (std::size_t i = 0; i < P; ++i) xr[i] = kNaN;
    const std::int32_t err = read_sav_items(job, res, row, small, xr, r, line);
    if (err >= 0) for (std::size_t i = 0; i < P; ++i) xr[i] = kNaN;
    if (count_cells) ws.invalid.push_back(err < 0 ? 0 : count_invalid_sav(job, row));
    ws.error_of.push_back(err);
    kept_fields(L, row, ws, numbers);
    append_kept(L, ws, true, job.opt->format == OutputFormat::jsonl, false, job.opt->delimiter);
  }
  ws.kept.append(kTextSlack, '\0');  // past the last row's text (PaddedText, copy_short)
  res.newlines = static_cast<std::uint64_t>(line);
  res.rows = ws.error_of.size();
}

std::size_t sav_records_end(const char* buf, std::size_t n) {
  std::size_t at = 0;
  while (n - at >= 4 && n - at - 4 >= sc::read_u32(buf + at)) at += 4 + sc::read_u32(buf + at);
  return at;
}

}  // namespace attune::batch
