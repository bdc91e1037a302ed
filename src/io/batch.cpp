// Batch scoring: the calling thread reads the file in chunks cut at record boundaries, workers parse
// and score and format each chunk, and the calling thread writes the results in input order.
// Memory is bounded by (chunk size x chunks in flight), whatever the file's size.
#include <attune/batch.hpp>
#include <attune/error.hpp>
#include <attune/output_columns.hpp>
#include <attune/quality.hpp>
#include <attune/score.hpp>

#include "../number_format.hpp"
#include "../number_texts.hpp"
#include "../plan_data.hpp"
#include "../kernel.hpp"
#include "../simd/vec4.hpp"
#include "../validate_answer.hpp"
#include "column_map.hpp"
#include "csv.hpp"
#include "header_read.hpp"
#include "thread_pool.hpp"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__EMSCRIPTEN__)
#include <immintrin.h>
#endif

#include <array>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>

namespace attune {

namespace {

using io::RecordParser;
using io::RecordStatus;

// Cells that mean "not answered". Empty (or blank) cells always do; codes are declared by the user.
struct MissingCodes {
  std::vector<std::string> text;
  std::vector<double> numbers;
  bool digit_missing[10] = {};  // fast path: single-digit cells
  explicit MissingCodes(const std::vector<std::string>& codes) {
    for (const auto& c : codes) {
      text.push_back(c);
      double v = 0;
      auto r = std::from_chars(c.data(), c.data() + c.size(), v);
      if (r.ec == std::errc() && r.ptr == c.data() + c.size()) {
        numbers.push_back(v);
        if (v >= 0 && v <= 9 && v == static_cast<int>(v)) digit_missing[static_cast<int>(v)] = true;
      }
    }
  }
  bool text_match(std::string_view v) const {
    for (const auto& t : text) if (v == t) return true;
    return false;
  }
  bool number_match(double v) const {
    for (double n : numbers) if (v == n) return true;
    return false;
  }
};

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

enum class Cell { value, missing, not_a_number };

// Small integers are by far the common case: parse them directly, fall back to from_chars.
inline Cell parse_cell(std::string_view raw, const MissingCodes& codes, double& out) {
  std::string_view v = trim(raw);
  if (v.empty()) return Cell::missing;
  std::size_t i = 0;
  bool neg = false;
  if (v[0] == '-' || v[0] == '+') { neg = v[0] == '-'; i = 1; }
  if (i < v.size() && v.size() - i <= 9) {
    long acc = 0;
    std::size_t j = i;
    for (; j < v.size(); ++j) {
      unsigned d = static_cast<unsigned>(v[j] - '0');
      if (d > 9) break;
      acc = acc * 10 + static_cast<long>(d);
    }
    if (j == v.size()) {
      out = static_cast<double>(neg ? -acc : acc);
      return codes.number_match(out) ? Cell::missing : Cell::value;
    }
  }
  if (codes.text_match(v)) return Cell::missing;
  double d = 0;
  const char* b = v.data() + (v[0] == '+' ? 1 : 0);
  auto r = std::from_chars(b, v.data() + v.size(), d);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size() || std::isnan(d) || std::isinf(d)) {
    if (r.ec == std::errc::result_out_of_range) { out = neg ? -HUGE_VAL : HUGE_VAL; return Cell::value; }
    return Cell::not_a_number;
  }
  out = d;
  return codes.number_match(out) ? Cell::missing : Cell::value;
}

struct Layout {
  std::vector<std::string> header;
  std::vector<int> item_col;  // per item
  std::vector<int> col_item;  // per column: item index or -1
  std::vector<int> keep_col;  // columns copied to the output
};

// Bytes of whole records, with kChunkPadding readable bytes after `size` so vector loads never
// run off the allocation.
constexpr std::size_t kChunkPadding = 64;
struct Chunk {
  std::unique_ptr<char[]> data;
  std::size_t size = 0;
  std::size_t cap = 0;
  static Chunk make(std::size_t cap) {
    Chunk c;
    c.data.reset(new char[cap + kChunkPadding]);
    c.cap = cap;
    return c;
  }
  void grow(std::size_t new_cap) {
    std::unique_ptr<char[]> d(new char[new_cap + kChunkPadding]);
    std::memcpy(d.get(), data.get(), size);
    data = std::move(d);
    cap = new_cap;
  }
};

// A chunk's rows as parsed, kept compactly so that a later reading of the same file can score
// them without parsing them again (ParsedRows). Answers are whole numbers on a scale within
// -127..127, one byte each.
constexpr std::int8_t kMissing8 = kNotAnsweredByte;
struct ParsedChunk {
  std::uint64_t rows = 0, blank = 0, newlines = 0;
  std::uint64_t end = 0;                // the input offset just past the chunk
  std::vector<std::int8_t> answers;     // rows x items, kMissing8 = not answered
  std::string kept;                     // kept columns, escaped for the output format
  std::vector<std::uint32_t> kept_end;  // per row
  std::vector<std::int32_t> row_line;   // per row: local line offset where it starts; empty: row r on line r
  std::vector<RowError> errors;         // local, as parsed
  struct ErrorRow { std::uint32_t row; std::int32_t error; int invalid; };
  std::vector<ErrorRow> error_rows;     // rows that could not be scored
  std::size_t bytes() const {
    return sizeof *this + answers.capacity() + kept.capacity() + 4 * (kept_end.capacity() + row_line.capacity()) +
           errors.capacity() * (sizeof(RowError) + 64) + error_rows.capacity() * sizeof(ErrorRow);
  }
};

struct ChunkResult {
  std::string text;                  // the first text_len bytes are the chunk's output; the rest is
  std::size_t text_len = 0;          // room kept for the buffer's next use (never zero-filled again)
  std::vector<RowError> errors;      // row = local 0-based row, line = local line offset
  std::uint64_t rows = 0, scored = 0, noted = 0, blank = 0;
  std::uint64_t newlines = 0;  // every line feed in the chunk, blank lines' included
  std::exception_ptr fatal;
  std::vector<std::uint32_t> row_end;  // with row numbers: where each row's text ends
  std::vector<std::unique_ptr<ChunkAccumulator>> accumulated;  // one per BatchOptions::accumulators
  std::array<std::uint64_t, 8> quality_flagged{};
  std::uint64_t quality_any = 0;
  std::shared_ptr<ParsedChunk> parsed;  // with Job::retain: the chunk's parsed rows, for a later reading
  std::uint64_t begin = 0, end = 0;     // the chunk's bytes in the input, from where reading started
};

static_assert(kQualityFlags <= 8, "BatchSummary::quality_flagged holds 8 flags");

// Output texts handed back once written, so that a long run reuses the same few megabytes: a
// fresh std::string per chunk is zero-filled to its full size before a single row is written.
class TextRecycler {
 public:
  std::string take() {
    std::lock_guard<std::mutex> lock(mu_);
    if (texts_.empty()) return {};
    std::string t = std::move(texts_.back());
    texts_.pop_back();
    return t;
  }
  void give(std::string&& t) {
    if (t.capacity() == 0) return;
    std::lock_guard<std::mutex> lock(mu_);
    texts_.push_back(std::move(t));
  }

 private:
  std::mutex mu_;
  std::vector<std::string> texts_;
};

// Invalid answer cells of a row (for the out-of-range quality index); -1 when the row did not parse.
int count_invalid(const std::vector<std::string_view>& fields, const std::vector<int>& item_col, const MissingCodes& codes,
                  double lo, double hi) {
  int n = 0;
  for (int col : item_col) {
    double v = 0;
    const Cell c = parse_cell(fields[static_cast<std::size_t>(col)], codes, v);
    if (c == Cell::not_a_number || (c == Cell::value && !detail::answer_ok(v, lo, hi))) ++n;
  }
  return n;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// In the one-character table: the cell needs the general path (which judges and reports it).
constexpr double kSlow = -HUGE_VAL;
// The one-character table's entry for the empty cell, after the 256 bytes.
constexpr std::size_t kEmptyCell = 256;
constexpr std::size_t kOneCharTable = 257;

// io::split_line for the common record (no quotes, LF line ends) that also reads the item cells as
// it meets them: an empty or one-character cell is decided by `one_char` and stored in xr. `done`
// says every item cell was read that way (the row has the header's field count and no cell needs
// the general path), so the caller skips its own pass over the items.
inline const char* split_line_items(const char* p, const char* end, char delimiter, std::string_view* fields, std::size_t ncols,
                                    std::size_t& nfields, const int* col_item, const double* one_char, double* xr, bool& done) {
  nfields = 0;
  bool fast = true;
  p = io::for_each_field(p, end, delimiter, [&](const char* f, const char* sep) {
    const std::size_t len = static_cast<std::size_t>(sep - f);
    if (nfields <= ncols) fields[nfields] = std::string_view(f, len);
    if (nfields < ncols) {
      const int item = col_item[nfields];
      if (item >= 0) {
        const double v = len <= 1 ? one_char[len ? static_cast<unsigned char>(*f) : kEmptyCell] : kSlow;
        if (v == kSlow) fast = false;
        else xr[item] = v;
      }
    }
    ++nfields;
  });
  done = fast && nfields == ncols;
  return p;
}

// The most common export of all: every item in one run of columns, each answer one character,
// with a few other columns (an id, age, ...) before or after: "17,4,5,1,...,3,34,f\n". Such a
// row is recognised by the positions of its delimiters (16 bytes per compare) and its cells read
// by table, without visiting the item fields one by one; a row with empty item cells among the
// one-character ones is walked cell by cell instead. Returns the position after the row's LF, or
// nullptr when the row has any other shape (the caller then takes the general path).
//
// The item run is columns [first_item, first_item + items) of ncols; the other columns get their
// views in `fields` (the item cells do not). col_item as in Layout. Needs 16 readable bytes past end.
// digits: the characters [digits[0], digits[1]] are answers worth their digit (no missing code
// among them) and the item run is in plan order (column first_item + i is item i), so eight
// cells at a time are checked and converted in registers; digits[0] > digits[1] turns that off.
inline const char* read_packed_row(const char* p, const char* end, char delimiter, std::string_view* fields,
                                   std::size_t ncols, std::size_t first_item, std::size_t items, const int* col_item,
                                   const double* one_char, const char* digits, double* xr) {
  const char* q = p;
  for (std::size_t c = 0; c < first_item; ++c) {
    const char* f = q;
    q = io::field_end(q, end, delimiter);
    if (q >= end || *q != delimiter) return nullptr;
    fields[c] = std::string_view(f, static_cast<std::size_t>(q - f));
    ++q;
  }
  // q is the first item cell: "X,X,...,X" then the line feed or the delimiter before the next
  // column; a character per item, 2 * items bytes with that terminator.
  const std::size_t span = 2 * items;
  if (items == 0) return nullptr;
  const bool last = first_item + items == ncols;
  // The columns after the items, from `after`; nullptr when the row does not end as the header does.
  auto read_rest = [&](const char* after) -> const char* {
    for (std::size_t c = first_item + items; c < ncols; ++c) {
      const char* f = after;
      after = io::field_end(after, end, delimiter);
      if (after >= end || *after != (c + 1 == ncols ? '\n' : delimiter)) return nullptr;
      fields[c] = std::string_view(f, static_cast<std::size_t>(after - f));
      ++after;
    }
    return after;
  };
#if defined(__SSE2__)
  const __m128i vd = _mm_set1_epi8(delimiter);
  const __m128i vn = _mm_set1_epi8('\n');
#endif
  // Some cells empty (the usual gaps of a survey export): the cells are walked one by one, each
  // empty or one character followed by its terminator, and eight at a time between the gaps.
  auto walk = [&]() -> const char* {
    const char* c = q;
    const int* item_of = col_item + first_item;
    bool slow = false;  // a cell the table does not know: the general path judges (and reports) it
    for (std::size_t i = 0; i + 1 < items; ++i) {
#if defined(__SSE2__)
      // The next 16 bytes "X,X,X,X,X,X,X,X," (no gap, no line feed), none of them the last cell.
      while (i + 9 <= items && c + 16 <= end) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(c));
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd)) != 0xAAAA || _mm_movemask_epi8(_mm_cmpeq_epi8(v, vn)) != 0) break;
        for (std::size_t j = 0; j < 8; ++j) {
          const double x = one_char[static_cast<unsigned char>(c[2 * j])];
          slow = slow || x == kSlow;
          xr[item_of[i + j]] = x;
        }
        c += 16;
        i += 8;
      }
      if (i + 1 >= items) break;
#endif
      if (c >= end) return nullptr;
      const bool empty = *c == delimiter;
      if (!empty && c[1] != delimiter) return nullptr;
      const double v = one_char[empty ? kEmptyCell : static_cast<unsigned char>(*c)];
      slow = slow || v == kSlow;
      xr[item_of[i]] = v;
      c += empty ? 1 : 2;
    }
    // The last item cell ends at the line feed when the items end the row.
    const char term = last ? '\n' : delimiter;
    if (c >= end) return nullptr;
    const bool empty = *c == term;
    if (!empty && (c + 1 >= end || c[1] != term)) return nullptr;
    const double v = one_char[empty ? kEmptyCell : static_cast<unsigned char>(*c)];
    if (slow || v == kSlow) return nullptr;
    xr[item_of[items - 1]] = v;
    c += empty ? 1 : 2;
    return last ? c : read_rest(c);
  };
  if (static_cast<std::size_t>(end - q) < span) return walk();
  std::size_t k = 0;
#if defined(__SSE2__)
  for (; k + 16 < span; k += 16) {
    // Delimiters exactly at the odd offsets (after each character), no line feed.
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + k));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd)) != 0xAAAA || _mm_movemask_epi8(_mm_cmpeq_epi8(v, vn)) != 0) return walk();
  }
#endif
  for (; k + 2 < span; k += 2) {
    if (q[k] == delimiter || q[k] == '\n' || q[k + 1] != delimiter) return walk();
  }
  if (q[span - 2] == delimiter || q[span - 2] == '\n' || q[span - 1] != (last ? '\n' : delimiter)) return walk();
  const char* after = read_rest(q + span);
  if (!after) return nullptr;
  std::size_t i = 0;
#if defined(__SSE2__)
  if (digits[0] <= digits[1]) {
    const __m128i below = _mm_set1_epi8(static_cast<char>(digits[0] - 1));
    const __m128i above = _mm_set1_epi8(static_cast<char>(digits[1] + 1));
    const __m128i zero_char = _mm_set1_epi8('0');
    const __m128i low_bytes = _mm_set1_epi16(0x00FF);
    const __m128i zero = _mm_setzero_si128();
    for (; i + 8 <= items; i += 8) {
      // Cells at the even bytes of 16: all within the digits, or leave the rest to the table.
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 2 * i));
      const __m128i in = _mm_and_si128(_mm_cmpgt_epi8(v, below), _mm_cmplt_epi8(v, above));
      if ((_mm_movemask_epi8(in) & 0x5555) != 0x5555) break;
      const __m128i d16 = _mm_and_si128(_mm_sub_epi8(v, zero_char), low_bytes);  // eight 16-bit digits
      const __m128i lo = _mm_unpacklo_epi16(d16, zero), hi = _mm_unpackhi_epi16(d16, zero);
      _mm_storeu_pd(xr + i, _mm_cvtepi32_pd(lo));
      _mm_storeu_pd(xr + i + 2, _mm_cvtepi32_pd(_mm_shuffle_epi32(lo, 0x0E)));
      _mm_storeu_pd(xr + i + 4, _mm_cvtepi32_pd(hi));
      _mm_storeu_pd(xr + i + 6, _mm_cvtepi32_pd(_mm_shuffle_epi32(hi, 0x0E)));
    }
  }
#else
  static_cast<void>(digits);  // the plain twin converts every cell through the table below
#endif
  for (; i < items; ++i) {
    const double v = one_char[static_cast<unsigned char>(q[2 * i])];
    if (v == kSlow) return nullptr;  // the general path judges (and reports) this cell
    xr[col_item[first_item + i]] = v;
  }
  return last ? q + span : after;
}

struct Job {
  const ScoringPlan* plan;
  const Layout* layout;
  const BatchOptions* opt;
  const MissingCodes* codes;
  std::string file;
  std::atomic<bool>* cancel;
  bool collect_raw = false;  // statistics only (sample norms): skip formatting
  TextRecycler* texts = nullptr;
  bool retain = false;       // keep each chunk's parsed rows in ChunkResult::parsed
};

void append_number(std::string& out, double x, int decimals, bool json) {
  if (std::isnan(x)) {
    if (json) out += "null";
    return;
  }
  char buf[40];
  out.append(buf, detail::format_fixed(x, decimals, buf));
}

// Short texts copied into the output row as one fixed-size block (inlined register moves) rather
// than a call with a variable length: the output keeps far more room than that after each row.
constexpr std::size_t kTextSlack = 32;
struct PaddedText {
  std::string padded;  // the text and kTextSlack zeros
  std::size_t len = 0;
  void set(const std::string& t) {
    len = t.size();
    padded = t + std::string(kTextSlack, '\0');
  }
  const char* text() const { return padded.data(); }
};
// Copies len bytes from src (readable for at least kTextSlack bytes) to dst, which has room for
// kTextSlack bytes whatever len is.
inline char* copy_short(char* dst, const char* src, std::size_t len) {
  if (len <= kTextSlack) std::memcpy(dst, src, kTextSlack);
  else std::memcpy(dst, src, len);
  return dst + len;
}

// One table per column kind (see NumberTexts), per thread. The plane's projections and IRV have
// none: with a few thousand values each, their tables hit 82% of the time at best (21% for the
// projections with sample norms), which costs more than it saves (number_texts.hpp).
struct NumberTextCaches {
  using NumberTexts = detail::NumberTexts;
  NumberTexts scores{10};  // scale scores, their z and percentiles
  NumberTexts shares{6};   // share answered
};

std::string category_text(std::uint8_t bits) {
  std::string s;
  for (int c = 0; c < 4; ++c) {
    if (bits & (1u << c)) {
      if (!s.empty()) s += '|';
      s += to_string(static_cast<Category>(c));
    }
  }
  return s;
}

struct Workspace {
  RecordParser parser{','};
  std::vector<double> x;
  BlockScores scores;
  std::string kept;                    // already escaped for the output format
  std::vector<std::uint32_t> kept_end; // per row
  std::vector<std::int32_t> error_of;  // per row: index into errors, or -1
  std::vector<std::int64_t> row_line;  // per row: local line offset where it starts
  std::vector<std::string_view> fields;
  std::vector<std::uint8_t> scored;
  std::vector<int> invalid;                 // with quality: invalid answer cells per row
  std::vector<QualityValues> quality;       // with quality: per row
  QualityScorer::Workspace quality_ws;
  // The answers as bytes (kMissing8 = missing) when the response scale fits in one: for kept
  // rows and for accumulators that read bytes (ChunkAccumulator::add_bytes).
  std::vector<std::int8_t> bytes;
  bool have_bytes = false;
  std::unique_ptr<NumberTextCaches> number_texts;  // made at the first six-decimal CSV chunk
};

// Whole answers on a scale within -127..127 fit in a byte each.
bool answers_fit_bytes(const detail::PlanData& d) { return d.data_min >= -127 && d.data_max <= 127; }

Workspace& workspace() {
  thread_local Workspace ws;
  return ws;
}

// Reads a chunk's rows into the workspace: answers, kept columns, error records, lines.
void parse_chunk(const Job& job, Workspace& ws, ChunkResult& res, const char* chunk_data, std::size_t chunk_size) {
  const auto& d = job.plan->data();
  const Layout& L = *job.layout;
  const BatchOptions& opt = *job.opt;
  const bool json = opt.format == OutputFormat::jsonl;
  const std::size_t P = d.n_items;
  const std::size_t ncols = L.header.size();
  ws.parser = RecordParser(opt.delimiter);
  // Answers of the chunk's rows, P per row. Grown by doubling and never shrunk or cleared: a
  // resize per row would zero-fill every row before it is written.
  if (ws.x.size() < (chunk_size / (2 * P + 1) + 1) * P) ws.x.resize((chunk_size / (2 * P + 1) + 1) * P);
  ws.kept.clear();
  ws.kept_end.clear();
  ws.error_of.clear();
  ws.row_line.clear();
  ws.invalid.clear();
  ws.fields.resize(ncols + 1);

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
  const double lo = d.data_min, hi = d.data_max;
  const int* item_col = L.item_col.data();
  const int* col_item = L.col_item.data();
  const std::string_view* fields = ws.fields.data();
  // A one-character cell by its byte: the answer, NaN for not answered, or kSlow for anything the
  // general path must judge (and report). The empty cell has its own entry past the bytes: a cell
  // that is one NUL byte is not an empty cell but "not a number".
  double one_char[kOneCharTable];
  for (double& v : one_char) v = kSlow;
  one_char[kEmptyCell] = std::nan("");
  for (unsigned k = 0; k < 10; ++k) {
    if (job.codes->digit_missing[k]) one_char['0' + k] = std::nan("");
    else if (k >= lo && k <= hi) one_char['0' + k] = k;
  }
  // The packed layout (read_packed_row): the items fill one run of P columns and no kept column
  // is among them (the packed reader gives no views of item cells).
  std::size_t first_item = ncols;
  for (std::size_t i = 0; i < P; ++i) first_item = std::min(first_item, static_cast<std::size_t>(item_col[i]));
  bool packed = simple && P > 0 && first_item + P <= ncols;
  for (std::size_t c = first_item; packed && c < first_item + P; ++c) packed = col_item[c] >= 0;
  for (int c : L.keep_col) {
    const auto k = static_cast<std::size_t>(c);
    packed = packed && (k < first_item || k >= first_item + P);
  }
  // The digit characters the packed reader may convert in registers (see read_packed_row).
  char digits[2] = {'1', '0'};
  bool in_order = packed;
  for (std::size_t i = 0; in_order && i < P; ++i) in_order = col_item[first_item + i] == static_cast<int>(i);
  if (in_order && lo >= 0 && lo <= 9) {
    const int first = static_cast<int>(std::ceil(lo)), last = static_cast<int>(std::min(hi, 9.0));
    bool plain = first <= last;
    for (int k = first; plain && k <= last; ++k) plain = one_char['0' + k] == k;
    if (plain) { digits[0] = static_cast<char>('0' + first); digits[1] = static_cast<char>('0' + last); }
  }
  while (p < end) {
    // Blank lines are not rows (counted, never silently).
    if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {
      p += (*p == '\n') ? 1 : 2;
      ++line;
      ++res.blank;
      continue;
    }
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
    const char* packed_end = packed ? read_packed_row(p, end, dl, ws.fields.data(), ncols, first_item, P, col_item, one_char, digits, xr) : nullptr;
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
    std::int32_t err = -1;
    auto report = [&](std::int64_t col, std::string value, std::string reason, std::string expected, int item) {
      RowError e;
      e.row = static_cast<std::int64_t>(r);
      e.line = start_line;
      e.column = col + 1;
      if (col >= 0 && static_cast<std::size_t>(col) < ncols) e.column_name = L.header[static_cast<std::size_t>(col)];
      if (item >= 0) e.item = d.instrument.items[static_cast<std::size_t>(item)].id;
      if (value.size() > 200) value = value.substr(0, 200) + "...";
      e.value = std::move(value);
      e.reason = std::move(reason);
      e.expected = std::move(expected);
      err = static_cast<std::int32_t>(res.errors.size());
      res.errors.push_back(std::move(e));
    };
    if (st != RecordStatus::ok) {
      report(static_cast<std::int64_t>(ws.parser.error_field()) - 1, "", std::string("CSV syntax: ") + io::describe(st),
             "RFC 4180 quoting", -1);
      // Resynchronize at the next line feed: the rest of this line belongs to the broken record.
      // An unterminated quote too: the parser stops just after the opening quote, and reading on
      // from there would turn the rest of the line into an invented row.
      const char* nlp = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      p = nlp ? nlp + 1 : end;
      if (nlp) ++line;
      nfields = 0;
    } else if (nfields != ncols) {
      report(static_cast<std::int64_t>(std::min(nfields, ncols)), "",
             "row has " + std::to_string(nfields) + " fields, the header has " + std::to_string(ncols),
             std::to_string(ncols) + " fields", -1);
    } else if (!items_done) {
      for (std::size_t i = 0; i < P; ++i) {
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
          report(item_col[i], std::string(cell), "not a number",
                 detail::answer_expectation(lo, hi) + (opt.missing_codes.empty() ? "; declare missing codes with --missing" : ""),
                 static_cast<int>(i));
          break;
        } else if (c == Cell::value) {
          report(item_col[i], std::string(cell), detail::answer_problem(v, lo, hi), detail::answer_expectation(lo, hi),
                 static_cast<int>(i));
          break;
        }
      }
    }
    // Kept rows may be scored with quality columns later: their invalid cells are counted too.
    if (opt.quality || job.retain) {
      ws.invalid.push_back(err < 0 ? 0
                           : (st == RecordStatus::ok && nfields == ncols)
                               ? count_invalid(ws.fields, L.item_col, *job.codes, d.data_min, d.data_max)
                               : -1);
    }
    if (err >= 0) for (std::size_t i = 0; i < P; ++i) xr[i] = std::nan("");
    ws.error_of.push_back(err);
    // Kept columns, escaped now while the record's fields are at hand (empty when the row is broken).
    const bool fields_ok = nfields == ncols;
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
  ws.kept.append(kTextSlack, '\0');  // past the last row's text (PaddedText, copy_short)
  res.newlines = static_cast<std::uint64_t>(line);
  res.rows = ws.error_of.size();
}

// The chunk's answers as bytes (ws.bytes), from ws.x.
void answers_to_bytes(std::size_t rows, std::size_t P, Workspace& ws) {
  const std::size_t cells = rows * P;
  if (ws.bytes.size() < cells) ws.bytes.resize(cells);
  std::size_t k = 0;
#if defined(__SSE2__)
  // Eight at a time: a NaN converts to INT32_MIN, which the saturating packs turn into -128,
  // kMissing8, exactly as the scalar line below does it.
  for (; k + 8 <= cells; k += 8) {
    const double* x = ws.x.data() + k;
    const __m128i a = _mm_unpacklo_epi64(_mm_cvttpd_epi32(_mm_loadu_pd(x)), _mm_cvttpd_epi32(_mm_loadu_pd(x + 2)));
    const __m128i b = _mm_unpacklo_epi64(_mm_cvttpd_epi32(_mm_loadu_pd(x + 4)), _mm_cvttpd_epi32(_mm_loadu_pd(x + 6)));
    const __m128i w = _mm_packs_epi32(a, b);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(ws.bytes.data() + k), _mm_packs_epi16(w, w));
  }
#endif
  for (; k < cells; ++k) {
    const double v = ws.x[k];
    ws.bytes[k] = std::isnan(v) ? kMissing8 : static_cast<std::int8_t>(v);
  }
  ws.have_bytes = true;
}

// x[k] = b[k] as a double, NaN for kMissing8: eight at a time, sign-extended, converted, and the
// missing ones replaced by a lane mask (AVX2 where the CPU has it, SSE2 otherwise).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__EMSCRIPTEN__)
__attribute__((target("avx2"))) std::size_t bytes_to_doubles_avx2(const std::int8_t* b, std::size_t cells, double* x) {
  const __m256d missing = _mm256_set1_pd(static_cast<double>(kMissing8)), nan = _mm256_set1_pd(kNaN);
  std::size_t k = 0;
  for (; k + 8 <= cells; k += 8) {
    const __m256i w = _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(b + k)));
    const __m256d lo = _mm256_cvtepi32_pd(_mm256_castsi256_si128(w)), hi = _mm256_cvtepi32_pd(_mm256_extracti128_si256(w, 1));
    _mm256_storeu_pd(x + k, _mm256_blendv_pd(lo, nan, _mm256_cmp_pd(lo, missing, _CMP_EQ_OQ)));
    _mm256_storeu_pd(x + k + 4, _mm256_blendv_pd(hi, nan, _mm256_cmp_pd(hi, missing, _CMP_EQ_OQ)));
  }
  return k;
}
#endif

void bytes_to_doubles(const std::int8_t* b, std::size_t cells, double* x) {
  std::size_t k = 0;
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__EMSCRIPTEN__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) k = bytes_to_doubles_avx2(b, cells, x);
#endif
#if defined(__SSE2__)
  const __m128d missing = _mm_set1_pd(static_cast<double>(kMissing8)), nan = _mm_set1_pd(kNaN);
  for (; k + 8 <= cells; k += 8) {
    // Eight bytes sign-extended to 32 bits, converted two by two; -128 becomes NaN.
    const __m128i v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(b + k));
    const __m128i w = _mm_srai_epi16(_mm_unpacklo_epi8(v, v), 8);
    const __m128i lo = _mm_srai_epi32(_mm_unpacklo_epi16(w, w), 16), hi = _mm_srai_epi32(_mm_unpackhi_epi16(w, w), 16);
    const __m128i q[4] = {lo, _mm_shuffle_epi32(lo, 0x0E), hi, _mm_shuffle_epi32(hi, 0x0E)};
    for (int h = 0; h < 4; ++h) {
      const __m128d d = _mm_cvtepi32_pd(q[h]);
      const __m128d m = _mm_cmpeq_pd(d, missing);
      _mm_storeu_pd(x + k + 2 * static_cast<std::size_t>(h), _mm_or_pd(_mm_andnot_pd(m, d), _mm_and_pd(m, nan)));
    }
  }
#endif
  for (; k < cells; ++k) x[k] = b[k] == kMissing8 ? kNaN : static_cast<double>(b[k]);
}

// A parsed chunk, compact (see ParsedChunk); needs the bytes (answers_to_bytes).
std::shared_ptr<ParsedChunk> keep_parsed(const Job& job, const Workspace& ws, const ChunkResult& res) {
  const std::size_t P = job.plan->data().n_items, rows = res.rows;
  auto pc = std::make_shared<ParsedChunk>();
  pc->rows = rows;
  pc->blank = res.blank;
  pc->newlines = res.newlines;
  pc->answers.assign(ws.bytes.begin(), ws.bytes.begin() + static_cast<std::ptrdiff_t>(rows * P));
  pc->kept = ws.kept;
  pc->kept_end = ws.kept_end;
  // Row r starting on line r (no blank lines, no line feeds inside records) needs no table.
  bool one_line_each = true;
  for (std::size_t r = 0; r < rows && one_line_each; ++r) one_line_each = ws.row_line[r] == static_cast<std::int64_t>(r);
  if (!one_line_each) pc->row_line.assign(ws.row_line.begin(), ws.row_line.end());
  pc->errors = res.errors;
  for (std::size_t r = 0; r < rows; ++r) {
    if (ws.error_of[r] < 0) continue;
    pc->error_rows.push_back({static_cast<std::uint32_t>(r), ws.error_of[r], ws.invalid.empty() ? 0 : ws.invalid[r]});
  }
  return pc;
}

// The workspace as parse_chunk would have left it for a kept chunk (consumed).
void restore_parsed(const Job& job, Workspace& ws, ChunkResult& res, ParsedChunk& pc) {
  const std::size_t P = job.plan->data().n_items, rows = pc.rows;
  if (ws.x.size() < rows * P) ws.x.resize(rows * P);
  bytes_to_doubles(pc.answers.data(), rows * P, ws.x.data());
  ws.bytes.swap(pc.answers);
  ws.have_bytes = true;
  ws.kept = std::move(pc.kept);
  ws.kept_end = std::move(pc.kept_end);
  if (pc.row_line.empty()) {
    ws.row_line.resize(rows);
    for (std::size_t r = 0; r < rows; ++r) ws.row_line[r] = static_cast<std::int64_t>(r);
  } else {
    ws.row_line.assign(pc.row_line.begin(), pc.row_line.end());
  }
  ws.error_of.assign(rows, -1);
  ws.invalid.clear();
  if (job.opt->quality) ws.invalid.assign(rows, 0);
  for (const auto& e : pc.error_rows) {
    ws.error_of[e.row] = e.error;
    if (job.opt->quality) ws.invalid[e.row] = e.invalid;
  }
  res.errors = std::move(pc.errors);
  res.rows = rows;
  res.blank = pc.blank;
  res.newlines = pc.newlines;
}

// Scores, accumulates and formats the rows parse_chunk read.
// Formats a scored chunk's rows into res.text; fmt(x, w) writes a number with the run's decimals.
// texts: the repeated values' texts (NumberTexts, six decimals), or nullptr when fmt has other decimals.
template <class Fmt>
void format_chunk(const Job& job, Workspace& ws, ChunkResult& res, const Fmt& fmt, NumberTextCaches* texts) {
  const auto& d = job.plan->data();
  const BatchOptions& opt = *job.opt;
  const bool json = opt.format == OutputFormat::jsonl;
  const std::size_t S = d.n_scales;
  const char dl = opt.delimiter;
  const std::size_t rows = res.rows;
  std::string& out = res.text;
  if (job.texts) out = job.texts->take();
  const int dec = opt.decimals;
  const std::string& method = d.method.name;
  const std::size_t method_len = method.size();
  // CSV rows are written in place: `out` is sized ahead and `used` counts the bytes written.
  const std::size_t csv_row_bound = S * 3 * 34 + 4 * 34 + 64 + method_len + (opt.quality ? 8 * 34 + 128 : 0);
  std::size_t used = 0;
  std::string notes_csv;
  std::string extra_csv;  // one row's extra columns, escaped
  if (json) {
    out.clear();
    out.reserve(rows * (32 + S * 24 + 96) + ws.kept.size());
  } else {
    // Grown with slack, so that the recycled text fits the next chunks without another zero-fill.
    const std::size_t guess = rows * (S * 3 * 10 + 4 * 10 + 40 + method_len) + ws.kept.size() + csv_row_bound;
    if (out.size() < guess) out.resize(guess + guess / 4);
  }
  std::string notes;
  const bool projections = d.method.type != ProfileMethodType::prototype;
  const bool profile = d.has_profile;
  const std::array<std::string, 4> dims = dimension_columns(d.instrument);
  // Every category set (4 bits) and quality flag set (8 bits) as text, and the method's name.
  static const std::array<PaddedText, 16> category_texts = [] {
    std::array<PaddedText, 16> t;
    for (unsigned b = 0; b < 16; ++b) t[b].set(category_text(static_cast<std::uint8_t>(b)));
    return t;
  }();
  static const std::array<PaddedText, 256> flag_texts = [] {
    std::array<PaddedText, 256> t;
    for (unsigned b = 0; b < 256; ++b) {
      std::string s;
      for (int f = 0; f < kQualityFlags; ++f)
        if ((b >> f) & 1u) s += std::string(s.empty() ? "" : "|") + to_string(static_cast<QualityFlag>(f));
      t[b].set(s);
    }
    return t;
  }();
  PaddedText method_text;
  method_text.set(method);
  // Copies a formatted number and its delimiter (len bytes at src) with the sign flipped.
  // A short text (a number with its delimiter is almost always within 16 bytes) moves as one
  // 16-byte block, loaded whole before it is stored: the source ends where the copy begins, and
  // the row's size bound leaves room past it. Longer ones take memmove.
  auto move_text = [](char* dst, const char* src, std::size_t len) {
    if (len <= 16) {
      char block[16];
      std::memcpy(block, src, 16);
      std::memcpy(dst, block, 16);
    } else {
      std::memmove(dst, src, len);
    }
  };
  auto negate_copy = [&move_text](const char* src, std::size_t len, char* dst) {
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
  };
  // Extra columns (RowColumns): this chunk's own copy, and one row's cells.
  std::unique_ptr<RowColumns> extra = opt.extra_columns ? opt.extra_columns->fresh() : nullptr;
  const std::vector<std::string>* extra_names = extra ? &opt.extra_columns->names() : nullptr;
  std::vector<RowCell> extra_cells(extra_names ? extra_names->size() : 0);
  std::uint32_t kept_begin = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    const bool bad = ws.error_of[r] >= 0;
    if (extra) extra->cells(ws.scores, r, !bad, extra_cells.data());
    notes.clear();
    if (bad) {
      const RowError& e = res.errors[static_cast<std::size_t>(ws.error_of[r])];
      notes = "error: " + e.reason;
      if (!e.column_name.empty()) notes += " in column '" + e.column_name + "'";
      if (!e.value.empty()) notes += ", value '" + e.value + "'";
    } else {
      ++res.scored;
      for (std::size_t s = 0; s < S; ++s) {
        if (std::isnan(ws.scores.raw[r * S + s])) {
          if (!notes.empty()) notes += "; ";
          notes += d.instrument.scales[s].id + ": " + std::to_string(ws.scores.answered[r * S + s]) + " of " +
                   std::to_string(d.member_begin[s + 1] - d.member_begin[s]) + (d.derived[s] ? " scales" : " answered") +
                   ", minimum " + std::to_string(d.min_answered[s]);
        }
      }
      if (!notes.empty()) ++res.noted;
    }
    const std::uint32_t kept_end = ws.kept_end[r];
    const std::string_view kept(ws.kept.data() + kept_begin, kept_end - kept_begin);
    kept_begin = kept_end;
    if (json) {
      // With row numbers the writer opens the object with {"row":N, (numbers are global).
      bool first = true;
      if (!opt.row_numbers) out.push_back('{');
      auto key = [&](std::string_view k) {
        if (!first) out.push_back(',');
        first = false;
        io::append_json_string(out, k);
        out.push_back(':');
      };
      if (!kept.empty()) { if (!first) out.push_back(','); out.append(kept); first = false; }
      for (std::size_t s = 0; s < S; ++s) {
        const std::string& id = d.instrument.scales[s].id;
        key(id); append_number(out, ws.scores.raw[r * S + s], dec, true);
        key(id + "_z"); append_number(out, ws.scores.z[r * S + s], dec, true);
        key(id + "_pct"); append_number(out, ws.scores.percentile[r * S + s], dec, true);
      }
      if (profile) {
        for (int c = 0; c < 4; ++c) { key(dims[c]); append_number(out, ws.scores.dimensions[r * 4 + static_cast<std::size_t>(c)], dec, true); }
        key("category");
        std::string cat = category_text(ws.scores.category[r]);
        if (cat.empty()) out += "null"; else io::append_json_string(out, cat);
        key("confidence"); append_number(out, ws.scores.confidence[r], dec, true);
        key("method"); io::append_json_string(out, method);
      }
      if (opt.quality) {
        const QualityValues& q = ws.quality[r];
        key("longstring"); append_number(out, q.longstring < 0 ? std::nan("") : q.longstring, 0, true);
        key("irv"); append_number(out, q.irv, dec, true);
        key("even_odd"); append_number(out, q.even_odd, dec, true);
        key("synonyms"); append_number(out, q.synonyms, dec, true);
        key("mahalanobis"); append_number(out, q.mahalanobis, dec, true);
        key("mahalanobis_p"); append_number(out, q.mahalanobis_p, dec, true);
        key("share_answered"); append_number(out, q.share_answered, dec, true);
        key("out_of_range"); append_number(out, q.out_of_range < 0 ? std::nan("") : q.out_of_range, 0, true);
        key("quality_flags"); out.push_back('"');
        for (int f = 0, n = 0; f < kQualityFlags; ++f) {
          if (!((q.flags >> f) & 1u)) continue;
          if (n++) out.push_back('|');
          out += to_string(static_cast<QualityFlag>(f));
        }
        out.push_back('"');
      }
      for (std::size_t k = 0; k < extra_cells.size(); ++k) {
        key((*extra_names)[k]);
        const RowCell& c = extra_cells[k];
        if (c.text.empty()) out += "null";
        else if (c.number) out.append(c.text);
        else io::append_json_string(out, c.text);
      }
      key("notes");
      if (notes.empty()) out += "null"; else io::append_json_string(out, notes);
      out += "}\n";
    } else {
      // The row is written straight into the chunk's text, which is kept larger than the worst
      // case of one row: no per-value append, no copy.
      // Extra columns (RowColumns), escaped first so that the row's size bound covers them.
      extra_csv.clear();
      for (const RowCell& c : extra_cells) {
        io::append_csv_field(extra_csv, c.text, dl);
        extra_csv.push_back(dl);
      }
      const std::size_t need = kept.size() + csv_row_bound + extra_csv.size() + (notes.empty() ? 0 : 2 * notes.size() + 3) + 1;
      if (out.size() - used < need) out.resize(std::max(2 * out.size(), used + need));
      char* w = &out[used];
      w = copy_short(w, kept.data(), kept.size());
      // Inlined at each of its dozen uses: as a call, `w` would live in memory (every char store
      // may alias it) and be reloaded after each byte.
      auto num = [&](double x) __attribute__((always_inline)) {
        w += fmt(x, w);
        *w++ = dl;
      };
      // The same for a column whose values repeat, through its table when there is one.
      auto cnum = [&](detail::NumberTexts NumberTextCaches::*table, double x) __attribute__((always_inline)) {
        // NaN (an empty cell: no norms give no z, for one) skips the table: fmt writes nothing.
        w += texts && !std::isnan(x) ? (texts->*table).put(x, w) : fmt(x, w);
        *w++ = dl;
      };
      for (std::size_t s = 0; s < S; ++s) {
        cnum(&NumberTextCaches::scores, ws.scores.raw[r * S + s]);
        cnum(&NumberTextCaches::scores, ws.scores.z[r * S + s]);
        cnum(&NumberTextCaches::scores, ws.scores.percentile[r * S + s]);
      }
      const double* dim = &ws.scores.dimensions[r * 4];
      if (profile && projections) {
        // On the plane, fearful = -secure and avoidant = -anxious: format each pair once.
        char* secure_text = w;
        num(dim[0]);
        char* anxious_text = w;
        num(dim[1]);
        w = negate_copy(anxious_text, static_cast<std::size_t>(w - anxious_text), w);
        w = negate_copy(secure_text, static_cast<std::size_t>(anxious_text - secure_text), w);
      } else if (profile) {
        for (int c = 0; c < 4; ++c) num(dim[c]);
      }
      if (profile) {
        const PaddedText& cat = category_texts[ws.scores.category[r] & 15u];
        w = copy_short(w, cat.text(), cat.len);
        *w++ = dl;
        num(ws.scores.confidence[r]);
        w = copy_short(w, method_text.text(), method_text.len);
        *w++ = dl;
      }
      if (opt.quality) {
        // Quality columns: indices, then the caught flags joined by '|' (never a delimiter or quote).
        const QualityValues& q = ws.quality[r];
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
        cnum(&NumberTextCaches::shares, q.share_answered);
        whole(q.out_of_range);
        const PaddedText& flags = flag_texts[q.flags];
        w = copy_short(w, flags.text(), flags.len);
        *w++ = dl;
      }
      if (!extra_csv.empty()) {
        std::memcpy(w, extra_csv.data(), extra_csv.size());
        w += extra_csv.size();
      }
      if (!notes.empty()) {
        notes_csv.clear();
        io::append_csv_field(notes_csv, notes, dl);
        std::memcpy(w, notes_csv.data(), notes_csv.size());
        w += notes_csv.size();
      }
      *w++ = '\n';
      used = static_cast<std::size_t>(w - out.data());
    }
    if (opt.row_numbers) res.row_end.push_back(static_cast<std::uint32_t>(json ? out.size() : used));
  }
  res.text_len = json ? out.size() : used;
  for (auto& e : res.errors) e.line = ws.row_line[static_cast<std::size_t>(e.row)];
}

void finish_chunk(const Job& job, Workspace& ws, ChunkResult& res) {
  const auto& d = job.plan->data();
  const BatchOptions& opt = *job.opt;
  const std::size_t P = d.n_items, S = d.n_scales;
  const std::size_t rows = res.rows;
  // A statistics-only pass whose accumulators read only the answers has nothing to score.
  bool need_scores = !job.collect_raw;
  for (const ChunkAccumulator* acc : opt.accumulators) need_scores = need_scores || acc->reads_scores();
  if (need_scores) detail::score_block_validated(d, ws.x.data(), rows, ws.scores);
  else ws.scores.resize(rows, S);  // the accumulators' signature still hands them over
  if (!opt.accumulators.empty()) {
    ws.scored.resize(rows);
    for (std::size_t r = 0; r < rows; ++r) ws.scored[r] = ws.error_of[r] < 0 ? 1 : 0;
    for (ChunkAccumulator* acc : opt.accumulators) {
      auto a = acc->fresh();
      if (!(ws.have_bytes && a->add_bytes(ws.bytes.data(), rows, P, ws.scored.data(), ws.scores)))
        a->add(ws.x.data(), rows, P, ws.scored.data(), ws.scores);
      res.accumulated.push_back(std::move(a));
    }
  }
  if (job.collect_raw) return;  // statistics only: nothing to format
  if (opt.quality) {
    ws.quality.resize(rows);
    // Every row in blocks (an error row's answers are all missing), then error rows get theirs.
    opt.quality->score_rows(ws.x.data(), rows, ws.invalid.data(), ws.quality.data(), ws.quality_ws);
    for (std::size_t r = 0; r < rows; ++r) {
      QualityValues& q = ws.quality[r];
      if (ws.error_of[r] >= 0) opt.quality->score_error_row(ws.invalid[r], q);
      if (!q.flags) continue;  // most rows
      for (int f = 0; f < kQualityFlags; ++f) res.quality_flagged[static_cast<std::size_t>(f)] += (q.flags >> f) & 1u;
      res.quality_any += 1;
    }
  }

  // The default six decimals with the formatter inlined into the row loop; others through a pointer.
  if (opt.decimals == 6) {
    if (!ws.number_texts) ws.number_texts = std::make_unique<NumberTextCaches>();
    format_chunk(job, ws, res, [](double x, char* w) __attribute__((always_inline)) { return detail::format_fixed_d<6>(x, w); },
                 ws.number_texts.get());
  } else {
    format_chunk(job, ws, res, detail::fixed_formatter(opt.decimals), nullptr);
  }
}


ChunkResult process_chunk(const Job& job, const char* chunk_data, std::size_t chunk_size) {
  ChunkResult res;
  if (job.cancel->load()) return res;
  Workspace& ws = workspace();
  parse_chunk(job, ws, res, chunk_data, chunk_size);
  ws.have_bytes = false;
  const auto& d = job.plan->data();
  bool bytes = job.retain;
  for (const ChunkAccumulator* acc : job.opt->accumulators) bytes = bytes || acc->reads_bytes();
  if (bytes && answers_fit_bytes(d)) answers_to_bytes(res.rows, d.n_items, ws);
  if (job.retain) res.parsed = keep_parsed(job, ws, res);
  finish_chunk(job, ws, res);
  return res;
}

ChunkResult process_parsed(const Job& job, ParsedChunk& pc) {
  ChunkResult res;
  if (job.cancel->load()) return res;
  Workspace& ws = workspace();
  restore_parsed(job, ws, res, pc);
  finish_chunk(job, ws, res);
  return res;
}

// Reads the header (and skipped rows) and works out the layout. Leaves the unread rest in `buf`.
struct Head {
  Layout layout;
  std::string rest;
  std::uint64_t lines = 0;
  std::uint64_t bytes = 0;
  std::uint64_t skipped = 0;
  bool eof = false;
};

}  // namespace

struct ParsedRows::Impl {
  std::size_t budget = 0, used = 0;
  std::deque<std::shared_ptr<ParsedChunk>> chunks;
  std::uint64_t rows = 0;
  bool filled = false;   // a reading kept rows here (accumulate_csv)
  bool whole = false;    // every row up to the end of the input
  std::uint64_t resume = 0;  // where the first row not kept starts (offset from where reading started)
  void clear() {  // everything but the budget
    chunks.clear();
    used = 0;
    rows = 0;
    filled = whole = false;
    resume = 0;
  }
};

ParsedRows::ParsedRows(std::size_t budget_bytes) : impl_(std::make_unique<Impl>()) { impl_->budget = budget_bytes; }
ParsedRows::~ParsedRows() = default;
ParsedRows::ParsedRows(ParsedRows&&) noexcept = default;
ParsedRows& ParsedRows::operator=(ParsedRows&&) noexcept = default;
std::uint64_t ParsedRows::rows() const { return impl_->rows; }
bool ParsedRows::whole_file() const { return impl_->filled && impl_->whole; }
std::size_t ParsedRows::bytes() const { return impl_->used; }

namespace {

Head read_head(const ScoringPlan& plan, std::FILE* in, const std::string& file, const BatchOptions& opt, bool keep_columns) {
  check_batch_options(opt);
  io::HeaderRead r = io::read_header(in, file, opt);
  Head h;
  h.rest = std::move(r.rest);
  h.lines = r.lines;
  h.bytes = r.bytes;
  h.skipped = r.skipped;
  h.eof = r.eof;
  h.layout.header = std::move(r.header);
  const std::vector<std::string>& header = h.layout.header;
  try {
    h.layout.item_col = io::map_item_columns(plan, header, opt.mapping, file);
    if (keep_columns)
      for (const auto& k : opt.keep) h.layout.keep_col.push_back(io::find_column(header, k, file, "--keep"));
  } catch (const DataError& e) {
    // Its "(header: ...)" list would print the first person's answers.
    if (!io::header_looks_like_answers(header)) throw;
    throw DataError(e.message() + "; the first row looks like answers, not column names", e.where(),
                    "a header row naming the columns, then one row per person");
  }
  h.layout.col_item.assign(header.size(), -1);
  for (std::size_t i = 0; i < h.layout.item_col.size(); ++i) h.layout.col_item[static_cast<std::size_t>(h.layout.item_col[i])] = static_cast<int>(i);
  if (keep_columns) {
    if (opt.keep.empty() && opt.keep_id_column) {
      for (std::size_t c = 0; c < header.size(); ++c) {
        if (header[c] == "id" || header[c] == "ID" || header[c] == "Id") { h.layout.keep_col.push_back(static_cast<int>(c)); break; }
      }
    }
    std::vector<std::string> kept;
    for (int c : h.layout.keep_col) kept.push_back(header[static_cast<std::size_t>(c)]);
    const std::size_t first_kept = opt.row_numbers ? 1 : 0;
    io::check_unique_output(output_columns(plan, opt, kept), first_kept, first_kept + kept.size());
  }
  return h;
}

// Runs the pipeline, handing each chunk's result to `sink` in input order.
// With `replay`, its kept chunks are scored first (and released as they go), then the input is
// read from where they end (unless they reach the end). With `retain`, each chunk's parsed rows
// come back in ChunkResult::parsed.
template <class Sink>
void run_pipeline(const ScoringPlan& plan, std::FILE* in, const std::string& file, const BatchOptions& opt, Head& head,
                  bool collect_raw, Sink&& sink, bool retain = false, ParsedRows::Impl* replay = nullptr) {
  const MissingCodes codes(opt.missing_codes);
  std::atomic<bool> cancel{false};
  TextRecycler texts;
  Job job{&plan, &head.layout, &opt, &codes, file, &cancel, collect_raw, &texts, retain};
  unsigned threads = opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  io::ThreadPool pool(threads);
  std::deque<std::future<ChunkResult>> inflight;
  const std::size_t max_inflight = 2 * threads + 2;
  bool eof = head.eof;
  std::uint64_t bytes = head.bytes;
  auto drain_one = [&] {
    ChunkResult r = inflight.front().get();
    inflight.pop_front();
    try {
      sink(r, std::max(bytes, r.end));
      texts.give(std::move(r.text));
    } catch (...) {
      cancel = true;
      for (auto& f : inflight) f.wait();
      throw;
    }
  };
  // Each chunk owns its bytes (read straight into it, no zero-fill); the partial record at its end
  // is copied into the next chunk before it is handed to a worker.
  Chunk cur;
  auto fill = [&] {
    std::size_t got = std::fread(cur.data.get() + cur.size, 1, cur.cap - cur.size, in);
    if (got == 0) {
      if (std::ferror(in)) throw IoError(std::string("read failed: ") + std::strerror(errno), Location::in_file(file));
      eof = true;
    }
    cur.size += got;
    bytes += got;
  };
  if (replay) {
    while (!replay->chunks.empty()) {
      std::shared_ptr<ParsedChunk> pc = std::move(replay->chunks.front());
      replay->chunks.pop_front();
      const std::uint64_t end = pc->end;
      inflight.push_back(pool.submit([&job, pc = std::move(pc), end] {
        ChunkResult r = process_parsed(job, *pc);
        r.end = end;
        return r;
      }));
      while (inflight.size() >= max_inflight) drain_one();
    }
    if (replay->whole) {
      while (!inflight.empty()) drain_one();
      return;
    }
  }
  // The input offset of cur's first byte (from where reading started).
  std::uint64_t consumed = head.bytes - head.rest.size();
  cur = Chunk::make(std::max(opt.chunk_bytes, head.rest.size()) + opt.chunk_bytes);
  std::memcpy(cur.data.get(), head.rest.data(), head.rest.size());
  cur.size = head.rest.size();
  head.rest.clear();
  for (;;) {
    if (!eof && cur.size < opt.chunk_bytes) {
      if (cur.size == cur.cap) cur.grow(cur.cap * 2);
      fill();
      continue;
    }
    std::size_t cut = eof ? cur.size : io::last_record_end(cur.data.get(), cur.size);
    if (cut == 0) {
      if (eof) break;
      if (cur.size > opt.max_record_bytes) {
        cancel = true;
        for (auto& f : inflight) f.wait();
        Location where;
        where.file = file;
        throw LimitError("a record is longer than " + std::to_string(opt.max_record_bytes) + " bytes", where,
                         "records shorter than the limit (an unmatched quote can also cause this)");
      }
      cur.grow(cur.cap * 2);
      fill();
      continue;
    }
    Chunk next = Chunk::make(std::max(opt.chunk_bytes, cur.size - cut) + opt.chunk_bytes);
    next.size = cur.size - cut;
    std::memcpy(next.data.get(), cur.data.get() + cut, next.size);
    cur.size = cut;
    const std::uint64_t begin = consumed;
    consumed += cut;
    inflight.push_back(pool.submit([&job, chunk = std::make_shared<Chunk>(std::move(cur)), begin, end = consumed] {
      ChunkResult r = process_chunk(job, chunk->data.get(), chunk->size);
      r.begin = begin;
      r.end = end;
      return r;
    }));
    cur = std::move(next);
    while (inflight.size() >= max_inflight) drain_one();
    if (eof && cur.size == 0) break;
  }
  while (!inflight.empty()) drain_one();
}

// Makes a chunk's row errors global (row and line numbers) and reports them in input order, or
// throws the first one under ErrorPolicy::stop.
void report_chunk_errors(ChunkResult& r, std::uint64_t row_base, std::uint64_t line_base, const std::string& file,
                         ErrorPolicy policy, const std::function<void(const RowError&)>& on_error) {
  if (r.fatal) std::rethrow_exception(r.fatal);
  for (auto& e : r.errors) {
    e.row = static_cast<std::int64_t>(row_base) + e.row + 1;
    e.line = static_cast<std::int64_t>(line_base) + e.line + 1;
    if (policy == ErrorPolicy::stop) {
      Location where;
      where.file = file;
      where.row = e.row;
      where.line = e.line;
      where.column = e.column;
      where.column_name = e.column_name;
      where.item = e.item;
      where.value = e.value;
      if (e.item.empty()) throw DataError(e.reason, where, e.expected);
      throw AnswerError(e.reason, where, e.expected);
    }
    on_error(e);
  }
}

}  // namespace

std::vector<std::string> output_columns(const ScoringPlan& plan, const BatchOptions& opt, const std::vector<std::string>& kept) {
  std::vector<std::string> cols;
  if (opt.row_numbers) cols.push_back("row");
  for (const auto& k : kept) cols.push_back(k);
  for (const auto& s : plan.instrument().scales) {
    cols.push_back(s.id);
    cols.push_back(s.id + "_z");
    cols.push_back(s.id + "_pct");
  }
  if (plan.has_profile()) {
    for (const auto& c : dimension_columns(plan.instrument())) cols.push_back(c);
    for (const char* c : {"category", "confidence", "method"}) cols.push_back(c);
  }
  if (opt.quality) {
    for (const char* c : {"longstring", "irv", "even_odd", "synonyms", "mahalanobis", "mahalanobis_p", "share_answered",
                          "out_of_range", "quality_flags"})
      cols.push_back(c);
  }
  if (opt.extra_columns) for (const auto& c : opt.extra_columns->names()) cols.push_back(c);
  cols.push_back("notes");
  return cols;
}

BatchSummary score_csv(const ScoringPlan& plan, std::FILE* in, const std::string& file, std::FILE* out,
                       const BatchOptions& opt, const std::function<void(const RowError&)>& on_error, ParsedRows* kept) {
  BatchSummary sum;
  Head head = read_head(plan, in, file, opt, true);
  ParsedRows::Impl* replay = kept && kept->impl_->filled ? kept->impl_.get() : nullptr;
  if (replay && !replay->whole) {
    // On from the first row not kept: the header was read again for its layout, the rest is skipped.
    const auto skip = static_cast<long>(replay->resume) - static_cast<long>(head.bytes);
    if (std::fseek(in, skip, SEEK_CUR) != 0)
      throw IoError("cannot seek to the rows not kept from the first reading", Location::in_file(file));
    head.rest.clear();
    head.bytes = replay->resume;
    head.eof = false;
  }
  sum.rows_skipped = head.skipped;
  const std::uint64_t header_lines = head.lines;
  if (opt.format == OutputFormat::csv) {
    std::string h;
    std::vector<std::string> kept;
    for (int c : head.layout.keep_col) kept.push_back(head.layout.header[static_cast<std::size_t>(c)]);
    auto cols = output_columns(plan, opt, kept);
    for (std::size_t i = 0; i < cols.size(); ++i) {
      if (i) h.push_back(opt.delimiter);
      io::append_csv_field(h, cols[i], opt.delimiter);
    }
    h.push_back('\n');
    if (std::fwrite(h.data(), 1, h.size(), out) != h.size())
      throw IoError(std::string("write failed: ") + std::strerror(errno), Location::in_file(opt.output_name));
  }
  std::uint64_t line_base = header_lines;
  std::uint64_t row_base = 0;
  run_pipeline(plan, in, file, opt, head, false, [&](ChunkResult& r, std::uint64_t bytes) {
    report_chunk_errors(r, row_base, line_base, file, opt.on_error, on_error);
    if (opt.row_numbers) {
      // Row numbers are global, so the writer adds them in order.
      std::string numbered;
      numbered.reserve(r.text_len + r.rows * 16);
      const bool json = opt.format == OutputFormat::jsonl;
      std::uint32_t begin = 0;
      for (std::size_t k = 0; k < r.row_end.size(); ++k) {
        numbered += json ? "{\"row\":" : "";
        numbered += std::to_string(row_base + k + 1);
        numbered.push_back(json ? ',' : opt.delimiter);
        numbered.append(r.text, begin, r.row_end[k] - begin);
        begin = r.row_end[k];
      }
      r.text.swap(numbered);
      r.text_len = r.text.size();
    }
    if (r.text_len && std::fwrite(r.text.data(), 1, r.text_len, out) != r.text_len) {
      throw IoError(std::string("write failed: ") + std::strerror(errno), Location::in_file(opt.output_name));
    }
    for (std::size_t k = 0; k < r.accumulated.size(); ++k) opt.accumulators[k]->merge(*r.accumulated[k]);
    row_base += r.rows;
    line_base += r.newlines;  // blank lines included
    sum.rows_in += r.rows;
    sum.rows_scored += r.scored;
    sum.rows_reported += r.errors.size();
    sum.rows_with_notes += r.noted;
    for (std::size_t f = 0; f < r.quality_flagged.size(); ++f) sum.quality_flagged[f] += r.quality_flagged[f];
    sum.quality_any += r.quality_any;
    sum.blank_lines += r.blank;
    sum.bytes_in = bytes;
    if (opt.progress) opt.progress(sum.rows_in, bytes);
  }, false, replay);
  if (replay) replay->clear();  // consumed
  return sum;
}

namespace {

// Sums for sample norms and sample reliability. Item sums are integer-valued, hence exact in any
// order; the scale-score sums are rounded in the last bits, which is immaterial for norms.
class SampleStats : public ChunkAccumulator {
 public:
  explicit SampleStats(const detail::PlanData& d) : d_(d), S_(d.n_scales) {
    n_.assign(S_, 0); sum_.assign(S_, 0); sum2_.assign(S_, 0);
    complete_.assign(S_, 0); item_sum_.assign(d.member_index.size(), 0); item_sum2_.assign(d.member_index.size(), 0);
    total_sum_.assign(S_, 0); total_sum2_.assign(S_, 0);
  }
  std::unique_ptr<ChunkAccumulator> fresh() const override { return std::make_unique<SampleStats>(d_); }
  void add(const double* x, std::size_t rows, std::size_t items, const std::uint8_t* scored, const BlockScores& b) override {
    for (std::size_t r = 0; r < rows; ++r) {
      if (!scored[r]) continue;
      const double* xr = x + r * items;
      for (std::size_t s = 0; s < S_; ++s) {
        const double v = b.raw[r * S_ + s];
        if (!std::isnan(v)) {
          const double inst = d_.metric_k * v + d_.metric_b[s];
          n_[s] += 1; sum_[s] += inst; sum2_[s] += inst * inst;
        }
        if (d_.derived[s]) continue;
        // Cronbach's alpha on the rows that answered every item of the scale.
        bool complete = true;
        for (std::uint32_t k = d_.member_begin[s]; k < d_.member_begin[s + 1] && complete; ++k) complete = !std::isnan(xr[d_.member_index[k]]);
        if (!complete) continue;
        double t = 0;
        for (std::uint32_t k = d_.member_begin[s]; k < d_.member_begin[s + 1]; ++k) {
          const double xv = xr[d_.member_index[k]];
          const double keyed = d_.member_reverse[k] ? d_.reverse_sum - xv : xv;
          item_sum_[k] += keyed; item_sum2_[k] += keyed * keyed; t += keyed;
        }
        complete_[s] += 1; total_sum_[s] += t; total_sum2_[s] += t * t;
      }
    }
  }
  void merge(ChunkAccumulator& other) override {
    auto& o = static_cast<SampleStats&>(other);
    for (std::size_t s = 0; s < S_; ++s) {
      n_[s] += o.n_[s]; sum_[s] += o.sum_[s]; sum2_[s] += o.sum2_[s];
      complete_[s] += o.complete_[s]; total_sum_[s] += o.total_sum_[s]; total_sum2_[s] += o.total_sum2_[s];
    }
    for (std::size_t k = 0; k < item_sum_.size(); ++k) { item_sum_[k] += o.item_sum_[k]; item_sum2_[k] += o.item_sum2_[k]; }
  }
  std::map<std::string, Norm> norms() const {
    std::map<std::string, Norm> out;
    for (std::size_t s = 0; s < S_; ++s) {
      if (n_[s] < 2) continue;
      Norm nm;
      nm.mean = sum_[s] / n_[s];
      nm.sd = std::sqrt(std::max(0.0, (sum2_[s] - n_[s] * nm.mean * nm.mean) / (n_[s] - 1)));
      nm.n = static_cast<long>(n_[s]);
      const double c = complete_[s];
      const std::uint32_t k0 = d_.member_begin[s], k1 = d_.member_begin[s + 1];
      if (!d_.derived[s] && k1 - k0 >= 2 && c >= 2) {
        double item_var = 0;
        for (std::uint32_t k = k0; k < k1; ++k) item_var += (item_sum2_[k] - item_sum_[k] * item_sum_[k] / c) / (c - 1);
        const double total_var = (total_sum2_[s] - total_sum_[s] * total_sum_[s] / c) / (c - 1);
        const double items = k1 - k0;
        if (total_var > 0) nm.alpha = items / (items - 1) * (1 - item_var / total_var);
      }
      if (nm.sd > 0) out[d_.instrument.scales[s].id] = nm;
    }
    return out;
  }

 private:
  const detail::PlanData& d_;
  std::size_t S_;
  std::vector<double> n_, sum_, sum2_, complete_, item_sum_, item_sum2_, total_sum_, total_sum2_;
};

}  // namespace

std::map<std::string, Norm> sample_norms(const ScoringPlan& plan, std::FILE* in, const std::string& file, const BatchOptions& opt) {
  BatchOptions o = opt;
  o.keep.clear();
  o.row_numbers = false;
  SampleStats stats(plan.data());
  o.accumulators = {&stats};
  Head head = read_head(plan, in, file, o, false);
  run_pipeline(plan, in, file, o, head, true, [&](ChunkResult& r, std::uint64_t) {
    for (std::size_t k = 0; k < r.accumulated.size(); ++k) o.accumulators[k]->merge(*r.accumulated[k]);
  });
  return stats.norms();
}

// Statistics only (reliability, sample moments): the same reading, validation and error records
// as score_csv, but nothing is formatted or written.
BatchSummary accumulate_csv(const ScoringPlan& plan, std::FILE* in, const std::string& file, const BatchOptions& opt,
                            const std::function<void(const RowError&)>& on_error, ParsedRows* keep) {
  BatchOptions o = opt;
  // Rows kept for score_csv are parsed as it would parse them, kept columns included.
  if (!keep) o.keep.clear();
  o.row_numbers = false;
  BatchSummary sum;
  Head head = read_head(plan, in, file, o, keep != nullptr);
  sum.rows_skipped = head.skipped;
  std::uint64_t line_base = head.lines, row_base = 0;
  const auto& d = plan.data();
  ParsedRows::Impl* kp = keep ? keep->impl_.get() : nullptr;
  if (kp) {
    kp->clear();
    kp->filled = true;
  }
  // One byte per answer holds every scale within -127..127.
  const bool retain = kp && kp->budget > 0 && answers_fit_bytes(d);
  bool full = !retain;
  const std::uint64_t first_row = head.bytes - head.rest.size();  // where the data rows start
  run_pipeline(plan, in, file, o, head, true, [&](ChunkResult& r, std::uint64_t bytes) {
    if (kp && !full) {
      if (r.parsed && kp->used + r.parsed->bytes() <= kp->budget) {
        r.parsed->end = r.end;
        kp->used += r.parsed->bytes();
        kp->rows += r.parsed->rows;
        kp->chunks.push_back(std::move(r.parsed));
      } else {
        full = true;  // this chunk and every later one are read again
        kp->resume = r.begin;
      }
    }
    r.parsed.reset();
    report_chunk_errors(r, row_base, line_base, file, o.on_error, on_error);
    for (std::size_t k = 0; k < r.accumulated.size(); ++k) o.accumulators[k]->merge(*r.accumulated[k]);
    row_base += r.rows;
    line_base += r.newlines;  // blank lines included
    sum.rows_in += r.rows;
    sum.rows_scored += r.rows - r.errors.size();
    sum.rows_reported += r.errors.size();
    sum.blank_lines += r.blank;
    sum.bytes_in = bytes;
    if (o.progress) o.progress(sum.rows_in, bytes);
  }, retain);
  if (kp) {
    kp->whole = !full;
    if (!retain) kp->resume = first_row;  // nothing kept: from the first row
  }
  return sum;
}

}  // namespace attune
