// Every built-in instrument scored by hand for full response patterns. The arithmetic is in the
// comments; the keys come from the issue's list of published keys (see each instrument's citation).
#include "support/helpers.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace attune_test;
using Catch::Matchers::WithinAbs;

TEST_CASE("ECR-R: all answers 1 and all answers 7") {
  auto plan = plan_for("ecr-r");
  // anxiety = items 1-18, reversed 9 and 11: 16 x 1 + 2 x (8 - 1) = 30; 30 / 18 = 1.6667
  // avoidance = items 19-36, reversed 20 22 26 27 28 29 30 31 33 34 35 36 (12): 12 x 7 + 6 x 1 = 90; 90 / 18 = 5
  auto r1 = attune::score(plan, all_answers(plan, 1));
  CHECK_THAT(raw(r1, "anxiety"), WithinAbs(30.0 / 18, 1e-12));
  CHECK_THAT(raw(r1, "avoidance"), WithinAbs(5.0, 1e-12));
  // all 7: anxiety 16 x 7 + 2 x 1 = 114 / 18 = 6.3333; avoidance 12 x 1 + 6 x 7 = 54 / 18 = 3
  auto r7 = attune::score(plan, all_answers(plan, 7));
  CHECK_THAT(raw(r7, "anxiety"), WithinAbs(114.0 / 18, 1e-12));
  CHECK_THAT(raw(r7, "avoidance"), WithinAbs(3.0, 1e-12));
}

TEST_CASE("ECR-R: answer equals position mod 7 + 1, by position") {
  auto plan = plan_for("ecr-r");
  attune::Responses r(plan);
  for (int p = 1; p <= 36; ++p) r.set_position(p, p % 7 + 1);
  // anxiety items 1..18 give 2,3,4,5,6,7,1,2,[9]->3,4,[11]->5,6,7,1,2,3,4,5
  //   reversed 9 (3 -> 5) and 11 (5 -> 3): sum = (2+3+4+5+6+7+1+2+5+4+3+6+7+1+2+3+4+5) = 70; 70/18
  // avoidance items 19..36 give 6,7,1,2,3,4,5,6,7,1,2,3,4,5,6,7,1,2 (positions 19..36)
  //   keyed: 19:6, 20R:8-7=1, 21:1, 22R:8-2=6, 23:3, 24:4, 25:5, 26R:8-6=2, 27R:8-7=1, 28R:8-1=7,
  //          29R:8-2=6, 30R:8-3=5, 31R:8-4=4, 32:5, 33R:8-6=2, 34R:8-7=1, 35R:8-1=7, 36R:8-2=6
  //   sum = 6+1+1+6+3+4+5+2+1+7+6+5+4+5+2+1+7+6 = 72; 72/18 = 4
  auto res = attune::score(plan, r);
  CHECK_THAT(raw(res, "anxiety"), WithinAbs(70.0 / 18, 1e-12));
  CHECK_THAT(raw(res, "avoidance"), WithinAbs(4.0, 1e-12));
}

TEST_CASE("ECR: avoidance = odd items, anxiety = even items") {
  auto plan = plan_for("ecr");
  // all 1: avoidance odd 1..35, reversed 3 15 19 25 27 29 31 33 35 (9): 9 x 7 + 9 x 1 = 72 / 18 = 4
  //        anxiety even 2..36, reversed 22: 17 x 1 + 7 = 24 / 18 = 1.3333
  auto res = attune::score(plan, all_answers(plan, 1));
  CHECK_THAT(raw(res, "avoidance"), WithinAbs(4.0, 1e-12));
  CHECK_THAT(raw(res, "anxiety"), WithinAbs(24.0 / 18, 1e-12));
}

TEST_CASE("ECR-S: 12 items with reversed 1, 5, 8, 9") {
  auto plan = plan_for("ecr-s");
  // all 1: anxiety 2 4 6 8R 10 12: 5 x 1 + 7 = 12 / 6 = 2; avoidance 1R 3 5R 7 9R 11: 3 x 7 + 3 = 24 / 6 = 4
  auto res = attune::score(plan, all_answers(plan, 1));
  CHECK_THAT(raw(res, "anxiety"), WithinAbs(2.0, 1e-12));
  CHECK_THAT(raw(res, "avoidance"), WithinAbs(4.0, 1e-12));
  // all 4 (the midpoint) is its own reverse: both scales are 4
  auto mid = attune::score(plan, all_answers(plan, 4));
  CHECK_THAT(raw(mid, "anxiety"), WithinAbs(4.0, 1e-12));
  CHECK_THAT(raw(mid, "avoidance"), WithinAbs(4.0, 1e-12));
}

TEST_CASE("ECR-RS: four domains and global means, a skipped domain") {
  auto plan = plan_for("ecr-rs");
  // all 1: per domain avoidance = items 1-6 with 1-4 reversed: 4 x 7 + 2 x 1 = 30 / 6 = 5; anxiety = 7-9: 1
  auto res = attune::score(plan, all_answers(plan, 1));
  for (const char* d : {"mother", "father", "partner", "friend"}) {
    CHECK_THAT(raw(res, std::string(d) + "_avoidance"), WithinAbs(5.0, 1e-12));
    CHECK_THAT(raw(res, std::string(d) + "_anxiety"), WithinAbs(1.0, 1e-12));
  }
  CHECK_THAT(raw(res, "avoidance"), WithinAbs(5.0, 1e-12));
  CHECK_THAT(raw(res, "anxiety"), WithinAbs(1.0, 1e-12));

  // father skipped (positions 10-18 missing); partner answered 7 everywhere:
  //   partner avoidance 4 x 1 + 2 x 7 = 18 / 6 = 3, partner anxiety 7
  //   global avoidance = mean(5, 3, 5) = 13/3; global anxiety = mean(1, 7, 1) = 3
  attune::Responses r = all_answers(plan, 1);
  for (int p = 10; p <= 18; ++p) r.set_missing(plan.instrument().item_at_position(p)->id);
  for (int p = 19; p <= 27; ++p) r.set_position(p, 7);
  auto skip = attune::score(plan, r);
  CHECK(std::isnan(raw(skip, "father_avoidance")));
  CHECK_THAT(raw(skip, "partner_avoidance"), WithinAbs(3.0, 1e-12));
  CHECK_THAT(raw(skip, "avoidance"), WithinAbs(13.0 / 3, 1e-12));
  CHECK_THAT(raw(skip, "anxiety"), WithinAbs(3.0, 1e-12));
}

TEST_CASE("RQ: model of self and other from the four ratings") {
  auto plan = plan_for("rq");
  attune::Responses r(plan);
  r.set("secure", 6);
  r.set("fearful", 2);
  r.set("preoccupied", 3);
  r.set("dismissing", 5);
  auto res = attune::score(plan, r);
  // model of self = (S + D) - (P + F) = (6 + 5) - (3 + 2) = 6; model of other = (S + P) - (D + F) = (6 + 3) - (5 + 2) = 2
  CHECK_THAT(raw(res, "model_of_self"), WithinAbs(6.0, 1e-12));
  CHECK_THAT(raw(res, "model_of_other"), WithinAbs(2.0, 1e-12));
  REQUIRE(res.profile.categories.size() == 1);
  CHECK(res.profile.categories[0] == attune::Category::secure);
}

TEST_CASE("RSQ: item 6 on two scales with opposite keys") {
  auto plan = plan_for("rsq");
  // all 1 on 1..5 (reverse = 6 - x):
  //   secure 3, 9R, 10, 15, 28R: 3 x 1 + 2 x 5 = 13 / 5 = 2.6
  //   fearful 1, 5, 12, 24: 1; preoccupied 6R, 8, 16, 25: 5 + 3 = 8 / 4 = 2; dismissing 2, 6, 19, 22, 26: 1
  auto res = attune::score(plan, all_answers(plan, 1));
  CHECK_THAT(raw(res, "secure"), WithinAbs(2.6, 1e-12));
  CHECK_THAT(raw(res, "fearful"), WithinAbs(1.0, 1e-12));
  CHECK_THAT(raw(res, "preoccupied"), WithinAbs(2.0, 1e-12));
  CHECK_THAT(raw(res, "dismissing"), WithinAbs(1.0, 1e-12));
  REQUIRE(res.profile.categories.size() == 1);
  CHECK(res.profile.categories[0] == attune::Category::secure);
}

TEST_CASE("RAAS: close, depend, anxiety and avoidance as the reverse of close-depend") {
  auto plan = plan_for("raas");
  // all 1 on 1..5: close 1 6 8R 12 13R 17R: 3 x 1 + 3 x 5 = 18 / 6 = 3
  //   depend 2R 5 7R 14 16R 18R: 4 x 5 + 2 x 1 = 22 / 6; anxiety 3 4 9 10 11 15: 1
  //   avoidance = mean(6 - 3, 6 - 22/6) = (3 + 14/6) / 2 = 32/12
  auto res = attune::score(plan, all_answers(plan, 1));
  CHECK_THAT(raw(res, "close"), WithinAbs(3.0, 1e-12));
  CHECK_THAT(raw(res, "depend"), WithinAbs(22.0 / 6, 1e-12));
  CHECK_THAT(raw(res, "anxiety"), WithinAbs(1.0, 1e-12));
  CHECK_THAT(raw(res, "avoidance"), WithinAbs(32.0 / 12, 1e-12));
}

TEST_CASE("reverse keying uses the data's own response scale") {
  attune::ScoringOptions o;
  o.data_scale = attune::ResponseScale{1, 5, {}};
  auto plan = plan_for("ecr", o);
  // all 1 on 1..5: avoidance 9 x (6 - 1) + 9 x 1 = 54 / 18 = 3; anxiety 17 + 5 = 22 / 18
  auto res = attune::score(plan, all_answers(plan, 1));
  CHECK_THAT(raw(res, "avoidance"), WithinAbs(3.0, 1e-12));
  CHECK_THAT(raw(res, "anxiety"), WithinAbs(22.0 / 18, 1e-12));
  // 6 is outside 1..5 even though the instrument's own scale allows it
  attune::Responses r(plan);
  CHECK_THROWS_AS(r.set("q1", 6), attune::AnswerError);
}

TEST_CASE("prorating: a scale is scored at its minimum answered and missing one below") {
  auto plan = plan_for("ecr-r");  // anxiety: 18 items, at least 15 answered
  attune::Responses r = all_answers(plan, 2);
  for (int p = 1; p <= 3; ++p) r.set_missing(plan.instrument().item_at_position(p)->id);
  // 15 answered: items 4..18 all 2, reversed 9 and 11 give 6: (13 x 2 + 2 x 6) / 15 = 38 / 15
  auto at_min = attune::score(plan, r);
  CHECK_THAT(raw(at_min, "anxiety"), WithinAbs(38.0 / 15, 1e-12));
  CHECK(at_min.find_scale("anxiety")->answered == 15);
  r.set_missing("q4");
  auto below = attune::score(plan, r);
  CHECK(std::isnan(raw(below, "anxiety")));
  CHECK(below.find_scale("anxiety")->missing_reason.find("14 of 18") != std::string::npos);
  CHECK_FALSE(below.profile.available());
  // missing is never 0: the avoidance score is untouched by the missing anxiety items
  CHECK_THAT(raw(below, "avoidance"), WithinAbs(raw(at_min, "avoidance"), 1e-15));
}

TEST_CASE("a sum scale with a gap is prorated to the full number of items") {
  const char* text = R"({
    "format": "attune-instrument/1", "id": "sumtest", "version": "1", "name": "Sum test", "short_name": "ST",
    "citations": [{"id": "c", "text": "Test instrument"}], "key_source": "c",
    "verified": {"status": false, "note": "test"},
    "response_scale": {"min": 1, "max": 5},
    "items": [{"id": "a", "position": 1, "label": "a"}, {"id": "b", "position": 2, "label": "b"},
              {"id": "c", "position": 3, "label": "c"}, {"id": "d", "position": 4, "label": "d"}],
    "scales": [{"id": "total", "label": "Total", "aggregation": "sum", "items": ["a", "b", "c", "d"],
                "reverse": ["d"], "min_answered": 3}],
    "norms": {"status": "none", "note": "test"},
    "profile": {"default": "p", "methods": {"p": {"type": "quadrant", "anxiety": "total", "avoidance": "total"}}}
  })";
  auto plan = attune::ScoringPlan::compile(attune::Instrument::from_json_text(text, "sumtest.json"));
  attune::Responses r(plan);
  r.set("a", 2);
  r.set("b", 3);
  r.set("d", 5);  // reversed: 6 - 5 = 1
  // answered 3 of 4: sum 2 + 3 + 1 = 6, prorated 6 / 3 x 4 = 8
  CHECK_THAT(raw(attune::score(plan, r), "total"), WithinAbs(8.0, 1e-12));
  r.set("c", 4);
  CHECK_THAT(raw(attune::score(plan, r), "total"), WithinAbs(10.0, 1e-12));
}

TEST_CASE("one person from JSON: item ids, positions as strings, null as missing") {
  auto plan = plan_for("ecr-r");
  auto r = attune::responses_from_json(plan, R"({"q1": null, "2": 4, "q3": 5})", "a.json");
  CHECK(std::isnan(r.values()[0]));
  CHECK(r.values()[1] == 4);
  CHECK(r.values()[2] == 5);
  CHECK(r.answered() == 2);
  // the same item by id and by position is a contradiction, not a choice
  CHECK_THROWS_AS(attune::responses_from_json(plan, R"({"q1": 4, "1": 5})", "a.json"), attune::Error);
}

TEST_CASE("the example person matches R psych's scoreItems") {
  // tests/reference/ecr_r_one_scores.csv: made by tools/r/reference_scores.R from examples/data/ecr-r-one.json
  auto plan = plan_for("ecr-r");
  std::ifstream f(source_path("examples/data/ecr-r-one.json"));
  std::stringstream ss;
  ss << f.rdbuf();
  auto res = attune::score(plan, attune::responses_from_json(plan, ss.str(), "ecr-r-one.json"));
  Table ref = read_table(source_path("tests/reference/ecr_r_one_scores.csv"));
  REQUIRE(ref.rows.size() == 1);
  CHECK_THAT(raw(res, "anxiety"), WithinAbs(std::stod(ref.rows[0][static_cast<std::size_t>(ref.col("anxiety"))]), 1e-12));
  CHECK_THAT(raw(res, "avoidance"), WithinAbs(std::stod(ref.rows[0][static_cast<std::size_t>(ref.col("avoidance"))]), 1e-12));
}

TEST_CASE("result JSON carries explanations and the disclaimer") {
  auto plan = plan_for("ecr-r");
  auto res = attune::score(plan, all_answers(plan, 1));
  std::string j = attune::to_json(plan, res);
  CHECK(j.find("not a diagnosis") != std::string::npos);
  CHECK(j.find("reverse-keyed as 8 - x") != std::string::npos);
  CHECK(j.find("\"standardization\"") != std::string::npos);
}
