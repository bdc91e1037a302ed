// recommend(): from a scored profile and a context to a Plan. The decision itself (rule inputs,
// between patterns, care, the focus) is decide.cpp, shared with PlanColumns; this file turns it into
// the plan a person reads: the why of each step, the scripts, more help, the sections the include
// rules bring, the 30 days and the headline. Everything here is deterministic: no clock, no hash-map
// iteration order.
#include "guidance_data.hpp"
#include "text_fill.hpp"

#include <attune/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace attune {

namespace {

using namespace detail;

std::string fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
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

// Each test of a condition: true when the condition does not ask it or it holds, with its trigger
// added to `mine` (the reason shown).
bool holds_category(const Condition& c, const State& s, Triggers& mine) {
  if (!c.categories) return true;
  std::uint8_t hit = c.categories & s.cats;
  if (!hit) return false;
  std::string names;
  for (Category k : kCategories) {
    if (hit & category_bit(k)) names += (names.empty() ? "" : ",") + std::string(to_string(k));
  }
  mine.emplace_back("category", names);
  return true;
}

bool holds_context(const Condition& c, const State& s, Triggers& mine) {
  if (c.stages) {
    if (s.stage < 0 || !(c.stages & (1u << s.stage))) return false;
    mine.emplace_back("stage", kStageNames[static_cast<std::size_t>(s.stage)]);
  }
  if (c.parent) {
    if (!s.parent || *s.parent != *c.parent) return false;
    mine.emplace_back("parent", *c.parent ? "true" : "false");
  }
  return true;
}

bool holds_bounds(const Condition& c, const State& s, Triggers& mine) {
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
  return true;
}

bool holds_confidence(const Condition& c, const State& s, Triggers& mine) {
  if (!c.confidence_below) return true;
  // Unknown confidence (no error model): the geometric near-boundary test stands in for it.
  if (!std::isnan(s.confidence)) {
    if (!(s.confidence < *c.confidence_below)) return false;
    mine.emplace_back("confidence", fmt(s.confidence) + " < " + fmt(*c.confidence_below));
  } else {
    if (!s.near) return false;
    mine.emplace_back("confidence", "unknown; near a boundary");
  }
  return true;
}

bool holds_selected(const Condition& c, const State& s, Triggers& mine) {
  if (c.selected.empty()) return true;
  std::string hit;
  for (const auto& id : c.selected) {
    if (s.selected.count(id)) { hit = id; break; }
  }
  if (hit.empty()) return false;
  mine.emplace_back("selected", hit);
  return true;
}

bool holds(const Condition& c, const State& s, Triggers& t);

bool holds_any(const Condition& c, const State& s, Triggers& mine) {
  if (!c.has_any) return true;
  for (const auto& alt : c.any) {
    Triggers sub;
    if (holds(alt, s, sub)) {
      mine.insert(mine.end(), sub.begin(), sub.end());
      return true;  // the first alternative that holds is the reason shown
    }
  }
  return false;
}

bool holds(const Condition& c, const State& s, Triggers& t) {
  Triggers mine;
  if (c.always) mine.emplace_back("always", "true");
  if (!holds_category(c, s, mine) || !holds_context(c, s, mine) || !holds_bounds(c, s, mine) || !holds_confidence(c, s, mine) ||
      !holds_selected(c, s, mine))
    return false;
  if (c.care) {
    if (!s.care) return false;
    mine.emplace_back("care", "true");
  }
  if (!holds_any(c, s, mine)) return false;
  t.insert(t.end(), mine.begin(), mine.end());
  return true;
}

std::string join_names(const Guidance& g, const std::vector<std::string>& cats) {
  std::string out;
  for (std::size_t i = 0; i < cats.size(); ++i) {
    if (i) out += i + 1 == cats.size() ? " " + g.ui("ui.and") + " " : ", ";
    out += g.ui("ui.pattern." + cats[i]);
  }
  return out;
}

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

// The profile as the plan states it: the plane and its basis, the rule inputs, how sure, the mode.
void describe_profile(Plan& plan, const ScoringPlan& scoring, const Profile& p, const PlanInputs& in, const PlanDecision& dec) {
  if (in.available) {
    plan.plane_basis = in.prototype ? "derived from the four prototype ratings (standardized: " + scoring.standardization() +
                                          "): anxiety = (fearful + anxious - secure - avoidant) / (2 sqrt2), avoidance = (fearful + avoidant - secure - anxious) / (2 sqrt2)"
                                    : "the profile's anxiety x avoidance plane (" + scoring.standardization() + ")";
  } else {
    plan.plane_basis = "no profile: too few answers; every rule input counts as 0 (the centre)";
  }
  plan.anxiety = dec.a;
  plan.avoidance = dec.v;
  for (int k = 0; k < kDimCount; ++k) plan.dimensions.emplace_back(kDimNames[static_cast<std::size_t>(k)], dec.x[static_cast<std::size_t>(k)]);
  plan.confidence = p.confidence;
  if (!in.available) plan.confidence_note = "no profile";
  else if (std::isnan(p.confidence)) plan.confidence_note = "unknown (" + p.confidence_basis + "); a coordinate within " + fmt(CareThresholds::boundary_margin) + " of a boundary counts as between patterns";
  else plan.confidence_note = p.confidence_basis;
  plan.mode = !in.available ? "unavailable" : dec.mix ? "mix" : "pattern";
  if (dec.mix) {
    for (Category c : kCategories) {
      if (dec.neighbours & category_bit(c)) plan.neighbours.push_back(to_string(c));
    }
  }
}

// The care rule's triggers, in words.
Triggers care_triggers(const PlanDecision& dec, const PlanInputs& in, const Profile& p) {
  Triggers care;
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
  return care;
}

// The focus, with the why of each step; a step brought in for a neighbouring pattern says so.
void add_focus(Plan& plan, const GuidanceData& g, const Guidance& guidance, const PlanDecision& dec, State& s) {
  for (const auto* list : {&dec.road, &dec.self}) {
    for (const auto& pick : *list) {
      const RelevanceRule& rule = g.relevance[static_cast<std::size_t>(pick.rule)];
      const ContentEntry* e = guidance.find(rule.target);
      FocusStep f;
      f.id = rule.target;
      f.kind = rule.roadmap ? "roadmap" : "selfhelp";
      f.title = e->title;
      f.why = explain_relevance(rule, s.x, s.stage, s.parent);
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
}

// The scripts of the chosen steps, each once, in first-seen order.
void add_scripts(Plan& plan, const GuidanceData& g, const Guidance& guidance, const PlanDecision& dec, int stage) {
  for (const auto* list : {&dec.road, &dec.self}) {
    for (const auto& pick : *list) {
      const RelevanceRule& rule = g.relevance[static_cast<std::size_t>(pick.rule)];
      for (const auto& sid : rule.scripts) {
        if (without_partner(stage) && guidance.find(sid)->needs_partner) continue;  // a script for two
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
}

void add_more_help(Plan& plan, const GuidanceData& g, const Guidance& guidance, Triggers care) {
  MoreHelp mh;
  mh.why.rule = "care";
  mh.why.triggers = std::move(care);
  const ContentEntry* reason = guidance.find("care.reason");
  const std::string* reason_text = reason ? reason->text_field("text") : nullptr;
  mh.why.text = reason_text ? *reason_text : std::string();
  mh.items = g.care_shows;
  plan.more_help = std::move(mh);
}

// Everything else: the include rules that hold, in slot order then file order; what the care block
// already shows is not shown twice.
void add_sections(Plan& plan, const GuidanceData& g, const State& s) {
  std::set<std::string> in_care;
  if (plan.more_help) in_care.insert(plan.more_help->items.begin(), plan.more_help->items.end());
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
}

void add_headline(Plan& plan, const Guidance& guidance, const Profile& p) {
  if (plan.care) {
    plan.headline = guidance.ui("ui.headline.care");
  } else if (plan.mode == "unavailable") {
    plan.headline = guidance.ui("ui.headline.unavailable");
  } else if (plan.mode == "mix") {
    plan.headline = replace_all(guidance.ui("ui.headline.mix"), "{patterns}", join_names(guidance, plan.neighbours));
  } else {
    plan.headline = replace_all(guidance.ui("ui.headline.pattern"), "{pattern}", guidance.ui("ui.pattern." + std::string(to_string(p.categories[0]))));
  }
  const ContentEntry* dis = guidance.find("disclaimer.not_a_diagnosis");
  if (!dis || !dis->text_field("text")) throw UsageError("guidance pack has no disclaimer.not_a_diagnosis text", Location::in_file(guidance.data().folder));
  plan.disclaimer = *dis->text_field("text");
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
  normalize_context(plan.context);
  State s;
  s.stage = plan.context.stage.empty() ? -1 : stage_index(plan.context.stage);
  s.parent = plan.context.parent;

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
  describe_profile(plan, scoring, p, in, dec);
  plan.care = s.care;

  add_focus(plan, g, guidance, dec, s);
  add_scripts(plan, g, guidance, dec, s.stage);
  if (s.care) add_more_help(plan, g, guidance, care_triggers(dec, in, p));
  add_sections(plan, g, s);
  add_schedule(plan, g, guidance, s);
  add_headline(plan, guidance, p);
  return plan;
}

}  // namespace attune
