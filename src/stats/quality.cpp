// Response-quality indices per row. Everything per row runs on preallocated scratch space.
#include <attune/quality.hpp>
#include <attune/error.hpp>

#include "../plan_data.hpp"

#include <Eigen/Dense>
#include <boost/math/distributions/chi_squared.hpp>

#include <algorithm>
#include <cmath>
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
  longstring_limit_ = static_cast<int>(std::ceil(t_.longstring_share * static_cast<double>(d.n_items) - 1e-9));
  if (longstring_limit_ < 2) longstring_limit_ = 2;
}

void QualityScorer::prepare(Workspace& ws) const {
  const std::size_t P = plan_.item_count();
  const std::size_t n = std::max({P, halves_.size(), model_ ? model_->synonym_pairs.size() : std::size_t{0}});
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

  // Psychometric synonyms (Meade & Craig 2012): the person's correlation over the item pairs that
  // correlate above synonym_pair_r in the sample; at least 3 answered pairs.
  q.synonyms = kNaN;
  q.mahalanobis = q.mahalanobis_p = kNaN;
  if (model_) {
    c = 0;
    for (const auto& pr : model_->synonym_pairs) {
      const double u = x[pr.first], v = x[pr.second];
      if (std::isnan(u) || std::isnan(v)) continue;
      ws.a[c] = u; ws.b[c] = v; ++c;
    }
    if (c >= 3) q.synonyms = pearson(ws.a.data(), ws.b.data(), c);

    // Mahalanobis (1936) D^2 against the sample means and pairwise covariances, over the answered
    // items (df = answered); p from the chi-square upper tail (Boost.Math).
    if (!model_->cov_inverse.empty() && answered >= 1) {
      const double* mu = model_->mean.data();
      double d2 = kNaN;
      if (answered == P) {
        const double* Si = model_->cov_inverse.data();
        for (std::size_t i = 0; i < P; ++i) ws.a[i] = x[i] - mu[i];
        d2 = 0;
        for (std::size_t i = 0; i < P; ++i) {
          double t = 0;
          const double* row = Si + i * P;
          for (std::size_t j = 0; j < P; ++j) t += row[j] * ws.a[j];
          d2 += ws.a[i] * t;
        }
      } else {
        // Cholesky of the answered items' covariance, in the scratch matrix, then a forward solve.
        std::size_t n = 0;
        for (std::size_t i = 0; i < P; ++i) if (!std::isnan(x[i])) ws.idx[n++] = static_cast<int>(i);
        double* L = ws.m.data();
        const double* S = model_->cov.data();
        bool ok = true;
        for (std::size_t i = 0; i < n && ok; ++i) {
          for (std::size_t j = 0; j <= i; ++j) {
            double s = S[static_cast<std::size_t>(ws.idx[i]) * P + static_cast<std::size_t>(ws.idx[j])];
            for (std::size_t k = 0; k < j; ++k) s -= L[i * n + k] * L[j * n + k];
            if (i == j) {
              if (!(s > 0)) { ok = false; break; }
              L[i * n + i] = std::sqrt(s);
            } else {
              L[i * n + j] = s / L[j * n + j];
            }
          }
        }
        if (ok) {
          d2 = 0;
          for (std::size_t i = 0; i < n; ++i) {
            double s = x[ws.idx[i]] - mu[ws.idx[i]];
            for (std::size_t k = 0; k < i; ++k) s -= L[i * n + k] * ws.a[k];
            ws.a[i] = s / L[i * n + i];
            d2 += ws.a[i] * ws.a[i];
          }
        }
      }
      if (!std::isnan(d2)) {
        q.mahalanobis = d2;
        q.mahalanobis_p = boost::math::cdf(boost::math::complement(boost::math::chi_squared_distribution<double>(static_cast<double>(answered)), std::max(d2, 0.0)));
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
