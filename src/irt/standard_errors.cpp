// Standard errors of the item parameters from the cross-product of the rows' marginal scores (the
// "XPD" estimate of the observed information): one pass over the data at the estimates.
#include "em.hpp"

#include <Eigen/Dense>

#include <cmath>
#include <limits>

namespace attune::irt::detail {

namespace {

// d log P(X = c | node q) / d parameter, for the three parameters it involves: a, d[c-1], d[c].
struct ScoreTables {
  std::vector<double> da, dlo, dhi;  // laid out as the LogTable
};

ScoreTables score_tables(const std::vector<GrmItem>& items, const LogTable& t, const std::vector<double>& points) {
  ScoreTables s;
  s.da.assign(t.values.size(), 0);
  s.dlo = s.da;
  s.dhi = s.da;
  std::vector<double> p(64), w(65);
  for (std::size_t j = 0; j < items.size(); ++j) {
    const int K = items[j].categories();
    for (std::size_t q = 0; q < t.nodes; ++q) {
      category_probabilities(items[j], points[q], p.data(), w.data());
      for (int c = 0; c < K; ++c) {
        const double pc = std::max(p[c], kMinProbability);
        const std::size_t at = t.offset[j] + c * t.nodes + q;
        s.da[at] = points[q] * (w[c] - w[c + 1]) / pc;
        s.dlo[at] = w[c] / pc;
        s.dhi[at] = -w[c + 1] / pc;
      }
    }
  }
  return s;
}

double dot(const double* x, const double* y, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += x[i] * y[i];
  return s;
}

Eigen::MatrixXd cross_products(const ScaleData& d, const std::vector<GrmItem>& items, const LogTable& t,
                               const std::vector<double>& points, const std::vector<double>& log_prior) {
  const ScoreTables st = score_tables(items, t, points);
  const std::size_t K = static_cast<std::size_t>(d.categories), P = d.items * K, Q = t.nodes;
  Eigen::MatrixXd info = Eigen::MatrixXd::Zero(P, P);
  Eigen::VectorXd s(P);
  std::vector<double> post(Q);
  for (std::size_t i = 0; i < d.rows; ++i) {
    const std::int8_t* x = d.row(i);
    row_log_likelihood(t, x, d.items, log_prior.data(), post.data());
    std::size_t lo, hi;
    normalize_posterior(post.data(), Q, lo, hi);
    s.setZero();
    for (std::size_t j = 0; j < d.items; ++j) {
      if (x[j] < 0) continue;
      const std::size_t c = static_cast<std::size_t>(x[j]), at = t.offset[j] + c * Q;
      s[j * K] = dot(post.data(), st.da.data() + at, Q);
      if (c >= 1) s[j * K + c] += dot(post.data(), st.dlo.data() + at, Q);
      if (c + 1 < K) s[j * K + c + 1] += dot(post.data(), st.dhi.data() + at, Q);
    }
    info.selfadjointView<Eigen::Upper>().rankUpdate(s);
  }
  return info.selfadjointView<Eigen::Upper>();
}

}  // namespace

void standard_errors(const ScaleData& d, const std::vector<GrmItem>& items, const std::vector<double>& points,
                     const std::vector<double>& log_prior, std::vector<ItemParameters>& out) {
  LogTable t;
  t.build(items, points);
  const Eigen::MatrixXd info = cross_products(d, items, t, points, log_prior);
  Eigen::LDLT<Eigen::MatrixXd> ldlt(info);
  if (ldlt.info() != Eigen::Success || !(ldlt.vectorD().array() > 0).all()) return;  // SEs stay NaN
  const Eigen::MatrixXd cov = ldlt.solve(Eigen::MatrixXd::Identity(info.rows(), info.cols()));
  const std::size_t K = static_cast<std::size_t>(d.categories);
  for (std::size_t j = 0; j < items.size(); ++j) {
    const std::size_t base = j * K;
    const double a = items[j].a;
    out[j].a_se = std::sqrt(cov(base, base));
    for (std::size_t k = 1; k < K; ++k) {
      // b = -d / a: gradient (d / a^2, -1 / a) in (a, d)
      const double dk = items[j].d[k - 1], ga = dk / (a * a), gd = -1 / a;
      const double v = ga * ga * cov(base, base) + gd * gd * cov(base + k, base + k) + 2 * ga * gd * cov(base, base + k);
      out[j].b_se[k - 1] = v > 0 ? std::sqrt(v) : std::numeric_limits<double>::quiet_NaN();
    }
  }
}

}  // namespace attune::irt::detail
