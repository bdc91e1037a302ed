// `attune take`'s result as the person sees it (scores with percentiles where norms apply, the
// profile, the plan) or as JSON for `attune plan` and `attune compare`. Out of run_take so that the
// asking and the showing stay small functions.
#include "take_result.hpp"

#include "irt_quadrants.hpp"
#include "take_terminal.hpp"

#include <attune/attune.hpp>
#include <attune/guidance.hpp>
#include <attune/irt.hpp>
#include <attune/retake.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace attune::cli {

namespace {

// Where no honest probability can be given, the person is told so in plain words: the library's
// reason names options of `attune score` (--norms sample) that `take` does not have.
std::string take_confidence_text(const std::string& basis, bool percentiles_shown) {
  if (basis.rfind("not computed: needs a reliability and a norm SD", 0) == 0)
    return percentiles_shown ? "not worked out for these answers, so take the pattern as a rough guide."
                             : "not worked out: there are no norms for this questionnaire to say how precise the scores are, "
                               "so take the pattern as a rough guide.";
  return basis.rfind("not computed", 0) == 0 ? basis : "not computed (" + basis + ")";
}

std::string percent(double p) {
  char buf[16];
  if (p < 0.005) return "under 1%";
  std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * p);
  return buf;
}

// With the ECR's shipped norms the norm set names the calibration made on the same sample, so each
// area's probability comes from the two theta posteriors (docs/irt.md), at the same cuts as the pattern.
std::string how_sure_text(const ScoringPlan& sp, const TakeNorms& norms, const std::vector<double>& answers) {
  if (!norms.applied || norms.applied->set.calibration_id.empty()) return "";
  const irt::Calibration c = irt::load_calibration(norms.applied->set.calibration_id);
  if (c.provenance.instrument_id != sp.instrument().id || !(c.response_scale == sp.data_scale())) return "";
  std::vector<std::string> ids;
  for (const Item& item : sp.instrument().items) ids.push_back(item.id);
  const irt::ThetaScorer scorer(c, ids, sp.data_scale());
  const QuadrantOdds q = quadrant_odds(sp, c, scorer, answers.data(), false);
  if (!q.available) return "";
  return "How sure: given your answers and how precisely they place you, the chance that your answers fall in each area of "
         "the map is secure " + percent(q.p[0]) + ", anxious " + percent(q.p[1]) + ", avoidant " + percent(q.p[2]) +
         ", fearful-avoidant " + percent(q.p[3]) +
         " (from an item response model fitted to the same norm sample). Where the lines between the areas lie is "
         "attune's own convention, not a published rule.\n";
}

// The person reads how the pattern was placed; the technical standardization stays in the JSON.
std::string method_text(const Profile& p, const ScoringPlan& sp) {
  if (p.method == "quadrant" && sp.standardization().rfind("scale midpoint", 0) == 0)
    return "The pattern comes from where your two scores sit against the middle of the answer scale, a line that is "
           "attune's own convention, not a published cut-off.\n";
  return "Method: " + p.method + "; " + sp.standardization() + "\n";
}

// The profile block: how the pattern was placed, the pattern scores, the pattern (or the mix) and how
// sure it is.
std::string profile_text(const ScoringPlan& sp, const Profile& p, const Plan& plan, const TakeNorms& norms,
                         const std::vector<double>& answers) {
  if (!p.available()) return method_text(p, sp) + "Too few answers to place the profile.\n";
  std::string o = method_text(p, sp);
  char buf[512];
  // A value that rounds to zero is shown as 0.00, not -0.00.
  auto shown_dim = [&p](int k) { const double x = p.dimensions[static_cast<std::size_t>(k)]; return std::fabs(x) < 0.005 ? 0.0 : x; };
  std::snprintf(buf, sizeof buf, "Pattern scores (0 = centre): secure %.2f, anxious %.2f, avoidant %.2f, fearful-avoidant %.2f\n",
                shown_dim(0), shown_dim(1), shown_dim(2), shown_dim(3));
  o += buf;
  if (plan.mode == "pattern" && !plan.care) o += std::string("Closest pattern on this simplified map: ") + to_string(p.categories[0]) + "\n";
  else if (plan.mode == "mix") o += "Between patterns: " + plan.headline + "\n";
  if (!std::isnan(p.confidence)) {
    std::snprintf(buf, sizeof buf, "How sure: about %.0f%% (%s)\n", 100.0 * p.confidence, p.confidence_basis.c_str());
    return o + buf;
  }
  const std::string how_sure = how_sure_text(sp, norms, answers);
  return o + (!how_sure.empty() ? how_sure : "How sure: " + take_confidence_text(p.confidence_basis, norms.applied != nullptr) + "\n");
}

}  // namespace

std::string take_result_json(const ScoringPlan& sp, const Result& res, const Plan& plan, const Guidance& guidance,
                             const TakeNorms& norms, const std::string& taken) {
  nlohmann::json j;
  const std::string result_json = to_json(sp, res);
  j["result"] = nlohmann::json::parse(norms.applied ? add_norms_member(result_json, sp, res, *norms.applied) : result_json);
  j["plan"] = nlohmann::json::parse(to_json(plan, guidance));
  j["taken"] = taken;
  return j.dump(2) + "\n";
}

std::string take_result_text(const ScoringPlan& sp, const Result& res, const Plan& plan, const TakeNorms& norms,
                             const std::vector<double>& answers, const std::string& format) {
  const Instrument& ins = sp.instrument();
  std::ostringstream o;
  const bool md = format == "md";
  o << (md ? "## Your scores\n\n" : "Your scores\n-----------\n\n");
  char buf[512];
  // A person reads the scales' labels ("Model of self ..."), not their ids ("model_of_self").
  auto shown = [&ins](const std::string& id) {
    for (const auto& sc : ins.scales) {
      if (sc.id == id && !sc.label.empty()) return on_screen(sc.label);
    }
    return id;
  };
  int width = 0;
  for (const auto& s : res.scales) width = std::max(width, static_cast<int>(shown(s.id).size()));
  for (std::size_t si = 0; si < res.scales.size(); ++si) {
    const ScaleScore& s = res.scales[si];
    const std::string label = shown(s.id);
    if (std::isnan(s.raw)) {
      std::snprintf(buf, sizeof buf, "%s%-*s  missing: %s\n", md ? "- " : "  ", width, label.c_str(), s.missing_reason.c_str());
    } else {
      std::snprintf(buf, sizeof buf, "%s%-*s  %.2f  (%d of %d items answered)", md ? "- " : "  ", width, label.c_str(), s.raw, s.answered,
                    s.members);
      std::string line = buf;
      const double pct = take_percentile(norms, sp, si, s);
      if (!std::isnan(pct)) {
        std::snprintf(buf, sizeof buf, "; percentile %.0f", pct);
        line += buf;
      } else if (!std::isnan(s.z)) {
        std::snprintf(buf, sizeof buf, "; z %.2f, percentile %.0f", s.z, s.percentile);
        line += buf;
      }
      std::snprintf(buf, sizeof buf, "%s\n", line.c_str());
    }
    o << buf;
  }
  o << "\n" << take_norms_text(norms);
  o << (md ? "\n## Profile\n\n" : "\nProfile\n-------\n\n");
  o << profile_text(sp, res.profile, plan, norms, answers);
  o << disclaimer() << "\n\n";
  return o.str();
}

}  // namespace attune::cli
