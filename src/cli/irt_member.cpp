// The "irt" member of `attune score --json --irt`: computed from the parsed answers with a
// ThetaScorer and spliced into the result JSON, so the rest of the output stays byte-identical.
#include "irt_member.hpp"

#include <attune/error.hpp>
#include <attune/irt.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>

namespace attune::cli {

namespace {

std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", x);
  return buf;
}

}  // namespace

std::string add_irt_member(const std::string& result_json, const ScoringPlan& plan, const std::vector<double>& answers,
                           const std::string& calibration, bool map) {
  const irt::Calibration c = irt::load_calibration(calibration);
  if (c.provenance.instrument_id != plan.instrument().id) {
    throw UsageError("the calibration is for instrument '" + c.provenance.instrument_id + "', not '" +
                         plan.instrument().id + "'",
                     Location::in_file(calibration), "a calibration of the instrument being scored");
  }
  std::vector<std::string> ids;
  for (const Item& item : plan.instrument().items) ids.push_back(item.id);
  const irt::ThetaScorer scorer(c, ids, plan.data_scale());
  std::string m = ",\n  \"irt\": {\n";
  for (std::size_t s = 0; s < scorer.scale_count(); ++s) {
    const irt::ThetaEstimate e = map ? scorer.map(s, answers.data()) : scorer.eap(s, answers.data());
    const std::string& id = scorer.scale_id(s);
    m += "    " + nlohmann::json(id + "_theta").dump() + ": " + num(e.theta) + ",\n";
    m += "    " + nlohmann::json(id + "_theta_se").dump() + ": " + num(e.se) + ",\n";
    m += "    " + nlohmann::json(id + "_answered").dump() + ": " + std::to_string(e.answered) + ",\n";
  }
  m += "    \"method\": " + nlohmann::json(map ? "MAP (posterior mode; SE 1/sqrt(information + 1))"
                                               : "EAP (posterior mean; SE = posterior SD)").dump() + ",\n";
  m += "    \"calibration\": " + nlohmann::json(calibration).dump() + ",\n";
  m += "    \"sample\": " + nlohmann::json(c.provenance.description).dump() + ",\n";
  m += "    \"meaning\": " + nlohmann::json("theta is where these answers place you among the calibration sample, in its "
                                           "standard deviations (0 = its middle); it is not a diagnosis").dump() + "\n  }";
  const std::size_t close = result_json.rfind('}');
  if (close == std::string::npos || close < 1 || result_json[close - 1] != '\n') {
    throw Error(ErrorKind::internal, "unexpected result JSON layout");
  }
  return result_json.substr(0, close - 1) + m + result_json.substr(close - 1);
}

}  // namespace attune::cli
