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

void FileNorms::add_theta(const ScoringPlan& plan, const std::vector<std::string>& theta_scale_ids) {
  theta_scales.clear();
  const auto& scales_of_plan = plan.instrument().scales;
  for (std::size_t t = 0; t < theta_scale_ids.size(); ++t) {
    for (std::size_t k = 0; k < scales_of_plan.size(); ++k) {
      if (scales_of_plan[k].id != theta_scale_ids[t]) continue;
      const ScaleNorm* n = set.cells[0].find(theta_scale_ids[t]);
      if (n && n->theta.available()) theta_scales.push_back({t, k});
    }
  }
}

bool theta_norms_apply(const NormSet& set, const std::string& calibration_date, const std::string& calibration_sha256, bool map) noexcept {
  return !map && !set.calibration_id.empty() && set.calibration_date == calibration_date && set.calibration_sha256 == calibration_sha256;
}

}  // namespace attune::norms
