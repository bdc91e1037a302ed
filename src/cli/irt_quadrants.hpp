#pragma once
// `attune score --json --irt`: the four categories' probabilities from the two theta posteriors.
#include <attune/irt.hpp>
#include <attune/scoring_plan.hpp>

#include <array>
#include <string>

namespace attune::cli {

// The four categories' probabilities for one person, with the cuts they were taken at.
struct QuadrantOdds {
  bool available = false;              // false: the profile is not a quadrant of two calibrated scales
  std::array<double, 4> p{};           // indexed by Category: secure, anxious, avoidant, fearful
  double cut_anxiety = 0, cut_avoidance = 0;              // on the answers' (or converted) score metric
  double theta_cut_anxiety = 0, theta_cut_avoidance = 0;  // the same cuts moved onto theta
};

QuadrantOdds quadrant_odds(const ScoringPlan& plan, const irt::Calibration& calibration, const irt::ThetaScorer& scorer,
                           const double* answers, bool converted);

// Lines of the irt member's "quadrants" object (with its trailing comma), or empty when the plan's
// profile is not a quadrant of two calibrated scales. `answers` are on the calibration's scale
// (`converted`: moved there from the plan's data scale, so the cuts are moved too).
std::string quadrant_lines(const ScoringPlan& plan, const irt::Calibration& calibration, const irt::ThetaScorer& scorer,
                           const double* answers, bool converted);

}  // namespace attune::cli
