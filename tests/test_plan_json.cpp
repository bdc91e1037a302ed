// The plan's JSON (src/guidance/plan_json.cpp) is written straight into a string; its plain twin is the
// renderer it replaced, which built an nlohmann document (kept here verbatim). Same bytes, compact and
// indented, for plans over every quadrant, the care range, missing answers and every context.
#include <attune/attune.hpp>
#include <attune/guidance.hpp>

#include <catch2/catch.hpp>

#include "../src/guidance/render_body.hpp"  // internal: the entry layout both renderers share

#include <nlohmann/json.hpp>

#include <cmath>
#include <random>
#include <string>
#include <vector>

using namespace attune;

namespace {

using json = nlohmann::ordered_json;

json twin_num(double x) { return std::isnan(x) ? json(nullptr) : json(x); }

json twin_source_json(const SourceRef& s, const Guidance& g) {
  const Article* a = g.article(s.article);
  return {{"article", s.article}, {"title", a ? a->title : s.article}, {"section", s.section}};
}

json twin_why_json(const Why& w) {
  json j{{"rule", w.rule}, {"text", w.text}};
  if (!w.terms.empty()) {
    j["relevance"] = w.relevance;
    j["driver"] = w.driver.empty() ? json(nullptr) : json(w.driver);
    json terms = json::array();
    for (const auto& t : w.terms) {
      json tj{{"term", t.term}, {"contribution", t.contribution}};
      if (t.term != "base" && t.value.empty()) {
        tj["score"] = t.score;
        tj["weight"] = t.weight;
      }
      if (!t.value.empty()) tj["value"] = t.value;
      terms.push_back(tj);
    }
    j["terms"] = terms;
  }
  if (!w.triggers.empty()) {
    json tr = json::array();
    for (const auto& t : w.triggers) tr.push_back({{"on", t.first}, {"value", t.second}});
    j["triggers"] = tr;
  }
  return j;
}

json twin_body_json(const ContentEntry& e, const Guidance& g, const std::string& stage) {
  json b = json::array();
  for (const auto& l : attune::detail::body(e, g, stage)) {
    b.push_back({{"type", l.kind == attune::detail::Line::paragraph ? "paragraph" : l.kind == attune::detail::Line::bullet ? "bullet" : "step"}, {"text", l.text}});
  }
  return b;
}

json twin_entry_json(const std::string& id, const Guidance& g, const std::string& stage) {
  const ContentEntry* e = g.find(id);
  return {{"id", id}, {"title", attune::detail::display_title(*e, g)}, {"body", twin_body_json(*e, g, stage)}, {"source", twin_source_json(e->source, g)}};
}

// The renderer before plan_json.cpp, through nlohmann's document (the plain twin).
std::string previous_plan_json(const Plan& plan, const Guidance& g, int indent) {
  json j;
  j["format"] = "attune-plan/1";
  j["lang"] = plan.lang;
  j["instrument"] = plan.instrument_id;
  j["headline"] = plan.headline;
  j["lead"] = plan.care ? "more_help" : "focus";
  json prof{{"mode", plan.mode},
            {"care", plan.care},
            {"anxiety", plan.anxiety},
            {"avoidance", plan.avoidance},
            {"plane_basis", plan.plane_basis},
            {"confidence", twin_num(plan.confidence)},
            {"confidence_note", plan.confidence_note}};
  json dims = json::object();
  for (const auto& d : plan.dimensions) dims[d.first] = d.second;
  prof["rule_inputs"] = dims;
  prof["neighbours"] = plan.neighbours;
  j["profile"] = prof;
  json ctx = json::object();
  ctx["stage"] = plan.context.stage.empty() ? json(nullptr) : json(plan.context.stage);
  ctx["parent"] = plan.context.parent ? json(*plan.context.parent) : json(nullptr);
  ctx["partnered"] = plan.context.partnered ? json(*plan.context.partnered) : json(nullptr);
  ctx["start"] = plan.context.start ? json(plan.context.start->iso()) : json(nullptr);
  j["context"] = ctx;

  if (plan.more_help) {
    json items = json::array();
    for (const auto& id : plan.more_help->items) items.push_back(twin_entry_json(id, g, plan.context.stage));
    j["more_help"] = {{"why", twin_why_json(plan.more_help->why)}, {"items", items}};
  } else {
    j["more_help"] = nullptr;
  }

  json focus = json::array();
  for (std::size_t i = 0; i < plan.focus.size(); ++i) {
    const FocusStep& f = plan.focus[i];
    json fj = twin_entry_json(f.id, g, plan.context.stage);
    fj["rank"] = i + 1;
    fj["kind"] = f.kind;
    fj["title"] = f.title;
    fj["why"] = twin_why_json(f.why);
    fj["source"] = twin_source_json(f.source, g);
    focus.push_back(fj);
  }
  j["focus"] = focus;

  json scripts = json::array();
  for (const auto& s : plan.scripts) {
    json sj = twin_entry_json(s.id, g, plan.context.stage);
    sj["for_steps"] = s.for_steps;
    sj["why"] = twin_why_json(s.why);
    scripts.push_back(sj);
  }
  j["scripts"] = scripts;

  json sched{{"lean", plan.lean.empty() ? json(nullptr) : json(plan.lean)}};
  sched["lean_why"] = plan.lean.empty() ? json(nullptr) : twin_why_json(plan.lean_why);
  json days = json::array();
  for (const auto& d : plan.schedule) {
    const ContentEntry* w = g.find(d.week);
    json dj{{"day", d.day}, {"date", d.date ? json(d.date->iso()) : json(nullptr)}, {"week", d.week},
            {"title", w ? w->title : d.week}, {"practice", d.practice}};
    dj["today"] = d.today.empty() ? json(nullptr) : json{{"id", d.today_id}, {"title", d.today_title}, {"text", d.today}};
    if (!d.emphasis.empty()) {
      const ContentEntry* e = g.find(d.emphasis);
      dj["emphasis"] = {{"id", d.emphasis}, {"text", e ? *e->text_field("text") : std::string()}};
    } else {
      dj["emphasis"] = nullptr;
    }
    days.push_back(dj);
  }
  sched["days"] = days;
  j["schedule"] = sched;

  json sections = json::array();
  for (const auto& s : plan.sections) {
    json sj = twin_entry_json(s.id, g, plan.context.stage);
    sj["slot"] = s.slot;
    sj["why"] = twin_why_json(s.why);
    sections.push_back(sj);
  }
  j["sections"] = sections;
  j["disclaimer"] = plan.disclaimer;
  j["attune_version"] = attune::version();
  return j.dump(indent);
}

const Guidance& twin_pack() {
  static Guidance g = Guidance::from_directory(std::string(ATTUNE_TEST_SOURCE_DIR) + "/guidance/en");
  return g;
}

const ScoringPlan& twin_ecr_r() {
  static ScoringPlan p = ScoringPlan::compile(load_instrument("ecr-r"));
  return p;
}

std::vector<Context> twin_contexts() {
  std::vector<Context> out(1);
  for (const char* stage : {"single", "dating", "long_term", "parenting", "separating"}) {
    Context c;
    c.stage = stage;
    c.start = Date::parse("2026-01-05");
    out.push_back(c);
  }
  Context parent;
  parent.parent = true;
  parent.partnered = true;
  out.push_back(parent);
  Context alone;
  alone.partnered = false;
  alone.parent = false;
  out.push_back(alone);
  return out;
}

}  // namespace

TEST_CASE("plan JSON: the same bytes as the document renderer it replaced") {
  std::mt19937 rng(22);
  std::uniform_int_distribution<int> answer(0, 7);  // 0: left unanswered
  const std::vector<Context> contexts = twin_contexts();
  const std::size_t n = twin_ecr_r().item_count();
  for (int person = 0; person < 60; ++person) {
    std::vector<double> values(n);
    // Every fourth person answers one end of the scale mostly, so the care range and the quadrants
    // come up as well as the middle.
    const int lean = person % 4 == 0 ? 6 : person % 4 == 1 ? 2 : 0;
    for (auto& v : values) {
      const int a = lean && answer(rng) > 1 ? lean + answer(rng) % 2 : answer(rng);
      v = a == 0 ? std::nan("") : a;
    }
    const Result r = score(twin_ecr_r(), values.data());
    const Context& ctx = contexts[static_cast<std::size_t>(person) % contexts.size()];
    const Plan plan = recommend(twin_ecr_r(), r, ctx, twin_pack());
    CAPTURE(person);
    REQUIRE(to_json(plan, twin_pack(), -1) == previous_plan_json(plan, twin_pack(), -1));
    REQUIRE(to_json(plan, twin_pack(), 2) == previous_plan_json(plan, twin_pack(), 2));
  }
}

TEST_CASE("plan JSON: texts with control characters are escaped as before") {
  Plan plan = recommend(twin_ecr_r(), score(twin_ecr_r(), std::vector<double>(twin_ecr_r().item_count(), 4).data()), {},
                        twin_pack());
  plan.headline = std::string("tab\there, form\ffeed, back\bspace, bell\x07, quote \" and \\ ") + "\xC3\xA9";
  plan.confidence = 0.1 + 0.2;
  CHECK(to_json(plan, twin_pack(), -1) == previous_plan_json(plan, twin_pack(), -1));
}
