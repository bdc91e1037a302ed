#pragma once
// `attune take`: where the person's scale scores stand in the instrument's shipped norm set
// (docs/norms.md), or, when no set applies, the plain reason no percentile is shown.
#include "norms_member.hpp"

#include <attune/result.hpp>
#include <attune/scoring_plan.hpp>

#include <memory>
#include <string>

namespace attune::cli {

struct TakeNorms {
  std::unique_ptr<AppliedNorms> applied;  // null: no percentile is shown
  std::string why_none;                   // for the person, when applied is null
};

// Decided before the first item is asked, so a --norm-group that cannot apply is refused at once
// (UsageError) instead of after the last answer.
TakeNorms take_norms(const ScoringPlan& plan, const std::string& norm_group);

// The percentile of scale `s` (index into the plan's scales) in the applied set; NaN when none.
double take_percentile(const TakeNorms& n, const ScoringPlan& plan, std::size_t s, const ScaleScore& score);

// The paragraph under the scores: the norm set and cell named, what a percentile means; or why none.
std::string take_norms_text(const TakeNorms& n);

}  // namespace attune::cli
