// Response-quality indices per row. Everything per row runs on preallocated scratch space.
#include <attune/quality.hpp>
#include <attune/error.hpp>

#include "../plan_data.hpp"
#include "chi_square.hpp"
#include "quality_impl.hpp"
#include "../simd/vec4.hpp"
#include "../not_a_number.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace attune {

namespace {
using ::attune::detail::kNaN;

// Pearson r of two arrays of length n; NaN when either has no variance.
double pearson(const double* a, const double* b, std::size_t n) {
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < n; ++i) { ma += a[i]; mb += b[i]; }
  ma /= static_cast<double>(n);
  mb /= static_cast<double>(n);
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double da = a[i] - ma, db = b[i] - mb;
    sab += da * db; saa += da * da; sbb += db * db;
  }
  if (!(saa > 0) || !(sbb > 0)) return kNaN;
  return sab / std::sqrt(saa * sbb);
}

// Block kernels: kRows rows at a time, each row in its own lane, every sum in a fixed order, so a
// row's result does not depend on its block, its place in it, or the instruction set.
constexpr std::size_t kRows = detail::kQualityRows;
constexpr int kGroups = static_cast<int>(kRows / 4);

// v[i][r] = x[r][i] for the nb rows of a block (x row-major, P per row; v item-major, kRows per
// item), NaN for rows past nb: four rows by four items at a time, transposed in registers.
ATTUNE_CLONES void block_transpose(const double* x, std::size_t P, std::size_t nb, double* v) {
  const std::size_t P4 = P / 4 * 4;
  std::size_t r = 0;
  for (; r + 4 <= nb; r += 4) {
    const double* x0 = x + r * P;
    std::size_t i = 0;
    for (; i < P4; i += 4) {
      detail::vec4 a, b, c, d;
      detail::load4(a, x0 + i);
      detail::load4(b, x0 + P + i);
      detail::load4(c, x0 + 2 * P + i);
      detail::load4(d, x0 + 3 * P + i);
      const detail::vec4 t0 = __builtin_shufflevector(a, b, 0, 4, 2, 6), t1 = __builtin_shufflevector(a, b, 1, 5, 3, 7);
      const detail::vec4 t2 = __builtin_shufflevector(c, d, 0, 4, 2, 6), t3 = __builtin_shufflevector(c, d, 1, 5, 3, 7);
      const detail::vec4 o[4] = {__builtin_shufflevector(t0, t2, 0, 1, 4, 5), __builtin_shufflevector(t1, t3, 0, 1, 4, 5),
                                 __builtin_shufflevector(t0, t2, 2, 3, 6, 7), __builtin_shufflevector(t1, t3, 2, 3, 6, 7)};
      for (int q = 0; q < 4; ++q) std::memcpy(v + (i + static_cast<std::size_t>(q)) * kRows + r, &o[q], sizeof o[q]);
    }
    for (; i < P; ++i)
      for (std::size_t q = 0; q < 4; ++q) v[i * kRows + r + q] = x0[q * P + i];
  }
  for (; r < nb; ++r)
    for (std::size_t i = 0; i < P; ++i) v[i * kRows + r] = x[r * P + i];
  for (; r < kRows; ++r)
    for (std::size_t i = 0; i < P; ++i) v[i * kRows + r] = kNaN;
}

// out[r] = sum over pairs p of v[first[p]][r] * v[second[p]][r], in pair order (v item-major).
ATTUNE_CLONES void block_pair_products(const int* first, const int* second, std::size_t np, const double* v, double* out) {
  detail::vec4 acc[kGroups] = {};
  for (std::size_t p = 0; p < np; ++p) {
    const double* a = v + static_cast<std::size_t>(first[p]) * kRows;
    const double* b = v + static_cast<std::size_t>(second[p]) * kRows;
    for (int g = 0; g < kGroups; ++g) {
      detail::vec4 x, y;
      detail::load4(x, a + 4 * g);
      detail::load4(y, b + 4 * g);
      acc[g] += x * y;
    }
  }
  for (int g = 0; g < kGroups; ++g) std::memcpy(out + 4 * g, &acc[g], sizeof acc[g]);
}

// In place on v (item-major, NaN = missing): v[i][r] = 0 where missing, mask[i][r] = 1 or 0, and,
// when there are means mu (a quality model), a[i][r] = v[i][r] - mu[i] where answered, else 0.
ATTUNE_CLONES void block_split_missing(const double* mu, std::size_t P, double* v, double* mask, double* a) {
  typedef long long lanes4 __attribute__((vector_size(32)));
  const detail::vec4 one = {1.0, 1.0, 1.0, 1.0};
  for (std::size_t i = 0; i < P; ++i) {
    for (int g = 0; g < kGroups; ++g) {
      double* vi = v + i * kRows + 4 * g;
      detail::vec4 x;
      detail::load4(x, vi);
      const lanes4 ok = x == x;
      const detail::vec4 x0 = reinterpret_cast<detail::vec4>(reinterpret_cast<lanes4>(x) & ok);
      const detail::vec4 m = reinterpret_cast<detail::vec4>(reinterpret_cast<lanes4>(one) & ok);
      const detail::vec4 c = reinterpret_cast<detail::vec4>(reinterpret_cast<lanes4>(x - (mu ? mu[i] : 0.0)) & ok);
      std::memcpy(vi, &x0, sizeof x0);
      std::memcpy(mask + i * kRows + 4 * g, &m, sizeof m);
      if (mu) std::memcpy(a + i * kRows + 4 * g, &c, sizeof c);
    }
  }
}

// Per row r of a block (v with 0 and mask with 0 where missing, item-major): answered count n[r],
// sum s1[r] and sum of squares s2[r] of the answers (whole numbers: exact in any order), and the
// longest run of equal answers in item order, a missing answer ending a run (run[r]).
ATTUNE_CLONES void block_row_basics(const double* v, const double* mask, std::size_t P, double* n, double* s1, double* s2,
                                    double* run) {
  typedef long long lanes4 __attribute__((vector_size(32)));
  for (int g = 0; g < kGroups; ++g) {
    detail::vec4 cn = {}, c1 = {}, c2 = {}, cur = {}, best = {}, prev = {}, prev_m = {};
    for (std::size_t i = 0; i < P; ++i) {
      detail::vec4 x, m;
      detail::load4(x, v + i * kRows + 4 * g);
      detail::load4(m, mask + i * kRows + 4 * g);
      cn += m;
      c1 += x;
      c2 += x * x;
      // Continues the run when this answer and the one before are both given and equal.
      const lanes4 same = (x == prev) & (m > 0) & (prev_m > 0);
      cur = reinterpret_cast<detail::vec4>((reinterpret_cast<lanes4>(cur + 1.0) & same) | (reinterpret_cast<lanes4>(m) & ~same));
      const lanes4 longer = cur > best;
      best = reinterpret_cast<detail::vec4>((reinterpret_cast<lanes4>(cur) & longer) | (reinterpret_cast<lanes4>(best) & ~longer));
      prev = x;
      prev_m = m;
    }
    std::memcpy(n + 4 * g, &cn, sizeof cn);
    std::memcpy(s1 + 4 * g, &c1, sizeof c1);
    std::memcpy(s2 + 4 * g, &c2, sizeof c2);
    std::memcpy(run + 4 * g, &best, sizeof best);
  }
}

// s1[r] = sum_i w[i] v[i][r], s2[r] = sum_i w[i] v[i][r]^2, and t1, t2 the same with weights u,
// in item order: one pass over the block for both weight vectors.
ATTUNE_CLONES void block_weighted(const double* w, const double* u, std::size_t P, const double* v, double* s1, double* s2, double* t1,
                                  double* t2) {
  detail::vec4 a1[kGroups] = {}, a2[kGroups] = {}, b1[kGroups] = {}, b2[kGroups] = {};
  for (std::size_t i = 0; i < P; ++i) {
    const double wi = w[i], ui = u[i];
    for (int g = 0; g < kGroups; ++g) {
      detail::vec4 x;
      detail::load4(x, v + i * kRows + 4 * g);
      const detail::vec4 xx = x * x;
      a1[g] += wi * x;
      a2[g] += wi * xx;
      b1[g] += ui * x;
      b2[g] += ui * xx;
    }
  }
  for (int g = 0; g < kGroups; ++g) {
    std::memcpy(s1 + 4 * g, &a1[g], sizeof a1[g]);
    std::memcpy(s2 + 4 * g, &a2[g], sizeof a2[g]);
    std::memcpy(t1 + 4 * g, &b1[g], sizeof b1[g]);
    std::memcpy(t2 + 4 * g, &b2[g], sizeof b2[g]);
  }
}

// y[k][r] = sum_{j <= k} L[k][j] a[j][r] in j order, d2[r] = sum_k y[k][r]^2 in k order
// (L lower-triangular, row-major P x P; a and y item-major).
ATTUNE_CLONES void block_lower_times(const double* L, std::size_t P, const double* a, double* y, double* d2) {
  detail::vec4 dd[kGroups] = {};
  for (std::size_t k = 0; k < P; ++k) {
    detail::vec4 acc[kGroups] = {};
    const double* Lk = L + k * P;
    for (std::size_t j = 0; j <= k; ++j) {
      const double l = Lk[j];
      const double* aj = a + j * kRows;
      for (int g = 0; g < kGroups; ++g) {
        detail::vec4 x;
        detail::load4(x, aj + 4 * g);
        acc[g] += l * x;
      }
    }
    for (int g = 0; g < kGroups; ++g) {
      std::memcpy(y + k * kRows + 4 * g, &acc[g], sizeof acc[g]);
      dd[g] += acc[g] * acc[g];
    }
  }
  for (int g = 0; g < kGroups; ++g) std::memcpy(d2 + 4 * g, &dd[g], sizeof dd[g]);
}

// The positions of the missing (NaN) answers of a row x[0..P), in order, into idx; their count.
// Two answers per SSE2 compare: most rows with a gap have one or two among dozens of items.
inline std::size_t missing_items(const double* x, std::size_t P, int* idx) {
  std::size_t nm = 0, i = 0;
#if defined(__SSE2__)
  for (; i + 2 <= P; i += 2) {
    const __m128d v = _mm_loadu_pd(x + i);
    const int bits = _mm_movemask_pd(_mm_cmpunord_pd(v, v));
    if (bits & 1) idx[nm++] = static_cast<int>(i);
    if (bits & 2) idx[nm++] = static_cast<int>(i + 1);
  }
#endif
  for (; i < P; ++i)
    if (std::isnan(x[i])) idx[nm++] = static_cast<int>(i);
  return nm;
}

// Cholesky factor (lower, row-major n x n, into L) of the submatrix of the P x P matrix M on the
// rows and columns idx[0..n); false when that submatrix is not positive definite.
bool cholesky_of_subset(const double* M, std::size_t P, const int* idx, std::size_t n, double* L) {
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      double v = M[static_cast<std::size_t>(idx[i]) * P + static_cast<std::size_t>(idx[j])];
      for (std::size_t k = 0; k < j; ++k) v -= L[i * n + k] * L[j * n + k];
      if (i == j) {
        if (!(v > 0)) return false;
        L[i * n + i] = std::sqrt(v);
      } else {
        L[i * n + j] = v / L[j * n + j];
      }
    }
  }
  return true;
}
}  // namespace

void QualityScorer::Impl::prepare(Workspace::Buffers& ws) const {
  const std::size_t P = plan_.item_count();
  const std::size_t n = std::max(P, halves_.size());
  if (ws.a.size() < n) ws.a.resize(n);
  if (ws.b.size() < n) ws.b.resize(n);
  if (ws.m.size() < P * P) ws.m.resize(P * P);
  if (ws.idx.size() < P) ws.idx.resize(P);
  // v, mask and centred answers, y (P x kRows each), then ten per-row sums.
  if (ws.block.size() < 4 * P * kRows + 10 * kRows) ws.block.resize(4 * P * kRows + 10 * kRows);
}

void QualityScorer::prepare(Workspace& ws) const {
  if (!ws.buffers_) ws.buffers_ = std::make_unique<Workspace::Buffers>();  // a moved-from workspace
  impl_->prepare(*ws.buffers_);
}

void QualityScorer::score_error_row(int invalid_cells, QualityValues& q) const {
  q = QualityValues{};
  q.longstring = -1;
  q.irv = q.even_odd = q.synonyms = q.mahalanobis = q.mahalanobis_p = q.share_answered = kNaN;
  q.out_of_range = invalid_cells;
  if (invalid_cells > impl_->t_.out_of_range_above) q.flags |= 1u << static_cast<int>(QualityFlag::out_of_range);
}

// D^2 = a' S^-1 a over the answered items, with S^-1 = L^-T L^-1 (S = L L'), a the centred answers.
// Missing answers: with Lambda = S^-1, answered set o and missing set m, the Schur complement gives
// (S_oo)^-1 = Lambda_oo - Lambda_om Lambda_mm^-1 Lambda_mo, so with a0 = a set to 0 where missing,
// y = L^-1 a0 and t = Lambda a0 = L^-T y, D^2 = |y|^2 - t_m' Lambda_mm^-1 t_m: the complete row's
// triangular product (block_lower_times) plus an m x m Cholesky. With more missing than answered
// items the direct Cholesky of S_oo is the smaller one (direct_mahalanobis).
// d2 = |y|^2; y: the row's y values, y[k * stride]; missing: the nm missing item indices.
double QualityScorer::Impl::schur_mahalanobis(double d2, const double* y, std::size_t stride, const int* missing, std::size_t nm,
                                        Workspace::Buffers& ws) const {
  const std::size_t P = model_->items;
  double* L = ws.m.data();
  if (!cholesky_of_subset(model_->cov_inverse.data(), P, missing, nm, L)) return kNaN;
  // t_m = (L^-T y)_m, then forward solve C z = t_m with C C' = Lambda_mm; the correction is |z|^2.
  double* z = ws.b.data();
  double corr = 0;
  for (std::size_t i = 0; i < nm; ++i) {
    const auto m = static_cast<std::size_t>(missing[i]);
    double t = 0;
    for (std::size_t r = m; r < P; ++r) t += linv_[r * P + m] * y[r * stride];
    double v = t;
    for (std::size_t q = 0; q < i; ++q) v -= L[i * nm + q] * z[q];
    z[i] = v / L[i * nm + i];
    corr += z[i] * z[i];
  }
  return d2 - corr;
}

// Direct: Cholesky of the answered items' covariance, then a forward solve.
double QualityScorer::Impl::direct_mahalanobis(const double* x, Workspace::Buffers& ws) const {
  const std::size_t P = model_->items;
  const double* mu = model_->mean.data();
  double* L = ws.m.data();
  std::size_t n = 0;
  for (std::size_t i = 0; i < P; ++i) if (!std::isnan(x[i])) ws.idx[n++] = static_cast<int>(i);
  if (!cholesky_of_subset(model_->cov.data(), P, ws.idx.data(), n, L)) return kNaN;
  double d2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double v = x[ws.idx[i]] - mu[ws.idx[i]];
    for (std::size_t k = 0; k < i; ++k) v -= L[i * n + k] * ws.b[k];
    ws.b[i] = v / L[i * n + i];
    d2 += ws.b[i] * ws.b[i];
  }
  return d2;
}

// A row's flags and model-based indices cleared, and its even-odd consistency (share answered,
// IRV and longstring come from the block kernel, block_row_basics).
void QualityScorer::Impl::basic(const double* x, int invalid_cells, QualityValues& q, Workspace::Buffers& ws) const {
  q.flags = 0;
  q.out_of_range = invalid_cells;
  q.synonyms = q.mahalanobis = q.mahalanobis_p = kNaN;

  // Even-odd consistency (Jackson 1976; Johnson 2005): per scale, the mean of the keyed odd-numbered
  // and of the even-numbered items; the person's correlation of the two across scales,
  // Spearman-Brown corrected. Needs at least 3 scales with both halves answered.
  std::size_t c = 0;
  // Fewer than 3 scales with both halves can never give the index: the sums are skipped.
  const std::size_t n_halves = halves_.size() >= 3 ? halves_.size() : 0;
  for (std::size_t hs = 0; hs < n_halves; ++hs) {
    const Halves& h = halves_[hs];
    double so = 0, se = 0;
    int no = 0, ne = 0;
    for (std::size_t k = 0; k < h.odd.size(); ++k) {
      const double v = x[h.odd[k]];
      if (!std::isnan(v)) { so += h.odd_rev[k] ? reverse_sum_ - v : v; ++no; }
    }
    for (std::size_t k = 0; k < h.even.size(); ++k) {
      const double v = x[h.even[k]];
      if (!std::isnan(v)) { se += h.even_rev[k] ? reverse_sum_ - v : v; ++ne; }
    }
    if (no && ne) { ws.a[c] = so / no; ws.b[c] = se / ne; ++c; }
  }
  q.even_odd = kNaN;
  if (c >= 3) {
    const double r = pearson(ws.a.data(), ws.b.data(), c);
    if (!std::isnan(r)) q.even_odd = r > -1 ? 2 * r / (1 + r) : -1;
  }

}

// Longstring in position order when the items are stored in another order: a missing answer
// ends a run (NaN equals nothing, so the answer after a gap starts a new run).
int QualityScorer::Impl::longstring_by_position(const double* x) const {
  int best = 0, run = 0;
  double prev = kNaN;
  for (int k : by_position_) {
    const double v = x[k];
    run = v == v ? (v == prev ? run + 1 : 1) : 0;
    prev = v;
    best = run > best ? run : best;
  }
  return best;
}

void QualityScorer::score(const double* x, int invalid_cells, QualityValues& q, Workspace& ws) const {
  score_rows(x, 1, &invalid_cells, &q, ws);
}

namespace {

// One block of score_rows: item-major copies of the block's answers (0 where missing), answered
// (1/0), centred answers (0 where missing) and y, then ten per-row sums (Workspace::Buffers::block).
struct BlockView {
  double *v, *mask, *a, *y, *sab, *sa, *saa, *sb, *sbb, *d2, *n_ans, *s_1, *s_2, *run;
  BlockView(double* block, std::size_t P) {
    v = block;
    mask = v + P * kRows;
    a = mask + P * kRows;
    y = a + P * kRows;
    double** sums[] = {&sab, &sa, &saa, &sb, &sbb, &d2, &n_ans, &s_1, &s_2, &run};
    double* at = y + P * kRows;
    for (double** s : sums) {
      *s = at;
      at += kRows;
    }
  }
};

// The block's rows that have a distance, for their p values all at once (chisq_upper_rows).
struct PValues {
  std::size_t row[kRows], df[kRows], n = 0;
  double x[kRows], out[kRows];
};

void flag_row(const QualityThresholds& t, int longstring_limit, int invalid_cells, QualityValues& q) {
  auto flag = [&](QualityFlag f) { q.flags |= static_cast<std::uint8_t>(1u << static_cast<int>(f)); };
  if (q.longstring >= longstring_limit) flag(QualityFlag::longstring);
  if (q.irv <= t.irv_at_most) flag(QualityFlag::irv);  // NaN compares false: not flagged
  if (q.even_odd < t.even_odd_below) flag(QualityFlag::even_odd);
  if (q.synonyms < t.synonyms_below) flag(QualityFlag::synonyms);
  if (q.mahalanobis_p < t.mahalanobis_p_below) flag(QualityFlag::mahalanobis);
  if (q.share_answered < t.share_answered_below) flag(QualityFlag::share_answered);
  if (invalid_cells > t.out_of_range_above) flag(QualityFlag::out_of_range);
}

// Psychometric synonyms (Meade & Craig 2012) of block row r: the person's correlation over the
// item pairs that correlate above synonym_pair_r in the sample; at least 3 answered pairs. Answers
// are whole numbers, so every sum is exact and n*Sab - Sa*Sb loses nothing against the two-pass
// formula. With missing answers set to 0 the sums over all pairs already leave out every product
// with a missing member; the one-member sums and the count are then corrected pair by pair around
// each missing item only (missing: the row's nm missing items).
double row_synonyms(const QualityScorer::Impl& s, const BlockView& b, std::size_t r, const int* missing, std::size_t nm) {
  double n = static_cast<double>(s.syn_first_.size()), s_a = b.sa[r], s_aa = b.saa[r], s_b = b.sb[r], s_bb = b.sbb[r];
  for (std::size_t k = 0; k < nm; ++k) {
    const auto j = static_cast<std::size_t>(missing[k]);
    // Pairs (f, j): their first member's terms go (0 already when f is missing too).
    for (std::uint32_t e = s.syn_second_begin_[j]; e < s.syn_second_begin_[j + 1]; ++e) {
      const double u = b.v[static_cast<std::size_t>(s.syn_second_partner_[e]) * kRows + r];
      s_a -= u;
      s_aa -= u * u;
      n -= 1;
    }
    // Pairs (j, s): their second member's terms go; a pair with s missing too was counted above.
    for (std::uint32_t e = s.syn_first_begin_[j]; e < s.syn_first_begin_[j + 1]; ++e) {
      const auto sec = static_cast<std::size_t>(s.syn_first_partner_[e]) * kRows + r;
      s_b -= b.v[sec];
      s_bb -= b.v[sec] * b.v[sec];
      n -= b.mask[sec];
    }
  }
  if (n < 3) return kNaN;
  const double va = n * s_aa - s_a * s_a, vb = n * s_bb - s_b * s_b;
  return va > 0 && vb > 0 ? (n * b.sab[r] - s_a * s_b) / std::sqrt(va * vb) : kNaN;
}

// Share answered, IRV and longstring of the block's rows, and their even-odd consistency. IRV is
// the SD with n - 1 over the answered items (careless::irv, sd()): n * sum(x^2) - sum(x)^2 is the
// exact n * (n - 1) * variance, so one rounding in the division.
void block_basics(const QualityScorer::Impl& s, const BlockView& b, const double* x, std::size_t nb, const int* invalid_cells,
                  QualityValues* out, std::size_t* answered, QualityScorer::Workspace::Buffers& ws) {
  const std::size_t P = s.plan_.item_count();
  for (std::size_t r = 0; r < nb; ++r) {
    QualityValues& q = out[r];
    s.basic(x + r * P, invalid_cells[r], q, ws);
    answered[r] = static_cast<std::size_t>(b.n_ans[r]);
    const double n = b.n_ans[r];
    q.share_answered = P ? n / static_cast<double>(P) : kNaN;
    q.irv = n >= 2 ? std::sqrt(std::max(0.0, n * b.s_2[r] - b.s_1[r] * b.s_1[r]) / (n * (n - 1))) : kNaN;
    q.longstring = s.positions_in_order_ ? static_cast<int>(b.run[r]) : s.longstring_by_position(x + r * P);
  }
}

// Synonyms and the Mahalanobis (1936) D^2 of the block's rows against the sample means and
// pairwise covariances, over the answered items (df = answered); p from the chi-square upper tail.
void block_model_indices(const QualityScorer::Impl& s, const BlockView& b, const double* x, std::size_t nb,
                         const std::size_t* answered, QualityValues* out, QualityScorer::Workspace::Buffers& ws) {
  const std::size_t P = s.plan_.item_count();
  block_pair_products(s.syn_first_.data(), s.syn_second_.data(), s.syn_first_.size(), b.v, b.sab);
  block_weighted(s.syn_w_first_.data(), s.syn_w_second_.data(), P, b.v, b.sa, b.saa, b.sb, b.sbb);
  if (!s.linv_.empty()) block_lower_times(s.linv_.data(), P, b.a, b.y, b.d2);
  PValues pv;
  for (std::size_t r = 0; r < nb; ++r) {
    QualityValues& q = out[r];
    std::size_t nm = 0;
    if (answered[r] < P) nm = missing_items(x + r * P, P, ws.idx.data());
    const double syn = row_synonyms(s, b, r, ws.idx.data(), nm);
    if (!std::isnan(syn)) q.synonyms = syn;
    if (s.linv_.empty() || answered[r] < 1) continue;
    double dist = b.d2[r];
    if (nm > answered[r]) dist = s.direct_mahalanobis(x + r * P, ws);
    else if (nm > 0) dist = s.schur_mahalanobis(dist, b.y + r, kRows, ws.idx.data(), nm, ws);
    if (std::isnan(dist)) continue;
    q.mahalanobis = dist;
    pv.row[pv.n] = r;
    pv.df[pv.n] = answered[r];
    pv.x[pv.n] = std::max(dist, 0.0);
    ++pv.n;
  }
  detail::chisq_upper_rows(pv.df, pv.x, pv.n, pv.out);
  for (std::size_t k = 0; k < pv.n; ++k) out[pv.row[k]].mahalanobis_p = pv.out[k];
}

}  // namespace

void QualityScorer::score_rows(const double* x, std::size_t rows, const int* invalid_cells, QualityValues* out, Workspace& ws) const {
  const Impl& s = *impl_;
  const std::size_t P = s.plan_.item_count();
  prepare(ws);
  Workspace::Buffers& w = *ws.buffers_;
  std::size_t answered[kRows];
  for (std::size_t r0 = 0; r0 < rows; r0 += kRows) {
    const std::size_t nb = std::min(kRows, rows - r0);
    // A transposed copy first (NaN stays NaN), then the item-major arrays across rows in vector
    // registers: no branch per answer. Rows past nb are all zero and their results unused.
    const BlockView b(w.block.data(), P);
    const double* xb = x + r0 * P;
    block_transpose(xb, P, nb, b.v);
    block_split_missing(s.model_ ? s.model_->mean.data() : nullptr, P, b.v, b.mask, b.a);
    block_row_basics(b.v, b.mask, P, b.n_ans, b.s_1, b.s_2, b.run);
    block_basics(s, b, xb, nb, invalid_cells + r0, out + r0, answered, w);
    if (s.model_) block_model_indices(s, b, xb, nb, answered, out + r0, w);
    for (std::size_t r = 0; r < nb; ++r) flag_row(s.t_, s.longstring_limit_, invalid_cells[r0 + r], out[r0 + r]);
  }
}

}  // namespace attune
