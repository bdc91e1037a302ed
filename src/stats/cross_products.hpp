#pragma once
// Sums of x_i x_j over many rows of small whole numbers, in 16-bit integer arithmetic: rows are
// packed two at a time (each 32-bit cell holds item i of row 2p and of row 2p + 1), so one SSE2
// pmaddwd gives four items' products for both rows, already added. Every partial sum is an exact
// integer, so the result equals the row-by-row sums in double bit for bit, in any grouping.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace attune::detail {

// Values with |x| <= 127: two products per 32-bit lane stay below 2^15, and a lane summed over
// kMaxPairs row pairs stays below 2^31.
constexpr int kPackedMaxAbs = 127;
constexpr std::size_t kMaxPairs = 32768;

// Rows of k values packed for add_packed_cross: width() cells per row pair (k rounded up to 8),
// cells past k are 0, and after seal() an odd last row is paired with a row of zeros.
class PackedRows {
 public:
  void reset(std::size_t k, std::size_t max_rows);
  std::size_t width() const { return width_; }
  std::size_t rows() const { return rows_; }
  std::size_t pairs() const { return (rows_ + 1) / 2; }
  // The next row's cells: set every value i < k with put(cells, i, v).
  std::int16_t* next_row() {
    std::int16_t* p = data_.data() + (rows_ / 2) * width_ * 2 + (rows_ & 1);
    ++rows_;
    return p;
  }
  // After the last row: an unpaired last row's partner may hold an earlier use's values.
  void seal() {
    if (!(rows_ & 1)) return;
    std::int16_t* p = data_.data() + (rows_ / 2) * width_ * 2 + 1;
    for (std::size_t i = 0; i < k_; ++i) p[2 * i] = 0;
  }
  static void put(std::int16_t* row, std::size_t i, int v) { row[2 * i] = static_cast<std::int16_t>(v); }
  // Two rows at once, after an even number of rows: all width() cells of the pair at the result
  // are to be written (put_byte_pair). With `second` false its second row is the padding of an
  // odd count (written as zeros).
  std::int16_t* next_pair(bool second) {
    std::int16_t* p = data_.data() + (rows_ / 2) * width_ * 2;
    rows_ += second ? 2 : 1;
    return p;
  }
  const std::int16_t* data() const { return data_.data(); }

 private:
  std::vector<std::int16_t> data_;
  std::size_t width_ = 0, k_ = 0, rows_ = 0;
};

// Writes rows a and b of k bytes each (whole numbers; -128, not answered, as 0; b null: zeros) as
// the `width` cells of one row pair at out (PackedRows::next_pair). Reads only a[0..k), b[0..k).
void put_byte_pair(const std::int8_t* a, const std::int8_t* b, std::size_t k, std::size_t width, std::int16_t* out);

// T[i * ld + j] += sum over the packed rows of x_i x_j, for i <= j < k (the upper triangle only).
void add_packed_cross(const PackedRows& rows, std::size_t k, double* T, std::size_t ld);

// freq[i * (vmax - vmin + 1) + (v - vmin)] += how many packed rows have value v at i, for i < k:
// one 16-bit compare per value and cell instead of a scattered increment per answer. Cells that
// were packed as 0 for a missing answer count as 0s (the caller takes them back out); the padding
// row of an odd count is left out.
void add_packed_counts(const PackedRows& rows, std::size_t k, int vmin, int vmax, double* freq);

}  // namespace attune::detail
