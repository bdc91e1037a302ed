// The "quadrants" part of `attune score --json --irt`: the probability of each of the four categories
// from the two theta posteriors, the cuts moved onto theta, and the calibration's expected
// classification consistency (docs/irt.md).
#include "irt_quadrants.hpp"

#include "../plan_data.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace attune::cli {

namespace {

std::string probability_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", x);
  return buf;
}

std::string pair(const char* a, double x, const char* b, double y) {
  return std::string("{\"") + a + "\": " + probability_text(x) + ", \"" + b + "\": " + probability_text(y) + "}";
}

}  // namespace

QuadrantOdds quadrant_odds(const ScoringPlan& plan, const irt::Calibration& c, const irt::ThetaScorer& scorer,
                           const double* answers, bool converted) {
  QuadrantOdds q;
  const detail::PlanData& d = plan.data();
  if (!d.has_profile || d.method.type != ProfileMethodType::quadrant) return q;
  const std::string& anx_id = d.instrument.scales[static_cast<std::size_t>(d.anxiety)].id;
  const std::string& avo_id = d.instrument.scales[static_cast<std::size_t>(d.avoidance)].id;
  const int anx = scorer.scale_index(anx_id), avo = scorer.scale_index(avo_id);
  if (anx < 0 || avo < 0) return q;
  // The category's own cuts, on the answers' scale, then on the calibration's (converted linearly).
  q.cut_anxiety = d.center_data_anxiety;
  q.cut_avoidance = d.center_data_avoidance;
  if (converted) {
    const ResponseScale& from = plan.data_scale();
    const ResponseScale& to = c.response_scale;
    auto move = [&](double x) { return to.min + (x - from.min) * (to.max - to.min) / static_cast<double>(from.max - from.min); };
    q.cut_anxiety = move(q.cut_anxiety);
    q.cut_avoidance = move(q.cut_avoidance);
  }
  q.theta_cut_anxiety = irt::theta_for_mean_score(*c.find_scale(anx_id), c.response_scale, q.cut_anxiety);
  q.theta_cut_avoidance = irt::theta_for_mean_score(*c.find_scale(avo_id), c.response_scale, q.cut_avoidance);
  std::vector<double> post_anx(scorer.points().size()), post_avo(scorer.points().size());
  scorer.posterior(static_cast<std::size_t>(anx), answers, post_anx.data());
  scorer.posterior(static_cast<std::size_t>(avo), answers, post_avo.data());
  q.p = irt::quadrant_probabilities(scorer.points(), post_anx.data(), post_avo.data(), q.theta_cut_anxiety, q.theta_cut_avoidance);
  q.available = true;
  return q;
}

std::string quadrant_lines(const ScoringPlan& plan, const irt::Calibration& c, const irt::ThetaScorer& scorer,
                           const double* answers, bool converted) {
  const QuadrantOdds q = quadrant_odds(plan, c, scorer, answers, converted);
  if (!q.available) return "";
  const detail::PlanData& d = plan.data();
  const std::string& anx_id = d.instrument.scales[static_cast<std::size_t>(d.anxiety)].id;
  const std::string& avo_id = d.instrument.scales[static_cast<std::size_t>(d.avoidance)].id;
  const double cut_anx = q.cut_anxiety, cut_avo = q.cut_avoidance;
  const double theta_anx = q.theta_cut_anxiety, theta_avo = q.theta_cut_avoidance;
  const std::array<double, 4>& p = q.p;
  const irt::ClassificationAgreement ga = irt::classification_agreement(*c.find_scale(anx_id), c.grid, theta_anx);
  const irt::ClassificationAgreement gv = irt::classification_agreement(*c.find_scale(avo_id), c.grid, theta_avo);
  const char* const names[4] = {"secure", "anxious", "avoidant", "fearful"};
  std::string m = "    \"quadrants\": {\n";
  m += "      \"probabilities\": {";
  for (int k = 0; k < 4; ++k) m += std::string(k ? ", " : "") + "\"" + names[k] + "\": " + probability_text(p[static_cast<std::size_t>(k)]);
  m += "},\n";
  m += "      \"cut_mean_score\": " + pair("anxiety", cut_anx, "avoidance", cut_avo) + ",\n";
  m += "      \"cut_theta\": " + pair("anxiety", theta_anx, "avoidance", theta_avo) + ",\n";
  m += "      \"classification_consistency\": {\"anxiety\": " + probability_text(ga.consistency) + ", \"avoidance\": " + probability_text(gv.consistency) +
       ", \"both\": " + probability_text(ga.consistency * gv.consistency) + "},\n";
  m += "      \"classification_accuracy\": {\"anxiety\": " + probability_text(ga.accuracy) + ", \"avoidance\": " + probability_text(gv.accuracy) +
       ", \"both\": " + probability_text(ga.accuracy * gv.accuracy) + "},\n";
  m += "      \"basis\": " + nlohmann::json(
      "each probability is the share of the two theta posteriors on that side of the cuts, the posteriors taken as "
      "independent given the answers; the cuts are the category's own (" + d.standardization + "), moved onto theta "
      "where the expected mean score equals them. Where the cut lies is attune's convention, not a published rule. "
      "Consistency: the expected share of people a retest would put on the same side again (Rudner 2001, Lee 2010), "
      "over the calibration sample's N(0, 1) trait distribution; both = the product, traits and errors taken as independent").dump() + "\n";
  m += "    },\n";
  return m;
}

}  // namespace attune::cli
