// couple_view(): two partners' positions, their differences against measurement error, and a
// shared plan of practices for two, each with why (docs/change.md, "Two partners"). The practices
// are fixed guidance entries (the articles' practices for two); what is chosen for the pair is their
// order and their reasons: a lean of either partner, or a reliable difference between them.
#include "text_fill.hpp"

#include <attune/couple.hpp>
#include <attune/error.hpp>
#include <attune/instrument.hpp>

#include <algorithm>
#include <cmath>

namespace attune {

namespace {

ProfileMethod plane_method(const SavedResult& a) {
  const Instrument ins = load_instrument(a.result.instrument_id);
  const ProfileMethod* found = ins.find_method(a.result.profile.method);
  if (!found || found->type == ProfileMethodType::prototype || found->anxiety_scale.empty()) {
    throw UsageError("attune couple places two people on the anxiety x avoidance plane, which " + a.result.instrument_id +
                         " does not have", Location::in_file(a.source), "a questionnaire with anxiety and avoidance scales (ECR, ECR-R, ECR-S, ...)");
  }
  return *found;
}

CouplePosition position_of(const SavedResult& s, const std::string& name, const ScaleChange& anx, const ScaleChange& avo, bool first) {
  CouplePosition p;
  p.name = name;
  p.anxiety = first ? anx.before : anx.after;
  p.avoidance = first ? avo.before : avo.after;
  p.anxiety_se = first ? anx.se_before : anx.se_after;
  p.avoidance_se = first ? avo.se_before : avo.se_after;
  p.plane_anxiety = s.result.profile.anxiety;
  p.plane_avoidance = s.result.profile.avoidance;
  return p;
}

// Who leans towards a dimension: a partner whose standardized coordinate is above the centre. When
// both do, `both` is set and the reason has its own wording ("You both lean ..."), since the
// one-partner sentence ("{who} leans ...") does not read for two.
std::string leaning(const CoupleView& v, bool anxiety, bool& both) {
  std::vector<std::string> who;
  for (const auto& p : v.people) {
    const double x = anxiety ? p.plane_anxiety : p.plane_avoidance;
    if (!std::isnan(x) && x > 0) who.push_back(p.name);
  }
  both = who.size() == 2;
  return who.empty() ? std::string() : who.front();
}

CouplePractice practice(const Guidance& g, const std::string& id, std::vector<std::string> why) {
  CouplePractice p;
  p.id = id;
  const ContentEntry* e = g.find(id);
  if (!e) throw Error(ErrorKind::internal, "the guidance pack has no entry '" + id + "' for the couple plan");
  p.title = e->title;
  p.why = std::move(why);
  return p;
}

// The practice for one dimension: its lean (if any), and the reliable difference on it (if any).
CouplePractice dimension_practice(const CoupleView& v, const Guidance& g, bool anxiety, double& weight) {
  bool both = false;
  const std::string who = leaning(v, anxiety, both);
  const std::string key = anxiety ? "dependability" : "boundaries";
  std::vector<std::string> why{who.empty() ? g.ui("ui.couple.why." + key)
                               : both      ? g.ui("ui.couple.why." + key + "_lean_both")
                                           : detail::fill_key(g.ui("ui.couple.why." + key + "_lean"), "who", who)};
  const std::string& scale = anxiety ? v.anxiety_scale : v.avoidance_scale;
  weight = who.empty() ? 0 : 1;
  for (const auto& d : v.differences.scales) {
    if (d.id == scale && d.change.reliable) {
      why.push_back(detail::fill_key(g.ui("ui.couple.why.difference"), "scale", d.label.empty() ? d.id : d.label));
      weight += 2;
    }
  }
  return practice(g, anxiety ? "roadmap.step6" : "roadmap.step5", why);
}

std::vector<CouplePractice> shared_plan(const CoupleView& v, const Guidance& g) {
  double w_anx = 0, w_avo = 0;
  CouplePractice dep = dimension_practice(v, g, true, w_anx);
  CouplePractice bound = dimension_practice(v, g, false, w_avo);
  std::vector<CouplePractice> out;
  out.push_back(practice(g, "roadmap.step4", {g.ui("ui.couple.why.repair")}));
  out.push_back(practice(g, "scripts.pause_and_name", {g.ui("ui.couple.why.pause_and_name")}));
  out.push_back(practice(g, "scripts.repair", {g.ui("ui.couple.why.repair_script")}));
  out.push_back(practice(g, "roadmap.step7", {g.ui("ui.couple.why.weekly_sharing")}));
  // What this pair leans towards, or differs on, comes first; the shared repair habits follow.
  std::vector<std::pair<double, CouplePractice>> chosen{{w_anx, dep}, {w_avo, bound}};
  std::stable_sort(chosen.begin(), chosen.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  std::size_t at = 0;
  for (auto& [w, p] : chosen) {
    if (w > 0) out.insert(out.begin() + static_cast<std::ptrdiff_t>(at++), p);
    else out.push_back(p);
  }
  return out;
}

// The plan's care rule on the plane alone: with norms (a z on the scale) the 95th percentile,
// without them halfway from the midpoint to the top (guidance.hpp, CareThresholds).
bool in_care_range(const SavedResult& s, const std::string& anx_scale, const std::string& avo_scale) {
  for (const std::string& id : {anx_scale, avo_scale}) {
    const ScaleScore* sc = s.result.find_scale(id);
    const double x = id == anx_scale ? s.result.profile.anxiety : s.result.profile.avoidance;
    const double cut = sc && !std::isnan(sc->z) ? CareThresholds::z_high : CareThresholds::point_high;
    if (!std::isnan(x) && x >= cut) return true;
  }
  return false;
}

}  // namespace

CoupleView couple_view(const SavedResult& a, const SavedResult& b, const std::array<std::string, 2>& names, const CompareOptions& options,
                       const Guidance& g) {
  CompareOptions o = options;
  o.dates = false;
  CoupleView v;
  v.differences = compare_results(a, b, o);  // refuses other instruments and response scales first
  const ProfileMethod m = plane_method(a);
  v.instrument_id = a.result.instrument_id;
  v.scale_min = a.scale_min;
  v.scale_max = a.scale_max;
  v.anxiety_scale = m.anxiety_scale;
  v.avoidance_scale = m.avoidance_scale;
  const ScaleChange* anx = nullptr;
  const ScaleChange* avo = nullptr;
  for (const auto& s : v.differences.scales) {
    if (s.id == m.anxiety_scale) anx = &s;
    if (s.id == m.avoidance_scale) avo = &s;
  }
  if (!anx || !avo) throw UsageError("the results lack the anxiety or avoidance scale", Location::in_file(b.source), "results scored by attune");
  v.metric = anx->metric;
  v.people[0] = position_of(a, names[0].empty() ? g.ui("ui.couple.person_a") : names[0], *anx, *avo, true);
  v.people[1] = position_of(b, names[1].empty() ? g.ui("ui.couple.person_b") : names[1], *anx, *avo, false);
  v.practices = shared_plan(v, g);
  v.care = in_care_range(a, m.anxiety_scale, m.avoidance_scale) || in_care_range(b, m.anxiety_scale, m.avoidance_scale);
  return v;
}

}  // namespace attune
