// The adaptive test (attune/cat.hpp) against the NumPy reference written from the papers
// (tools/irt/cat_reference.py, output tests/reference/cat_sequences.json): the same items in the same
// order, and the same theta and SE to 1e-6, for simulated, extreme and skipped answer patterns under
// five rule sets; plus the rules' own invariants.
#include <attune/cat.hpp>
#include <attune/error.hpp>
#include <attune/irt.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

using namespace attune;

namespace {

const std::string kCatRoot = std::string(ATTUNE_TEST_SOURCE_DIR);

nlohmann::json cat_fixture() {
  std::ifstream in(kCatRoot + "/tests/reference/cat_sequences.json");
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

const irt::Calibration& cat_bank() {
  static const irt::Calibration c =
      irt::Calibration::from_file(kCatRoot + "/instruments/calibrations/ecr-openpsychometrics-1to5.json");
  return c;
}

irt::CatRules cat_rules_of(const nlohmann::json& r) {
  irt::CatRules rules;
  rules.se_target = r["se_target"];
  rules.min_items = r["min_items"];
  rules.max_items = r["max_items"];
  rules.max_total = r["max_total"];
  rules.min_se_change = r["min_se_change"];
  rules.randomesque = r["randomesque"];
  rules.seed = r["seed"];
  return rules;
}

// Runs the CAT with a person's full answers: each step's next item is answered from them.
std::vector<std::string> cat_run(const irt::CatEngine& e, const nlohmann::json& full, const irt::CatRules& rules,
                                 irt::CatResult& r) {
  std::vector<irt::CatAnswer> answers;
  std::vector<std::string> asked;
  for (;;) {
    e.step(answers.data(), answers.size(), rules, r);
    if (r.stop) break;
    const std::string& id = e.item_id(static_cast<std::size_t>(r.next_item));
    asked.push_back(id);
    const nlohmann::json& v = full[id];
    answers.push_back({r.next_item, v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>()});
  }
  return asked;
}

}  // namespace

TEST_CASE("cat: item order, theta and SE match the NumPy reference") {
  const irt::CatEngine e(cat_bank());
  const nlohmann::json ref = cat_fixture();
  REQUIRE(ref["cases"].size() == 45);
  for (const nlohmann::json& c : ref["cases"]) {
    INFO(c["name"].get<std::string>());
    irt::CatResult r;
    const std::vector<std::string> asked = cat_run(e, c["answers"], cat_rules_of(c["rules"]), r);
    CHECK(asked == c["items"].get<std::vector<std::string>>());
    CHECK(std::string(irt::to_string(r.reason)) == c["reason"].get<std::string>());
    for (std::size_t d = 0; d < e.dimension_count(); ++d) {
      const nlohmann::json& s = c["scales"][e.dimension_id(d)];
      CHECK(r.dimensions[d].theta == Approx(s["theta"].get<double>()).margin(1e-6));
      CHECK(r.dimensions[d].se == Approx(s["se"].get<double>()).margin(1e-6));
      CHECK(r.dimensions[d].asked == s["asked"].get<int>());
      CHECK(r.dimensions[d].answered == s["answered"].get<int>());
      const std::string stopped = s["stopped"].is_null() ? "none" : s["stopped"].get<std::string>();
      CHECK(std::string(irt::to_string(r.dimensions[d].stopped)) == stopped);
    }
  }
}

TEST_CASE("cat: the JSON step gives the engine's answer") {
  const irt::CatEngine e(cat_bank());
  const nlohmann::json ref = cat_fixture();
  const nlohmann::json& c = ref["cases"][1];  // randomesque: the seed must reach the engine
  nlohmann::json request = {{"rules", c["rules"]}, {"answers", nlohmann::json::array()}};
  std::vector<std::string> asked;
  for (;;) {
    const nlohmann::json reply = nlohmann::json::parse(irt::cat_step_json(e, request.dump()));
    if (reply["stop"].get<bool>()) {
      CHECK(reply["reason"] == c["reason"]);
      CHECK(reply["scales"]["anxiety"]["theta"].get<double>() == Approx(c["scales"]["anxiety"]["theta"].get<double>()).margin(1e-6));
      break;
    }
    const std::string id = reply["next_item"];
    asked.push_back(id);
    request["answers"].push_back({id, c["answers"][id]});
  }
  CHECK(asked == c["items"].get<std::vector<std::string>>());
}

TEST_CASE("cat: no answers gives the prior and asks the most informative item at theta 0") {
  const irt::Calibration& bank = cat_bank();
  const irt::CatEngine e(bank);
  const irt::CatResult r = e.step({}, irt::CatRules::promis());
  REQUIRE_FALSE(r.stop);
  // Both SEs are the prior's (1, to the grid's precision): a tie goes to the first scale.
  CHECK(r.dimensions[0].se == Approx(r.dimensions[1].se));
  CHECK(r.next_dimension == 0);
  double best = -1;
  std::string best_id;
  for (const irt::ItemParameters& it : bank.scales[0].items) {
    const double info = irt::item_information(it, r.dimensions[0].theta);
    if (info > best) best = info, best_id = it.id;
  }
  CHECK(e.item_id(static_cast<std::size_t>(r.next_item)) == best_id);
}

TEST_CASE("cat: a user stop rule and max_total stop the test") {
  const irt::CatEngine e(cat_bank());
  irt::CatRules rules;
  int calls = 0;
  rules.stop_rule = [&calls](const irt::CatResult& r) {
    ++calls;
    return r.asked >= 3;
  };
  std::vector<irt::CatAnswer> answers;
  irt::CatResult r;
  for (int i = 0; i < 10; ++i) {
    e.step(answers.data(), answers.size(), rules, r);
    if (r.stop) break;
    answers.push_back({r.next_item, 3});
  }
  CHECK(r.stop);
  CHECK(r.reason == irt::CatStop::user_rule);
  CHECK(answers.size() == 3);
  CHECK(calls == 4);
  irt::CatRules total;
  total.max_total = 2;
  answers.resize(2);
  e.step(answers.data(), answers.size(), total, r);
  CHECK(r.reason == irt::CatStop::max_total);
}

TEST_CASE("cat: bad answers and rules are refused with where and what") {
  const irt::CatEngine e(cat_bank());
  irt::CatRules rules;
  CHECK_THROWS_AS(e.step({{0, 3}, {0, 4}}, rules), UsageError);
  CHECK_THROWS_AS(e.step({{99, 3}}, rules), UsageError);
  CHECK_THROWS_AS(e.step({{0, 6}}, rules), AnswerError);
  CHECK_THROWS_AS(e.step({{0, 2.5}}, rules), AnswerError);
  rules.randomesque = 65;
  CHECK_THROWS_AS(e.step({}, rules), UsageError);
  rules = irt::CatRules{};
  rules.max_items = 2;  // below min_items 4
  CHECK_THROWS_AS(e.step({}, rules), UsageError);
  CHECK_THROWS_AS(irt::cat_step_json(e, R"({"answers": [["nope", 3]]})"), UsageError);
  CHECK_THROWS_AS(irt::cat_step_json(e, R"({"rules": {"se": 0.3}})"), DataError);
  CHECK_THROWS_AS(irt::cat_step_json(e, "{"), DataError);
}

TEST_CASE("cat: splitmix64 gives the published first outputs") {
  // splitmix64 seeded with 1234567 (the reference C code of Vigna, prng.di.unimi.it/splitmix64.c):
  // 6457827717110365317, 3203168211198807973, 9817491932198370423.
  CHECK(irt::splitmix64_at(1234567, 0) == 6457827717110365317ULL);
  CHECK(irt::splitmix64_at(1234567, 1) == 3203168211198807973ULL);
  CHECK(irt::splitmix64_at(1234567, 2) == 9817491932198370423ULL);
}
