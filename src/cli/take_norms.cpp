// Percentiles for `attune take` from the shipped norms. `take` offers --response-scale and
// --norm-group, not --norm-set or --convert-response-scale: the person answers on the scale the
// norms were made on, or sees no percentile, with the reason in words (never an option take lacks).
#include "take_norms.hpp"

#include <attune/error.hpp>
#include <attune/norms.hpp>

#include <cmath>

namespace attune::cli {

namespace {

std::string range_text(const ResponseScale& s) { return std::to_string(s.min) + " to " + std::to_string(s.max); }

std::string why_no_norms(const ScoringPlan& plan) {
  const Instrument& ins = plan.instrument();
  if (ins.norms.default_set.empty()) {
    return "No percentile is shown: attune has no norms for " + ins.name +
           " yet, so the scores are described on their own scale only.";
  }
  const norms::NormSet set = norms::load_norm_set(ins.norms.default_set);
  if (set.response_scale == plan.data_scale()) return {};
  return "No percentile is shown: the norms attune has for " + ins.name + " were made on answers from " +
         range_text(set.response_scale) + ", and these answers were on " + range_text(plan.data_scale()) +
         ". To see percentiles, take it again answering from " + range_text(set.response_scale) + " (--response-scale " +
         std::to_string(set.response_scale.min) + ".." + std::to_string(set.response_scale.max) + ").";
}

}  // namespace

TakeNorms take_norms(const ScoringPlan& plan, const std::string& norm_group) {
  TakeNorms out;
  out.why_none = why_no_norms(plan);
  if (out.why_none.empty()) {
    NormChoice choice;
    choice.group = norm_group;
    out.applied = choose_norms(plan, choice);
    return out;
  }
  if (!norm_group.empty()) {
    Location where;
    where.value = norm_group;
    throw UsageError("--norm-group chooses a group of the norms, but no norms apply here. " + out.why_none, where,
                     "no --norm-group here");
  }
  return out;
}

double take_percentile(const TakeNorms& n, const ScoringPlan& plan, std::size_t s, const ScaleScore& score) {
  if (!n.applied || std::isnan(score.raw) || plan.instrument().scales[s].aggregation != Aggregation::mean) return NAN;
  const norms::ScaleNorm* sn = n.applied->set.cells[n.applied->cell].find(score.id);
  return sn ? norms::standing(sn->mean_score, score.raw).percentile : NAN;
}

std::string take_norms_text(const TakeNorms& n) {
  if (!n.applied) return n.why_none + "\n";
  const norms::NormSet& set = n.applied->set;
  const norms::Cell& cell = set.cells[n.applied->cell];
  std::string group = cell.label + ", N = " + std::to_string(cell.n);
  if (n.applied->cell == 0 && (n.applied->context.gender != norms::Gender::unknown || n.applied->context.age >= 0)) {
    group += "; the gender and age given fit none of its groups (women and men, 18 and over)";
  }
  return "Percentiles compare your answers with the norm sample " + set.id + " (" + group + "): " + set.description +
         " Source: " + set.citation +
         "\nA percentile is the share of that sample, in hundredths, whose answers gave a lower score (half of those "
         "with the same score counted). It says where your answers stand among these volunteers, not a diagnosis.\n";
}

}  // namespace attune::cli
