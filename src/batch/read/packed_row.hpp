#pragma once
// The packed fast path of the CSV reader: a row whose item cells are one character each, in one run
// of columns, recognised by the positions of its delimiters and read by table. Its plain twin is the
// general reader (parse_chunk.cpp); tests/test_batch.cpp checks that they agree on every shape.
// The pieces are forced inline: they were one function, and the per-row loop must stay one.
#include "../../io/csv.hpp"
#include "../cells.hpp"

#include <cstddef>
#include <string_view>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define ATTUNE_PACKED_INLINE inline __attribute__((always_inline))

namespace attune::batch {

// The columns before the item run, [0, first_item): their views, and where the items start; nullptr
// when the row ends before the items.
ATTUNE_PACKED_INLINE const char* packed_lead(const char* q, const char* end, char delimiter, std::string_view* fields,
                                             std::size_t first_item) {
  for (std::size_t c = 0; c < first_item; ++c) {
    const char* f = q;
    q = io::field_end(q, end, delimiter);
    if (q >= end || *q != delimiter) return nullptr;
    fields[c] = std::string_view(f, static_cast<std::size_t>(q - f));
    ++q;
  }
  return q;
}

// The columns after the items, [from, ncols), from `after`; nullptr when the row does not end as the
// header does.
ATTUNE_PACKED_INLINE const char* packed_rest(const char* after, const char* end, char delimiter, std::string_view* fields,
                                             std::size_t from, std::size_t ncols) {
  for (std::size_t c = from; c < ncols; ++c) {
    const char* f = after;
    after = io::field_end(after, end, delimiter);
    if (after >= end || *after != (c + 1 == ncols ? '\n' : delimiter)) return nullptr;
    fields[c] = std::string_view(f, static_cast<std::size_t>(after - f));
    ++after;
  }
  return after;
}

// Eight cells at a time from c while the next 16 bytes are "X,X,X,X,X,X,X,X," (no gap, no line feed)
// and none of them is the last cell; advances c and i past them. The plain twin reads none.
ATTUNE_PACKED_INLINE void packed_walk8(const char*& c, const char* end, std::size_t& i, std::size_t items, char delimiter,
                                       const int* item_of, const double* one_char, double* xr, bool& slow) {
#if defined(__SSE2__)
  const __m128i vd = _mm_set1_epi8(delimiter);
  const __m128i vn = _mm_set1_epi8('\n');
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
#else
  static_cast<void>(c), static_cast<void>(end), static_cast<void>(i), static_cast<void>(items), static_cast<void>(delimiter);
  static_cast<void>(item_of), static_cast<void>(one_char), static_cast<void>(xr), static_cast<void>(slow);
#endif
}

// The last item cell at c, which ends at `term` (the line feed when the items end the row); nullptr
// when it is not one character or empty, or when it or an earlier cell (`slow`) needs the general path.
ATTUNE_PACKED_INLINE const char* packed_last(const char* c, const char* end, char term, std::size_t items, bool slow,
                                             const int* item_of, const double* one_char, double* xr) {
  if (c >= end) return nullptr;
  const bool empty = *c == term;
  if (!empty && (c + 1 >= end || c[1] != term)) return nullptr;
  const double v = one_char[empty ? kEmptyCell : static_cast<unsigned char>(*c)];
  if (slow || v == kSlow) return nullptr;
  xr[item_of[items - 1]] = v;
  return c + (empty ? 1 : 2);
}

// Some cells empty (the usual gaps of a survey export): the cells from q are walked one by one, each
// empty or one character followed by its terminator, and eight at a time between the gaps. Returns
// the position after the item run's terminator, or nullptr (the general path takes the row).
ATTUNE_PACKED_INLINE const char* packed_walk(const char* q, const char* end, char delimiter, std::size_t items, bool last,
                                             const int* item_of, const double* one_char, double* xr) {
  const char* c = q;
  bool slow = false;  // a cell the table does not know: the general path judges (and reports) it
  for (std::size_t i = 0; i + 1 < items; ++i) {
    packed_walk8(c, end, i, items, delimiter, item_of, one_char, xr, slow);
    if (i + 1 >= items) break;
    if (c >= end) return nullptr;
    const bool empty = *c == delimiter;
    if (!empty && c[1] != delimiter) return nullptr;
    const double v = one_char[empty ? kEmptyCell : static_cast<unsigned char>(*c)];
    slow = slow || v == kSlow;
    xr[item_of[i]] = v;
    c += empty ? 1 : 2;
  }
  return packed_last(c, end, last ? '\n' : delimiter, items, slow, item_of, one_char, xr);
}

// Whether the span bytes from q are "X,X,...,X" and the terminator: delimiters exactly at the odd
// offsets, no line feed among them (16 bytes per compare).
ATTUNE_PACKED_INLINE bool packed_full(const char* q, char delimiter, std::size_t span, bool last) {
  std::size_t k = 0;
#if defined(__SSE2__)
  const __m128i vd = _mm_set1_epi8(delimiter);
  const __m128i vn = _mm_set1_epi8('\n');
  for (; k + 16 < span; k += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + k));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd)) != 0xAAAA || _mm_movemask_epi8(_mm_cmpeq_epi8(v, vn)) != 0) return false;
  }
#endif
  for (; k + 2 < span; k += 2) {
    if (q[k] == delimiter || q[k] == '\n' || q[k + 1] != delimiter) return false;
  }
  return !(q[span - 2] == delimiter || q[span - 2] == '\n' || q[span - 1] != (last ? '\n' : delimiter));
}

// Eight cells at a time converted in registers while all are within [digits[0], digits[1]]; returns
// how many items were converted (the table converts the rest). The plain twin converts none.
ATTUNE_PACKED_INLINE std::size_t packed_digits(const char* q, std::size_t items, const char* digits, double* xr) {
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
  static_cast<void>(q);
  static_cast<void>(items);
  static_cast<void>(digits);
  static_cast<void>(xr);
#endif
  return i;
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
  const char* q = packed_lead(p, end, delimiter, fields, first_item);
  if (!q || items == 0) return nullptr;
  // q is the first item cell: "X,X,...,X" then the line feed or the delimiter before the next
  // column; a character per item, 2 * items bytes with that terminator.
  const std::size_t span = 2 * items;
  const bool last = first_item + items == ncols;
  if (static_cast<std::size_t>(end - q) < span || !packed_full(q, delimiter, span, last)) {
    const char* c = packed_walk(q, end, delimiter, items, last, col_item + first_item, one_char, xr);
    if (!c) return nullptr;
    return last ? c : packed_rest(c, end, delimiter, fields, first_item + items, ncols);
  }
  const char* after = packed_rest(q + span, end, delimiter, fields, first_item + items, ncols);
  if (!after) return nullptr;
  for (std::size_t i = packed_digits(q, items, digits, xr); i < items; ++i) {
    const double v = one_char[static_cast<unsigned char>(q[2 * i])];
    if (v == kSlow) return nullptr;  // the general path judges (and reports) this cell
    xr[col_item[first_item + i]] = v;
  }
  return last ? q + span : after;
}

}  // namespace attune::batch
