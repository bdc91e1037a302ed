// recommend(): from a scored profile and a context to a Plan. The rules come from the pack; the care
// thresholds and the "between patterns" test come from CareThresholds (code, documented), because a
// pack must not be able to switch off the care rule. Everything here is deterministic: no clock, no
// hash-map iteration order, ties broken by roadmap order (or file order) as docs/guidance.md says.
#include "guidance_data.hpp"

#include <attune/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace attune {

// ---------------------------------------------------------------------------------------------
// Dates: proleptic Gregorian day counts (H. Hinnant's days_from_civil / civil_from_days).

namespace {

long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date civil_from_days(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  Date out;
  out.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  out.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  out.year = static_cast<int>(yoe + era * 400 + (out.month <= 2));
  return out;
}

int days_in_month(int y, int m) {
  static const int k[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : k[m - 1];
}

}  // namespace

Date Date::parse(const std::string& s) {
  auto bad = [&s]() {
    Location where;
    where.value = s;
    throw UsageError("not a calendar date", where, "YYYY-MM-DD, e.g. 2025-03-01");
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') bad();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) bad();
  }
  Date d;
  d.year = std::stoi(s.substr(0, 4));
  d.month = std::stoi(s.substr(5, 2));
  d.day = std::stoi(s.substr(8, 2));
  if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month)) bad();
  return d;
}

Date Date::plus_days(int n) const { return civil_from_days(days_from_civil(year, month, day) + n); }

std::string Date::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string Date::compact() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", year, month, day);
  return buf;
}

// ---------------------------------------------------------------------------------------------

namespace {

using namespace detail;

constexpr double kInvSqrt2 = 0.70710678118654752440;

std::string fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}

std::uint8_t bit(Category c) { return static_cast<std::uint8_t>(1u << static_cast<int>(c)); }

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

struct State {
  std::array<double, kDimCount> x{};
  std::uint8_t cats = 0;  // categories for "category" conditions (the neighbours when between patterns)
  int stage = -1;
  std::optional<bool> parent;
  double confidence = kMissing;
  bool near = false;
  bool care = false;
  std::set<std::string> selected;
};

using Triggers = std::vector<std::pair<std::string, std::string>>;

bool holds(const Condition& c, const State& s, Triggers& t) {
  Triggers mine;
  if (c.always) mine.emplace_back("always", "true");
  if (c.categories) {
    std::uint8_t hit = c.categories & s.cats;
    if (!hit) return false;
    std::string names;
    for (Category k : kCategories) {
      if (hit & bit(k)) names += (names.empty() ? "" : ",") + std::string(to_string(k));
    }
    mine.emplace_back("category", names);
  }
  if (c.stages) {
    if (s.stage < 0 || !(c.stages & (1u << s.stage))) return false;
    mine.emplace_back("stage", kStageNames[static_cast<std::size_t>(s.stage)]);
  }
  if (c.parent) {
    if (!s.parent || *s.parent != *c.parent) return false;
    mine.emplace_back("parent", *c.parent ? "true" : "false");
  }
  for (const auto& m : c.min) {
    double v = s.x[static_cast<std::size_t>(m.first)];
    if (!(v >= m.second)) return false;
    mine.emplace_back(kDimNames[static_cast<std::size_t>(m.first)], fmt(v) + " >= " + fmt(m.second));
  }
  for (const auto& m : c.below) {
    double v = s.x[static_cast<std::size_t>(m.first)];
    if (!(v < m.second)) return false;
    mine.emplace_back(kDimNames[static_cast<std::size_t>(m.first)], fmt(v) + " < " + fmt(m.second));
  }
  if (c.confidence_below) {
    // Unknown confidence (no error model): the geometric near-boundary test stands in for it.
    if (!std::isnan(s.confidence)) {
      if (!(s.confidence < *c.confidence_below)) return false;
      mine.emplace_back("confidence", fmt(s.confidence) + " < " + fmt(*c.confidence_below));
    } else {
      if (!s.near) return false;
      mine.emplace_back("confidence", "unknown; near a boundary");
    }
  }
  if (!c.selected.empty()) {
    std::string hit;
    for (const auto& id : c.selected) {
      if (s.selected.count(id)) { hit = id; break; }
    }
    if (hit.empty()) return false;
    mine.emplace_back("selected", hit);
  }
  if (c.care) {
    if (!s.care) return false;
    mine.emplace_back("care", "true");
  }
  if (c.has_any) {
    bool ok = false;
    for (const auto& alt : c.any) {
      Triggers sub;
      if (holds(alt, s, sub)) {
        mine.insert(mine.end(), sub.begin(), sub.end());
        ok = true;
        break;  // the first alternative that holds is the reason shown
      }
    }
    if (!ok) return false;
  }
  t.insert(t.end(), mine.begin(), mine.end());
  return true;
}

// A relevance rule's value for rule inputs x and a context. The one place the sum is formed, so the
// ranking (decide) and the explanation (explain) can never disagree, even where a compiler would
// contract a multiply-add differently in two copies of the loop.
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

// The Why of a chosen relevance rule: its terms and the reason text of the largest term.
Why explain(const RelevanceRule& r, const std::array<double, kDimCount>& x, int stage, const std::optional<bool>& parent) {
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

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

std::string join_names(const Guidance& g, const std::vector<std::string>& cats) {
  std::string out;
  for (std::size_t i = 0; i < cats.size(); ++i) {
    if (i) out += i + 1 == cats.size() ? " " + g.ui("ui.and") + " " : ", ";
    out += g.ui("ui.pattern." + cats[i]);
  }
  return out;
}

}  // namespace

namespace detail {

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
  for (Category c : p.categories) in.categories |= bit(c);
  in.confidence = p.confidence;
  if (!in.prototype) {
    const ScaleScore* sa = result.find_scale(scoring.method().anxiety_scale);
    const ScaleScore* sv = result.find_scale(scoring.method().avoidance_scale);
    if (sa) in.anxiety_z = sa->z;
    if (sv) in.avoidance_z = sv->z;
  }
  return in;
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
  d.care_fearful = clear_pattern && d.own == bit(Category::fearful) && in.anxiety_pct >= CareThresholds::percentile_fearful &&
                   in.avoidance_pct >= CareThresholds::percentile_fearful;
}

void decide(const GuidanceData& g, const PlanInputs& in, int stage, const std::optional<bool>& parent, PlanDecision& d) {
  // ---- profile -> rule inputs ----
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

  // ---- between patterns? ----
  auto dim = [&in](Category c) { return in.dims[static_cast<std::size_t>(c)]; };
  d.own = in.categories;
  d.neighbours = d.own;
  d.near = false;
  if (in.available) {
    const double m = CareThresholds::boundary_margin;
    if (in.prototype) {
      double top = -1e300, second = -1e300;
      for (std::size_t c = 0; c < 4; ++c) {
        double r = in.dims[c];
        if (r > top) { second = top; top = r; } else if (r > second) second = r;
      }
      d.near = top - second < m;
      for (Category c : kCategories) {
        if (top - dim(c) < m) d.neighbours |= bit(c);
      }
      if (!d.near && !std::isnan(in.confidence) && in.confidence < CareThresholds::low_confidence) {
        for (Category c : kCategories) {
          if (dim(c) == second) d.neighbours |= bit(c);
        }
      }
    } else {
      const bool near_a = std::fabs(a) < m, near_v = std::fabs(v) < m;
      d.near = near_a || near_v;
      d.neighbours |= bit(quadrant(a, v));
      if (near_a) d.neighbours |= bit(quadrant(-a, v));
      if (near_v) d.neighbours |= bit(quadrant(a, -v));
      if (near_a && near_v) d.neighbours |= bit(quadrant(-a, -v));
      if (!d.near && !std::isnan(in.confidence) && in.confidence < CareThresholds::low_confidence) {
        // Low confidence away from the axes (e.g. a classifier's posterior): the nearer axis.
        d.neighbours |= std::fabs(a) < std::fabs(v) ? bit(quadrant(-a, v)) : bit(quadrant(a, -v));
      }
    }
  }
  const bool single = d.own != 0 && (d.own & (d.own - 1)) == 0;
  d.mix = in.available && (!single || (!std::isnan(in.confidence) ? in.confidence < CareThresholds::low_confidence : d.near));
  d.cats = d.mix ? d.neighbours : d.own;

  // ---- care ----
  d.care_anxiety = d.care_avoidance = d.care_fearful = false;
  d.care_uses_z = d.care_uses_pct = false;
  d.care_za = d.care_zv = 0;
  if (in.available) {
    d.care_uses_z = !in.prototype && !std::isnan(in.anxiety_z) && !std::isnan(in.avoidance_z);
    const double za = d.care_uses_z ? in.anxiety_z : a, zv = d.care_uses_z ? in.avoidance_z : v;
    d.care_za = za;
    d.care_zv = zv;
    const double high = d.care_uses_z ? CareThresholds::z_high : CareThresholds::point_high;
    d.care_anxiety = za >= high;
    d.care_avoidance = zv >= high;
    if (single && !d.mix && d.own == bit(Category::fearful)) {
      if (in.prototype) {
        d.care_fearful = dim(Category::fearful) >= CareThresholds::point_high;
      } else {
        const double f = d.care_uses_z ? CareThresholds::z_fearful : CareThresholds::point_fearful;
        d.care_fearful = za >= f && zv >= f;
      }
    }
    if (!in.prototype && !std::isnan(in.anxiety_pct) && !std::isnan(in.avoidance_pct)) care_by_percentiles(in, single && !d.mix, d);
  }

  // ---- focus: roadmap steps, then self-help strategies ----
  rank_into(g, true, d.x, stage, parent, d.ranked);
  pick_into(d.ranked, g.roadmap_sel, d.picked);
  if (!d.mix) {
    d.road = d.picked;
  } else {
    // Between patterns: make sure each neighbouring pattern's leading step is in, ordered by this
    // person's own relevance; fill the rest from the person's own ranking.
    if (d.proto_for != &g || d.proto_stage != stage || d.proto_parent != parent) {
      for (Category c : kCategories) {
        double pa, pv;
        prototype_point(c, pa, pv);
        d.proto_top[static_cast<std::size_t>(c)] = top_roadmap_rule(g, dims_from_plane(pa, pv), stage, parent);
      }
      d.proto_for = &g;
      d.proto_stage = stage;
      d.proto_parent = parent;
    }
    d.wanted.clear();  // rule -> the neighbour it stands for
    d.wanted.push_back({d.ranked.front().rule, static_cast<int>(quadrant(a, v)), 0, 0});
    for (Category c : kCategories) {
      if (!(d.neighbours & bit(c))) continue;
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
    // Stable insertion sort by the ranking order (a few entries; std::stable_sort may allocate).
    for (std::size_t i = 1; i < d.road.size(); ++i) {
      FocusPick cur = d.road[i];
      std::size_t j = i;
      for (; j > 0 && before(cur.relevance, cur.order, d.road[j - 1].relevance, d.road[j - 1].order); --j) d.road[j] = d.road[j - 1];
      d.road[j] = cur;
    }
  }
  rank_into(g, false, d.x, stage, parent, d.ranked);
  pick_into(d.ranked, g.selfhelp_sel, d.self);
}

}  // namespace detail

namespace {

// The 30 days: the first lean that holds adds its emphasis to each week; each day gets the week's
// practice (for one, when the person has no partner) and its own practice of the day.
void add_schedule(Plan& plan, const detail::GuidanceData& g, const Guidance& guidance, const State& s) {
  for (const auto& ln : g.leans) {
    Triggers t;
    if (!holds(ln.when, s, t)) continue;
    plan.lean = ln.id;
    plan.lean_why.rule = "lean:" + ln.id;
    plan.lean_why.triggers = std::move(t);
    plan.lean_why.text = ln.reason;
    break;
  }
  for (const auto& w : g.weeks) {
    const ContentEntry* e = guidance.find(w.first);
    const std::string* practice = e->text_field("daily_practice");
    if (without_partner(s.stage) && !e->daily_practice_alone.empty()) practice = &e->daily_practice_alone;
    std::string emphasis;
    if (!plan.lean.empty()) {
      auto it = w.second.find(plan.lean);
      if (it != w.second.end()) emphasis = it->second;
    }
    const ContentList* per_day = nullptr;
    for (const auto& l : e->lists) {
      if (l.field == "day_practices") per_day = &l;
    }
    for (int d = e->first_day; d <= e->last_day; ++d) {
      ScheduleDay day;
      day.day = d;
      if (per_day) {
        const ContentItem& it = per_day->items[static_cast<std::size_t>(d - e->first_day)];
        day.today_id = it.id;
        day.today_title = it.title;
        day.today = it.text;
      }
      if (plan.context.start) day.date = plan.context.start->plus_days(d - 1);
      day.week = w.first;
      day.practice = practice ? *practice : std::string();
      day.emphasis = emphasis;
      plan.schedule.push_back(std::move(day));
    }
  }
  std::sort(plan.schedule.begin(), plan.schedule.end(), [](const ScheduleDay& x, const ScheduleDay& y) { return x.day < y.day; });
}

}  // namespace

Plan recommend(const ScoringPlan& scoring, const Result& result, const Context& context, const Guidance& guidance) {
  return recommend(scoring, result, context, guidance, NormPercentiles{});
}

Plan recommend(const ScoringPlan& scoring, const Result& result, const Context& context, const Guidance& guidance,
               const NormPercentiles& norms) {
  // The plans are about attachment patterns: a questionnaire without a profile (a Big Five scale)
  // would get steps chosen from nothing.
  if (!scoring.has_profile()) {
    throw UsageError("instrument '" + scoring.instrument().id + "' has no attachment profile, so there is no plan for it", {},
                     "an instrument with a profile (attune instruments)");
  }
  const GuidanceData& g = guidance.data();
  const Profile& p = result.profile;
  Plan plan;
  plan.lang = g.lang;
  plan.instrument_id = result.instrument_id.empty() ? scoring.instrument().id : result.instrument_id;
  plan.context = context;

  // ---- context ----
  Context& ctx = plan.context;
  normalize_context(ctx);
  State s;
  s.stage = ctx.stage.empty() ? -1 : stage_index(ctx.stage);
  s.parent = ctx.parent;

  // ---- the decision (shared with PlanColumns) ----
  PlanInputs in = plan_inputs(scoring, result);
  in.anxiety_pct = norms.anxiety;
  in.avoidance_pct = norms.avoidance;
  PlanDecision dec;
  decide(g, in, s.stage, s.parent, dec);
  s.x = dec.x;
  s.cats = dec.cats;
  s.confidence = p.confidence;
  s.near = dec.near;
  s.care = dec.care();
  const bool available = in.available, mix = dec.mix;
  if (available) {
    plan.plane_basis = in.prototype ? "derived from the four prototype ratings (standardized: " + scoring.standardization() +
                                          "): anxiety = (fearful + anxious - secure - avoidant) / (2 sqrt2), avoidance = (fearful + avoidant - secure - anxious) / (2 sqrt2)"
                                    : "the profile's anxiety x avoidance plane (" + scoring.standardization() + ")";
  } else {
    plan.plane_basis = "no profile: too few answers; every rule input counts as 0 (the centre)";
  }
  plan.anxiety = dec.a;
  plan.avoidance = dec.v;
  for (int k = 0; k < kDimCount; ++k) plan.dimensions.emplace_back(kDimNames[static_cast<std::size_t>(k)], s.x[static_cast<std::size_t>(k)]);
  plan.confidence = p.confidence;
  if (!available) plan.confidence_note = "no profile";
  else if (std::isnan(p.confidence)) plan.confidence_note = "unknown (" + p.confidence_basis + "); a coordinate within " + fmt(CareThresholds::boundary_margin) + " of a boundary counts as between patterns";
  else plan.confidence_note = p.confidence_basis;
  plan.mode = !available ? "unavailable" : mix ? "mix" : "pattern";
  if (mix) {
    for (Category c : kCategories) {
      if (dec.neighbours & bit(c)) plan.neighbours.push_back(to_string(c));
    }
  }

  // ---- care: the triggers, in words ----
  Triggers care;
  {
    const std::string unit = dec.care_uses_pct ? "percentile" : dec.care_uses_z ? "z" : "coordinate";
    const double high = dec.care_uses_pct ? CareThresholds::percentile_high
                        : dec.care_uses_z ? CareThresholds::z_high : CareThresholds::point_high;
    if (dec.care_anxiety) care.emplace_back("anxiety", unit + " " + fmt(dec.care_za) + " >= " + fmt(high));
    if (dec.care_avoidance) care.emplace_back("avoidance", unit + " " + fmt(dec.care_zv) + " >= " + fmt(high));
    if (dec.care_fearful) {
      if (in.prototype) {
        care.emplace_back("fearful", "rating " + fmt(p.dimension(Category::fearful)) + " >= " + fmt(CareThresholds::point_high) + ", the clear top pattern");
      } else {
        const double f = dec.care_uses_pct ? CareThresholds::percentile_fearful
                         : dec.care_uses_z ? CareThresholds::z_fearful : CareThresholds::point_fearful;
        care.emplace_back("fearful", "both " + unit + "s >= " + fmt(f) + " (" + fmt(dec.care_za) + ", " + fmt(dec.care_zv) + "), not near a boundary");
      }
    }
  }
  plan.care = s.care;

  // ---- focus, with the why of each step ----
  for (const auto* list : {&dec.road, &dec.self}) {
    for (const auto& pick : *list) {
      const RelevanceRule& rule = g.relevance[static_cast<std::size_t>(pick.rule)];
      const ContentEntry* e = guidance.find(rule.target);
      FocusStep f;
      f.id = rule.target;
      f.kind = rule.roadmap ? "roadmap" : "selfhelp";
      f.title = e->title;
      f.why = explain(rule, s.x, s.stage, s.parent);
      if (pick.neighbour >= 0) {
        const std::string name = to_string(static_cast<Category>(pick.neighbour));
        f.why.rule = "mix:neighbour:" + name;
        f.why.triggers.emplace_back("neighbour", name);
        f.why.text = replace_all(guidance.ui("ui.why.neighbour"), "{pattern}", guidance.ui("ui.pattern." + name)) + " " + rule.reason;
        f.why.driver.clear();
      }
      f.source = e->source;
      s.selected.insert(f.id);
      plan.focus.push_back(std::move(f));
    }
  }

  // ---- scripts of the chosen steps, each once, first-seen order ----
  for (const auto* list : {&dec.road, &dec.self}) {
    for (const auto& pick : *list) {
      const RelevanceRule& rule = g.relevance[static_cast<std::size_t>(pick.rule)];
      for (const auto& sid : rule.scripts) {
        if (without_partner(s.stage) && guidance.find(sid)->needs_partner) continue;  // a script for two
        auto it = std::find_if(plan.scripts.begin(), plan.scripts.end(), [&](const PlanScript& x) { return x.id == sid; });
        if (it == plan.scripts.end()) {
          const ContentEntry* e = guidance.find(sid);
          PlanScript ps;
          ps.id = sid;
          ps.title = e->title;
          ps.source = e->source;
          ps.why.rule = "script-of:" + rule.target;
          plan.scripts.push_back(std::move(ps));
          it = plan.scripts.end() - 1;
        }
        it->for_steps.push_back(rule.target);
        it->why.triggers.emplace_back("selected", rule.target);
      }
    }
  }
  for (auto& ps : plan.scripts) {
    std::string steps;
    for (const auto& id : ps.for_steps) steps += (steps.empty() ? "" : "; ") + guidance.find(id)->title;
    ps.why.text = replace_all(guidance.ui("ui.why.script"), "{steps}", steps);
  }

  // ---- more help ----
  std::set<std::string> in_care;
  if (s.care) {
    MoreHelp mh;
    mh.why.rule = "care";
    mh.why.triggers = care;
    const ContentEntry* reason = guidance.find("care.reason");
    const std::string* reason_text = reason ? reason->text_field("text") : nullptr;
    mh.why.text = reason_text ? *reason_text : std::string();
    mh.items = g.care_shows;
    in_care.insert(mh.items.begin(), mh.items.end());
    plan.more_help = std::move(mh);
  }

  // ---- everything else: include rules, in slot order then file order ----
  std::set<std::string> placed;
  std::vector<std::pair<int, PlanEntry>> found;
  for (const auto& r : g.include) {
    if (in_care.count(r.target) || placed.count(r.target)) continue;
    Triggers t;
    if (!holds(r.when, s, t)) continue;
    PlanEntry pe;
    pe.id = r.target;
    pe.slot = g.slots[static_cast<std::size_t>(r.slot)];
    pe.why.rule = "include:" + r.target;
    pe.why.triggers = std::move(t);
    pe.why.text = r.reason;
    placed.insert(r.target);
    found.emplace_back(r.slot, std::move(pe));
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& f : found) plan.sections.push_back(std::move(f.second));

  // ---- the 30 days ----
  add_schedule(plan, g, guidance, s);

  // ---- headline and disclaimer ----
  if (s.care) {
    plan.headline = guidance.ui("ui.headline.care");
  } else if (!available) {
    plan.headline = guidance.ui("ui.headline.unavailable");
  } else if (mix) {
    plan.headline = replace_all(guidance.ui("ui.headline.mix"), "{patterns}", join_names(guidance, plan.neighbours));
  } else {
    plan.headline = replace_all(guidance.ui("ui.headline.pattern"), "{pattern}", guidance.ui("ui.pattern." + std::string(to_string(p.categories[0]))));
  }
  const ContentEntry* dis = guidance.find("disclaimer.not_a_diagnosis");
  if (!dis || !dis->text_field("text")) throw UsageError("guidance pack has no disclaimer.not_a_diagnosis text", Location::in_file(g.folder));
  plan.disclaimer = *dis->text_field("text");
  return plan;
}

}  // namespace attune
