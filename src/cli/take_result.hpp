#pragma once
// `attune take`'s result: the text (or Markdown) a person reads, and the JSON `attune plan` and
// `attune compare` accept as a saved result.
#include "take_norms.hpp"

#include <attune/guidance.hpp>
#include <attune/result.hpp>
#include <attune/scoring_plan.hpp>

#include <string>
#include <vector>

namespace attune::cli {

// {"result": ... (with the "norms" member where a set applies), "plan": ..., "taken": taken}.
std::string take_result_json(const ScoringPlan& sp, const Result& res, const Plan& plan, const Guidance& guidance,
                             const TakeNorms& norms, const std::string& taken);
// Scores (labels, percentiles or why none), profile and disclaimer, above the rendered plan; "text" or "md".
// `answers`: by the instrument's item index, NaN = skipped (for how sure the pattern is, where the norm
// set names a calibration of this instrument).
std::string take_result_text(const ScoringPlan& sp, const Result& res, const Plan& plan, const TakeNorms& norms,
                             const std::vector<double>& answers, const std::string& format);

}  // namespace attune::cli
