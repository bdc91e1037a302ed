#pragma once
// The EM calibration's data and E-step (Bock & Aitkin 1981), shared by the fit and its statistics.
#include "grm.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace attune::irt::detail {

// One scale's answers as categories 0..K-1 after reverse keys, -1 = not answered, rows x items;
// rows that answered none of the scale's items are left out.
struct ScaleData {
  std::size_t rows = 0;
  std::size_t items = 0;
  int categories = 0;
  std::vector<std::int8_t> x;
  std::vector<std::uint64_t> answered;  // per item
  const std::int8_t* row(std::size_t i) const { return x.data() + i * items; }
};

// `columns[j]`: the column of calibrated item j in `answers` (rows x stride, raw values, NaN missing).
ScaleData prepare(const double* answers, std::size_t rows, std::size_t stride, const std::vector<std::size_t>& columns,
                  const std::vector<ItemParameters>& items, const ResponseScale& scale);

// One person's log-likelihood on the grid plus the log prior: ll[q] for the nodes in [a, b)
// (default: all).
inline void row_log_likelihood(const LogTable& t, const std::int8_t* x, std::size_t items, const double* log_prior,
                               double* ll, std::size_t a = 0, std::size_t b = static_cast<std::size_t>(-1)) {
  b = std::min(b, t.nodes);
  for (std::size_t q = a; q < b; ++q) ll[q] = log_prior[q];
  for (std::size_t j = 0; j < items; ++j) {
    if (x[j] < 0) continue;
    const double* row = t.row(j, x[j]);
    for (std::size_t q = a; q < b; ++q) ll[q] += row[q];
  }
}

// Turns ll into the normalized posterior in place; returns log sum_q exp(ll[q]) (the row's marginal
// log-likelihood). Nodes more than kPosteriorSpan below the peak (posterior under 4e-18 of the
// peak's) are set to 0 without an exp; [lo, hi) is where the rest lies. The log posterior is concave
// (the GRM's category curves are log-concave, as is the normal prior), so that set is one run.
constexpr double kPosteriorSpan = 40;
double normalize_posterior(double* ll, std::size_t nodes, std::size_t& lo, std::size_t& hi);

struct EStep {
  double log_likelihood = 0;
  std::vector<double> r;  // expected counts, laid out as the LogTable
  std::vector<double> eap, posterior_variance;  // per row, when asked
};
// Rows go in fixed blocks whose sums are added in block order, so the result does not depend on
// `threads` (0: all cores). `window` (2 bytes a row, zero at first; null: none) remembers where each
// row's posterior lay in the previous cycle, so the next computes only around it (see e_step.cpp).
EStep e_step(const ScaleData& d, const LogTable& t, const std::vector<double>& log_prior,
             const std::vector<double>& points, bool per_row, unsigned threads, std::uint8_t* window = nullptr);

// Cross-product (XPD) standard errors: the covariance of (a, d) is the inverse of the sum over
// rows of the outer products of each row's marginal score; b's by the delta method.
void standard_errors(const ScaleData& d, const std::vector<GrmItem>& items, const std::vector<double>& points,
                     const std::vector<double>& log_prior, std::vector<ItemParameters>& out);

// The whole fit of one scale whose calibrated item j is column columns[j] of `answers`.
ScaleCalibration calibrate_columns(const std::vector<ItemParameters>& start, const ResponseScale& scale,
                                   const double* answers, std::size_t rows, std::size_t stride,
                                   const std::vector<std::size_t>& columns, const CalibrationOptions& options);

// Orlando & Thissen (2000) S-X2 for each item, from the rows that answered every item of the scale.
void item_fit(const ScaleData& d, const std::vector<GrmItem>& items, const std::vector<double>& points,
              const std::vector<double>& prior, std::vector<ItemParameters>& out);

}  // namespace attune::irt::detail
