// irt::theta_scorer_for (irt.hpp): a calibration checked against the plan it will score.
#include <attune/error.hpp>
#include <attune/irt.hpp>
#include <attune/scoring_plan.hpp>

namespace attune::irt {

std::unique_ptr<ThetaScorer> theta_scorer_for(const ScoringPlan& plan, const std::string& calibration) {
  const Calibration c = load_calibration(calibration);
  if (c.provenance.instrument_id != plan.instrument().id) {
    throw UsageError("the calibration is for instrument '" + c.provenance.instrument_id + "', not '" + plan.instrument().id + "'",
                     Location::in_file(calibration), "a calibration of the instrument being scored");
  }
  std::vector<std::string> ids;
  for (const Item& item : plan.instrument().items) ids.push_back(item.id);
  return std::make_unique<ThetaScorer>(c, ids, plan.data_scale());
}

}  // namespace attune::irt
