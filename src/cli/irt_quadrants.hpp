#pragma once
// `attune score --json --irt`: the four categories' probabilities from the two theta posteriors.
#include <attune/irt.hpp>
#include <attune/scoring_plan.hpp>

#include <string>

namespace attune::cli {

// Lines of the irt member's "quadrants" object (with its trailing comma), or empty when the plan's
// profile is not a quadrant of two calibrated scales. `answers` are on the calibration's scale
// (`converted`: moved there from the plan's data scale, so the cuts are moved too).
std::string quadrant_lines(const ScoringPlan& plan, const irt::Calibration& calibration, const irt::ThetaScorer& scorer,
                           const double* answers, bool converted);

}  // namespace attune::cli
