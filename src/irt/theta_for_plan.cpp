// irt::theta_scorer_for and irt::theta_rows (irt.hpp): a calibration checked against the plan it will
// score, and theta for many rows as the batch path writes it.
#include <attune/error.hpp>
#include <attune/irt.hpp>
#include <attune/scoring_plan.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace attune::irt {

namespace {

// A row the batch path reports as an error (an answer that is no whole number on the scale) gets no theta.
bool row_fits(const double* x, std::size_t k, const ResponseScale& scale) {
  for (std::size_t j = 0; j < k; ++j) {
    const double v = x[j];
    if (std::isnan(v)) continue;
    if (v != std::floor(v) || v < scale.min || v > scale.max) return false;
  }
  return true;
}

std::unique_ptr<ThetaScorer> scorer_checked(const ScoringPlan& plan, const Calibration& c, const Location& where) {
  if (c.provenance.instrument_id != plan.instrument().id) {
    throw UsageError("the calibration is for instrument '" + c.provenance.instrument_id + "', not '" + plan.instrument().id + "'", where,
                     "a calibration of the instrument being scored");
  }
  std::vector<std::string> ids;
  for (const Item& item : plan.instrument().items) ids.push_back(item.id);
  return std::make_unique<ThetaScorer>(c, ids, plan.data_scale());
}

}  // namespace

std::unique_ptr<ThetaScorer> theta_scorer_for(const ScoringPlan& plan, const Calibration& c) { return scorer_checked(plan, c, {}); }

std::unique_ptr<ThetaScorer> theta_scorer_for(const ScoringPlan& plan, const std::string& calibration) {
  return scorer_checked(plan, load_calibration(calibration), Location::in_file(calibration));
}

void theta_rows(const ThetaScorer& scorer, const ResponseScale& scale, const double* answers, std::size_t rows, std::size_t items,
                bool map, double* out) {
  const std::size_t T = scorer.scale_count();
  std::fill(out, out + rows * 2 * T, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t r = 0; r < rows; ++r) {
    const double* row = answers + r * items;
    if (!row_fits(row, items, scale)) continue;
    double* o = out + r * 2 * T;
    for (std::size_t s = 0; s < T; ++s) {
      const ThetaEstimate e = map ? scorer.map(s, row) : scorer.eap(s, row);
      if (e.answered == 0) continue;
      o[2 * s] = e.theta;
      o[2 * s + 1] = e.se;
    }
  }
}

}  // namespace attune::irt
