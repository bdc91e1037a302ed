// Exact sums for reliability from answers as bytes (sums_scratch.hpp: add_byte_rows), with the
// same sums as ReliabilitySums::add_rows from doubles.
#include <attune/reliability.hpp>

#include "answered_count.hpp"
#include "byte_accumulator.hpp"
#include "cross_products.hpp"
#include "sums_scratch.hpp"

#include <algorithm>
#include <limits>

namespace attune::detail {

namespace {

// A slice's missing-cell corrections in 32-bit integers (n, x, x^2, each k x k).
struct ByteCorrections {
  std::int32_t *n, *x, *xx;
};

// For each missing item j of a partial row, the row's terms of every item i, which pairs (i, j) must not count.
inline void add_byte_corrections(const std::int8_t* xr, std::size_t n, SumsScratch& t, const ByteCorrections& c) {
  for (std::size_t i0 = 0; i0 < n; i0 += 16) {
    for (unsigned bits = missing_bits(xr, n, i0); bits; bits &= bits - 1) {
      const std::size_t j = i0 + static_cast<std::size_t>(__builtin_ctz(bits));
      t.missing[j] += 1;
      std::int32_t* cn = c.n + j * n;
      std::int32_t* cx = c.x + j * n;
      std::int32_t* cxx = c.xx + j * n;
      for (std::size_t i = 0; i < n; ++i) {
        const int v = xr[i] == kNotAnsweredByte ? 0 : xr[i];
        cn[i] += xr[i] == kNotAnsweredByte ? 0 : 1;
        cx[i] += v;
        cxx[i] += v * v;
      }
    }
  }
}

// The slice's packed rows into the sums, and its corrections into the double totals.
void add_byte_slice(ReliabilitySums& s, SumsScratch& t, PackedRows& comp16, PackedRows& part16, std::size_t nc, std::size_t np) {
  const std::size_t n = s.k();
  if (nc) {
    add_packed_cross(comp16, n, s.c_cross.data(), n);
    add_packed_counts(comp16, n, s.value_min, s.value_max, t.counts_c.data());
  }
  if (np) {
    add_packed_cross(part16, n, s.p_sxy.data(), n);
    // Missing cells were packed as 0s: counted as answers of 0 here, taken back out in finish_sums.
    add_packed_counts(part16, n, s.value_min, s.value_max, t.counts_p.data());
    const std::int32_t* c = t.corr32.data();
    for (std::size_t i = 0; i < n * n; ++i) {
      t.corr_n[i] += c[i];
      t.corr_x[i] += c[n * n + i];
      t.corr_xx[i] += c[2 * n * n + i];
    }
    std::fill(t.corr32.begin(), t.corr32.end(), 0);
  }
}

// No answer counts to take the per-item sums from: the doubles' path.
void add_bytes_as_doubles(ReliabilitySums& s, SumsScratch& t, const std::int8_t* x, std::size_t n_rows, std::uint8_t* complete) {
  const std::size_t n = s.k();
  t.as_double.resize(n_rows * n);
  for (std::size_t c = 0; c < n_rows * n; ++c)
    t.as_double[c] = x[c] == kNotAnsweredByte ? std::numeric_limits<double>::quiet_NaN() : x[c];
  s.add_rows(t.as_double.data(), n_rows, complete);
}
}  // namespace

// The packed path of add_rows(const double*) without the doubles: bytes go straight into the
// 16-bit row pairs, two rows at a time, and the missing cells' corrections are summed in 32-bit
// integers over a slice (at most 1024 x 127^2 per cell) before they join the double totals.
void add_byte_rows(ReliabilitySums& s, const std::int8_t* x, std::size_t n_rows, std::uint8_t* complete) {
  const std::size_t n = s.k();
  const std::size_t nv = n ? s.c_freq.size() / n : 0;
  SumsScratch& t = sums_scratch();
  if (n == 0 || nv == 0 || s.value_min < -127 || s.value_max > 127) return add_bytes_as_doubles(s, t, x, n_rows, complete);
  s.rows += static_cast<double>(n_rows);
  PackedRows& comp16 = t.packs[n].first;
  PackedRows& part16 = t.packs[n].second;
  t.start(n, s.c_freq.size(), s.p_freq.size(), n * nv);
  t.corr32.assign(3 * n * n, 0);
  const ByteCorrections corr{t.corr32.data(), t.corr32.data() + n * n, t.corr32.data() + 2 * n * n};
  double partial_rows = 0;
  for (std::size_t s0 = 0; s0 < n_rows; s0 += kSumsSlice) {
    const std::size_t s1 = std::min(n_rows, s0 + kSumsSlice);
    comp16.reset(n, s1 - s0);
    part16.reset(n, s1 - s0);
    const std::size_t w = comp16.width();
    const std::int8_t* wait_c = nullptr;  // a row waiting for its pair's second row
    const std::int8_t* wait_p = nullptr;
    std::size_t nc = 0, np = 0;
    for (std::size_t r = s0; r < s1; ++r) {
      const std::int8_t* xr = x + r * n;
      const std::size_t gaps = count_missing(xr, n);
      if (complete) complete[r] = gaps == 0;
      if (gaps == n) continue;
      s.rows_any += 1;
      const bool full = gaps == 0;
      const std::int8_t*& wait = full ? wait_c : wait_p;
      if (wait) {
        put_byte_pair(wait, xr, n, w, (full ? comp16 : part16).next_pair(true));
        wait = nullptr;
      } else {
        wait = xr;
      }
      if (full) {
        ++nc;
        continue;
      }
      add_byte_corrections(xr, n, t, corr);
      ++np;
    }
    if (wait_c) put_byte_pair(wait_c, nullptr, n, w, comp16.next_pair(false));
    if (wait_p) put_byte_pair(wait_p, nullptr, n, w, part16.next_pair(false));
    s.n_complete += static_cast<double>(nc);
    partial_rows += static_cast<double>(np);
    add_byte_slice(s, t, comp16, part16, nc, np);
  }
  finish_sums(s, t, true, partial_rows);
}

}  // namespace attune::detail
