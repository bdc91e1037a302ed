// `attune take`'s result as the person sees it (scores with percentiles where norms apply, the
// profile, the plan) or as JSON for `attune plan` and `attune compare`. Out of run_take so that the
// asking and the showing stay small functions.
#include "take_result.hpp"

#include "take_terminal.hpp"

#include <attune/attune.hpp>
#include <attune/guidance.hpp>
#include <attune/retake.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace attune::cli {

namespace {

// Why there is no confidence, for the person at the terminal: the library's reason names options of
// `attune score` (--norms sample) that `take` does not have, so that advice is left out here.
// With the shipped norms the percentiles are there, but the pattern's confidence is not drawn from them.
std::string take_confidence_text(const std::string& basis, bool percentiles_shown) {
  if (basis.rfind("not computed: needs a reliability and a norm SD", 0) == 0)
    return percentiles_shown ? "not computed: attune does not yet say how sure the pattern is from these norms"
                             : "not computed: attune has no norms for this questionnaire yet to say how sure the pattern is";
  return basis.rfind("not computed", 0) == 0 ? basis : "not computed (" + basis + ")";
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
                             const std::string& format) {
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
  const Profile& p = res.profile;
  o << (md ? "\n## Profile\n\n" : "\nProfile\n-------\n\n");
  o << "Method: " << p.method << "; " << sp.standardization() << "\n";
  if (p.available()) {
    std::snprintf(buf, sizeof buf, "Pattern scores (0 = centre): secure %.2f, anxious %.2f, avoidant %.2f, fearful-avoidant %.2f\n",
                  p.dimensions[0], p.dimensions[1], p.dimensions[2], p.dimensions[3]);
    o << buf;
    if (plan.mode == "pattern" && !plan.care) o << "Closest pattern on this simplified map: " << to_string(p.categories[0]) << "\n";
    else if (plan.mode == "mix") o << "Between patterns: " << plan.headline << "\n";
    if (std::isnan(p.confidence)) o << "Confidence: " << take_confidence_text(p.confidence_basis, norms.applied != nullptr) << "\n";
    else {
      std::snprintf(buf, sizeof buf, "Confidence: %.2f (%s)\n", p.confidence, p.confidence_basis.c_str());
      o << buf;
    }
  } else {
    o << "Too few answers to place the profile.\n";
  }
  o << disclaimer() << "\n\n";
  return o.str();
}

}  // namespace attune::cli
