// A Result as JSON, with a sentence per number saying how it was computed: every result explainable.
#include <attune/score.hpp>
#include <attune/version.hpp>

#include "plan_data.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>

namespace attune {

using nlohmann::json;

const char* version() noexcept { return ATTUNE_VERSION_STRING; }

const char* disclaimer() noexcept {
  return "This is not a diagnosis. Attachment is dimensional: the scores describe tendencies on a continuum, "
         "and the category is a simplification of them. Patterns can and do change.";
}

namespace {

json num(double x) { return std::isnan(x) ? json(nullptr) : json(x); }

std::string g(double x) {
  std::ostringstream s;
  s.precision(6);
  s << x;
  return s.str();
}

std::string explain_scale(const detail::PlanData& d, std::size_t s, const ScaleScore& sc) {
  const Scale& def = d.instrument.scales[s];
  std::ostringstream e;
  if (def.derived()) {
    e << (def.aggregation == Aggregation::mean ? "mean" : "sum") << " of ";
    for (std::size_t k = 0; k < def.terms.size(); ++k) {
      const auto& t = def.terms[k];
      if (k) e << ", ";
      if (t.weight != 1) e << g(t.weight) << " x ";
      e << (t.reverse ? "reversed " : "") << t.scale;
    }
  } else {
    e << (def.aggregation == Aggregation::mean ? "mean" : "sum") << " of " << sc.answered << " answered of "
      << sc.members << " items";
    if (!def.reverse.empty()) {
      e << "; reverse-keyed as " << g(d.reverse_sum) << " - x: ";
      for (std::size_t k = 0; k < def.reverse.size(); ++k) e << (k ? ", " : "") << def.reverse[k];
    }
  }
  if (std::isnan(sc.raw)) {
    e << "; missing: " << sc.missing_reason;
  } else {
    e << " = " << g(sc.raw);
    if (def.aggregation == Aggregation::sum && sc.answered < sc.members && !def.derived()) e << " (prorated)";
  }
  if (!std::isnan(sc.z)) {
    e << "; z = (" << (d.metric_k != 1 ? "rescaled score" : "score") << " - " << g(d.norm_mean[s]) << ") / "
      << g(d.norm_sd[s]) << " = " << g(sc.z) << ", percentile = 100 x Phi(z) = " << g(sc.percentile);
  }
  if (!std::isnan(sc.sem)) e << "; SEM = sd x sqrt(1 - " << g(d.alpha[s]) << ")";
  return e.str();
}

}  // namespace

std::string to_json(const ScoringPlan& plan, const Result& r, int indent) {
  const auto& d = plan.data();
  const Instrument& ins = d.instrument;
  json j;
  const Citation* key = ins.find_citation(ins.key_source);
  j["instrument"] = {{"id", ins.id}, {"version", ins.version}, {"name", ins.name}, {"citation", key ? key->text : ""}};
  j["response_scale"] = {{"min", d.data_scale.min}, {"max", d.data_scale.max}};
  if (!(d.data_scale == ins.response_scale)) {
    j["response_scale"]["rescaled_to"] = {{"min", ins.response_scale.min}, {"max", ins.response_scale.max}};
  }
  j["scales"] = json::array();
  for (std::size_t s = 0; s < r.scales.size(); ++s) {
    const ScaleScore& sc = r.scales[s];
    json sj{{"id", sc.id},
            {"label", ins.scales[s].label},
            {"raw", num(sc.raw)},
            {"answered", sc.answered},
            {"members", sc.members},
            {"min_answered", sc.min_answered},
            {"z", num(sc.z)},
            {"percentile", num(sc.percentile)},
            {"sem", num(sc.sem)},
            {"ci95", std::isnan(sc.ci_low) ? json(nullptr) : json::array({sc.ci_low, sc.ci_high})},
            {"explanation", explain_scale(d, s, sc)}};
    if (!sc.missing_reason.empty()) sj["missing_reason"] = sc.missing_reason;
    j["scales"].push_back(sj);
  }
  const Profile& p = r.profile;
  json pj;
  pj["method"] = p.method;
  if (!d.method.citation.empty()) {
    const Citation* c = ins.find_citation(d.method.citation);
    pj["method_citation"] = c ? c->text : d.method.citation;
  }
  pj["standardization"] = d.standardization;
  pj["dimensions"] = {{"secure", num(p.dimensions[0])},
                      {"anxious", num(p.dimensions[1])},
                      {"avoidant", num(p.dimensions[2])},
                      {"fearful", num(p.dimensions[3])}};
  if (p.type != ProfileMethodType::prototype) pj["plane"] = {{"anxiety", num(p.anxiety)}, {"avoidance", num(p.avoidance)}};
  if (p.categories.empty()) {
    pj["category"] = nullptr;
  } else if (p.categories.size() == 1) {
    pj["category"] = to_string(p.categories[0]);
  } else {
    std::string tie;
    json list = json::array();
    for (Category c : p.categories) {
      tie += (tie.empty() ? "" : "|") + std::string(to_string(c));
      list.push_back(to_string(c));
    }
    pj["category"] = tie;
    pj["tie"] = list;
  }
  pj["confidence"] = num(p.confidence);
  pj["confidence_basis"] = p.confidence_basis;
  if (p.type == ProfileMethodType::fisher) {
    pj["posterior"] = {{"secure", num(p.posterior[0])}, {"anxious", num(p.posterior[1])},
                       {"avoidant", num(p.posterior[2])}, {"fearful", num(p.posterior[3])}};
  }
  switch (p.type) {
    case ProfileMethodType::quadrant:
      pj["explanation"] = "Anxiety and avoidance are standardized (" + d.standardization +
                          "). The four patterns lie on the diagonals of that plane: secure = -(a+v)/sqrt2, "
                          "anxious = (a-v)/sqrt2, avoidant = (v-a)/sqrt2, fearful = (a+v)/sqrt2; the category is the quadrant.";
      break;
    case ProfileMethodType::fisher:
      pj["explanation"] = "Category from the published classification functions (largest wins) on the instrument's metric; "
                          "dimensions are the projections on the standardized plane (" + d.standardization + ").";
      break;
    case ProfileMethodType::prototype:
      pj["explanation"] = "The four prototype scales are the four dimensions (standardized: " + d.standardization +
                          "); the category is the highest rating, and ties are reported as ties.";
      break;
  }
  j["profile"] = pj;
  j["notes"] = r.notes;
  j["disclaimer"] = disclaimer();
  j["attune_version"] = version();
  return j.dump(indent);
}

}  // namespace attune
