// The decision part of recommend() (guidance_data.hpp): from a profile's numbers and a context to
// the rule inputs, "between patterns", the care flags and the focus. Shared with PlanColumns, so it
// works on plain numbers and rule indices and, once a PlanDecision's buffers have grown, allocates
// nothing. The care thresholds and the "between patterns" test come from CareThresholds (code,
// documented), because a pack must not be able to switch off the care rule. Ties are broken by
// roadmap order (or file order) as docs/guidance.md says. The explanation of a relevance rule lives
// here too, beside the one sum it explains.
#include "guidance_data.hpp"

#include <attune/error.hpp>

#include <algorithm>
#include <cmath>

namespace attune::detail {

namespace {

constexpr double kInvSqrt2 = 0.70710678118654752440;

Category quadrant(double a, double v) {
  if (a > 0) return v > 0 ? Category::fearful : Category::anxious;
  return v > 0 ? Category::avoidant : Category::secure;
}

// The prototype point of a pattern in the standardized plane: one unit out on both axes.
void prototype_point(Category c, double& a, double& v) {
  a = (c == Category::anxious || c == Category::fearful) ? 1.0 : -1.0;
  v = (c == Category::avoidant || c == Category::fearful) ? 1.0 : -1.0;
}

std::array<double, kDimCount> dims_from_plane(double a, double v) {
  std::array<double, kDimCount> x{};
  x[kSecure] = -(a + v) * kInvSqrt2;
  x[kAnxious] = (a - v) * kInvSqrt2;
  x[kAvoidant] = (v - a) * kInvSqrt2;
  x[kFearful] = (a + v) * kInvSqrt2;
  x[kAnxietyZ] = a;
  x[kAvoidanceZ] = v;
  return x;
}

// A relevance rule's value for rule inputs x and a context. The one place the sum is formed, so the
// ranking (decide) and the explanation (explain_relevance) can never disagree, even where a compiler
// would contract a multiply-add differently in two copies of the loop.
double relevance_of(const RelevanceRule& r, const std::array<double, kDimCount>& x, int stage, const std::optional<bool>& parent) {
  double total = r.base;
  for (const auto& w : r.weights) total += w.second * x[static_cast<std::size_t>(w.first)];
  if (stage >= 0 && r.has_stage[static_cast<std::size_t>(stage)]) total += r.stage_bonus[static_cast<std::size_t>(stage)];
  if (parent && *parent && r.parent_bonus) total += *r.parent_bonus;
  return total;
}

// Higher relevance first, compared on a fixed grid (1e-9) so the tie rule is a strict weak ordering;
// ties by roadmap order (or file order for self-help). Values further apart than 1e-8 round to
// different grid points in the same order, so only near-ties pay for the rounding.
bool before(double ra, int oa, double rb, int ob) {
  if (ra - rb > 1e-8) return true;
  if (rb - ra > 1e-8) return false;
  const long long ka = std::llround(ra * 1e9), kb = std::llround(rb * 1e9);
  if (ka != kb) return ka > kb;
  return oa < ob;
}

void rank_into(const GuidanceData& g, bool roadmap, const std::array<double, kDimCount>& x, int stage, const std::optional<bool>& parent,
               std::vector<RankedRule>& out) {
  out.clear();
  for (std::size_t i = 0; i < g.relevance.size(); ++i) {
    const RelevanceRule& r = g.relevance[i];
    if (r.roadmap != roadmap || (r.needs_partner && without_partner(stage))) continue;
    out.push_back({static_cast<int>(i), r.order, relevance_of(r, x, stage, parent)});
  }
  // A handful of rules: std::sort sorts them in place (no buffer); the order is total, so unique.
  std::sort(out.begin(), out.end(), [](const RankedRule& p, const RankedRule& q) { return before(p.relevance, p.order, q.relevance, q.order); });
}

// The top roadmap rule at rule inputs x (the first of rank_into, without sorting).
int top_roadmap_rule(const GuidanceData& g, const std::array<double, kDimCount>& x, int stage, const std::optional<bool>& parent) {
  int best = -1;
  double best_rel = 0;
  for (std::size_t i = 0; i < g.relevance.size(); ++i) {
    const RelevanceRule& r = g.relevance[i];
    if (!r.roadmap || (r.needs_partner && without_partner(stage))) continue;
    const double rel = relevance_of(r, x, stage, parent);
    if (best < 0 || before(rel, r.order, best_rel, g.relevance[static_cast<std::size_t>(best)].order)) {
      best = static_cast<int>(i);
      best_rel = rel;
    }
  }
  return best;
}

void pick_into(const std::vector<RankedRule>& ranked, const Selection& sel, std::vector<FocusPick>& out) {
  out.clear();
  for (const auto& s : ranked) {
    if (static_cast<int>(out.size()) >= sel.max) break;
    if (s.relevance >= sel.min_relevance - 1e-9 || static_cast<int>(out.size()) < sel.at_least) out.push_back({s.rule, -1, s.order, s.relevance});
  }
}

bool contains_rule(const std::vector<FocusPick>& v, int rule) {
  for (const auto& p : v) if (p.rule == rule) return true;
  return false;
}

// ---- profile -> rule inputs ----
void set_rule_inputs(const PlanInputs& in, PlanDecision& d) {
  d.x = {};
  double a = 0, v = 0;
  if (in.available) {
    for (std::size_t c = 0; c < 4; ++c) d.x[c] = in.dims[c];
    if (in.prototype) {
      // Least-squares inverse of the plane projection: with the four ratings as projections,
      // fearful - secure = sqrt2 (a + v) and anxious - avoidant = sqrt2 (a - v).
      const double S = in.dims[0], P = in.dims[1], D = in.dims[2], F = in.dims[3];
      a = (F - S + P - D) / (2.0 * std::sqrt(2.0));
      v = (F - S - P + D) / (2.0 * std::sqrt(2.0));
    } else {
      a = in.anxiety;
      v = in.avoidance;
    }
    d.x[kAnxietyZ] = a;
    d.x[kAvoidanceZ] = v;
  }
  d.a = a;
  d.v = v;
}

// Four prototype ratings: the patterns whose rating is within the margin of the top one, or with low
// confidence the runner-up.
void prototype_neighbours(const PlanInputs& in, PlanDecision& d) {
  auto dim = [&in](Category c) { return in.dims[static_cast<std::size_t>(c)]; };
  const double m = CareThresholds::boundary_margin;
  double top = -1e300, second = -1e300;
  for (std::size_t c = 0; c < 4; ++c) {
    double r = in.dims[c];
    if (r > top) { second = top; top = r; } else if (r > second) second = r;
  }
  d.near = top - second < m;
  for (Category c : kCategories) {
    if (top - dim(c) < m) d.neighbours |= category_bit(c);
  }
  if (!d.near && !std::isnan(in.confidence) && in.confidence < CareThresholds::low_confidence) {
    for (Category c : kCategories) {
      if (dim(c) == second) d.neighbours |= category_bit(c);
    }
  }
}

// The plane: the quadrants across each axis the point lies within the margin of.
void plane_neighbours(const PlanInputs& in, double a, double v, PlanDecision& d) {
  const double m = CareThresholds::boundary_margin;
  const bool near_a = std::fabs(a) < m, near_v = std::fabs(v) < m;
  d.near = near_a || near_v;
  d.neighbours |= category_bit(quadrant(a, v));
  if (near_a) d.neighbours |= category_bit(quadrant(-a, v));
  if (near_v) d.neighbours |= category_bit(quadrant(a, -v));
  if (near_a && near_v) d.neighbours |= category_bit(quadrant(-a, -v));
  if (!d.near && !std::isnan(in.confidence) && in.confidence < CareThresholds::low_confidence) {
    // Low confidence away from the axes (e.g. a classifier's posterior): the nearer axis.
    d.neighbours |= std::fabs(a) < std::fabs(v) ? category_bit(quadrant(-a, v)) : category_bit(quadrant(a, -v));
  }
}

// With norms that apply, "well above the typical range" is read in the norm sample itself: at or above
// its 95th percentile (the z rule's 1.645 assumes a normal distribution the scores need not have).
void care_by_percentiles(const PlanInputs& in, bool clear_pattern, PlanDecision& d) {
  d.care_uses_z = false;
  d.care_uses_pct = true;
  d.care_za = in.anxiety_pct;
  d.care_zv = in.avoidance_pct;
  d.care_anxiety = in.anxiety_pct >= CareThresholds::percentile_high;
  d.care_avoidance = in.avoidance_pct >= CareThresholds::percentile_high;
  d.care_fearful = clear_pattern && d.own == category_bit(Category::fearful) && in.anxiety_pct >= CareThresholds::percentile_fearful &&
                   in.avoidance_pct >= CareThresholds::percentile_fearful;
}

// clear_pattern: one pattern, not between patterns (only then can a fearful profile call for care).
void set_care(const PlanInputs& in, bool clear_pattern, PlanDecision& d) {
  d.care_anxiety = d.care_avoidance = d.care_fearful = false;
  d.care_uses_z = d.care_uses_pct = false;
  d.care_za = d.care_zv = 0;
  if (!in.available) return;
  d.care_uses_z = !in.prototype && !std::isnan(in.anxiety_z) && !std::isnan(in.avoidance_z);
  const double za = d.care_uses_z ? in.anxiety_z : d.a, zv = d.care_uses_z ? in.avoidance_z : d.v;
  d.care_za = za;
  d.care_zv = zv;
  const double high = d.care_uses_z ? CareThresholds::z_high : CareThresholds::point_high;
  d.care_anxiety = za >= high;
  d.care_avoidance = zv >= high;
  if (clear_pattern && d.own == category_bit(Category::fearful)) {
    if (in.prototype) {
      d.care_fearful = in.dims[static_cast<std::size_t>(Category::fearful)] >= CareThresholds::point_high;
    } else {
      const double f = d.care_uses_z ? CareThresholds::z_fearful : CareThresholds::point_fearful;
      d.care_fearful = za >= f && zv >= f;
    }
  }
  if (!in.prototype && !std::isnan(in.anxiety_pct) && !std::isnan(in.avoidance_pct)) care_by_percentiles(in, clear_pattern, d);
}

// The leading roadmap rule at each pattern's prototype point, worked out again only when the pack or
// the context changed since the last row.
void refresh_prototype_tops(const GuidanceData& g, int stage, const std::optional<bool>& parent, PlanDecision& d) {
  if (d.proto_for == &g && d.proto_stage == stage && d.proto_parent == parent) return;
  for (Category c : kCategories) {
    double pa, pv;
    prototype_point(c, pa, pv);
    d.proto_top[static_cast<std::size_t>(c)] = top_roadmap_rule(g, dims_from_plane(pa, pv), stage, parent);
  }
  d.proto_for = &g;
  d.proto_stage = stage;
  d.proto_parent = parent;
}

// Stable insertion sort by the ranking order (a few entries; std::stable_sort may allocate).
void sort_by_rank(std::vector<FocusPick>& road) {
  for (std::size_t i = 1; i < road.size(); ++i) {
    FocusPick cur = road[i];
    std::size_t j = i;
    for (; j > 0 && before(cur.relevance, cur.order, road[j - 1].relevance, road[j - 1].order); --j) road[j] = road[j - 1];
    road[j] = cur;
  }
}

// Between patterns: make sure each neighbouring pattern's leading step is in, ordered by this
// person's own relevance; fill the rest from the person's own ranking.
void roadmap_between_patterns(const GuidanceData& g, int stage, const std::optional<bool>& parent, PlanDecision& d) {
  refresh_prototype_tops(g, stage, parent, d);
  d.wanted.clear();  // rule -> the neighbour it stands for
  d.wanted.push_back({d.ranked.front().rule, static_cast<int>(quadrant(d.a, d.v)), 0, 0});
  for (Category c : kCategories) {
    if (!(d.neighbours & category_bit(c))) continue;
    const int top = d.proto_top[static_cast<std::size_t>(c)];
    if (!contains_rule(d.wanted, top)) d.wanted.push_back({top, static_cast<int>(c), 0, 0});
  }
  d.road.clear();
  for (const auto& sc : d.ranked) {
    for (const auto& w : d.wanted) {
      if (w.rule != sc.rule) continue;
      const bool normal = contains_rule(d.picked, sc.rule);
      if (static_cast<int>(d.road.size()) < g.roadmap_sel.max) d.road.push_back({sc.rule, normal ? -1 : w.neighbour, sc.order, sc.relevance});
    }
  }
  for (const auto& sc : d.picked) {
    if (static_cast<int>(d.road.size()) >= g.roadmap_sel.max) break;
    if (!contains_rule(d.road, sc.rule)) d.road.push_back(sc);
  }
  sort_by_rank(d.road);
}

}  // namespace

void normalize_context(Context& ctx) {
  // The calendar's last event, the day-31 reminder to retake the questionnaire, ends (iCalendar
  // DTEND) 31 days after the start; past 9999-12-31 the four-digit dates of YYYY-MM-DD and
  // iCalendar cannot hold it.
  if (ctx.start && ctx.start->plus_days(31).year > 9999) {
    Location where;
    where.value = ctx.start->iso();
    throw UsageError("a 30-day plan from this start date runs past the year 9999", where, "a start date up to 9999-11-30");
  }
  if (!ctx.stage.empty() && stage_index(ctx.stage) < 0) {
    Location where;
    where.value = ctx.stage;
    throw UsageError("unknown relationship stage", where, "single, dating, long_term, parenting or separating");
  }
  if (ctx.partnered) {
    if (!*ctx.partnered && ctx.stage.empty()) ctx.stage = "single";
    if (*ctx.partnered && ctx.stage == "single") throw UsageError("stage 'single' contradicts 'partnered'", {}, "one of them");
    if (!*ctx.partnered && (ctx.stage == "long_term" || ctx.stage == "parenting"))
      throw UsageError("stage '" + ctx.stage + "' contradicts 'single'", {}, "one of them");
  }
  if (ctx.parent && !*ctx.parent && ctx.stage == "parenting")
    throw UsageError("stage 'parenting' contradicts 'not a parent'", {}, "one of them");
}

PlanInputs plan_inputs(const ScoringPlan& scoring, const Result& result) {
  const Profile& p = result.profile;
  PlanInputs in;
  in.prototype = p.type == ProfileMethodType::prototype;
  in.available = p.available();
  for (int c = 0; c < 4; ++c) {
    in.dims[static_cast<std::size_t>(c)] = p.dimensions[static_cast<std::size_t>(c)];
    in.available = in.available && !std::isnan(p.dimensions[static_cast<std::size_t>(c)]);
  }
  in.anxiety = p.anxiety;
  in.avoidance = p.avoidance;
  for (Category c : p.categories) in.categories |= category_bit(c);
  in.confidence = p.confidence;
  if (!in.prototype) {
    const ScaleScore* sa = result.find_scale(scoring.method().anxiety_scale);
    const ScaleScore* sv = result.find_scale(scoring.method().avoidance_scale);
    if (sa) in.anxiety_z = sa->z;
    if (sv) in.avoidance_z = sv->z;
  }
  return in;
}

void decide(const GuidanceData& g, const PlanInputs& in, int stage, const std::optional<bool>& parent, PlanDecision& d) {
  set_rule_inputs(in, d);

  // ---- between patterns? ----
  d.own = in.categories;
  d.neighbours = d.own;
  d.near = false;
  if (in.available && in.prototype) prototype_neighbours(in, d);
  else if (in.available) plane_neighbours(in, d.a, d.v, d);
  const bool single = d.own != 0 && (d.own & (d.own - 1)) == 0;
  d.mix = in.available && (!single || (!std::isnan(in.confidence) ? in.confidence < CareThresholds::low_confidence : d.near));
  d.cats = d.mix ? d.neighbours : d.own;

  set_care(in, single && !d.mix, d);

  // ---- focus: roadmap steps, then self-help strategies ----
  rank_into(g, true, d.x, stage, parent, d.ranked);
  pick_into(d.ranked, g.roadmap_sel, d.picked);
  if (!d.mix) d.road = d.picked;
  else roadmap_between_patterns(g, stage, parent, d);
  rank_into(g, false, d.x, stage, parent, d.ranked);
  pick_into(d.ranked, g.selfhelp_sel, d.self);
}

// The Why of a chosen relevance rule: its terms and the reason text of the largest term.
Why explain_relevance(const RelevanceRule& r, const std::array<double, kDimCount>& x, int stage, const std::optional<bool>& parent) {
  Why why;
  why.rule = "relevance:" + r.target;
  why.terms.push_back({"base", 0, 0, r.base, {}});
  for (const auto& w : r.weights) {
    double score = x[static_cast<std::size_t>(w.first)];
    why.terms.push_back({kDimNames[static_cast<std::size_t>(w.first)], score, w.second, w.second * score, {}});
  }
  if (stage >= 0 && r.has_stage[static_cast<std::size_t>(stage)]) {
    why.terms.push_back({"stage", 0, 0, r.stage_bonus[static_cast<std::size_t>(stage)], kStageNames[static_cast<std::size_t>(stage)]});
  }
  if (parent && *parent && r.parent_bonus) why.terms.push_back({"parent", 0, 0, *r.parent_bonus, "true"});
  why.relevance = relevance_of(r, x, stage, parent);
  // The reason follows the largest positive term of at least 0.1; earlier terms win exact ties.
  double best = 0.1 - 1e-12;
  for (std::size_t i = 1; i < why.terms.size(); ++i) {
    if (why.terms[i].contribution > best) {
      best = why.terms[i].contribution;
      why.driver = why.terms[i].term;
    }
  }
  auto it = why.driver.empty() ? r.reason_by_driver.end() : r.reason_by_driver.find(why.driver);
  why.text = it == r.reason_by_driver.end() ? r.reason : it->second;
  if (it == r.reason_by_driver.end()) why.driver.clear();
  return why;
}

}  // namespace attune::detail
