// The "irt" member of `attune score --json --irt`: computed from the parsed answers with a
// ThetaScorer and spliced into the result JSON, so the rest of the output stays byte-identical.
#include "irt_member.hpp"
#include "irt_quadrants.hpp"
#include "norms_member.hpp"

#include <attune/error.hpp>
#include <attune/irt.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace attune::cli {

namespace {

std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", x);
  return buf;
}

// An answer on `from` moved linearly onto `to`, then to the nearest answer there; exactly halfway,
// to the one nearer the middle of the scale (the conversion must not push answers outwards).
double convert_answer(double v, const ResponseScale& from, const ResponseScale& to) {
  if (v != v) return v;
  const double x = convert_linear(v, from, to), lo = std::floor(x), mid = 0.5 * (to.min + to.max);
  if (x - lo != 0.5) return std::round(x);
  return std::abs(lo - mid) <= std::abs(lo + 1 - mid) ? lo : lo + 1;
}

// The calibration, refused when it belongs to another instrument (its response scale is checked by
// ThetaScorer).

irt::Calibration calibration_for(const ScoringPlan& plan, const std::string& calibration) {
  irt::Calibration c = irt::load_calibration(calibration);
  if (c.provenance.instrument_id != plan.instrument().id) {
    throw UsageError("the calibration is for instrument '" + c.provenance.instrument_id + "', not '" +
                         plan.instrument().id + "'",
                     Location::in_file(calibration), "a calibration of the instrument being scored");
  }
  return c;
}

std::vector<std::string> item_ids(const ScoringPlan& plan) {
  std::vector<std::string> ids;
  for (const Item& item : plan.instrument().items) ids.push_back(item.id);
  return ids;
}

}  // namespace

std::unique_ptr<irt::ThetaScorer> theta_scorer_for(const ScoringPlan& plan, const std::string& calibration) {
  return irt::theta_scorer_for(plan, calibration);
}

std::string add_irt_member(const std::string& result_json, const ScoringPlan& plan, const std::vector<double>& answers,
                           const std::string& calibration, bool map, const AppliedNorms* norms, bool convert) {
  const irt::Calibration c = calibration_for(plan, calibration);
  const std::vector<std::string> ids = item_ids(plan);
  const bool converted = convert && !(plan.data_scale() == c.response_scale);
  std::vector<double> given = answers;
  if (converted) {
    for (double& v : given) v = convert_answer(v, plan.data_scale(), c.response_scale);
  }
  const irt::ThetaScorer scorer(c, ids, converted ? c.response_scale : plan.data_scale());
  const bool theta_norms = norms && norms::theta_norms_apply(norms->set, c.provenance.date, c.provenance.input_sha256, map);
  const norms::Cell* cell = theta_norms ? &norms->set.cells[norms->cell] : nullptr;
  std::string m = ",\n  \"irt\": {\n";
  for (std::size_t s = 0; s < scorer.scale_count(); ++s) {
    const irt::ThetaEstimate e = map ? scorer.map(s, given.data()) : scorer.eap(s, given.data());
    const std::string& id = scorer.scale_id(s);
    m += "    " + nlohmann::json(id + "_theta").dump() + ": " + num(e.theta) + ",\n";
    m += "    " + nlohmann::json(id + "_theta_se").dump() + ": " + num(e.se) + ",\n";
    m += "    " + nlohmann::json(id + "_answered").dump() + ": " + std::to_string(e.answered) + ",\n";
    const norms::ScaleNorm* sn = cell ? cell->find(id) : nullptr;
    if (sn && sn->theta.available()) {
      const norms::Standing st = norms::standing(sn->theta, e.theta);
      m += "    " + nlohmann::json(id + "_theta_z").dump() + ": " + num(st.z) + ",\n";
      m += "    " + nlohmann::json(id + "_theta_percentile").dump() + ": " + num(st.percentile) + ",\n";
    }
  }
  m += quadrant_lines(plan, c, scorer, given.data(), converted);
  m += "    \"method\": " + nlohmann::json(map ? "MAP (posterior mode; SE 1/sqrt(information + 1))"
                                               : "EAP (posterior mean; SE = posterior SD)").dump() + ",\n";
  m += "    \"calibration\": " + nlohmann::json(calibration).dump() + ",\n";
  if (cell) {
    m += "    \"theta_norm_source\": " +
         nlohmann::json(norms->set.id + ", " + cell->label + " (N = " + std::to_string(cell->n) +
                        "; empirical percentiles of the EAP theta, linear between listed values)").dump() + ",\n";
  }
  if (converted) {
    m += "    \"conversion\": " +
         nlohmann::json("answers converted linearly from " + std::to_string(plan.data_scale().min) + ".." +
                        std::to_string(plan.data_scale().max) + " to the calibration's " + std::to_string(c.response_scale.min) +
                        ".." + std::to_string(c.response_scale.max) +
                        " and rounded to the nearest answer (--convert-response-scale linear): approximate, people do "
                        "not use scales of different lengths the same way").dump() + ",\n";
  }
  m += "    \"sample\": " + nlohmann::json(c.provenance.description).dump() + ",\n";
  m += "    \"meaning\": " + nlohmann::json("theta is where these answers place you among the calibration sample, in its "
                                           "standard deviations (0 = its middle); it is not a diagnosis").dump() + "\n  }";
  return splice_member(result_json, m);
}

}  // namespace attune::cli
