// Response-quality indices per row. Everything per row runs on preallocated scratch space.
#include <attune/quality.hpp>
#include <attune/error.hpp>

#include "../plan_data.hpp"
#include "chi_square.hpp"
#include "../simd/vec4.hpp"

#include <Eigen/Dense>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace attune {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

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
constexpr std::size_t kRows = 32;
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

const char* to_string(QualityFlag f) noexcept {
  switch (f) {
    case QualityFlag::longstring: return "longstring";
    case QualityFlag::irv: return "irv";
    case QualityFlag::even_odd: return "even_odd";
    case QualityFlag::synonyms: return "synonyms";
    case QualityFlag::mahalanobis: return "mahalanobis";
    case QualityFlag::share_answered: return "share_answered";
    case QualityFlag::out_of_range: return "out_of_range";
  }
  return "?";
}

QualityModel QualityModel::from_sums(const ReliabilitySums& all, const QualityThresholds& t) {
  QualityModel m;
  const PairwiseMoments pm = pairwise_moments(all);
  const std::size_t P = pm.k;
  m.items = P;
  m.rows = all.rows;
  m.mean = pm.mean;
  m.cov = pm.cov;
  for (std::size_t i = 0; i < P; ++i)
    for (std::size_t j = i + 1; j < P; ++j)
      if (pm.cor[i * P + j] > t.synonym_pair_r) m.synonym_pairs.emplace_back(all.items[i], all.items[j]);
  Eigen::MatrixXd S(static_cast<Eigen::Index>(P), static_cast<Eigen::Index>(P));
  for (std::size_t i = 0; i < P; ++i)
    for (std::size_t j = 0; j < P; ++j) S(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = pm.cov[i * P + j];
  if (S.allFinite()) {
    Eigen::LLT<Eigen::MatrixXd> llt(S);
    if (llt.info() == Eigen::Success) {
      Eigen::MatrixXd inv = llt.solve(Eigen::MatrixXd::Identity(S.rows(), S.cols()));
      m.cov_inverse.assign(inv.data(), inv.data() + P * P);  // symmetric: storage order does not matter
    }
  }
  return m;
}

QualityScorer::QualityScorer(const ScoringPlan& plan, const QualityThresholds& t, std::shared_ptr<const QualityModel> model)
    : plan_(plan), t_(t), model_(std::move(model)) {
  const auto& d = plan.data();
  if (model_ && model_->items != d.n_items) throw UsageError("quality model was computed for a different number of items");
  // Item indices in the published order (position), for longstring.
  std::vector<std::pair<int, int>> pos;
  for (std::size_t i = 0; i < d.n_items; ++i) pos.emplace_back(d.instrument.items[i].position, static_cast<int>(i));
  std::sort(pos.begin(), pos.end());
  for (const auto& p : pos) by_position_.push_back(p.second);
  // The common layout (items stored in position order) takes longstring from the block kernel.
  positions_in_order_ = true;
  for (std::size_t i = 0; i < by_position_.size(); ++i) positions_in_order_ = positions_in_order_ && by_position_[i] == static_cast<int>(i);
  reverse_sum_ = d.reverse_sum;
  for (std::size_t s = 0; s < d.n_scales; ++s) {
    if (d.derived[s] || d.member_begin[s + 1] - d.member_begin[s] < 2) continue;
    Halves h;
    for (std::uint32_t m = d.member_begin[s], k = 0; m < d.member_begin[s + 1]; ++m, ++k) {
      // Members in the scale's own order: 1st, 3rd, ... are the odd half.
      auto& idx = (k % 2 == 0) ? h.odd : h.even;
      auto& rev = (k % 2 == 0) ? h.odd_rev : h.even_rev;
      idx.push_back(static_cast<int>(d.member_index[m]));
      rev.push_back(d.member_reverse[m]);
    }
    halves_.push_back(std::move(h));
  }
  if (model_ && !model_->cov_inverse.empty() && model_->cov.size() == d.n_items * d.n_items) {
    // The inverse Cholesky factor of the covariance, once: a row's D^2 is then |L^-1 a|^2.
    const auto P = static_cast<Eigen::Index>(d.n_items);
    Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> S(model_->cov.data(), P, P);
    Eigen::LLT<Eigen::MatrixXd> llt(S);
    if (llt.info() == Eigen::Success) {
      Eigen::MatrixXd li = llt.matrixL().solve(Eigen::MatrixXd::Identity(P, P));
      for (Eigen::Index k = 0; k < P; ++k)
        for (Eigen::Index j = 0; j < P; ++j) linv_.push_back(j <= k ? li(k, j) : 0.0);
    }
  }
  if (model_) {
    const std::size_t P = d.n_items;
    syn_w_first_.assign(P, 0);
    syn_w_second_.assign(P, 0);
    std::vector<std::vector<int>> by_first(P), by_second(P);
    for (const auto& pr : model_->synonym_pairs) {
      syn_first_.push_back(pr.first);
      syn_second_.push_back(pr.second);
      by_first[static_cast<std::size_t>(pr.first)].push_back(pr.second);
      by_second[static_cast<std::size_t>(pr.second)].push_back(pr.first);
      syn_w_first_[static_cast<std::size_t>(pr.first)] += 1;
      syn_w_second_[static_cast<std::size_t>(pr.second)] += 1;
    }
    for (std::size_t i = 0; i < P; ++i) {
      syn_first_begin_.push_back(static_cast<std::uint32_t>(syn_first_partner_.size()));
      syn_first_partner_.insert(syn_first_partner_.end(), by_first[i].begin(), by_first[i].end());
      syn_second_begin_.push_back(static_cast<std::uint32_t>(syn_second_partner_.size()));
      syn_second_partner_.insert(syn_second_partner_.end(), by_second[i].begin(), by_second[i].end());
    }
    syn_first_begin_.push_back(static_cast<std::uint32_t>(syn_first_partner_.size()));
    syn_second_begin_.push_back(static_cast<std::uint32_t>(syn_second_partner_.size()));
  }
  longstring_limit_ = static_cast<int>(std::ceil(t_.longstring_share * static_cast<double>(d.n_items) - 1e-9));
  if (longstring_limit_ < 2) longstring_limit_ = 2;
}

void QualityScorer::prepare(Workspace& ws) const {
  const std::size_t P = plan_.item_count();
  const std::size_t n = std::max(P, halves_.size());
  if (ws.a.size() < n) ws.a.resize(n);
  if (ws.b.size() < n) ws.b.resize(n);
  if (ws.m.size() < P * P) ws.m.resize(P * P);
  if (ws.idx.size() < P) ws.idx.resize(P);
  // v, mask and centred answers, y (P x kRows each), then ten per-row sums.
  if (ws.block.size() < 4 * P * kRows + 10 * kRows) ws.block.resize(4 * P * kRows + 10 * kRows);
}

void QualityScorer::score_error_row(int invalid_cells, QualityValues& q) const {
  q = QualityValues{};
  q.longstring = -1;
  q.irv = q.even_odd = q.synonyms = q.mahalanobis = q.mahalanobis_p = q.share_answered = kNaN;
  q.out_of_range = invalid_cells;
  if (invalid_cells > t_.out_of_range_above) q.flags |= 1u << static_cast<int>(QualityFlag::out_of_range);
}

// D^2 = a' S^-1 a over the answered items, with S^-1 = L^-T L^-1 (S = L L'), a the centred answers.
// Missing answers: with Lambda = S^-1, answered set o and missing set m, the Schur complement gives
// (S_oo)^-1 = Lambda_oo - Lambda_om Lambda_mm^-1 Lambda_mo, so with a0 = a set to 0 where missing,
// y = L^-1 a0 and t = Lambda a0 = L^-T y, D^2 = |y|^2 - t_m' Lambda_mm^-1 t_m: the complete row's
// triangular product (block_lower_times) plus an m x m Cholesky. With more missing than answered
// items the direct Cholesky of S_oo is the smaller one (direct_mahalanobis).
// d2 = |y|^2; y: the row's y values, y[k * stride]; missing: the nm missing item indices.
double QualityScorer::schur_mahalanobis(double d2, const double* y, std::size_t stride, const int* missing, std::size_t nm,
                                        Workspace& ws) const {
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
double QualityScorer::direct_mahalanobis(const double* x, Workspace& ws) const {
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
void QualityScorer::basic(const double* x, int invalid_cells, QualityValues& q, Workspace& ws) const {
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
int QualityScorer::longstring_by_position(const double* x) const {
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

void QualityScorer::score_rows(const double* x, std::size_t rows, const int* invalid_cells, QualityValues* out, Workspace& ws) const {
  const std::size_t P = plan_.item_count();
  prepare(ws);
  std::size_t answered[kRows];
  // The block's rows with a distance, for their p values all at once (chisq_upper_rows).
  std::size_t p_row[kRows], p_df[kRows];
  double p_x[kRows], p_out[kRows];
  for (std::size_t r0 = 0; r0 < rows; r0 += kRows) {
    const std::size_t nb = std::min(kRows, rows - r0);
    // Item-major copies of the block: answers (0 where missing), answered (1/0), centred answers
    // (0 where missing); rows past nb are all zero and their results unused. A transposed copy
    // first (NaN stays NaN), then the three arrays across rows in vector registers: no branch
    // per answer.
    double* v = ws.block.data();
    double* mask = v + P * kRows;
    double* a = mask + P * kRows;
    double* y = a + P * kRows;
    double* sab = y + P * kRows;
    double* sa = sab + kRows;
    double* saa = sa + kRows;
    double* sb = saa + kRows;
    double* sbb = sb + kRows;
    double* d2 = sbb + kRows;
    double* n_ans = d2 + kRows;
    double* s_1 = n_ans + kRows;
    double* s_2 = s_1 + kRows;
    double* run = s_2 + kRows;
    block_transpose(x + r0 * P, P, nb, v);
    block_split_missing(model_ ? model_->mean.data() : nullptr, P, v, mask, a);
    block_row_basics(v, mask, P, n_ans, s_1, s_2, run);
    for (std::size_t r = 0; r < nb; ++r) {
      QualityValues& q = out[r0 + r];
      basic(x + (r0 + r) * P, invalid_cells[r0 + r], q, ws);
      // Share answered; IRV as the SD with n - 1 over the answered items (careless::irv, sd()):
      // n * sum(x^2) - sum(x)^2 is the exact n * (n - 1) * variance, so one rounding in the division.
      answered[r] = static_cast<std::size_t>(n_ans[r]);
      const double n = n_ans[r];
      q.share_answered = P ? n / static_cast<double>(P) : kNaN;
      q.irv = n >= 2 ? std::sqrt(std::max(0.0, n * s_2[r] - s_1[r] * s_1[r]) / (n * (n - 1))) : kNaN;
      q.longstring = positions_in_order_ ? static_cast<int>(run[r]) : longstring_by_position(x + (r0 + r) * P);
    }
    if (model_) {
      // Psychometric synonyms (Meade & Craig 2012): the person's correlation over the item pairs
      // that correlate above synonym_pair_r in the sample; at least 3 answered pairs. Answers are
      // whole numbers, so every sum is exact and n*Sab - Sa*Sb loses nothing against the two-pass
      // formula. With missing answers set to 0 the sums over all pairs already leave out every
      // product with a missing member; the one-member sums and the count are then corrected pair
      // by pair around each missing item only.
      block_pair_products(syn_first_.data(), syn_second_.data(), syn_first_.size(), v, sab);
      block_weighted(syn_w_first_.data(), syn_w_second_.data(), P, v, sa, saa, sb, sbb);
      if (!linv_.empty()) block_lower_times(linv_.data(), P, a, y, d2);
      std::size_t np = 0;
      for (std::size_t r = 0; r < nb; ++r) {
        QualityValues& q = out[r0 + r];
        std::size_t nm = 0;
        if (answered[r] < P) nm = missing_items(x + (r0 + r) * P, P, ws.idx.data());
        double n = static_cast<double>(syn_first_.size()), s_a = sa[r], s_aa = saa[r], s_b = sb[r], s_bb = sbb[r];
        for (std::size_t k = 0; k < nm; ++k) {
          const auto j = static_cast<std::size_t>(ws.idx[k]);
          // Pairs (f, j): their first member's terms go (0 already when f is missing too).
          for (std::uint32_t e = syn_second_begin_[j]; e < syn_second_begin_[j + 1]; ++e) {
            const double u = v[static_cast<std::size_t>(syn_second_partner_[e]) * kRows + r];
            s_a -= u;
            s_aa -= u * u;
            n -= 1;
          }
          // Pairs (j, s): their second member's terms go; a pair with s missing too was counted above.
          for (std::uint32_t e = syn_first_begin_[j]; e < syn_first_begin_[j + 1]; ++e) {
            const auto sec = static_cast<std::size_t>(syn_first_partner_[e]) * kRows + r;
            s_b -= v[sec];
            s_bb -= v[sec] * v[sec];
            n -= mask[sec];
          }
        }
        if (n >= 3) {
          const double va = n * s_aa - s_a * s_a, vb = n * s_bb - s_b * s_b;
          if (va > 0 && vb > 0) q.synonyms = (n * sab[r] - s_a * s_b) / std::sqrt(va * vb);
        }
        // Mahalanobis (1936) D^2 against the sample means and pairwise covariances, over the
        // answered items (df = answered); p from the chi-square upper tail (Boost.Math).
        if (!linv_.empty() && answered[r] >= 1) {
          double dist = d2[r];
          if (nm > answered[r]) dist = direct_mahalanobis(x + (r0 + r) * P, ws);
          else if (nm > 0) dist = schur_mahalanobis(dist, y + r, kRows, ws.idx.data(), nm, ws);
          if (!std::isnan(dist)) {
            q.mahalanobis = dist;
            p_row[np] = r;
            p_df[np] = answered[r];
            p_x[np] = std::max(dist, 0.0);
            ++np;
          }
        }
      }
      detail::chisq_upper_rows(p_df, p_x, np, p_out);
      for (std::size_t k = 0; k < np; ++k) out[r0 + p_row[k]].mahalanobis_p = p_out[k];
    }
    for (std::size_t r = 0; r < nb; ++r) {
      QualityValues& q = out[r0 + r];
      auto flag = [&](QualityFlag f) { q.flags |= static_cast<std::uint8_t>(1u << static_cast<int>(f)); };
      if (q.longstring >= longstring_limit_) flag(QualityFlag::longstring);
      if (q.irv <= t_.irv_at_most) flag(QualityFlag::irv);  // NaN compares false: not flagged
      if (q.even_odd < t_.even_odd_below) flag(QualityFlag::even_odd);
      if (q.synonyms < t_.synonyms_below) flag(QualityFlag::synonyms);
      if (q.mahalanobis_p < t_.mahalanobis_p_below) flag(QualityFlag::mahalanobis);
      if (q.share_answered < t_.share_answered_below) flag(QualityFlag::share_answered);
      if (invalid_cells[r0 + r] > t_.out_of_range_above) flag(QualityFlag::out_of_range);
    }
  }
}

}  // namespace attune
