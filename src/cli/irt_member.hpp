#pragma once
// `attune score --json --irt`: the "irt" member added to one person's result JSON.
#include <attune/irt.hpp>
#include <attune/scoring_plan.hpp>

#include <memory>

#include <string>
#include <vector>

namespace attune::cli {

struct AppliedNorms;

// `result_json` (as to_json writes it, indent 2) with an "irt" member before its closing brace:
// <scale>_theta and <scale>_theta_se per calibrated scale (EAP with the posterior SD, or MAP), the
// items answered, the calibration and its sample. Refuses a calibration of another instrument or
// response scale (UsageError). With norms made from this calibration: <scale>_theta_z and
// <scale>_theta_percentile with the set and cell they come from.
std::string add_irt_member(const std::string& result_json, const ScoringPlan& plan, const std::vector<double>& answers,
                           const std::string& calibration, bool map, const AppliedNorms* norms = nullptr, bool convert = false);

// `attune score FILE --irt`: a scorer over the instrument's items on the plan's data scale, for
// BatchOptions::theta. The same refusals as add_irt_member (another instrument, another response scale).
std::unique_ptr<irt::ThetaScorer> theta_scorer_for(const ScoringPlan& plan, const std::string& calibration);

}  // namespace attune::cli
