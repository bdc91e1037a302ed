// Exact sums for reliability from rows of doubles: gathered per chunk, merged in input order (see
// reliability.hpp). The byte path is in reliability_bytes.cpp, the accumulator in reliability_accumulator.cpp.
#include <attune/reliability.hpp>

#include "answered_count.hpp"
#include "cross_products.hpp"
#include "sums_scratch.hpp"
#include "../simd/vec4.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace attune {

namespace detail {

SumsScratch& sums_scratch() {
  thread_local SumsScratch t;
  return t;
}

void finish_sums(ReliabilitySums& s, SumsScratch& t, bool by_counts, double partial_rows) {
  const std::size_t n = s.k(), nv = s.c_freq.size() / n;
  for (std::size_t v = 0; v < t.cf.size(); ++v) s.c_freq[v] += t.cf[v];
  for (std::size_t v = 0; v < t.pf.size(); ++v) s.p_freq[v] += t.pf[v];
  if (by_counts) {
    const std::size_t zero = s.value_min <= 0 && s.value_max >= 0 ? static_cast<std::size_t>(-s.value_min) : nv;
    for (std::size_t i = 0; i < n; ++i) {
      if (zero < nv) t.counts_p[i * nv + zero] -= t.missing[i];
      double sc = 0, sp = 0, sp2 = 0;
      for (std::size_t u = 0; u < nv; ++u) {
        const double value = s.value_min + static_cast<double>(u);
        sc += value * t.counts_c[i * nv + u];
        sp += value * t.counts_p[i * nv + u];
        sp2 += value * value * t.counts_p[i * nv + u];
        s.c_freq[i * nv + u] += t.counts_c[i * nv + u];
        s.p_freq[i * nv + u] += t.counts_p[i * nv + u];
      }
      s.c_sum[i] += sc;
      t.tot_n[i] = partial_rows - t.missing[i];
      t.tot_x[i] = sp;
      t.tot_xx[i] = sp2;
    }
  }
  if (partial_rows > 0) {
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        s.p_n[i * n + j] += t.tot_n[i] - t.corr_n[j * n + i];
        s.p_sx[i * n + j] += t.tot_x[i] - t.corr_x[j * n + i];
        s.p_sxx[i * n + j] += t.tot_xx[i] - t.corr_xx[j * n + i];
      }
    }
  }
}

}  // namespace detail

namespace {
using detail::count_answered;

// What one call of add_rows(const double*) decided, for the steps of each slice of rows.
struct DoublePass {
  ReliabilitySums& s;
  detail::SumsScratch& t;
  std::size_t n, nv;
  bool packed, by_counts;
  detail::PackedRows& comp16;
  detail::PackedRows& part16;
};

// A complete row into the slice's complete rows (and its per-item sums and counts when the
// packed counts do not give them).
inline void put_complete_row(DoublePass& p, const double* xr, std::size_t nc) {
  const std::size_t n = p.n, nv = p.nv;
  ReliabilitySums& s = p.s;
  if (!p.by_counts) for (std::size_t i = 0; i < n; ++i) s.c_sum[i] += xr[i];
  if (p.packed) {
    std::int16_t* c = p.comp16.next_row();
    for (std::size_t i = 0; i < n; ++i) detail::PackedRows::put(c, i, static_cast<int>(xr[i]));
  } else {
    std::copy(xr, xr + n, &p.t.comp[nc * n]);
  }
  if (nv && !p.packed) for (std::size_t i = 0; i < n; ++i) p.t.cf[i * nv + static_cast<std::size_t>(static_cast<int>(xr[i]) - s.value_min)] += 1;
}

// For each missing item j of a partial row, the row's terms of every item i, which pairs (i, j)
// must not count. Kept transposed (row j, contiguous in i) so that each is one vector add along the row.
inline void add_missing_corrections(detail::SumsScratch& t, const double* p, std::size_t n) {
  for (std::size_t j = 0; j < n; ++j) {
    if (t.pok[j] != 0) continue;
    t.missing[j] += 1;
    double* cn = &t.corr_n[j * n];
    double* cx = &t.corr_x[j * n];
    double* cxx = &t.corr_xx[j * n];
    for (std::size_t i = 0; i < n; ++i) {
      cn[i] += t.pok[i];
      cx[i] += p[i];
      cxx[i] += t.psq[i];
    }
  }
}

// A partial row: answers with 0 for the missing ones (they then add nothing to any sum of
// products), per-item totals over the partial rows, and the corrections of its missing items.
inline void put_partial_row(DoublePass& p, const double* xr, std::size_t np) {
  const std::size_t n = p.n, nv = p.nv;
  detail::SumsScratch& t = p.t;
  double* v = p.packed ? t.prow.data() : &t.part[np * n];
  for (std::size_t i = 0; i < n; ++i) {
    const bool ok = !std::isnan(xr[i]);
    v[i] = ok ? xr[i] : 0;
    t.pok[i] = ok ? 1 : 0;
    t.psq[i] = v[i] * v[i];
  }
  if (!p.by_counts) {
    for (std::size_t i = 0; i < n; ++i) {
      t.tot_n[i] += t.pok[i];
      t.tot_x[i] += v[i];
      t.tot_xx[i] += t.psq[i];
    }
  }
  if (p.packed) {
    std::int16_t* c = p.part16.next_row();
    for (std::size_t i = 0; i < n; ++i) detail::PackedRows::put(c, i, static_cast<int>(v[i]));
  } else if (nv) {
    for (std::size_t i = 0; i < n; ++i)
      if (t.pok[i] != 0) t.pf[i * nv + static_cast<std::size_t>(static_cast<int>(xr[i]) - p.s.value_min)] += 1;
  }
  add_missing_corrections(t, v, n);
}

// The slice's cross-products: in 16-bit integers when packed, else a symmetric rank update (Eigen).
// The k x k cross-products are stored row-major with the upper triangle used; read column-major,
// that is the lower triangle. A row block (rows x k, row-major) read column-major is k x rows.
void add_slice_cross(DoublePass& p, std::size_t nc, std::size_t np) {
  ReliabilitySums& s = p.s;
  const std::size_t n = p.n;
  if (p.packed) {
    p.comp16.seal();
    p.part16.seal();
    if (nc) detail::add_packed_cross(p.comp16, n, s.c_cross.data(), n);
    if (nc && p.nv) detail::add_packed_counts(p.comp16, n, s.value_min, s.value_max, p.t.counts_c.data());
    if (np) detail::add_packed_cross(p.part16, n, s.p_sxy.data(), n);
    // The partial rows' missing cells are packed as 0s: counted as answers of 0 here, taken
    // back out in finish_sums (they add nothing to the sums).
    if (np && p.nv) detail::add_packed_counts(p.part16, n, s.value_min, s.value_max, p.t.counts_p.data());
    return;
  }
  using Eigen::Index;
  const auto K = static_cast<Index>(n);
  auto add_cross = [&](std::vector<double>& target, const std::vector<double>& rows_in, std::size_t count) {
    Eigen::Map<Eigen::MatrixXd> T(target.data(), K, K);
    Eigen::Map<const Eigen::MatrixXd> X(rows_in.data(), K, static_cast<Index>(count));
    T.selfadjointView<Eigen::Lower>().rankUpdate(X);
  };
  if (nc) add_cross(s.c_cross, p.t.comp, nc);
  if (np) add_cross(s.p_sxy, p.t.part, np);
}
}  // namespace

void ReliabilitySums::reset(std::size_t k, int vmin, int vmax) {
  value_min = vmin;
  value_max = vmax;
  rows = rows_any = n_complete = 0;
  c_sum.assign(k, 0);
  c_cross.assign(k * k, 0);
  p_n.assign(k * k, 0);
  p_sx.assign(k * k, 0);
  p_sxx.assign(k * k, 0);
  p_sxy.assign(k * k, 0);
  // Frequencies only for scales a person can read as a table (psych shows at most 10 values too).
  const std::size_t nv = (vmax - vmin) <= 100 ? static_cast<std::size_t>(vmax - vmin + 1) : 0;
  c_freq.assign(k * nv, 0);
  p_freq.assign(k * nv, 0);
}

void ReliabilitySums::add_row(const double* x) {
  const std::size_t n = k();
  rows += 1;
  std::size_t answered = 0;
  for (std::size_t i = 0; i < n; ++i) answered += std::isnan(x[i]) ? 0 : 1;
  if (answered == 0) return;
  rows_any += 1;
  const std::size_t nv = c_freq.size() / (n ? n : 1);
  if (answered == n) {
    // The common case: one count for all pairs, the cross-products' upper triangle only.
    n_complete += 1;
    for (std::size_t i = 0; i < n; ++i) {
      const double xi = x[i];
      c_sum[i] += xi;
      double* row = &c_cross[i * n];
      for (std::size_t j = i; j < n; ++j) row[j] += xi * x[j];
      if (nv) c_freq[i * nv + static_cast<std::size_t>(xi - value_min)] += 1;
    }
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double xi = x[i];
    if (std::isnan(xi)) continue;
    if (nv) p_freq[i * nv + static_cast<std::size_t>(xi - value_min)] += 1;
    const double xi2 = xi * xi;
    for (std::size_t j = 0; j < n; ++j) {
      if (std::isnan(x[j])) continue;
      const std::size_t ij = i * n + j;
      p_n[ij] += 1;
      p_sx[ij] += xi;
      p_sxx[ij] += xi2;
      if (j >= i) p_sxy[ij] += xi * x[j];
    }
  }
}

// Rows are sorted into complete and partial ones. The cross-products of each group are summed over
// the group at once: in 16-bit integers when every value fits (cross_products.hpp), else as a
// symmetric rank update in double (Eigen). The partial rows' per-pair counts and sums are per-item
// totals minus corrections for each missing cell, so their cost follows the missing cells, not k^2.
// With whole-number answers every term is an integer below 2^53: exact, and equal to add_row's.
void ReliabilitySums::add_rows(const double* x, std::size_t n_rows, std::uint8_t* complete) {
  const std::size_t n = k();
  rows += static_cast<double>(n_rows);
  if (n == 0) return;
  const std::size_t nv = c_freq.size() / n;
  const double big = std::max(std::abs(static_cast<double>(value_min)), std::abs(static_cast<double>(value_max)));
  const bool packed = big <= detail::kPackedMaxAbs;
  detail::SumsScratch& t = detail::sums_scratch();
  // Packed rows with answer counts: the counts also give every per-item sum (sum x = sum over
  // values of value * count, exactly), so those need no pass over the answers of their own.
  const bool by_counts = packed && nv;
  DoublePass p{*this, t, n, nv, packed, by_counts, t.packs[n].first, t.packs[n].second};
  t.start(n, c_freq.size(), p_freq.size(), by_counts ? n * nv : 0);
  double partial_rows = 0;
  for (std::size_t s0 = 0; s0 < n_rows; s0 += detail::kSumsSlice) {
    const std::size_t s1 = std::min(n_rows, s0 + detail::kSumsSlice);
    if (packed) {
      p.comp16.reset(n, s1 - s0);
      p.part16.reset(n, s1 - s0);
    } else {
      t.comp.resize((s1 - s0) * n);
      t.part.resize((s1 - s0) * n);
    }
    std::size_t nc = 0, np = 0;
    for (std::size_t r = s0; r < s1; ++r) {
      const double* xr = x + r * n;
      const std::size_t answered = count_answered(xr, n);
      if (complete) complete[r] = answered == n;
      if (answered == 0) continue;
      rows_any += 1;
      if (answered == n) put_complete_row(p, xr, nc++);
      else put_partial_row(p, xr, np++);
    }
    n_complete += static_cast<double>(nc);
    partial_rows += static_cast<double>(np);
    add_slice_cross(p, nc, np);
  }
  detail::finish_sums(*this, t, by_counts, partial_rows);
}

void ReliabilitySums::merge(const ReliabilitySums& o) {
  auto add = [](std::vector<double>& a, const std::vector<double>& b) {
    for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
  };
  rows += o.rows;
  rows_any += o.rows_any;
  n_complete += o.n_complete;
  add(c_sum, o.c_sum);
  add(c_cross, o.c_cross);
  add(p_n, o.p_n);
  add(p_sx, o.p_sx);
  add(p_sxx, o.p_sxx);
  add(p_sxy, o.p_sxy);
  add(c_freq, o.c_freq);
  add(p_freq, o.p_freq);
}

}  // namespace attune
