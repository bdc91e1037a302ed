// Two partners (issue 22, section 4): positions, the reliable-difference test (the retake's S_diff),
// the shared plan chosen for the pair with its reasons, the plain "never a compatibility score", and
// the dyad export's layout, with expected values worked by hand.
#include "support/helpers.hpp"

#include <attune/attune.hpp>
#include <attune/couple.hpp>

#include <catch2/catch.hpp>

#include <sstream>

using namespace attune;
using Catch::Matchers::Contains;

namespace {

const Guidance& couple_pack() {
  static Guidance g = Guidance::from_directory(std::string(ATTUNE_TEST_SOURCE_DIR) + "/guidance/en");
  return g;
}

// ECR-R result whose anxiety and avoidance means are exactly anx and avo (keyed answers).
SavedResult couple_saved(int anx, int avo, const std::string& name) {
  static ScoringPlan p = ScoringPlan::compile(load_instrument("ecr-r"));
  return read_saved_result(to_json(p, score(p, responses_from_json(p, attune_test::keyed_answers_json(p, anx, avo), name))), name);
}

}  // namespace

TEST_CASE("couple: positions, a reliable difference, and a plan chosen for the pair", "[couple]") {
  CompareOptions o;
  o.supplied["anxiety"] = {1.0, 0.9};
  o.supplied["avoidance"] = {1.0, 0.9};
  // A: anxiety 6, avoidance 4; B: anxiety 3, avoidance 4.5.
  const CoupleView v = couple_view(couple_saved(6, 4, "a"), couple_saved(3, 4, "b"), {"Sam", "Alex"}, o, couple_pack());
  CHECK(v.people[0].anxiety == 6.0);
  CHECK(v.people[1].anxiety == 3.0);
  // SEM = sqrt(0.1) = 0.316228 for both: the 95% interval of 6 is 6 -/+ 1.96 x 0.316228 = 5.380 .. 6.620.
  CHECK(v.people[0].anxiety_se == Approx(0.31622776601683794).epsilon(1e-12));
  const ScaleChange* anx = nullptr;
  const ScaleChange* avo = nullptr;
  for (const auto& s : v.differences.scales) (s.id == "anxiety" ? anx : avo) = &s;
  REQUIRE(anx);
  REQUIRE(avo);
  // 3 - 6 = -3; S_diff = sqrt(0.1 + 0.1) = 0.4472135954999579; RCI = -6.708203932499369: reliable.
  CHECK(anx->change.rci == Approx(-6.708203932499369).epsilon(1e-12));
  CHECK(anx->change.reliable);
  CHECK(avo->change.difference == 0.0);
  CHECK_FALSE(avo->change.reliable);
  // Sam leans anxious (plane anxiety > 0) and the pair differs reliably on anxiety: dependability
  // first, with both reasons; neither leans avoidant (avoidance 4 = the midpoint): boundaries last.
  REQUIRE(v.practices.size() == 6);
  CHECK(v.practices[0].id == "roadmap.step6");
  REQUIRE(v.practices[0].why.size() == 2);
  CHECK_THAT(v.practices[0].why[0], Contains("Sam leans towards worrying about closeness"));
  CHECK(v.practices[1].id == "roadmap.step4");
  CHECK(v.practices.back().id == "roadmap.step5");
  for (const auto& p : v.practices) CHECK_FALSE(p.why.empty());
  const std::string text = to_text(v, couple_pack());
  CHECK_THAT(text, Contains("never a compatibility score"));
  CHECK_THAT(text, Contains("Sam scores higher here"));
  CHECK_THAT(text, Contains("5.38 to 6.62"));
  CHECK(couple_pack().find_forbidden(text).empty());
  CHECK(couple_pack().find_forbidden(to_markdown(v, couple_pack())).empty());
}

TEST_CASE("couple: refuses a prototype questionnaire and different questionnaires", "[couple]") {
  static ScoringPlan rq = ScoringPlan::compile(load_instrument("rq"));
  const SavedResult r = read_saved_result(to_json(rq, score(rq, responses_from_json(rq, "{\"1\": 3, \"2\": 4, \"3\": 2, \"4\": 5}", "t"))), "rq.json");
  Error e = attune_test::error_of([&] { couple_view(r, r, {"", ""}, {}, couple_pack()); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK_THAT(std::string(e.what()), Contains("anxiety x avoidance plane"));
  e = attune_test::error_of([&] { couple_view(couple_saved(4, 4, "a"), r, {"", ""}, {}, couple_pack()); });
  CHECK(e.kind() == ErrorKind::usage);
}

TEST_CASE("dyad export: pairwise and long layouts, two members per couple", "[couple]") {
  const std::vector<DyadMember> m = {{"c1", "x", {1.5, 2.0}}, {"c2", "p", {7.0, kMissing}}, {"c1", "y", {3.0, 4.25}}, {"c2", "q", {6.0, 1.0}}};
  // Pairwise: each person's value as actor, the other member's as partner; couples in first-seen order.
  CHECK(dyad_export(m, {"anx", "avo"}, "pairwise") ==
        "couple,person,anx_actor,anx_partner,avo_actor,avo_partner\n"
        "c1,x,1.500000,3.000000,2.000000,4.250000\n"
        "c1,y,3.000000,1.500000,4.250000,2.000000\n"
        "c2,p,7.000000,6.000000,,1.000000\n"
        "c2,q,6.000000,7.000000,1.000000,\n");
  CHECK(dyad_export(m, {"anx", "avo"}, "long") ==
        "couple,person,anx,avo\nc1,x,1.500000,2.000000\nc1,y,3.000000,4.250000\nc2,p,7.000000,\nc2,q,6.000000,1.000000\n");
  const std::vector<DyadMember> lone = {{"c9", "x", {1.0}}};
  const Error e = attune_test::error_of([&] { dyad_export(lone, {"anx"}, "pairwise"); });
  CHECK(e.kind() == ErrorKind::data);
  CHECK(e.where().value == "c9");
}

TEST_CASE("couple: a partner in the care range brings support and the crisis line first", "[couple]") {
  // Without norms the care cut is plane >= 0.5, an average of 5.5 on 1..7 (CareThresholds::point_high):
  // anxiety 6 is (6 - 4) / 3 = 0.667 above the centre; 5 is 0.333, below it.
  const CoupleView calm = couple_view(couple_saved(5, 4, "a"), couple_saved(3, 4, "b"), {"", ""}, {}, couple_pack());
  CHECK_FALSE(calm.care);
  CHECK(to_text(calm, couple_pack()).find("crisis line") == std::string::npos);
  const CoupleView care = couple_view(couple_saved(4, 4, "a"), couple_saved(6, 4, "b"), {"", ""}, {}, couple_pack());
  CHECK(care.care);
  const std::string text = to_text(care, couple_pack());
  CHECK_THAT(text, Contains("crisis line"));
  CHECK(text.find("crisis line") < text.find("Where each of you sits"));
  CHECK_THAT(to_json(care, couple_pack()), Contains("\"crisis\""));
}

TEST_CASE("couple: when both partners lean the same way the reason says so in one voice", "[couple]") {
  // A: anxiety 5, avoidance 5; B: anxiety 6, avoidance 6: both above the midpoint 4 on both planes.
  // The reason named "Both of you leans towards ..." before; it reads "You both lean towards ...".
  const CoupleView v = couple_view(couple_saved(5, 5, "a"), couple_saved(6, 6, "b"), {"Sam", "Alex"}, {}, couple_pack());
  bool dependability = false, boundaries = false;
  for (const auto& p : v.practices) {
    if (p.id == "roadmap.step6") { CHECK_THAT(p.why[0], Contains("You both lean towards worrying about closeness")); dependability = true; }
    if (p.id == "roadmap.step5") { CHECK_THAT(p.why[0], Contains("You both lean towards needing room")); boundaries = true; }
    for (const auto& w : p.why) CHECK(w.find("Both of you leans") == std::string::npos);
  }
  CHECK(dependability);
  CHECK(boundaries);
}
