// FileNorms (norms.hpp): a norm set resolved once for a batch run, so that each row only looks up
// its cell and interpolates.
#include <attune/norms.hpp>

#include <utility>

namespace attune::norms {

namespace {

std::vector<std::string> scale_ids(const ScoringPlan& plan) {
  std::vector<std::string> ids;
  for (const auto& s : plan.instrument().scales) ids.push_back(s.id);
  return ids;
}

}  // namespace

FileNorms::FileNorms(NormSet s, const ScoringPlan& plan, std::string gender, std::string age, bool convert_linear)
    : set(std::move(s)), gender_column(std::move(gender)), age_column(std::move(age)), converted(convert_linear),
      from(plan.data_scale()), lookup(set, scale_ids(plan)) {
  // As for one person: only mean scores have norms (a sum depends on how many items were answered).
  const auto& scales_of_plan = plan.instrument().scales;
  for (std::size_t k = 0; k < scales_of_plan.size(); ++k) {
    const ScaleNorm* n = set.cells[0].find(scales_of_plan[k].id);
    if (n && n->mean_score.available() && scales_of_plan[k].aggregation == Aggregation::mean) scales.push_back(k);
  }
}

}  // namespace attune::norms
