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

struct Scored {
  const RelevanceRule* rule = nullptr;
  double relevance = 0;
  Why why;
};

Scored evaluate(const RelevanceRule& r, const std::array<double, kDimCount>& x, int stage, const std::optional<bool>& parent) {
  Scored s;
  s.rule = &r;
  s.why.rule = "relevance:" + r.target;
  double total = r.base;
  s.why.terms.push_back({"base", 0, 0, r.base, {}});
  for (const auto& w : r.weights) {
    double score = x[static_cast<std::size_t>(w.first)];
    double c = w.second * score;
    total += c;
    s.why.terms.push_back({kDimNames[static_cast<std::size_t>(w.first)], score, w.second, c, {}});
  }
  if (stage >= 0 && r.has_stage[static_cast<std::size_t>(stage)]) {
    double c = r.stage_bonus[static_cast<std::size_t>(stage)];
    total += c;
    s.why.terms.push_back({"stage", 0, 0, c, kStageNames[static_cast<std::size_t>(stage)]});
  }
  if (parent && *parent && r.parent_bonus) {
    total += *r.parent_bonus;
    s.why.terms.push_back({"parent", 0, 0, *r.parent_bonus, "true"});
  }
  s.relevance = total;
  s.why.relevance = total;
  // The reason follows the largest positive term of at least 0.1; earlier terms win exact ties.
  double best = 0.1 - 1e-12;
  for (std::size_t i = 1; i < s.why.terms.size(); ++i) {
    if (s.why.terms[i].contribution > best) {
      best = s.why.terms[i].contribution;
      s.why.driver = s.why.terms[i].term;
    }
  }
  auto it = s.why.driver.empty() ? r.reason_by_driver.end() : r.reason_by_driver.find(s.why.driver);
  s.why.text = it == r.reason_by_driver.end() ? r.reason : it->second;
  if (it == r.reason_by_driver.end()) s.why.driver.clear();
  return s;
}

// Relevance on a fixed grid (1e-9), so the tie rule is a strict weak ordering.
bool before(const Scored& a, const Scored& b) {
  long long ka = std::llround(a.relevance * 1e9), kb = std::llround(b.relevance * 1e9);
  if (ka != kb) return ka > kb;
  return a.rule->order < b.rule->order;
}

std::vector<Scored> rank(const GuidanceData& g, bool roadmap, const std::array<double, kDimCount>& x, int stage,
                         const std::optional<bool>& parent) {
  std::vector<Scored> out;
  for (const auto& r : g.relevance) {
    if (r.roadmap == roadmap) out.push_back(evaluate(r, x, stage, parent));
  }
  std::sort(out.begin(), out.end(), before);
  return out;
}

std::vector<Scored> pick(const std::vector<Scored>& ranked, const Selection& sel) {
  std::vector<Scored> out;
  for (const auto& s : ranked) {
    if (static_cast<int>(out.size()) >= sel.max) break;
    if (s.relevance >= sel.min_relevance - 1e-9 || static_cast<int>(out.size()) < sel.at_least) out.push_back(s);
  }
  return out;
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

Plan recommend(const ScoringPlan& scoring, const Result& result, const Context& context, const Guidance& guidance) {
  const GuidanceData& g = guidance.data();
  const Profile& p = result.profile;
  Plan plan;
  plan.lang = g.lang;
  plan.instrument_id = result.instrument_id.empty() ? scoring.instrument().id : result.instrument_id;
  plan.context = context;

  // ---- context ----
  State s;
  Context& ctx = plan.context;
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
  s.stage = ctx.stage.empty() ? -1 : stage_index(ctx.stage);
  s.parent = ctx.parent;

  // ---- profile -> rule inputs ----
  const bool prototype = p.type == ProfileMethodType::prototype;
  bool available = p.available();
  for (int c = 0; c < 4; ++c) available = available && !std::isnan(p.dimensions[static_cast<std::size_t>(c)]);
  double a = 0, v = 0;
  if (available) {
    for (int c = 0; c < 4; ++c) s.x[static_cast<std::size_t>(c)] = p.dimensions[static_cast<std::size_t>(c)];
    if (prototype) {
      // Least-squares inverse of the plane projection: with the four ratings as projections,
      // fearful - secure = sqrt2 (a + v) and anxious - avoidant = sqrt2 (a - v).
      const double S = p.dimensions[0], P = p.dimensions[1], D = p.dimensions[2], F = p.dimensions[3];
      a = (F - S + P - D) / (2.0 * std::sqrt(2.0));
      v = (F - S - P + D) / (2.0 * std::sqrt(2.0));
      plan.plane_basis = "derived from the four prototype ratings (standardized: " + scoring.standardization() +
                         "): anxiety = (fearful + anxious - secure - avoidant) / (2 sqrt2), avoidance = (fearful + avoidant - secure - anxious) / (2 sqrt2)";
    } else {
      a = p.anxiety;
      v = p.avoidance;
      plan.plane_basis = "the profile's anxiety x avoidance plane (" + scoring.standardization() + ")";
    }
    s.x[kAnxietyZ] = a;
    s.x[kAvoidanceZ] = v;
  } else {
    plan.plane_basis = "no profile: too few answers; every rule input counts as 0 (the centre)";
  }
  plan.anxiety = a;
  plan.avoidance = v;
  for (int d = 0; d < kDimCount; ++d) plan.dimensions.emplace_back(kDimNames[static_cast<std::size_t>(d)], s.x[static_cast<std::size_t>(d)]);

  // ---- between patterns? ----
  std::uint8_t own = 0;
  for (Category c : p.categories) own |= bit(c);
  s.confidence = p.confidence;
  plan.confidence = p.confidence;
  std::uint8_t neighbours = own;
  if (available) {
    const double m = CareThresholds::boundary_margin;
    if (prototype) {
      double top = -1e300, second = -1e300;
      for (int c = 0; c < 4; ++c) {
        double r = p.dimensions[static_cast<std::size_t>(c)];
        if (r > top) { second = top; top = r; } else if (r > second) second = r;
      }
      s.near = top - second < m;
      for (Category c : kCategories) {
        if (top - p.dimension(c) < m) neighbours |= bit(c);
      }
      if (!s.near && !std::isnan(p.confidence) && p.confidence < CareThresholds::low_confidence) {
        for (Category c : kCategories) {
          if (p.dimension(c) == second) neighbours |= bit(c);
        }
      }
    } else {
      const bool near_a = std::fabs(a) < m, near_v = std::fabs(v) < m;
      s.near = near_a || near_v;
      neighbours |= bit(quadrant(a, v));
      if (near_a) neighbours |= bit(quadrant(-a, v));
      if (near_v) neighbours |= bit(quadrant(a, -v));
      if (near_a && near_v) neighbours |= bit(quadrant(-a, -v));
      if (!s.near && !std::isnan(p.confidence) && p.confidence < CareThresholds::low_confidence) {
        // Low confidence away from the axes (e.g. a classifier's posterior): the nearer axis.
        neighbours |= std::fabs(a) < std::fabs(v) ? bit(quadrant(-a, v)) : bit(quadrant(a, -v));
      }
    }
  }
  const bool single = p.categories.size() == 1;
  const bool mix = available && (!single || (!std::isnan(p.confidence) ? p.confidence < CareThresholds::low_confidence : s.near));
  if (!available) plan.confidence_note = "no profile";
  else if (std::isnan(p.confidence)) plan.confidence_note = "unknown (" + p.confidence_basis + "); a coordinate within " + fmt(CareThresholds::boundary_margin) + " of a boundary counts as between patterns";
  else plan.confidence_note = p.confidence_basis;
  s.cats = mix ? neighbours : own;
  plan.mode = !available ? "unavailable" : mix ? "mix" : "pattern";
  if (mix) {
    for (Category c : kCategories) {
      if (neighbours & bit(c)) plan.neighbours.push_back(to_string(c));
    }
  }

  // ---- care ----
  Triggers care;
  if (available) {
    const ScaleScore* sa = prototype ? nullptr : result.find_scale(scoring.method().anxiety_scale);
    const ScaleScore* sv = prototype ? nullptr : result.find_scale(scoring.method().avoidance_scale);
    const bool uses_z = sa && sv && !std::isnan(sa->z) && !std::isnan(sv->z);
    const double za = uses_z ? sa->z : a, zv = uses_z ? sv->z : v;
    const double high = uses_z ? CareThresholds::z_high : CareThresholds::point_high;
    const std::string unit = uses_z ? "z" : "coordinate";
    if (za >= high) care.emplace_back("anxiety", unit + " " + fmt(za) + " >= " + fmt(high));
    if (zv >= high) care.emplace_back("avoidance", unit + " " + fmt(zv) + " >= " + fmt(high));
    if (single && !mix && p.categories[0] == Category::fearful) {
      if (prototype) {
        if (p.dimension(Category::fearful) >= CareThresholds::point_high)
          care.emplace_back("fearful", "rating " + fmt(p.dimension(Category::fearful)) + " >= " + fmt(CareThresholds::point_high) + ", the clear top pattern");
      } else {
        const double f = uses_z ? CareThresholds::z_fearful : CareThresholds::point_fearful;
        if (za >= f && zv >= f) care.emplace_back("fearful", "both " + unit + "s >= " + fmt(f) + " (" + fmt(za) + ", " + fmt(zv) + "), not near a boundary");
      }
    }
  }
  s.care = !care.empty();
  plan.care = s.care;

  // ---- focus: roadmap steps, then self-help strategies ----
  std::vector<Scored> road_rank = rank(g, true, s.x, s.stage, s.parent);
  std::vector<Scored> road = pick(road_rank, g.roadmap_sel);
  if (mix) {
    // Between patterns: make sure each neighbouring pattern's leading step is in, ordered by this
    // person's own relevance; fill the rest from the person's own ranking.
    std::vector<std::pair<std::string, Category>> wanted;  // step id -> the neighbour it stands for
    wanted.emplace_back(road_rank.front().rule->target, quadrant(a, v));
    for (Category c : kCategories) {
      if (!(neighbours & bit(c))) continue;
      double pa, pv;
      prototype_point(c, pa, pv);
      std::vector<Scored> there = rank(g, true, dims_from_plane(pa, pv), s.stage, s.parent);
      const std::string& id = there.front().rule->target;
      bool dup = false;
      for (const auto& w : wanted) dup = dup || w.first == id;
      if (!dup) wanted.emplace_back(id, c);
    }
    std::vector<Scored> chosen;
    for (const auto& sc : road_rank) {
      for (const auto& w : wanted) {
        if (w.first != sc.rule->target) continue;
        Scored copy = sc;
        bool normal = false;
        for (const auto& r : road) normal = normal || r.rule == sc.rule;
        if (!normal) {
          copy.why.rule = "mix:neighbour:" + std::string(to_string(w.second));
          copy.why.triggers.emplace_back("neighbour", to_string(w.second));
          copy.why.text = replace_all(guidance.ui("ui.why.neighbour"), "{pattern}", guidance.ui("ui.pattern." + std::string(to_string(w.second)))) +
                          " " + sc.rule->reason;
          copy.why.driver.clear();
        }
        if (static_cast<int>(chosen.size()) < g.roadmap_sel.max) chosen.push_back(copy);
      }
    }
    for (const auto& sc : road) {
      if (static_cast<int>(chosen.size()) >= g.roadmap_sel.max) break;
      bool have = false;
      for (const auto& c : chosen) have = have || c.rule == sc.rule;
      if (!have) chosen.push_back(sc);
    }
    std::stable_sort(chosen.begin(), chosen.end(), before);
    road = std::move(chosen);
  }
  std::vector<Scored> self = pick(rank(g, false, s.x, s.stage, s.parent), g.selfhelp_sel);
  for (const auto* list : {&road, &self}) {
    for (const auto& sc : *list) {
      const ContentEntry* e = guidance.find(sc.rule->target);
      FocusStep f;
      f.id = sc.rule->target;
      f.kind = sc.rule->roadmap ? "roadmap" : "selfhelp";
      f.title = e->title;
      f.why = sc.why;
      f.source = e->source;
      s.selected.insert(f.id);
      plan.focus.push_back(std::move(f));
    }
  }

  // ---- scripts of the chosen steps, each once, first-seen order ----
  for (const auto* list : {&road, &self}) {
    for (const auto& sc : *list) {
      for (const auto& sid : sc.rule->scripts) {
        auto it = std::find_if(plan.scripts.begin(), plan.scripts.end(), [&](const PlanScript& x) { return x.id == sid; });
        if (it == plan.scripts.end()) {
          const ContentEntry* e = guidance.find(sid);
          PlanScript ps;
          ps.id = sid;
          ps.title = e->title;
          ps.source = e->source;
          ps.why.rule = "script-of:" + sc.rule->target;
          plan.scripts.push_back(std::move(ps));
          it = plan.scripts.end() - 1;
        }
        it->for_steps.push_back(sc.rule->target);
        it->why.triggers.emplace_back("selected", sc.rule->target);
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
    mh.why.text = reason ? reason->texts.front().second : std::string();
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
    std::string emphasis;
    if (!plan.lean.empty()) {
      auto it = w.second.find(plan.lean);
      if (it != w.second.end()) emphasis = it->second;
    }
    for (int d = e->first_day; d <= e->last_day; ++d) {
      ScheduleDay day;
      day.day = d;
      if (ctx.start) day.date = ctx.start->plus_days(d - 1);
      day.week = w.first;
      day.practice = practice ? *practice : std::string();
      day.emphasis = emphasis;
      plan.schedule.push_back(std::move(day));
    }
  }
  std::sort(plan.schedule.begin(), plan.schedule.end(), [](const ScheduleDay& x, const ScheduleDay& y) { return x.day < y.day; });

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
  const ContentEntry* d = guidance.find("disclaimer.not_a_diagnosis");
  if (!d || !d->text_field("text")) throw UsageError("guidance pack has no disclaimer.not_a_diagnosis text", Location::in_file(g.folder));
  plan.disclaimer = *d->text_field("text");
  return plan;
}

}  // namespace attune
