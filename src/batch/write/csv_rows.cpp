// The CSV writer: each row written in place into the chunk's text, which is kept larger than the
// worst case of one row (no per-value append, no copy); columns in the order of output_columns().
// The pieces of a row are forced inline: `w` must stay in a register across the row (as a call, it
// would live in memory, since every char store may alias it, and be reloaded after each byte).
#include "../../number_format.hpp"
#include "../columns.hpp"
#include "padded_text.hpp"
#include "text_rows.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#define ATTUNE_ROW_INLINE inline __attribute__((always_inline))

namespace attune::batch {

namespace {

// Copies len bytes from src to dst, where the two may overlap. A short text (a number with its
// delimiter is almost always within 16 bytes) moves as one 16-byte block, loaded whole before it is
// stored: the source ends where the copy begins, and the row's size bound leaves room past it.
// Longer ones take memmove.
ATTUNE_ROW_INLINE void move_text(char* dst, const char* src, std::size_t len) {
  if (len <= 16) {
    char block[16];
    std::memcpy(block, src, 16);
    std::memcpy(dst, block, 16);
  } else {
    std::memmove(dst, src, len);
  }
}

// Copies a formatted number and its delimiter (len bytes at src) with the sign flipped.
ATTUNE_ROW_INLINE char* negate_copy(const char* src, std::size_t len, char* dst) {
  const std::size_t digits = len - 1;  // without the delimiter
  if (digits == 0 || (digits == 1 && src[0] == '0')) {
    move_text(dst, src, len);
    return dst + len;
  }
  if (src[0] == '-') {
    move_text(dst, src + 1, len - 1);
    return dst + len - 1;
  }
  *dst = '-';
  move_text(dst + 1, src, len);
  return dst + len + 1;
}

// A row took more than its bound (csv_row_bound): the table of columns and the CSV writer disagree,
// and bytes past the row's room may have been overwritten. A bug, never the data's fault.
[[noreturn]] __attribute__((cold, noinline)) void row_bound_broken() {
  std::fputs("attune: internal error: a CSV row outgrew the bound computed from its columns\n", stderr);
  std::abort();
}

// What every row of a chunk shares.
struct CsvShape {
  std::size_t S = 0;
  char dl = ',';
  bool projections = false;  // the profile's dimensions are the plane's projections (avoidant = -anxious)
  const PaddedText* categories = nullptr;
  const PaddedText* flags = nullptr;
  PaddedText method;
  std::size_t row_bound = 0;  // the most bytes the numbers and fixed texts of one row take (csv_row_bound)
  std::vector<ColumnRun> runs;  // the output's columns, group by group
};

// The scale columns: score, z, percentile per scale, through the repeated values' table when there is one.
template <class Fmt>
ATTUNE_ROW_INLINE char* csv_scales(char* w, const BlockScores& b, std::size_t r, std::size_t S, char dl, const Fmt& fmt,
                                   NumberTextCaches* texts) {
  auto cnum = [&](double x) __attribute__((always_inline)) {
    // NaN (an empty cell: no norms give no z, for one) skips the table: fmt writes nothing.
    w += texts && !std::isnan(x) ? texts->scores.put(x, w) : fmt(x, w);
    *w++ = dl;
  };
  for (std::size_t s = 0; s < S; ++s) {
    cnum(b.raw[r * S + s]);
    cnum(b.z[r * S + s]);
    cnum(b.percentile[r * S + s]);
  }
  return w;
}

// The profile columns: the four dimensions, category, confidence, method.
template <class Fmt>
ATTUNE_ROW_INLINE char* csv_profile(char* w, const BlockScores& b, std::size_t r, const CsvShape& shape, const Fmt& fmt) {
  const char dl = shape.dl;
  auto num = [&](double x) __attribute__((always_inline)) {
    w += fmt(x, w);
    *w++ = dl;
  };
  const double* dim = &b.dimensions[r * 4];
  if (shape.projections && dim[3] == -dim[0] && dim[2] == -dim[1]) {
    // On the plane, fearful = -secure and avoidant = -anxious: format each pair once. Checked per
    // row, so a method whose dimensions are not the plane's projections gets its own numbers.
    char* secure_text = w;
    num(dim[0]);
    char* anxious_text = w;
    num(dim[1]);
    w = negate_copy(anxious_text, static_cast<std::size_t>(w - anxious_text), w);
    w = negate_copy(secure_text, static_cast<std::size_t>(anxious_text - secure_text), w);
  } else {
    for (int c = 0; c < 4; ++c) num(dim[c]);
  }
  const PaddedText& cat = shape.categories[b.category[r] & 15u];
  w = copy_short(w, cat.text(), cat.len);
  *w++ = dl;
  num(b.confidence[r]);
  w = copy_short(w, shape.method.text(), shape.method.len);
  *w++ = dl;
  return w;
}

// Quality columns: indices, then the caught flags joined by '|' (never a delimiter or quote).
template <class Fmt>
ATTUNE_ROW_INLINE char* csv_quality(char* w, const QualityValues& q, const CsvShape& shape, const Fmt& fmt,
                                    NumberTextCaches* texts) {
  const char dl = shape.dl;
  auto num = [&](double x) __attribute__((always_inline)) {
    w += fmt(x, w);
    *w++ = dl;
  };
  auto whole = [&](int v) {
    if (v >= 0 && v < 100) {  // a run length or a count of cells: two digits at most, as a rule
      const int one = v < 10 ? 1 : 0;
      std::memcpy(w, &detail::kDigitPairs[2 * v + one], 2);
      w += 2 - one;
    } else if (v >= 100) {
      w += detail::format_fixed_d<0>(v, w);
    }
    *w++ = dl;
  };
  whole(q.longstring);
  num(q.irv);
  num(q.even_odd);
  num(q.synonyms);
  num(q.mahalanobis);
  num(q.mahalanobis_p);
  const double share = q.share_answered;
  w += texts && !std::isnan(share) ? texts->shares.put(share, w) : fmt(share, w);
  *w++ = dl;
  whole(q.out_of_range);
  const PaddedText& flags = shape.flags[q.flags];
  w = copy_short(w, flags.text(), flags.len);
  *w++ = dl;
  return w;
}

// The theta columns: theta and its standard error per IRT scale (empty when not estimated).
template <class Fmt>
ATTUNE_ROW_INLINE char* csv_theta(char* w, const double* v, std::size_t count, char dl, const Fmt& fmt) {
  for (std::size_t k = 0; k < count; ++k) {
    w += fmt(v[k], w);
    *w++ = dl;
  }
  return w;
}

// The norm columns: the row's cell (escaped once per chunk), then z and percentile per scale with norms.
template <class Fmt>
char* csv_norms(char* w, const RowNorms& n, char dl, const Fmt& fmt) {
  // An empty cell text may have no data pointer at all, which memcpy must not be given.
  if (!n.cell_text.empty()) std::memcpy(w, n.cell_text.data(), n.cell_text.size());
  w += n.cell_text.size();
  *w++ = dl;
  for (double v : n.values) {
    w += fmt(v, w);
    *w++ = dl;
  }
  return w;
}

CsvShape csv_shape(const Job& job) {
  const auto& d = job.plan->data();
  const BatchOptions& opt = *job.opt;
  CsvShape shape;
  shape.S = d.n_scales;
  shape.dl = opt.delimiter;
  shape.projections = d.method.type != ProfileMethodType::prototype;
  shape.categories = category_texts();
  shape.flags = quality_flag_texts();
  shape.method.set(d.method.name);
  shape.row_bound = csv_row_bound(*job.columns);
  shape.runs = column_runs(*job.columns);
  return shape;
}

// The extra columns and the notes of a row, escaped (the row's size bound must cover them).
void csv_row_texts(const RowWalk& walk, char dl, std::string& extra_csv, std::string& notes_csv) {
  extra_csv.clear();
  for (const RowCell& c : walk.extra_cells) {
    io::append_csv_field(extra_csv, c.text, dl);
    extra_csv.push_back(dl);
  }
  notes_csv.clear();
  if (!walk.notes.empty()) io::append_csv_field(notes_csv, walk.notes, dl);
}

// Formats a scored chunk's rows into res.text; fmt(x, w) writes a number with the run's decimals.
// texts: the repeated values' texts (NumberTexts, six decimals), or nullptr when fmt has other decimals.
template <class Fmt>
void format_csv_chunk(const Job& job, Workspace& ws, ChunkResult& res, const Fmt& fmt, NumberTextCaches* texts) {
  const CsvShape shape = csv_shape(job);
  const std::size_t rows = res.rows, S = shape.S;
  const char dl = shape.dl;
  std::string& out = res.text;
  if (job.texts) out = job.texts->take();
  // Grown with slack, so that the recycled text fits the next chunks without another zero-fill.
  const std::size_t guess = rows * (S * 3 * 10 + 4 * 10 + 40 + shape.method.len) + ws.kept.size() + shape.row_bound;
  if (out.size() < guess) out.resize(guess + guess / 4);
  std::size_t used = 0;
  std::string extra_csv, notes_csv;
  RowWalk walk(job, ws, res);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::string_view kept = walk.next(r);
    csv_row_texts(walk, dl, extra_csv, notes_csv);
    const std::size_t need = kept.size() + shape.row_bound + extra_csv.size() + (walk.notes.empty() ? 0 : 2 * walk.notes.size() + 3) + 1;
    if (out.size() - used < need) out.resize(std::max(2 * out.size(), used + need));
    char* const row = &out[used];
    char* w = row;
    for (const ColumnRun& run : shape.runs) {
      switch (run.group) {
        case ColumnGroup::row_number: break;  // global: added in order when the text is written
        case ColumnGroup::kept: w = copy_short(w, kept.data(), kept.size()); break;
        case ColumnGroup::scales: w = csv_scales(w, ws.scores, r, S, dl, fmt, texts); break;
        case ColumnGroup::profile: w = csv_profile(w, ws.scores, r, shape, fmt); break;
        case ColumnGroup::quality: w = csv_quality(w, ws.quality[r], shape, fmt, texts); break;
        case ColumnGroup::theta: w = csv_theta(w, &ws.theta[r * run.count], run.count, dl, fmt); break;
        case ColumnGroup::norms: w = csv_norms(w, walk.norms, dl, fmt); break;
        case ColumnGroup::extra: std::memcpy(w, extra_csv.data(), extra_csv.size()); w += extra_csv.size(); break;
        case ColumnGroup::notes: std::memcpy(w, notes_csv.data(), notes_csv.size()); w += notes_csv.size(); break;
      }
    }
    *w++ = '\n';
    if (static_cast<std::size_t>(w - row) > need) row_bound_broken();
    used = static_cast<std::size_t>(w - out.data());
    if (job.opt->row_numbers) res.row_end.push_back(static_cast<std::uint32_t>(used));
  }
  res.text_len = used;
}

}  // namespace

void format_rows(const Job& job, Workspace& ws, ChunkResult& res) {
  if (job.format) {
    job.format(job, ws, res);
  } else if (job.opt->format == OutputFormat::jsonl) {
    format_jsonl_rows(job, ws, res);
  } else if (job.opt->decimals == 6) {
    // The default six decimals with the formatter inlined into the row loop; others through a pointer.
    if (!ws.number_texts) ws.number_texts = std::make_unique<NumberTextCaches>();
    format_csv_chunk(job, ws, res, [](double x, char* w) __attribute__((always_inline)) { return detail::format_fixed_d<6>(x, w); },
                     ws.number_texts.get());
  } else {
    format_csv_chunk(job, ws, res, detail::fixed_formatter(job.opt->decimals), nullptr);
  }
  for (auto& e : res.errors) e.line = ws.row_line[static_cast<std::size_t>(e.row)];
}

}  // namespace attune::batch
