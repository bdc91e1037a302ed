// A category with an honest probability: the four quadrants' probabilities from the two theta
// posteriors, a score cut moved onto theta through the test characteristic curve, and Rudner's
// (2001) expected classification accuracy and consistency (Lee 2010). Formulas: docs/irt.md.
#include "grm.hpp"

#include <attune/error.hpp>

#include <algorithm>
#include <cmath>

namespace attune::irt {

double share_above(const std::vector<double>& points, const double* posterior, double cut) {
  const std::size_t Q = points.size();
  if (Q < 2) return Q == 1 && points[0] > cut ? 1.0 : 0.0;
  const double h = points[1] - points[0];
  double sum = 0;
  for (std::size_t q = 0; q < Q; ++q) {
    // The share of node q's cell [point - h/2, point + h/2] that lies above the cut.
    const double share = std::clamp((points[q] + 0.5 * h - cut) / h, 0.0, 1.0);
    sum += posterior[q] * share;
  }
  return std::clamp(sum, 0.0, 1.0);
}

std::array<double, 4> quadrant_probabilities(const std::vector<double>& points, const double* anxiety_posterior,
                                             const double* avoidance_posterior, double anxiety_cut, double avoidance_cut) {
  const double anx = share_above(points, anxiety_posterior, anxiety_cut);
  const double avo = share_above(points, avoidance_posterior, avoidance_cut);
  std::array<double, 4> p{};
  p[static_cast<int>(Category::secure)] = (1 - anx) * (1 - avo);
  p[static_cast<int>(Category::anxious)] = anx * (1 - avo);
  p[static_cast<int>(Category::avoidant)] = (1 - anx) * avo;
  p[static_cast<int>(Category::fearful)] = anx * avo;
  return p;
}

namespace {

// Expected mean score at theta: min + the mean over items of E[X] = sum_k P(X >= k).
double expected_mean_score(const std::vector<detail::GrmItem>& items, const ResponseScale& scale, double theta) {
  double sum = 0;
  for (const detail::GrmItem& item : items) {
    for (double d : item.d) sum += 1 / (1 + std::exp(-(item.a * theta + d)));
  }
  return scale.min + sum / static_cast<double>(items.size());
}

}  // namespace

double theta_for_mean_score(const ScaleCalibration& calibration, const ResponseScale& scale, double mean_score) {
  if (!(mean_score > scale.min && mean_score < scale.max)) {
    Location where;
    where.value = std::to_string(mean_score);
    throw UsageError("a cut on the mean score must lie inside the response scale", where,
                     "a value between " + std::to_string(scale.min) + " and " + std::to_string(scale.max));
  }
  std::vector<detail::GrmItem> items;
  for (const ItemParameters& it : calibration.items) items.push_back(detail::to_intercepts(it));
  // Every slope is positive after the reverse keys, so the curve rises: bisection cannot miss.
  double lo = -20, hi = 20;
  for (int i = 0; i < 200 && hi - lo > 1e-13; ++i) {
    const double mid = 0.5 * (lo + hi);
    (expected_mean_score(items, scale, mid) < mean_score ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

ClassificationAgreement classification_agreement(const ScaleCalibration& calibration, const Grid& grid, double cut) {
  const std::vector<double> points = grid.points(), prior = grid.prior();
  ClassificationAgreement out;
  for (std::size_t q = 0; q < points.size(); ++q) {
    const double se = 1 / std::sqrt(test_information(calibration, points[q]));
    // P(an estimate lands above the cut | true theta), the estimate normal around theta with this SE.
    const double above = 0.5 * std::erfc((cut - points[q]) / (se * std::sqrt(2.0)));
    out.accuracy += prior[q] * (points[q] > cut ? above : 1 - above);
    out.consistency += prior[q] * (above * above + (1 - above) * (1 - above));
  }
  return out;
}

}  // namespace attune::irt
