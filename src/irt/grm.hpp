#pragma once
// The graded response model's arithmetic (Samejima 1969), shared by calibration and scoring. An item
// is held in slope-intercept form, P(X >= k) = logistic(a theta + d[k-1]), d decreasing; the public
// thresholds are b[k] = -d[k] / a.
#include <attune/irt.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace attune::irt::detail {

constexpr double kMinProbability = 1e-300;  // keeps log finite where a category is all but impossible

struct GrmItem {
  double a = 1;
  std::vector<double> d;  // K - 1 intercepts, decreasing
  int categories() const { return static_cast<int>(d.size()) + 1; }
};

GrmItem to_intercepts(const ItemParameters& item);

// Category probabilities P(X = c | theta), c = 0..K-1, into p (K values); also the boundary
// curves' derivatives W[k] = P*(1 - P*) for k = 0..K (W[0] = W[K] = 0) when w is not null.
void category_probabilities(const GrmItem& item, double theta, double* p, double* w = nullptr);

double information(const GrmItem& item, double theta);

// log P(X = c | node q) laid out [item][category][node], nodes contiguous: the E-step and EAP add
// whole rows of it. `offset[j]` is where item j's block starts.
struct LogTable {
  std::size_t nodes = 0;
  std::vector<std::size_t> offset;
  std::vector<double> values;
  void build(const std::vector<GrmItem>& items, const std::vector<double>& points);
  const double* row(std::size_t item, int category) const { return values.data() + offset[item] + category * nodes; }
};

// The expected complete-data log-likelihood of one item, sum_q sum_c r[c][q] log P_c(q), with its
// gradient and Hessian in (a, d[0..K-2]) (dense, (K x K), row-major).
double item_objective(const GrmItem& item, const double* r, const std::vector<double>& points, double* gradient,
                      double* hessian);

// The M-step for one item: Newton-Raphson with step halving from `item` on expected counts r
// ([category][node]); keeps the intercepts decreasing.
void maximize_item(GrmItem& item, const double* r, const std::vector<double>& points);

// EAP from a log posterior over Q nodes: the posterior mean, and its SD in `sd`. Nodes 40 log units
// under the peak weigh less than 4e-18 of it: no exp for them (the log posterior is concave, so the
// rest is one run). Shared by ThetaScorer::eap and the adaptive step, so both give the same theta.
// `m` is the largest of ll[0..Q).
inline double posterior_mean_sd_peak(const double* ll, const double* points, std::size_t Q, double m, double& sd) {
  const double floor = m - 40;
  std::size_t lo = 0, hi = Q;
  while (ll[lo] < floor) ++lo;
  while (ll[hi - 1] < floor) --hi;
  double s0 = 0, s1 = 0, s2 = 0;
  for (std::size_t q = lo; q < hi; ++q) {
    const double e = std::exp(ll[q] - m), t = points[q];
    s0 += e;
    s1 += e * t;
    s2 += e * t * t;
  }
  const double mean = s1 / s0;
  sd = std::sqrt(std::max(s2 / s0 - mean * mean, 0.0));
  return mean;
}

inline double posterior_mean_sd(const double* ll, const double* points, std::size_t Q, double& sd) {
  return posterior_mean_sd_peak(ll, points, Q, *std::max_element(ll, ll + Q), sd);
}

}  // namespace attune::irt::detail
