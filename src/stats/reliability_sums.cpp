// Exact sums for reliability: gathered per chunk, merged in input order (see reliability.hpp).
#include <attune/reliability.hpp>
#include <attune/error.hpp>
#include <attune/score.hpp>

#include "../plan_data.hpp"
#include "cross_products.hpp"
#include "vec4.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

namespace attune {

namespace {
using detail::mask2;
using detail::pair2;

// Answered (not NaN) values among x[0..n), two per SSE2 compare.
inline std::size_t count_answered(const double* x, std::size_t n) {
  mask2 count = {0, 0};
  std::size_t i = 0;
  for (; i + 2 <= n; i += 2) {
    pair2 v;
    std::memcpy(&v, x + i, sizeof v);
    count -= v == v;
  }
  std::size_t c = static_cast<std::size_t>(count[0] + count[1]);
  if (i < n && !std::isnan(x[i])) ++c;
  return c;
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

void ReliabilitySums::add_rows(const double* x, std::size_t n_rows, std::uint8_t* complete) {
  const std::size_t n = k();
  rows += static_cast<double>(n_rows);
  if (n == 0) return;
  const std::size_t nv = c_freq.size() / n;
  // Rows are sorted into complete and partial ones. The cross-products of each group are summed
  // over the group at once: in 16-bit integers when every value fits (cross_products.hpp), else
  // as a symmetric rank update in double (Eigen). The partial rows' per-pair counts and sums are
  // per-item totals minus corrections for each missing cell, so their cost follows the missing
  // cells, not k^2. With whole-number answers every term is an integer below 2^53: exact, and
  // equal to add_row's.
  const double big = std::max(std::abs(static_cast<double>(value_min)), std::abs(static_cast<double>(value_max)));
  const bool packed = big <= detail::kPackedMaxAbs;
  constexpr std::size_t kSlice = 1024;  // rows per group: the packed rows stay in cache
  thread_local std::vector<double> comp, part, prow, pok, psq, tot_n, tot_x, tot_xx, corr_n, corr_x, corr_xx;
  // Packing buffers per block width, so that blocks of different sizes (all items, one scale's
  // side sums) each keep theirs zero-padded instead of clearing a shared one for every call.
  thread_local std::map<std::size_t, std::pair<detail::PackedRows, detail::PackedRows>> packs;
  detail::PackedRows& comp16 = packs[n].first;
  detail::PackedRows& part16 = packs[n].second;
  // Answer counts in integers, added to the double totals once: an integer increment in memory
  // is one instruction, a double one waits on the previous add to the same counter.
  thread_local std::vector<std::uint32_t> cf, pf;
  cf.assign(c_freq.size(), 0);
  pf.assign(p_freq.size(), 0);
  // Packed rows with answer counts: the counts also give every per-item sum (sum x = sum over
  // values of value * count, exactly), so those need no pass over the answers of their own.
  const bool by_counts = packed && nv;
  thread_local std::vector<double> counts_c, counts_p, missing;
  counts_c.assign(by_counts ? n * nv : 0, 0);
  counts_p.assign(by_counts ? n * nv : 0, 0);
  missing.assign(n, 0);
  tot_n.assign(n, 0);
  tot_x.assign(n, 0);
  tot_xx.assign(n, 0);
  prow.resize(n);
  pok.resize(n);
  psq.resize(n);
  corr_n.assign(n * n, 0);
  corr_x.assign(n * n, 0);
  corr_xx.assign(n * n, 0);
  double partial_rows = 0;
  for (std::size_t s0 = 0; s0 < n_rows; s0 += kSlice) {
    const std::size_t s1 = std::min(n_rows, s0 + kSlice);
    if (packed) {
      comp16.reset(n, s1 - s0);
      part16.reset(n, s1 - s0);
    } else {
      comp.resize((s1 - s0) * n);
      part.resize((s1 - s0) * n);
    }
    std::size_t nc = 0, np = 0;
    for (std::size_t r = s0; r < s1; ++r) {
      const double* xr = x + r * n;
      const std::size_t answered = count_answered(xr, n);
      if (complete) complete[r] = answered == n;
      if (answered == 0) continue;
      rows_any += 1;
      if (answered == n) {
        if (!by_counts) for (std::size_t i = 0; i < n; ++i) c_sum[i] += xr[i];
        if (packed) {
          std::int16_t* c = comp16.next_row();
          for (std::size_t i = 0; i < n; ++i) detail::PackedRows::put(c, i, static_cast<int>(xr[i]));
        } else {
          std::copy(xr, xr + n, &comp[nc * n]);
        }
        if (nv && !packed) for (std::size_t i = 0; i < n; ++i) cf[i * nv + static_cast<std::size_t>(static_cast<int>(xr[i]) - value_min)] += 1;
        ++nc;
        continue;
      }
      // A partial row: answers with 0 for the missing ones (they then add nothing to any sum of
      // products), per-item totals over the partial rows, and, for each missing item j, this
      // row's terms of every item i, which pairs (i, j) must not count. Those corrections are kept
      // transposed (row j, contiguous in i) so that each is one vector add along the row.
      double* p = packed ? prow.data() : &part[np * n];
      for (std::size_t i = 0; i < n; ++i) {
        const bool ok = !std::isnan(xr[i]);
        p[i] = ok ? xr[i] : 0;
        pok[i] = ok ? 1 : 0;
        psq[i] = p[i] * p[i];
      }
      if (!by_counts) {
        for (std::size_t i = 0; i < n; ++i) {
          tot_n[i] += pok[i];
          tot_x[i] += p[i];
          tot_xx[i] += psq[i];
        }
      }
      if (packed) {
        std::int16_t* c = part16.next_row();
        for (std::size_t i = 0; i < n; ++i) detail::PackedRows::put(c, i, static_cast<int>(p[i]));
      } else if (nv) {
        for (std::size_t i = 0; i < n; ++i)
          if (pok[i] != 0) pf[i * nv + static_cast<std::size_t>(static_cast<int>(xr[i]) - value_min)] += 1;
      }
      for (std::size_t j = 0; j < n; ++j) {
        if (pok[j] != 0) continue;
        missing[j] += 1;
        double* cn = &corr_n[j * n];
        double* cx = &corr_x[j * n];
        double* cxx = &corr_xx[j * n];
        for (std::size_t i = 0; i < n; ++i) {
          cn[i] += pok[i];
          cx[i] += p[i];
          cxx[i] += psq[i];
        }
      }
      ++np;
    }
    n_complete += static_cast<double>(nc);
    partial_rows += static_cast<double>(np);
    if (packed) {
      comp16.seal();
      part16.seal();
      if (nc) detail::add_packed_cross(comp16, n, c_cross.data(), n);
      if (nc && nv) detail::add_packed_counts(comp16, n, value_min, value_max, counts_c.data());
      if (np) detail::add_packed_cross(part16, n, p_sxy.data(), n);
      // The partial rows' missing cells are packed as 0s: counted as answers of 0 here, taken
      // back out below (they add nothing to the sums).
      if (np && nv) detail::add_packed_counts(part16, n, value_min, value_max, counts_p.data());
      continue;
    }
    // The k x k cross-products are stored row-major with the upper triangle used; read column-major,
    // that is the lower triangle. A row block (rows x k, row-major) read column-major is k x rows.
    using Eigen::Index;
    const auto K = static_cast<Index>(n);
    auto add_cross = [&](std::vector<double>& target, const std::vector<double>& rows_in, std::size_t count) {
      Eigen::Map<Eigen::MatrixXd> T(target.data(), K, K);
      Eigen::Map<const Eigen::MatrixXd> X(rows_in.data(), K, static_cast<Index>(count));
      T.selfadjointView<Eigen::Lower>().rankUpdate(X);
    };
    if (nc) add_cross(c_cross, comp, nc);
    if (np) add_cross(p_sxy, part, np);
  }
  for (std::size_t v = 0; v < cf.size(); ++v) c_freq[v] += cf[v];
  for (std::size_t v = 0; v < pf.size(); ++v) p_freq[v] += pf[v];
  if (by_counts) {
    const std::size_t zero = value_min <= 0 && value_max >= 0 ? static_cast<std::size_t>(-value_min) : nv;
    for (std::size_t i = 0; i < n; ++i) {
      if (zero < nv) counts_p[i * nv + zero] -= missing[i];
      double sc = 0, sp = 0, sp2 = 0;
      for (std::size_t u = 0; u < nv; ++u) {
        const double value = value_min + static_cast<double>(u);
        sc += value * counts_c[i * nv + u];
        sp += value * counts_p[i * nv + u];
        sp2 += value * value * counts_p[i * nv + u];
        c_freq[i * nv + u] += counts_c[i * nv + u];
        p_freq[i * nv + u] += counts_p[i * nv + u];
      }
      c_sum[i] += sc;
      tot_n[i] = partial_rows - missing[i];
      tot_x[i] = sp;
      tot_xx[i] = sp2;
    }
  }
  if (partial_rows > 0) {
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        p_n[i * n + j] += tot_n[i] - corr_n[j * n + i];
        p_sx[i * n + j] += tot_x[i] - corr_x[j * n + i];
        p_sxx[i * n + j] += tot_xx[i] - corr_xx[j * n + i];
      }
    }
  }
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

ReliabilityAccumulator::ReliabilityAccumulator(const ScoringPlan& plan, bool all_items_block)
    : plan_(plan), all_items_block_(all_items_block) {
  const auto& d = plan.data();
  const int vmin = static_cast<int>(d.data_min), vmax = static_cast<int>(d.data_max);
  for (std::size_t s = 0; s < d.n_scales; ++s) {
    if (d.derived[s]) continue;
    ReliabilitySums shape, side;
    shape.scale = side.scale = d.instrument.scales[s].id;
    for (std::uint32_t m = d.member_begin[s]; m < d.member_begin[s + 1]; ++m) {
      shape.items.push_back(static_cast<int>(d.member_index[m]));
      shape.reversed.push_back(d.member_reverse[m]);
      side.items.push_back(static_cast<int>(d.member_index[m]));
      side.reversed.push_back(0);
    }
    side.reset(side.items.size(), vmin, vmax);
    shape_.push_back(std::move(shape));
    side_.push_back(std::move(side));
  }
  rows_any_.assign(shape_.size(), 0);
  for (std::size_t i = 0; i < d.n_items; ++i) {
    all_.items.push_back(static_cast<int>(i));
    all_.reversed.push_back(0);
  }
  all_.reset(d.n_items, vmin, vmax);
}

std::unique_ptr<ChunkAccumulator> ReliabilityAccumulator::fresh() const {
  // Built from the plan, never copied from *this: workers call fresh() while the calling thread
  // merges into this object, so reading its sums here would race (ThreadSanitizer found it).
  return std::make_unique<ReliabilityAccumulator>(plan_, all_items_block_);
}

void ReliabilityAccumulator::add(const double* answers, std::size_t rows, std::size_t items, const std::uint8_t* scored,
                                 const BlockScores&) {
  if (items != plan_.item_count()) throw UsageError("reliability accumulator: answers have the wrong number of items");
  add_rows(answers, rows, scored);
}

void ReliabilityAccumulator::add_rows(const double* answers, std::size_t rows, const std::uint8_t* scored) {
  const std::size_t P = plan_.data().n_items;
  scales_stale_ = true;
  constexpr std::size_t kBlock = 1024;
  for (std::size_t r0 = 0; r0 < rows; r0 += kBlock) {
    const std::size_t r1 = std::min(rows, r0 + kBlock);
    // Rows reported as errors carry no answers and do not count: the others, copied together
    // only when some row of the block is left out.
    const double* block = answers + r0 * P;
    std::size_t nb = r1 - r0;
    if (scored && std::find(scored + r0, scored + r1, std::uint8_t{0}) != scored + r1) {
      rows_buf_.resize(nb * P);
      nb = 0;
      for (std::size_t r = r0; r < r1; ++r)
        if (scored[r]) std::copy(answers + r * P, answers + (r + 1) * P, &rows_buf_[nb++ * P]);
      block = rows_buf_.data();
    }
    if (P == 0) continue;
    complete_.resize(nb);
    all_.add_rows(block, nb, complete_.data());
    // A row with every item answered is complete on every scale; the others are looked at per
    // scale, and those complete on it go to its side sums, a block at a time.
    std::size_t complete = 0;
    side_rows_.resize(shape_.size());
    for (auto& b : side_rows_) b.clear();
    for (std::size_t r = 0; r < nb; ++r) {
      const double* x = block + r * P;
      if (complete_[r]) { ++complete; continue; }
      for (std::size_t s = 0; s < shape_.size(); ++s) {
        const std::vector<int>& items = shape_[s].items;
        std::size_t answered = 0;
        for (int i : items) answered += std::isnan(x[i]) ? 0 : 1;
        rows_any_[s] += answered ? 1 : 0;
        if (answered == 0 || answered < items.size()) continue;
        for (int i : items) side_rows_[s].push_back(x[i]);
      }
    }
    for (std::size_t s = 0; s < shape_.size(); ++s) {
      rows_any_[s] += static_cast<double>(complete);
      if (!side_rows_[s].empty()) side_[s].add_rows(side_rows_[s].data(), side_rows_[s].size() / side_[s].k());
    }
  }
}

void ReliabilityAccumulator::merge(ChunkAccumulator& chunk) {
  auto& o = dynamic_cast<ReliabilityAccumulator&>(chunk);
  all_.merge(o.all_);
  for (std::size_t s = 0; s < side_.size(); ++s) {
    side_[s].merge(o.side_[s]);
    rows_any_[s] += o.rows_any_[s];
  }
  scales_stale_ = true;
}

const std::vector<ReliabilitySums>& ReliabilityAccumulator::scales() const {
  if (scales_stale_) build_scales();
  return scales_;
}

// A scale's keyed sums from the all-items block and its side sums. Complete-on-scale rows are the
// all-items complete rows plus the side rows; the scale's partial rows are what remains of the
// all-items pair totals. Every quantity is a whole number, so the result is exactly what summing
// the keyed answers row by row gives. R = min + max; a reversed item enters as R - x.
void ReliabilityAccumulator::build_scales() const {
  const std::size_t P = all_.k();
  const double R = plan_.data().reverse_sum;
  const std::size_t nv = P ? all_.c_freq.size() / P : 0;
  auto up = [](std::size_t n, std::size_t i, std::size_t j) { return i <= j ? i * n + j : j * n + i; };
  // sum of keyed x_i x_j from the raw sum of products, the raw sums of each and the count.
  auto keyed_cross = [R](double xy, double sx, double sy, double n, bool ri, bool rj) {
    if (ri && rj) return n * R * R - R * (sx + sy) + xy;
    if (ri) return R * sy - xy;
    if (rj) return R * sx - xy;
    return xy;
  };
  scales_.resize(shape_.size());
  for (std::size_t s = 0; s < shape_.size(); ++s) {
    const ReliabilitySums& side = side_[s];
    ReliabilitySums& out = scales_[s];
    out = shape_[s];
    const std::size_t k = out.k();
    out.reset(k, all_.value_min, all_.value_max);
    out.rows = all_.rows;
    out.rows_any = rows_any_[s];
    const double nc = all_.n_complete + side.n_complete;
    out.n_complete = nc;
    const auto a = [&](std::size_t i) { return static_cast<std::size_t>(out.items[i]); };
    // Raw sums over the scale's complete rows.
    std::vector<double> S(k), X(k * k);
    for (std::size_t i = 0; i < k; ++i) S[i] = all_.c_sum[a(i)] + side.c_sum[i];
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = i; j < k; ++j) X[i * k + j] = X[j * k + i] = all_.c_cross[up(P, a(i), a(j))] + side.c_cross[i * k + j];
    for (std::size_t i = 0; i < k; ++i) {
      const bool ri = out.reversed[i] != 0;
      out.c_sum[i] = ri ? R * nc - S[i] : S[i];
      for (std::size_t j = i; j < k; ++j) out.c_cross[i * k + j] = keyed_cross(X[i * k + j], S[i], S[j], nc, ri, out.reversed[j] != 0);
    }
    // The scale's partial rows: all rows answering both items, less its complete rows.
    auto psx = [&](std::size_t i, std::size_t j) { return all_.c_sum[a(i)] + all_.p_sx[a(i) * P + a(j)] - S[i]; };
    for (std::size_t i = 0; i < k; ++i) {
      const bool ri = out.reversed[i] != 0;
      for (std::size_t j = 0; j < k; ++j) {
        const std::size_t ij = i * k + j;
        const double pn = all_.n_complete + all_.p_n[a(i) * P + a(j)] - nc;
        const double sx = psx(i, j);
        const double sxx = all_.c_cross[up(P, a(i), a(i))] + all_.p_sxx[a(i) * P + a(j)] - X[i * k + i];
        out.p_n[ij] = pn;
        out.p_sx[ij] = ri ? R * pn - sx : sx;
        out.p_sxx[ij] = ri ? R * R * pn - 2 * R * sx + sxx : sxx;
        if (j < i) continue;
        const double sxy = all_.c_cross[up(P, a(i), a(j))] + all_.p_sxy[up(P, a(i), a(j))] - X[i * k + j];
        out.p_sxy[ij] = keyed_cross(sxy, sx, psx(j, i), pn, ri, out.reversed[j] != 0);
      }
    }
    // Answer counts, at the keyed value's place (R - x sits at max - x).
    if (out.c_freq.size() == k * nv) {
      for (std::size_t i = 0; i < k; ++i) {
        for (std::size_t u = 0; u < nv; ++u) {
          const std::size_t to = i * nv + (out.reversed[i] ? nv - 1 - u : u);
          const double complete = all_.c_freq[a(i) * nv + u] + side.c_freq[i * nv + u];
          out.c_freq[to] = complete;
          out.p_freq[to] = all_.c_freq[a(i) * nv + u] + all_.p_freq[a(i) * nv + u] - complete;
        }
      }
    }
  }
  scales_stale_ = false;
}

}  // namespace attune
