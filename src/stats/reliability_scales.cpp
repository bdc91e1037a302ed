// A scale's keyed sums from the accumulator's all-items block and its side sums (reliability_accumulator.hpp).
#include <attune/reliability.hpp>

#include "../plan_data.hpp"
#include "reliability_accumulator.hpp"

#include <vector>

namespace attune {

namespace {
inline std::size_t upper(std::size_t n, std::size_t i, std::size_t j) { return i <= j ? i * n + j : j * n + i; }

// Sum of keyed x_i x_j from the raw sum of products, the raw sums of each and the count.
inline double keyed_cross(double R, double xy, double sx, double sy, double n, bool ri, bool rj) {
  if (ri && rj) return n * R * R - R * (sx + sy) + xy;
  if (ri) return R * sy - xy;
  if (rj) return R * sx - xy;
  return xy;
}

// One scale, while its keyed sums are built: the all-items block, its side sums, and the raw sums
// (S: per item, X: per pair) over the scale's complete rows.
struct ScaleBuild {
  const ReliabilitySums& all;
  const ReliabilitySums& side;
  ReliabilitySums& out;
  double R, nc;
  std::size_t P, k;
  std::vector<double> S, X;
  std::size_t a(std::size_t i) const { return static_cast<std::size_t>(out.items[i]); }
};

// Raw sums over the scale's complete rows, then keyed.
void complete_sums(ScaleBuild& b) {
  const std::size_t k = b.k, P = b.P;
  ReliabilitySums& out = b.out;
  b.S.assign(k, 0);
  b.X.assign(k * k, 0);
  for (std::size_t i = 0; i < k; ++i) b.S[i] = b.all.c_sum[b.a(i)] + b.side.c_sum[i];
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = i; j < k; ++j)
      b.X[i * k + j] = b.X[j * k + i] = b.all.c_cross[upper(P, b.a(i), b.a(j))] + b.side.c_cross[i * k + j];
  for (std::size_t i = 0; i < k; ++i) {
    const bool ri = out.reversed[i] != 0;
    out.c_sum[i] = ri ? b.R * b.nc - b.S[i] : b.S[i];
    for (std::size_t j = i; j < k; ++j)
      out.c_cross[i * k + j] = keyed_cross(b.R, b.X[i * k + j], b.S[i], b.S[j], b.nc, ri, out.reversed[j] != 0);
  }
}

// The scale's partial rows: all rows answering both items, less its complete rows.
void partial_sums(ScaleBuild& b) {
  const std::size_t k = b.k, P = b.P;
  const ReliabilitySums& all = b.all;
  ReliabilitySums& out = b.out;
  const double R = b.R;
  auto psx = [&](std::size_t i, std::size_t j) { return all.c_sum[b.a(i)] + all.p_sx[b.a(i) * P + b.a(j)] - b.S[i]; };
  for (std::size_t i = 0; i < k; ++i) {
    const bool ri = out.reversed[i] != 0;
    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t ij = i * k + j;
      const double pn = all.n_complete + all.p_n[b.a(i) * P + b.a(j)] - b.nc;
      const double sx = psx(i, j);
      const double sxx = all.c_cross[upper(P, b.a(i), b.a(i))] + all.p_sxx[b.a(i) * P + b.a(j)] - b.X[i * k + i];
      out.p_n[ij] = pn;
      out.p_sx[ij] = ri ? R * pn - sx : sx;
      out.p_sxx[ij] = ri ? R * R * pn - 2 * R * sx + sxx : sxx;
      if (j < i) continue;
      const double sxy = all.c_cross[upper(P, b.a(i), b.a(j))] + all.p_sxy[upper(P, b.a(i), b.a(j))] - b.X[i * k + j];
      out.p_sxy[ij] = keyed_cross(R, sxy, sx, psx(j, i), pn, ri, out.reversed[j] != 0);
    }
  }
}

// Answer counts, at the keyed value's place (R - x sits at max - x).
void frequencies(ScaleBuild& b, std::size_t nv) {
  ReliabilitySums& out = b.out;
  if (out.c_freq.size() != b.k * nv) return;
  for (std::size_t i = 0; i < b.k; ++i) {
    for (std::size_t u = 0; u < nv; ++u) {
      const std::size_t to = i * nv + (out.reversed[i] ? nv - 1 - u : u);
      const double complete = b.all.c_freq[b.a(i) * nv + u] + b.side.c_freq[i * nv + u];
      out.c_freq[to] = complete;
      out.p_freq[to] = b.all.c_freq[b.a(i) * nv + u] + b.all.p_freq[b.a(i) * nv + u] - complete;
    }
  }
}
}  // namespace

// A scale's keyed sums from the all-items block and its side sums. Complete-on-scale rows are the
// all-items complete rows plus the side rows; the scale's partial rows are what remains of the
// all-items pair totals. Every quantity is a whole number, so the result is exactly what summing
// the keyed answers row by row gives. R = min + max; a reversed item enters as R - x.
void ReliabilityAccumulator::Impl::build_scales() const {
  const std::size_t P = all_.k();
  const double R = plan_.data().reverse_sum;
  const std::size_t nv = P ? all_.c_freq.size() / P : 0;
  scales_.resize(shape_.size());
  for (std::size_t s = 0; s < shape_.size(); ++s) {
    ReliabilitySums& out = scales_[s];
    out = shape_[s];
    out.reset(out.k(), all_.value_min, all_.value_max);
    out.rows = all_.rows;
    out.rows_any = rows_any_[s];
    out.n_complete = all_.n_complete + side_[s].n_complete;
    ScaleBuild b{all_, side_[s], out, R, out.n_complete, P, out.k(), {}, {}};
    complete_sums(b);
    partial_sums(b);
    frequencies(b, nv);
  }
  scales_stale_ = false;
}

}  // namespace attune
