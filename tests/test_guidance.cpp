// The plan engine: what comes first for each prototype profile and for borderline ones (relevance
// values computed by hand from guidance/en/rules.json, shown in the comments), the care rules, no dead
// content, determinism, and the pack's validation.
#include <attune/attune.hpp>
#include <attune/guidance.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using namespace attune;

namespace {

const Guidance& pack() {
  static Guidance g = Guidance::from_directory(std::string(ATTUNE_TEST_SOURCE_DIR) + "/guidance/en");
  return g;
}

const ScoringPlan& ecr_r() {
  static ScoringPlan p = ScoringPlan::compile(load_instrument("ecr-r"));
  return p;
}

constexpr double kR2 = 0.70710678118654752440;

// A result as the quadrant method reports it for plane point (a, v) on ECR-R without norms:
// raw = 4 + 3 x coordinate, no z, dimensions by projection, category by quadrant (ties on an axis).
Result two_dim(double a, double v, double confidence = kMissing, double za = kMissing, double zv = kMissing) {
  Result r;
  r.instrument_id = "ecr-r";
  ScaleScore sa, sv;
  sa.id = "anxiety";
  sa.raw = 4 + 3 * a;
  sa.z = za;
  sv.id = "avoidance";
  sv.raw = 4 + 3 * v;
  sv.z = zv;
  r.scales = {sa, sv};
  Profile& p = r.profile;
  p.method = "quadrant";
  p.type = ProfileMethodType::quadrant;
  p.anxiety = a;
  p.avoidance = v;
  p.dimensions = {-(a + v) * kR2, (a - v) * kR2, (v - a) * kR2, (a + v) * kR2};
  if (a <= 0 && v <= 0) p.categories.push_back(Category::secure);
  if (a >= 0 && v <= 0) p.categories.push_back(Category::anxious);
  if (a <= 0 && v >= 0) p.categories.push_back(Category::avoidant);
  if (a >= 0 && v >= 0) p.categories.push_back(Category::fearful);
  p.confidence = confidence;
  p.confidence_basis = std::isnan(confidence) ? "not computed: test" : "test";
  return r;
}

Plan plan_for(const Result& r, Context c = {}) { return recommend(ecr_r(), r, c, pack()); }

std::vector<std::string> focus_ids(const Plan& p, const std::string& kind = "roadmap") {
  std::vector<std::string> out;
  for (const auto& f : p.focus) {
    if (f.kind == kind) out.push_back(f.id);
  }
  return out;
}

bool has_section(const Plan& p, const std::string& id) {
  return std::any_of(p.sections.begin(), p.sections.end(), [&](const PlanEntry& e) { return e.id == id; });
}

}  // namespace

TEST_CASE("secure prototype: growing together comes first, driven by the secure score") {
  // a = v = -0.5: secure = 0.7071, fearful = -0.7071, anxious = avoidant = 0.
  // step8 = 0.2 + 0.4 x 0.7071 = 0.4828; step1 = 0.5 - 0.15 - 0.15 = 0.2; every other step < 0.
  // Only step8 passes 0.3, so step1 fills the minimum of 2.
  // Self-help: routines = 0.1 - 0.15 - 0.05 + 0.2 x 0.7071 = 0.0414, the only one above 0.
  Plan p = plan_for(two_dim(-0.5, -0.5));
  CHECK(p.mode == "pattern");
  CHECK_FALSE(p.care);
  CHECK_FALSE(p.more_help);
  REQUIRE(focus_ids(p) == std::vector<std::string>{"roadmap.step8", "roadmap.step1"});
  CHECK(p.focus[0].why.relevance == Approx(0.2 + 0.4 * 0.5 * 2 * kR2));
  CHECK(p.focus[0].why.driver == "secure");
  CHECK(p.focus[0].why.rule == "relevance:roadmap.step8");
  CHECK(p.focus[0].source.section == "Step 8 — Invest in Mutual Growth");
  CHECK(p.focus[1].why.relevance == Approx(0.2));
  CHECK(p.focus[1].why.driver.empty());  // no positive term of 0.1: the neutral reason
  CHECK(focus_ids(p, "selfhelp") == std::vector<std::string>{"selfhelp.routines"});
  CHECK(p.headline == "Your answers are closest to a secure pattern.");
  CHECK(has_section(p, "patterns.secure"));
  CHECK_FALSE(has_section(p, "patterns.anxious"));
  CHECK(p.lean.empty());
}

TEST_CASE("anxious prototype: self-awareness, then boundaries, then calming") {
  // a = 0.4, v = -0.5: anxious = 0.6364, fearful = -0.0707, secure = 0.0707.
  // step1 = 0.5 + 0.12 - 0.15 = 0.47 (driver anxiety_z, +0.12)
  // step5 = 0.1 + 0.16 + 0.2 x 0.6364 - 0.05 = 0.3373
  // step2 = 0.15 + 0.2 - 0.2 x 0.0707 = 0.3359
  Plan p = plan_for(two_dim(0.4, -0.5));
  CHECK(p.mode == "pattern");
  REQUIRE(focus_ids(p) == std::vector<std::string>{"roadmap.step1", "roadmap.step5", "roadmap.step2"});
  CHECK(p.focus[0].why.driver == "anxiety_z");
  CHECK(p.focus[0].why.text.find("worry") != std::string::npos);
  CHECK(p.focus[1].why.relevance == Approx(0.1 + 0.16 + 0.2 * 0.9 * kR2 - 0.05));
  CHECK(p.headline == "Your answers are closest to an anxious pattern.");
  CHECK(p.lean.empty());  // 0.4 < 0.5
}

TEST_CASE("avoidant prototype: self-awareness, then emotional availability, then dependability") {
  // a = -0.5, v = 0.4: step1 = 0.47 (driver avoidance_z), step7 = 0.1 + 0.2 + 0.2 x 0.6364 = 0.4273,
  // step6 = 0.15 + 0.16 = 0.31.
  Plan p = plan_for(two_dim(-0.5, 0.4));
  REQUIRE(focus_ids(p) == std::vector<std::string>{"roadmap.step1", "roadmap.step7", "roadmap.step6"});
  CHECK(p.focus[0].why.driver == "avoidance_z");
  CHECK(p.focus[1].why.relevance == Approx(0.1 + 0.2 + 0.2 * 0.9 * kR2));
  CHECK(has_section(p, "patterns.avoidant"));
  // Scripts of the chosen steps, first-seen order: step1 -> pause_and_name, step7/6 -> nightly_appreciation.
  REQUIRE(p.scripts.size() >= 2);
  CHECK(p.scripts[0].id == "scripts.pause_and_name");
  CHECK(p.scripts[1].id == "scripts.nightly_appreciation");
}

TEST_CASE("fearful prototype below the care point: self-awareness, then calming") {
  // a = v = 0.3 (4.9 on 1..7, under the clearly-fearful point 5.0): fearful = 0.4243.
  // step1 = 0.5 + 0.09 + 0.09 = 0.68; step2 = 0.15 + 0.15 + 0.2 x 0.4243 = 0.3849.
  Plan p = plan_for(two_dim(0.3, 0.3));
  CHECK(p.mode == "pattern");
  CHECK_FALSE(p.care);
  auto ids = focus_ids(p);
  REQUIRE(ids.size() == 3);
  CHECK(ids[0] == "roadmap.step1");
  CHECK(ids[1] == "roadmap.step2");
  CHECK(p.focus[1].why.relevance == Approx(0.3 + 0.2 * 0.6 * kR2));
  CHECK(p.headline == "Your answers are closest to a fearful-avoidant pattern.");
}

TEST_CASE("care: very high anxiety or avoidance leads with more help and no label") {
  for (auto [a, v, on] : {std::tuple<double, double, const char*>{0.6, -0.5, "anxiety"}, {-0.5, 0.55, "avoidance"}, {0.5, 0.5, "anxiety"}}) {
    INFO(a << "," << v);
    Plan p = plan_for(two_dim(a, v));
    REQUIRE(p.care);
    REQUIRE(p.more_help);
    CHECK(p.more_help->items.front() == "care.heading");
    CHECK(p.more_help->why.rule == "care");
    REQUIRE_FALSE(p.more_help->why.triggers.empty());
    CHECK(p.more_help->why.triggers[0].first == on);
    CHECK(p.headline == "Your results, and some support that may help");
    for (const char* label : {"secure", "anxious", "avoidant", "fearful"}) CHECK(p.headline.find(label) == std::string::npos);
    // repair.outside_help is in the care block, so it is not repeated in the sections.
    CHECK_FALSE(has_section(p, "repair.outside_help"));
    nlohmann::json j = nlohmann::json::parse(to_json(p, pack()));
    CHECK(j["lead"] == "more_help");
    CHECK(j["more_help"]["items"][0]["id"] == "care.heading");
    std::string text = to_text(p, pack());
    CHECK(text.find("You deserve support with this") < text.find("Where to start"));
  }
  // Just under the point (5.45 on 1..7): no care.
  CHECK_FALSE(plan_for(two_dim(0.483, -0.5)).care);
}

TEST_CASE("care: a clearly fearful-avoidant profile, but not one near a boundary") {
  Plan p = plan_for(two_dim(0.4, 0.4));  // 5.2 on both: >= 5.0, below 5.5
  REQUIRE(p.care);
  CHECK(p.more_help->why.triggers.at(0).first == "fearful");
  // Fearful quadrant but a = 0.1 is within 0.25 of the boundary: between patterns, no care.
  Plan q = plan_for(two_dim(0.1, 0.45));
  CHECK_FALSE(q.care);
  CHECK(q.mode == "mix");
}

TEST_CASE("care: with norms the 95th percentile decides, not the scale point") {
  // Plane coordinate 0.3 but z = 1.7 (> 1.6449): care. Coordinate 0.6 but z = 1.6: no care.
  CHECK(plan_for(two_dim(0.3, -0.5, 0.9, 1.7, -0.5)).care);
  CHECK_FALSE(plan_for(two_dim(0.6, -0.5, 0.9, 1.6, -0.5)).care);
  // Clearly fearful with norms needs both z >= 1.0.
  CHECK(plan_for(two_dim(0.3, 0.3, 0.9, 1.0, 1.0)).care);
  CHECK_FALSE(plan_for(two_dim(0.3, 0.3, 0.9, 1.0, 0.9)).care);
}

TEST_CASE("borderline: a mix of tendencies, steps from both neighbouring patterns") {
  // a = 0.1, v = -0.8: anxious quadrant, 0.1 from the secure side. Neighbours: secure and anxious.
  // Leading step at the secure prototype (-1,-1): step8 = 0.2 + 0.4 x 1.414 = 0.766.
  // Leading step at the anxious prototype (1,-1): step5 = 0.1 + 0.4 + 0.2 x 1.414 - 0.1 = 0.683
  // (step2 = 0.65, step1 = 0.5).
  Plan p = plan_for(two_dim(0.1, -0.8));
  CHECK(p.mode == "mix");
  CHECK(p.neighbours == std::vector<std::string>{"secure", "anxious"});
  auto ids = focus_ids(p);
  CHECK(std::find(ids.begin(), ids.end(), "roadmap.step8") != ids.end());
  CHECK(std::find(ids.begin(), ids.end(), "roadmap.step5") != ids.end());
  CHECK(p.headline.find("mix of tendencies") != std::string::npos);
  CHECK(p.headline.find("closest to") == std::string::npos);
  CHECK(has_section(p, "disclaimer.low_confidence"));
  CHECK(has_section(p, "patterns.secure"));
  CHECK(has_section(p, "patterns.anxious"));
  // At least one step is there because of the neighbour, and says so.
  bool neighbour_why = false;
  for (const auto& f : p.focus) neighbour_why = neighbour_why || f.why.rule.rfind("mix:neighbour:", 0) == 0;
  CHECK(neighbour_why);
}

TEST_CASE("borderline: known confidence decides over geometry") {
  CHECK(plan_for(two_dim(0.8, -0.8, 0.5)).mode == "mix");      // far from the axes, but unsure
  CHECK(plan_for(two_dim(0.1, -0.8, 0.9)).mode == "pattern");  // near an axis, but sure
  CHECK(plan_for(two_dim(0.0, -0.8)).mode == "mix");           // on the axis: a tie
}

TEST_CASE("prototype instruments: plane derived from the four ratings, ties are a mix") {
  ScoringPlan rq = ScoringPlan::compile(load_instrument("rq"));
  auto run = [&](int s, int f, int p, int d) {
    Responses r(rq);
    r.set("secure", s);
    r.set("fearful", f);
    r.set("preoccupied", p);
    r.set("dismissing", d);
    return recommend(rq, score(rq, r), {}, pack());
  };
  // secure 6, others 2: ratings (6-4)/3 = 0.667 and -0.667; anxiety = (F - S + P - D)/(2 sqrt2)
  // = (-0.667 - 0.667 - 0.667 + 0.667)/2.828 = -0.4714, avoidance the same.
  Plan sec = run(6, 2, 2, 2);
  CHECK(sec.mode == "pattern");
  CHECK(sec.anxiety == Approx(-4.0 / 3.0 / (2 * std::sqrt(2.0))));
  CHECK(sec.avoidance == Approx(-4.0 / 3.0 / (2 * std::sqrt(2.0))));
  CHECK(focus_ids(sec).front() == "roadmap.step8");  // 0.2 + 0.4 x 0.667 = 0.467 vs step1 0.217
  // fearful 7, others 1: the fearful rating is 1.0 >= 0.5 and the clear top: care.
  Plan fea = run(1, 7, 1, 1);
  CHECK(fea.care);
  // a tie between secure and dismissing: between patterns, both named.
  Plan tie = run(6, 2, 2, 6);
  CHECK(tie.mode == "mix");
  CHECK(tie.neighbours == std::vector<std::string>{"secure", "avoidant"});
}

TEST_CASE("context: stage and parent add bonuses and bring their content") {
  // Secure point, stage long_term: step8 = 0.4828 + 0.2 = 0.6828 and its reason is still 'secure'
  // (0.283 > 0.2); step6 = -0.05 + 0.15 = 0.10; step7 = -0.15 + 0.2 = 0.05.
  Context c;
  c.stage = "long_term";
  c.parent = true;
  Plan p = plan_for(two_dim(-0.5, -0.5), c);
  CHECK(p.focus[0].id == "roadmap.step8");
  CHECK(p.focus[0].why.relevance == Approx(0.2 + 0.4 * kR2 + 0.2));
  CHECK(has_section(p, "stages.long_term"));
  CHECK(has_section(p, "stages.parenting_together"));
  CHECK(has_section(p, "stages.parenting_habits"));
  CHECK_FALSE(has_section(p, "stages.separation"));
  Context single;
  single.partnered = false;
  Plan s = plan_for(two_dim(-0.5, -0.5), single);
  CHECK(s.context.stage == "single");
  CHECK(has_section(s, "stages.dating"));
  Context bad;
  bad.stage = "married";
  CHECK_THROWS_AS(plan_for(two_dim(0, 0), bad), UsageError);
  Context contradiction;
  contradiction.stage = "single";
  contradiction.partnered = true;
  CHECK_THROWS_AS(plan_for(two_dim(0, 0), contradiction), UsageError);
}

TEST_CASE("schedule: 30 days with real dates, and the lean adds its emphasis") {
  Context c;
  c.start = Date::parse("2024-02-27");  // crosses the leap day
  Plan p = plan_for(two_dim(0.45, 0.2, 0.9), c);  // lean needs anxiety >= 0.5: none here
  REQUIRE(p.schedule.size() == 30);
  CHECK(p.schedule[0].date->iso() == "2024-02-27");
  CHECK(p.schedule[2].date->iso() == "2024-02-29");
  CHECK(p.schedule[3].date->iso() == "2024-03-01");
  CHECK(p.schedule[29].date->iso() == "2024-03-27");
  CHECK(p.schedule[6].week == "plan30.week1");
  CHECK(p.schedule[7].week == "plan30.week2");
  CHECK(p.schedule[29].week == "plan30.week4");
  CHECK(p.schedule[0].emphasis.empty());
  Plan both = plan_for(two_dim(0.5, 0.5), c);
  CHECK(both.lean == "both_lean");
  CHECK(both.schedule[0].emphasis == "plan30.week1.both_lean");
  CHECK(both.schedule[29].emphasis == "plan30.week4.both_lean");
  CHECK(plan_for(two_dim(-0.5, 0.6), c).lean == "avoidant_lean");
}

TEST_CASE("a profile that could not be computed still gets a general plan") {
  Result r = two_dim(0, 0);
  r.profile.categories.clear();
  r.profile.dimensions = {kMissing, kMissing, kMissing, kMissing};
  r.profile.anxiety = r.profile.avoidance = kMissing;
  Plan p = plan_for(r);
  CHECK(p.mode == "unavailable");
  CHECK_FALSE(p.care);
  CHECK(p.focus.size() >= 3);
  CHECK_FALSE(p.disclaimer.empty());
}

TEST_CASE("determinism: the same input gives the same plan, byte for byte") {
  Context c;
  c.stage = "dating";
  c.start = Date::parse("2025-01-01");
  for (auto pt : {std::pair<double, double>{0.1, -0.8}, {0.6, 0.6}, {-0.5, -0.5}, {0.0, 0.0}}) {
    std::string first = to_json(plan_for(two_dim(pt.first, pt.second), c), pack());
    for (int k = 0; k < 3; ++k) CHECK(to_json(plan_for(two_dim(pt.first, pt.second), c), pack()) == first);
    // A freshly loaded pack gives the same plan too (no dependence on load order or addresses).
    Guidance again = Guidance::from_directory(std::string(ATTUNE_TEST_SOURCE_DIR) + "/guidance/en");
    CHECK(to_json(recommend(ecr_r(), two_dim(pt.first, pt.second), c, again), again) == first);
  }
}

TEST_CASE("every plan carries the not-a-diagnosis note, in every rendering") {
  Context c;
  c.start = Date::parse("2025-01-01");
  for (auto pt : {std::pair<double, double>{0.1, -0.8}, {0.6, 0.6}, {-0.5, -0.5}}) {
    Plan p = plan_for(two_dim(pt.first, pt.second), c);
    CHECK(p.disclaimer.find("not a diagnosis") != std::string::npos);
    CHECK(to_text(p, pack()).find("not a diagnosis") != std::string::npos);
    CHECK(to_markdown(p, pack()).find("not a diagnosis") != std::string::npos);
    CHECK(nlohmann::json::parse(to_json(p, pack()))["disclaimer"].get<std::string>().find("not a diagnosis") != std::string::npos);
    CHECK(to_ics(p, pack()).find("not a diagnosis") != std::string::npos);
  }
}

TEST_CASE("no dead content: the grid of docs/guidance.md reaches every entry") {
  std::set<std::string> reached;
  std::set<std::string> reached_no_context;
  auto collect = [&](const Plan& p, std::set<std::string>& into) {
    for (const auto& f : p.focus) into.insert(f.id);
    for (const auto& s : p.scripts) into.insert(s.id);
    for (const auto& s : p.sections) into.insert(s.id);
    for (const auto& d : p.schedule) {
      into.insert(d.week);
      if (!d.emphasis.empty()) into.insert(d.emphasis);
    }
    if (p.more_help) {
      into.insert(p.more_help->items.begin(), p.more_help->items.end());
      into.insert("care.reason");  // the care block's why text
    }
  };
  const std::vector<std::string> stages{"", "single", "dating", "long_term", "parenting", "separating"};
  for (int ia = -12; ia <= 12; ++ia) {
    for (int iv = -12; iv <= 12; ++iv) {
      for (double conf : {0.4, 0.9}) {
        Result r = two_dim(ia * 0.25, iv * 0.25, conf);
        for (const auto& st : stages) {
          for (int par = 0; par < 3; ++par) {
            if (st == "parenting" && par == 1) continue;  // a parenting stage without a child is refused
            Context c;
            c.stage = st;
            if (par) c.parent = par == 2;
            Plan p = plan_for(r, c);
            collect(p, reached);
            if (st.empty() && !par) collect(p, reached_no_context);
          }
        }
      }
    }
  }
  std::vector<std::string> dead;
  for (const auto& e : pack().entries()) {
    if (!reached.count(e.id)) dead.push_back(e.id);
  }
  INFO("never shown: " << [&] { std::string s; for (auto& d : dead) s += d + " "; return s; }());
  CHECK(dead.empty());
  // Each roadmap step and strategy wins somewhere without any context.
  for (const auto& e : pack().entries()) {
    if (e.kind == "step" || e.kind == "strategy") {
      INFO(e.id);
      CHECK(reached_no_context.count(e.id) == 1);
    }
  }
}

TEST_CASE("plan JSON has the documented shape") {
  Context c;
  c.start = Date::parse("2025-05-01");
  c.stage = "separating";
  nlohmann::json j = nlohmann::json::parse(to_json(plan_for(two_dim(0.4, -0.5), c), pack()));
  REQUIRE(j["focus"].is_array());
  for (const auto& f : j["focus"]) {
    CHECK(f["id"].is_string());
    CHECK(f["title"].is_string());
    CHECK(f["why"]["rule"].is_string());
    CHECK(f["why"]["text"].is_string());
    CHECK(f["why"]["terms"].is_array());
    CHECK(f["source"]["article"].is_string());
    CHECK(f["source"]["section"].is_string());
  }
  CHECK(j["scripts"].is_array());
  CHECK(j["schedule"]["days"].size() == 30);
  CHECK(j["schedule"]["days"][0]["date"] == "2025-05-01");
  CHECK(j["schedule"]["days"][29]["date"] == "2025-05-30");
  CHECK(j["more_help"].is_null());
  CHECK(j["disclaimer"].is_string());
  CHECK(j["context"]["stage"] == "separating");
  // Separation brings repair content, with the stage as the trigger.
  bool repair = false;
  for (const auto& s : j["sections"]) {
    if (s["id"] == "repair.intro") {
      repair = true;
      CHECK(s["why"]["triggers"][0]["on"] == "stage");
    }
  }
  CHECK(repair);
}

TEST_CASE("a saved result read back gives the same plan as the live one") {
  Responses r(ecr_r());
  for (int pos = 1; pos <= 36; ++pos) r.set_position(pos, pos <= 18 ? 6 : 2);
  Result live = score(ecr_r(), r);
  Result back = result_from_json(to_json(ecr_r(), live), "saved.json");
  Context c;
  c.start = Date::parse("2025-01-01");
  CHECK(to_json(recommend(ecr_r(), back, c, pack()), pack()) == to_json(recommend(ecr_r(), live, c, pack()), pack()));
}

TEST_CASE("dates: parse strictly, add days across months and years") {
  CHECK(Date::parse("2023-12-31").plus_days(1).iso() == "2024-01-01");
  CHECK(Date::parse("2024-03-01").plus_days(-1).iso() == "2024-02-29");
  CHECK(Date::parse("2023-03-01").plus_days(-1).iso() == "2023-02-28");
  CHECK(Date::parse("2000-02-28").plus_days(1).iso() == "2000-02-29");  // 2000 is a leap year
  CHECK(Date::parse("2100-02-28").plus_days(1).iso() == "2100-03-01");  // 2100 is not
  CHECK(Date::parse("2025-01-01").plus_days(365).iso() == "2026-01-01");
  for (const char* bad : {"2023-02-29", "2025-13-01", "2025-1-01", "20250101", "2025-01-32", "abcd-ef-gh", ""}) {
    INFO(bad);
    CHECK_THROWS_AS(Date::parse(bad), UsageError);
  }
}

// ---------------------------------------------------------------------------------------------
// Validation of a pack: copy guidance/en to a temporary folder, break one thing, expect the error
// to name the file and the JSON path.

namespace {

struct TempPack {
  fs::path dir;
  TempPack() {
    dir = fs::temp_directory_path() / ("attune-guidance-test-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)) + "/en");
    fs::remove_all(dir.parent_path());
    fs::create_directories(dir);
    for (const auto& e : fs::directory_iterator(std::string(ATTUNE_TEST_SOURCE_DIR) + "/guidance/en")) fs::copy(e.path(), dir / e.path().filename());
  }
  ~TempPack() {
    std::error_code ec;
    fs::remove_all(dir.parent_path(), ec);
  }
  nlohmann::ordered_json read(const std::string& f) {
    std::ifstream in(dir / f);
    return nlohmann::ordered_json::parse(in);
  }
  void write(const std::string& f, const nlohmann::ordered_json& j) {
    std::ofstream out(dir / f);
    out << j.dump(2);
  }
  std::string error() {
    try {
      Guidance::from_directory(dir.string());
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  }
};

}  // namespace

TEST_CASE("pack validation names the file and the JSON path") {
  {
    TempPack t;
    auto j = t.read("rules.json");
    j["relevance"][0]["target"] = "roadmap.step99";
    t.write("rules.json", j);
    std::string e = t.error();
    CHECK(e.find("rules.json") != std::string::npos);
    CHECK(e.find("/relevance/0/target") != std::string::npos);
  }
  {
    TempPack t;
    auto j = t.read("roadmap.json");
    j["entries"][1]["source"]["section"] = "Step 9 — Not a heading";
    t.write("roadmap.json", j);
    std::string e = t.error();
    CHECK(e.find("roadmap.json") != std::string::npos);
    CHECK(e.find("/entries/1/source/section") != std::string::npos);
  }
  {
    TempPack t;  // a shaming word slipped into a text
    auto j = t.read("selfhelp.json");
    j["entries"][1]["summary"] = "Nobody likes a needy partner.";
    t.write("selfhelp.json", j);
    std::string e = t.error();
    CHECK(e.find("selfhelp.json") != std::string::npos);
    CHECK(e.find("/entries/1/summary") != std::string::npos);
    CHECK(e.find("needy") != std::string::npos);
  }
  {
    TempPack t;  // a weighted dimension without its own reason
    auto j = t.read("rules.json");
    j["relevance"][0]["reason_by_driver"].erase("anxiety_z");
    t.write("rules.json", j);
    CHECK(t.error().find("/relevance/0/reason_by_driver") != std::string::npos);
  }
  {
    TempPack t;  // duplicate id
    auto j = t.read("scripts.json");
    j["entries"][1]["id"] = "scripts.pause_and_name";
    t.write("scripts.json", j);
    CHECK(t.error().find("duplicate id") != std::string::npos);
  }
  {
    TempPack t;  // an unknown field (a misspelt key must not be ignored)
    auto j = t.read("rules.json");
    j["include"][0]["wehn"] = j["include"][0]["when"];
    t.write("rules.json", j);
    CHECK(t.error().find("/include/0/wehn") != std::string::npos);
  }
}

TEST_CASE("the word check matches whole words and honours the allowed phrase") {
  CHECK(pack().find_forbidden("This is not a diagnosis.") == "");
  CHECK(pack().find_forbidden("A diagnosis would be wrong here.") == "diagnosis");
  CHECK(pack().find_forbidden("You are so NEEDY") == "needy");
  CHECK(pack().find_forbidden("Illustrations and skills, the coldest still") == "");  // not whole words
}

TEST_CASE("no item in any plan is titled with its id, and no id shows in the text for a person") {
  // Every object in the plan JSON that has an id and a title (care items, focus steps, scripts,
  // sections, schedule days) must carry a real title, over a grid that reaches every mode, the care
  // block and every context. The renderer falls back to the id when an entry has no title, so an
  // untitled entry that a plan shows is caught here.
  std::vector<Result> results;
  for (int ia = -2; ia <= 2; ++ia) {
    for (int iv = -2; iv <= 2; ++iv) {
      results.push_back(two_dim(ia, iv));
      results.push_back(two_dim(ia * 0.5, iv * 0.5, 0.4));
    }
  }
  std::set<std::string> ids;
  for (const auto& e : pack().entries()) ids.insert(e.id);
  // Words shaped like an id (lowercase, digits, _ and at least one dot) that are ids of the pack.
  auto ids_in = [&ids](const std::string& text) {
    std::vector<std::string> found;
    auto word = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'; };
    for (std::size_t i = 0; i < text.size();) {
      if (!word(text[i])) { ++i; continue; }
      std::size_t j = i;
      while (j < text.size() && word(text[j])) ++j;
      std::string w = text.substr(i, j - i);
      while (!w.empty() && w.back() == '.') w.pop_back();  // a sentence's full stop
      if (w.find('.') != std::string::npos && ids.count(w)) found.push_back(w);
      i = j;
    }
    return found;
  };
  Result none;  // too few answers: no profile
  none.instrument_id = "ecr-r";
  none.profile.method = "quadrant";
  results.push_back(none);
  const std::vector<std::string> stages{"", "single", "dating", "long_term", "parenting", "separating"};
  int checked = 0, care_plans = 0;
  std::set<std::string> modes, bad, shown;  // bad: items titled with their id or untitled; shown: ids in text
  for (const auto& r : results) {
    for (const auto& st : stages) {
      for (int par = 0; par < 2; ++par) {
        // No context at all, and each stage as a parent (the context entries that exist).
        if (par == (st.empty() ? 1 : 0)) continue;
        Context c;
        c.stage = st;
        if (par) c.parent = true;
        c.start = Date::parse("2025-03-01");
        const Plan p = plan_for(r, c);
        care_plans += p.care;
        modes.insert(p.mode);
        std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& j) {
          if (j.is_object()) {
            if (j.contains("id") && j.contains("title")) {
              const auto& title = j["title"];
              if (!title.is_string() || title.get<std::string>().empty() || title == j["id"]) bad.insert(j["id"].dump());
              ++checked;
            }
            for (const auto& v : j) walk(v);
          } else if (j.is_array()) {
            for (const auto& v : j) walk(v);
          }
        };
        walk(nlohmann::json::parse(to_json(p, pack())));
        for (const auto& id : ids_in(to_text(p, pack()))) shown.insert(id);
        for (const auto& id : ids_in(to_markdown(p, pack()))) shown.insert(id);
      }
    }
  }
  auto list = [](const std::set<std::string>& v) { std::string out; for (const auto& x : v) out += x + " "; return out; };
  INFO("titled with their id or untitled: " << list(bad));
  CHECK(bad.empty());
  INFO("ids shown to a person: " << list(shown));
  CHECK(shown.empty());
  CHECK(care_plans > 0);
  CHECK(modes == std::set<std::string>{"pattern", "mix", "unavailable"});
  CHECK(checked > 1000);
}
