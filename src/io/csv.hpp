#pragma once
// RFC 4180 records: quoted fields with "" escapes, embedded delimiters and newlines, CRLF or LF.
// Fields point into the input where they can and into a scratch buffer where quotes were undone,
// so parsing a record allocates nothing once the buffers are warm.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../text/json_escape.hpp"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace attune::io {

struct FieldRef {
  std::uint32_t begin = 0;
  std::uint32_t size = 0;
  bool in_scratch = false;
};

enum class RecordStatus {
  ok,
  unterminated_quote,     // a quoted field runs to the end of the input
  text_after_quote,       // "abc"x : characters between a closing quote and the delimiter
  quote_in_unquoted,      // ab"c : a quote inside an unquoted field
  lone_cr,                // a carriage return not followed by a line feed
};

const char* describe(RecordStatus s);

class RecordParser {
 public:
  explicit RecordParser(char delimiter) : delim_(delimiter) {}

  // Parses one record starting at p (p < end). On return p is past the record's terminator.
  // newlines receives the number of line feeds consumed (inside quotes included).
  RecordStatus parse(const char*& p, const char* end, int& newlines);

  std::size_t field_count() const { return fields_.size(); }
  std::string_view field(std::size_t i, const char* base) const {
    const FieldRef& f = fields_[i];
    return f.in_scratch ? std::string_view(scratch_.data() + f.begin, f.size) : std::string_view(base + f.begin, f.size);
  }
  // The column (1-based) where parsing stopped, for syntax error messages. parse() has already
  // pushed the broken field when it reports an error, so that field is the last one.
  std::size_t error_field() const { return fields_.empty() ? 1 : fields_.size(); }
  void set_base(const char* base) { base_ = base; }

 private:
  char delim_;
  const char* base_ = nullptr;
  std::vector<FieldRef> fields_;
  std::string scratch_;
};

// Where the last complete record in buf[0, n) ends, given whether buf starts inside quotes (it never
// does when cut by this function). Returns 0 when no record terminator is there.
std::size_t last_record_end(const char* buf, std::size_t n);

#if defined(__SSE2__)
// Bit i set when q[i] is the delimiter (vd) or a line feed (vn), for the 16 bytes at q.
inline unsigned separator_bits(const char* q, __m128i vd, __m128i vn) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, vd), _mm_cmpeq_epi8(v, vn))));
}
#endif

// The end of the field at p: the first delimiter or line feed, or end. 16 bytes per compare while
// they lie before end (an id or a date is often longer than a handful of bytes); reads nothing
// past end.
inline const char* field_end(const char* p, const char* end, char delimiter) {
#if defined(__SSE2__)
  const __m128i vd = _mm_set1_epi8(delimiter), vn = _mm_set1_epi8('\n');
  for (; p + 16 <= end; p += 16) {
    if (const unsigned m = separator_bits(p, vd, vn)) return p + __builtin_ctz(m);
  }
#endif
  while (p < end && *p != delimiter && *p != '\n') ++p;
  return p;
}

// Walks one line with no quotes and no CR, calling field(begin, end) for each field in order;
// returns the position after its LF (or `end`). Needs 16 readable bytes past `end` (SSE2 loads).
template <class Field>
inline const char* for_each_field(const char* p, const char* end, char delimiter, Field&& field) {
  const char* f = p;
#if defined(__SSE2__)
  // Sixteen bytes at a time: a bit per delimiter or line feed, visited in order.
  const __m128i vd = _mm_set1_epi8(delimiter);
  const __m128i vn = _mm_set1_epi8('\n');
  for (const char* q = p; q < end; q += 16) {
    unsigned m = separator_bits(q, vd, vn);
    while (m) {
      const char* sep = q + __builtin_ctz(m);
      m &= m - 1;
      if (sep >= end) break;
      field(f, sep);
      if (*sep == '\n') return sep + 1;
      f = sep + 1;
    }
  }
#else
  for (const char* q = p; q < end; ++q) {
    if (*q == delimiter || *q == '\n') {
      field(f, q);
      if (*q == '\n') return q + 1;
      f = q + 1;
    }
  }
#endif
  field(f, end);
  return end;
}

// Splits one line with no quotes and no CR at delimiters, stopping after its LF (or at end).
// Stores up to `cap` field views; nfields gets the true count. Needs 16 readable bytes past `end`.
const char* split_line(const char* p, const char* end, char delimiter, std::string_view* fields, std::size_t cap,
                       std::size_t& nfields);

// Quotes a field for CSV output when it needs it.
void append_csv_field(std::string& out, std::string_view v, char delimiter);
// JSON Lines output escapes as the result JSON does (src/text/json_escape.hpp).
using text::append_json_string;

}  // namespace attune::io
