// Response-quality indices per row. Everything per row runs on preallocated scratch space.
#include <attune/quality.hpp>
#include <attune/error.hpp>

#include "../plan_data.hpp"
#include "vec4.hpp"

#include <Eigen/Dense>
#include <boost/math/distributions/chi_squared.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace attune {

namespace {
// Double precision throughout: the default promotes to long double, which triples the cost per row.
using fast_policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

constexpr std::size_t round_up4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

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

// Sum over rows k of (L a)_k^2 for lower-triangular L stored by zero-padded rows (row k at
// L + off[k], length round_up4(k + 1)), with y = L a kept for the caller. a is read up to
// round_up4(P) entries (zero padding). Four lanes per row, summed in a fixed order.
ATTUNE_CLONES double lower_rows_times(const double* L, const std::uint32_t* off, std::size_t P, const double* a, double* y) {
  double d2 = 0;
  for (std::size_t k = 0; k < P; ++k) {
    const double* row = L + off[k];
    detail::vec4 acc = {0, 0, 0, 0};
    for (std::size_t j = 0; j <= k; j += 4) {
      detail::vec4 l, v;
      detail::load4(l, row + j);
      detail::load4(v, a + j);
      acc += l * v;
    }
    const double v = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    y[k] = v;
    d2 += v * v;
  }
  return d2;
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
      for (Eigen::Index k = 0; k < P; ++k) {
        linv_off_.push_back(static_cast<std::uint32_t>(linv_rows_.size()));
        const auto width = static_cast<Eigen::Index>(round_up4(static_cast<std::size_t>(k) + 1));
        for (Eigen::Index j = 0; j < width; ++j) linv_rows_.push_back(j <= k ? li(k, j) : 0.0);
      }
    }
  }
  if (model_) {
    const std::size_t P = d.n_items;
    syn_w_first_.assign(P, 0);
    syn_w_second_.assign(P, 0);
    std::vector<std::vector<int>> by_first(P), by_second(P);
    for (const auto& pr : model_->synonym_pairs) {
      by_first[static_cast<std::size_t>(pr.first)].push_back(pr.second);
      by_second[static_cast<std::size_t>(pr.second)].push_back(pr.first);
      syn_w_first_[static_cast<std::size_t>(pr.first)] += 1;
      syn_w_second_[static_cast<std::size_t>(pr.second)] += 1;
    }
    syn_pairs_ = model_->synonym_pairs.size();
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
  const std::size_t n = std::max({round_up4(P), halves_.size()});
  if (ws.a.size() < n) ws.a.resize(n);
  if (ws.b.size() < n) ws.b.resize(n);
  if (ws.m.size() < P * P) ws.m.resize(P * P);
  if (ws.idx.size() < P) ws.idx.resize(P);
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
// triangular product plus an m x m Cholesky. With more missing than answered items the direct
// Cholesky of S_oo is the smaller one.
double QualityScorer::mahalanobis(const double* x, std::size_t answered, Workspace& ws) const {
  const std::size_t P = model_->items;
  const std::size_t nm = P - answered;
  if (nm > answered) return direct_mahalanobis(x, ws);
  const double* mu = model_->mean.data();
  double* a = ws.a.data();
  double* y = ws.b.data();
  std::size_t k = 0;
  for (std::size_t i = 0; i < P; ++i) {
    if (std::isnan(x[i])) { a[i] = 0; ws.idx[k++] = static_cast<int>(i); }
    else a[i] = x[i] - mu[i];
  }
  for (std::size_t i = P; i < round_up4(P); ++i) a[i] = 0;  // read by the last four-lane steps
  const double d2 = lower_rows_times(linv_rows_.data(), linv_off_.data(), P, a, y);
  if (nm == 0) return d2;
  // t_m = (L^-T y)_m, then forward solve C z = t_m with C C' = Lambda_mm; the correction is |z|^2.
  double* L = ws.m.data();
  if (!cholesky_of_subset(model_->cov_inverse.data(), P, ws.idx.data(), nm, L)) return kNaN;
  double* z = a;  // the missing entries of a are free now (they were zeros)
  double corr = 0;
  for (std::size_t i = 0; i < nm; ++i) {
    const auto m = static_cast<std::size_t>(ws.idx[i]);
    double t = 0;
    for (std::size_t r = m; r < P; ++r) t += linv_rows_[linv_off_[r] + m] * y[r];
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

// Psychometric synonyms (Meade & Craig 2012): the person's correlation over the item pairs that
// correlate above synonym_pair_r in the sample; at least 3 answered pairs. The answers are whole
// numbers, so every sum is exact (any order gives the same bits) and n*Sab - Sa*Sb loses nothing
// against the two-pass formula.
double QualityScorer::synonyms(const double* x, std::size_t answered, Workspace& ws) const {
  const std::size_t P = plan_.item_count();
  // Sums over the pairs with both members answered. With the missing answers set to 0 (v), the
  // sums over all pairs already leave out every product with a missing member; the one-member
  // sums and the count are then corrected pair by pair around each missing item only.
  const double* v = x;
  std::size_t nm = 0;
  if (answered < P) {
    double* v0 = ws.a.data();
    for (std::size_t i = 0; i < P; ++i) {
      const bool miss = std::isnan(x[i]);
      v0[i] = miss ? 0.0 : x[i];
      ws.b[i] = miss ? 0.0 : 1.0;
      if (miss) ws.idx[nm++] = static_cast<int>(i);
    }
    v = v0;
  }
  double sa = 0, saa = 0, sb = 0, sbb = 0, sab = 0;
  for (std::size_t i = 0; i < P; ++i) {
    sa += syn_w_first_[i] * v[i];
    saa += syn_w_first_[i] * v[i] * v[i];
    sb += syn_w_second_[i] * v[i];
    sbb += syn_w_second_[i] * v[i] * v[i];
    double partners = 0;
    for (std::uint32_t k = syn_first_begin_[i]; k < syn_first_begin_[i + 1]; ++k) partners += v[syn_first_partner_[k]];
    sab += v[i] * partners;
  }
  double n = static_cast<double>(syn_pairs_);
  for (std::size_t q = 0; q < nm; ++q) {
    const auto j = static_cast<std::size_t>(ws.idx[q]);
    // Pairs (f, j): their first member's terms go (0 already when f is missing too).
    for (std::uint32_t k = syn_second_begin_[j]; k < syn_second_begin_[j + 1]; ++k) {
      const double u = v[syn_second_partner_[k]];
      sa -= u;
      saa -= u * u;
      n -= 1;
    }
    // Pairs (j, s): their second member's terms go; a pair with s missing too was counted above.
    for (std::uint32_t k = syn_first_begin_[j]; k < syn_first_begin_[j + 1]; ++k) {
      const auto s = static_cast<std::size_t>(syn_first_partner_[k]);
      sb -= v[s];
      sbb -= v[s] * v[s];
      n -= ws.b[s];
    }
  }
  if (n < 3) return kNaN;
  const double va = n * saa - sa * sa, vb = n * sbb - sb * sb;
  if (va > 0 && vb > 0) return (n * sab - sa * sb) / std::sqrt(va * vb);
  return kNaN;
}

void QualityScorer::score(const double* x, int invalid_cells, QualityValues& q, Workspace& ws) const {
  const std::size_t P = plan_.item_count();
  q.flags = 0;
  q.out_of_range = invalid_cells;
  auto flag = [&](QualityFlag f) { q.flags |= static_cast<std::uint8_t>(1u << static_cast<int>(f)); };

  // Share answered, IRV (SD with n - 1 over the answered items, as careless::irv / sd()).
  std::size_t answered = 0;
  double sum = 0;
  for (std::size_t i = 0; i < P; ++i) {
    if (std::isnan(x[i])) continue;
    ++answered;
    sum += x[i];
  }
  q.share_answered = P ? static_cast<double>(answered) / static_cast<double>(P) : kNaN;
  if (answered >= 2) {
    const double mean = sum / static_cast<double>(answered);
    double ss = 0;
    for (std::size_t i = 0; i < P; ++i) if (!std::isnan(x[i])) ss += (x[i] - mean) * (x[i] - mean);
    q.irv = std::sqrt(ss / static_cast<double>(answered - 1));
  } else {
    q.irv = kNaN;
  }

  // Longstring: longest run of identical answers in position order; a missing answer ends a run.
  int best = 0, run = 0;
  double prev = kNaN;
  for (int i : by_position_) {
    const double v = x[i];
    if (std::isnan(v)) { run = 0; prev = kNaN; continue; }
    run = (v == prev) ? run + 1 : 1;
    prev = v;
    if (run > best) best = run;
  }
  q.longstring = best;

  // Even-odd consistency (Jackson 1976; Johnson 2005): per scale, the mean of the keyed odd-numbered
  // and of the even-numbered items; the person's correlation of the two across scales,
  // Spearman-Brown corrected. Needs at least 3 scales with both halves answered.
  std::size_t c = 0;
  for (const auto& h : halves_) {
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

  q.synonyms = kNaN;
  q.mahalanobis = q.mahalanobis_p = kNaN;
  if (model_) {
    q.synonyms = synonyms(x, answered, ws);
    // Mahalanobis (1936) D^2 against the sample means and pairwise covariances, over the answered
    // items (df = answered); p from the chi-square upper tail (Boost.Math).
    if (!linv_rows_.empty() && answered >= 1) {
      const double d2 = mahalanobis(x, answered, ws);
      if (!std::isnan(d2)) {
        q.mahalanobis = d2;
        q.mahalanobis_p = boost::math::cdf(boost::math::complement(boost::math::chi_squared_distribution<double, fast_policy>(static_cast<double>(answered)), std::max(d2, 0.0)));
      }
    }
  }

  if (q.longstring >= longstring_limit_) flag(QualityFlag::longstring);
  if (q.irv <= t_.irv_at_most) flag(QualityFlag::irv);  // NaN compares false: not flagged
  if (q.even_odd < t_.even_odd_below) flag(QualityFlag::even_odd);
  if (q.synonyms < t_.synonyms_below) flag(QualityFlag::synonyms);
  if (q.mahalanobis_p < t_.mahalanobis_p_below) flag(QualityFlag::mahalanobis);
  if (q.share_answered < t_.share_answered_below) flag(QualityFlag::share_answered);
  if (invalid_cells > t_.out_of_range_above) flag(QualityFlag::out_of_range);
}

}  // namespace attune
