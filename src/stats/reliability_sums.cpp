// Exact sums for reliability: gathered per chunk, merged in input order (see reliability.hpp).
#include <attune/reliability.hpp>
#include <attune/error.hpp>
#include <attune/score.hpp>

#include "../plan_data.hpp"
#include "cross_products.hpp"
#include "../simd/vec4.hpp"

#include <Eigen/Dense>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
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

namespace {
constexpr std::size_t kSlice = 1024;  // rows per group in add_rows: the packed rows stay in cache

// Per-thread scratch of add_rows, kept between calls so that a call allocates nothing.
struct SumsScratch {
  std::vector<double> comp, part, prow, pok, psq, tot_n, tot_x, tot_xx, corr_n, corr_x, corr_xx;
  // Packing buffers per block width, so that blocks of different sizes (all items, one scale's
  // side sums) each keep theirs zero-padded instead of clearing a shared one for every call.
  std::map<std::size_t, std::pair<detail::PackedRows, detail::PackedRows>> packs;
  // Answer counts in integers, added to the double totals once: an integer increment in memory
  // is one instruction, a double one waits on the previous add to the same counter.
  std::vector<std::uint32_t> cf, pf;
  std::vector<double> counts_c, counts_p, missing;
  std::vector<std::int32_t> corr32;  // the byte path's corrections of one slice: n, x, x^2
  std::vector<double> as_double;     // the byte path's rows as doubles, when it cannot pack them
  std::vector<int> gaps;             // one partial row's missing items

  void start(std::size_t n, std::size_t c_freq, std::size_t p_freq, std::size_t count_cells) {
    cf.assign(c_freq, 0);
    pf.assign(p_freq, 0);
    counts_c.assign(count_cells, 0);
    counts_p.assign(count_cells, 0);
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
  }
};

SumsScratch& sums_scratch() {
  thread_local SumsScratch t;
  return t;
}

// The end of add_rows: the integer counts into the frequencies, the per-item sums from the counts
// (by_counts), and the partial rows' per-pair counts and sums as per-item totals minus each
// missing cell's corrections.
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
}  // namespace

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
  SumsScratch& t = sums_scratch();
  detail::PackedRows& comp16 = t.packs[n].first;
  detail::PackedRows& part16 = t.packs[n].second;
  // Packed rows with answer counts: the counts also give every per-item sum (sum x = sum over
  // values of value * count, exactly), so those need no pass over the answers of their own.
  const bool by_counts = packed && nv;
  t.start(n, c_freq.size(), p_freq.size(), by_counts ? n * nv : 0);
  std::vector<double> &comp = t.comp, &part = t.part, &prow = t.prow, &pok = t.pok, &psq = t.psq;
  std::vector<double> &tot_n = t.tot_n, &tot_x = t.tot_x, &tot_xx = t.tot_xx, &corr_n = t.corr_n, &corr_x = t.corr_x,
                      &corr_xx = t.corr_xx, &counts_c = t.counts_c, &counts_p = t.counts_p, &missing = t.missing;
  std::vector<std::uint32_t> &cf = t.cf, &pf = t.pf;
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
  finish_sums(*this, t, by_counts, partial_rows);
}

namespace {
// Bit b set when item i0 + b of x[0..n) is not answered, for b < min(16, n - i0): one SSE2
// compare; a last group shorter than 16 is read as the row's last 16 bytes, never past the row.
inline unsigned missing_bits(const std::int8_t* x, std::size_t n, std::size_t i0) {
  unsigned bits = 0;
#if defined(__SSE2__)
  if (n >= 16) {
    const __m128i missing = _mm_set1_epi8(kNotAnsweredByte);
    const std::size_t at = i0 + 16 <= n ? i0 : n - 16;
    bits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + at)), missing)));
    return bits >> (i0 - at);
  }
#endif
  for (std::size_t i = i0; i < n && i < i0 + 16; ++i) bits |= (x[i] == kNotAnsweredByte ? 1u : 0u) << (i - i0);
  return bits;
}

// Set bits of a 16-bit mask, in a few register operations (the builtin is a library call
// without -mpopcnt, which the baseline build cannot assume).
inline unsigned bits_set16(unsigned v) {
  v = v - ((v >> 1) & 0x5555u);
  v = (v & 0x3333u) + ((v >> 2) & 0x3333u);
  v = (v + (v >> 4)) & 0x0F0Fu;
  return (v + (v >> 8)) & 0x1Fu;
}

// Items of x[0..n) not answered.
inline std::size_t count_missing(const std::int8_t* x, std::size_t n) {
  std::size_t m = 0;
  for (std::size_t i0 = 0; i0 < n; i0 += 16) {
    const unsigned bits = missing_bits(x, n, i0);
    if (bits) m += bits_set16(bits);  // most groups have no gap
  }
  return m;
}
}  // namespace

// The packed path of add_rows(const double*) without the doubles: bytes go straight into the
// 16-bit row pairs, two rows at a time, and the missing cells' corrections are summed in 32-bit
// integers over a slice (at most 1024 x 127^2 per cell) before they join the double totals.
void ReliabilitySums::add_rows(const std::int8_t* x, std::size_t n_rows, std::uint8_t* complete) {
  const std::size_t n = k();
  const std::size_t nv = n ? c_freq.size() / n : 0;
  SumsScratch& t = sums_scratch();
  if (n == 0 || nv == 0 || value_min < -127 || value_max > 127) {
    // No answer counts to take the per-item sums from: the doubles' path.
    t.as_double.resize(n_rows * n);
    for (std::size_t c = 0; c < n_rows * n; ++c)
      t.as_double[c] = x[c] == kNotAnsweredByte ? std::numeric_limits<double>::quiet_NaN() : x[c];
    add_rows(t.as_double.data(), n_rows, complete);
    return;
  }
  rows += static_cast<double>(n_rows);
  detail::PackedRows& comp16 = t.packs[n].first;
  detail::PackedRows& part16 = t.packs[n].second;
  t.start(n, c_freq.size(), p_freq.size(), n * nv);
  t.corr32.assign(3 * n * n, 0);
  std::int32_t* c_n = t.corr32.data();
  std::int32_t* c_x = c_n + n * n;
  std::int32_t* c_xx = c_x + n * n;
  double partial_rows = 0;
  for (std::size_t s0 = 0; s0 < n_rows; s0 += kSlice) {
    const std::size_t s1 = std::min(n_rows, s0 + kSlice);
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
      rows_any += 1;
      if (gaps == 0) {
        if (wait_c) {
          detail::put_byte_pair(wait_c, xr, n, w, comp16.next_pair(true));
          wait_c = nullptr;
        } else {
          wait_c = xr;
        }
        ++nc;
        continue;
      }
      if (wait_p) {
        detail::put_byte_pair(wait_p, xr, n, w, part16.next_pair(true));
        wait_p = nullptr;
      } else {
        wait_p = xr;
      }
      // For each missing item j, this row's terms of every item i, which pairs (i, j) must not count.
      for (std::size_t i0 = 0; i0 < n; i0 += 16) {
        for (unsigned bits = missing_bits(xr, n, i0); bits; bits &= bits - 1) {
          const std::size_t j = i0 + static_cast<std::size_t>(__builtin_ctz(bits));
          t.missing[j] += 1;
          std::int32_t* cn = c_n + j * n;
          std::int32_t* cx = c_x + j * n;
          std::int32_t* cxx = c_xx + j * n;
          for (std::size_t i = 0; i < n; ++i) {
            const int v = xr[i] == kNotAnsweredByte ? 0 : xr[i];
            cn[i] += xr[i] == kNotAnsweredByte ? 0 : 1;
            cx[i] += v;
            cxx[i] += v * v;
          }
        }
      }
      ++np;
    }
    if (wait_c) detail::put_byte_pair(wait_c, nullptr, n, w, comp16.next_pair(false));
    if (wait_p) detail::put_byte_pair(wait_p, nullptr, n, w, part16.next_pair(false));
    n_complete += static_cast<double>(nc);
    partial_rows += static_cast<double>(np);
    if (nc) {
      detail::add_packed_cross(comp16, n, c_cross.data(), n);
      detail::add_packed_counts(comp16, n, value_min, value_max, t.counts_c.data());
    }
    if (np) {
      detail::add_packed_cross(part16, n, p_sxy.data(), n);
      // Missing cells were packed as 0s: counted as answers of 0 here, taken back out in finish_sums.
      detail::add_packed_counts(part16, n, value_min, value_max, t.counts_p.data());
      for (std::size_t c = 0; c < n * n; ++c) {
        t.corr_n[c] += c_n[c];
        t.corr_x[c] += c_x[c];
        t.corr_xx[c] += c_xx[c];
      }
      std::fill(t.corr32.begin(), t.corr32.end(), 0);
    }
  }
  finish_sums(*this, t, true, partial_rows);
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
    bool run = !shape.items.empty();
    for (std::size_t k = 0; k < shape.items.size(); ++k) run = run && shape.items[k] == shape.items[0] + static_cast<int>(k);
    run_first_.push_back(run ? shape.items[0] : -1);
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

namespace {
inline bool answered(double v) { return !std::isnan(v); }
inline bool answered(std::int8_t v) { return v != kNotAnsweredByte; }
inline std::size_t answered_in_run(const double* x, std::size_t n) { return count_answered(x, n); }
inline std::size_t answered_in_run(const std::int8_t* x, std::size_t n) { return n - count_missing(x, n); }
}  // namespace

template <class T>
void ReliabilityAccumulator::add_block_rows(const T* answers, std::size_t rows, const std::uint8_t* scored, std::vector<T>& rows_buf,
                                            std::vector<std::vector<T>>& side_rows) {
  const std::size_t P = plan_.data().n_items;
  scales_stale_ = true;
  constexpr std::size_t kBlock = 1024;
  for (std::size_t r0 = 0; r0 < rows; r0 += kBlock) {
    const std::size_t r1 = std::min(rows, r0 + kBlock);
    // Rows reported as errors carry no answers and do not count: the others, copied together
    // only when some row of the block is left out.
    const T* block = answers + r0 * P;
    std::size_t nb = r1 - r0;
    if (scored && std::find(scored + r0, scored + r1, std::uint8_t{0}) != scored + r1) {
      rows_buf.resize(nb * P);
      nb = 0;
      for (std::size_t r = r0; r < r1; ++r)
        if (scored[r]) std::copy(answers + r * P, answers + (r + 1) * P, &rows_buf[nb++ * P]);
      block = rows_buf.data();
    }
    if (P == 0) continue;
    complete_.resize(nb);
    all_.add_rows(block, nb, complete_.data());
    // A row with every item answered is complete on every scale; the others are looked at per
    // scale, and those complete on it go to its side sums, a block at a time.
    std::size_t complete = 0;
    side_rows.resize(shape_.size());
    for (auto& b : side_rows) b.clear();
    for (std::size_t r = 0; r < nb; ++r) {
      const T* x = block + r * P;
      if (complete_[r]) { ++complete; continue; }
      for (std::size_t s = 0; s < shape_.size(); ++s) {
        const std::vector<int>& items = shape_[s].items;
        const int first = run_first_[s];
        std::size_t n = 0;
        if (first >= 0) {
          n = answered_in_run(x + first, items.size());
        } else {
          for (int i : items) n += answered(x[i]) ? 1 : 0;
        }
        rows_any_[s] += n ? 1 : 0;
        if (n == 0 || n < items.size()) continue;
        if (first >= 0) side_rows[s].insert(side_rows[s].end(), x + first, x + first + items.size());
        else for (int i : items) side_rows[s].push_back(x[i]);
      }
    }
    for (std::size_t s = 0; s < shape_.size(); ++s) {
      rows_any_[s] += static_cast<double>(complete);
      if (!side_rows[s].empty()) side_[s].add_rows(side_rows[s].data(), side_rows[s].size() / side_[s].k());
    }
  }
}

void ReliabilityAccumulator::add_rows(const double* answers, std::size_t rows, const std::uint8_t* scored) {
  add_block_rows(answers, rows, scored, rows_buf_, side_rows_);
}

void ReliabilityAccumulator::add_rows(const std::int8_t* answers, std::size_t rows, const std::uint8_t* scored) {
  add_block_rows(answers, rows, scored, byte_rows_buf_, side_byte_rows_);
}

bool ReliabilityAccumulator::add_bytes(const std::int8_t* answers, std::size_t rows, std::size_t items, const std::uint8_t* scored,
                                       const BlockScores&) {
  if (items != plan_.item_count()) throw UsageError("reliability accumulator: answers have the wrong number of items");
  add_rows(answers, rows, scored);
  return true;
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
