// Norms and plan contexts given as JSON (a norms file, the C ABI): strict readers on the shared JSON
// guard, and which alpha a scale's SEM uses when both the instrument and the norms give one.
#include "support/helpers.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

using namespace attune_test;

TEST_CASE("norms_from_json: strict entries named by file and JSON path", "[issue18]") {
  const auto good = attune::norms_from_json(R"({"anxiety": {"mean": 3.1, "sd": 1.2, "n": 200, "alpha": 0.9, "note": "x"}})", "n.json");
  REQUIRE(good.count("anxiety"));
  CHECK(good.at("anxiety").mean == 3.1);
  CHECK(good.at("anxiety").sd == 1.2);
  CHECK(good.at("anxiety").n == 200);
  CHECK(good.at("anxiety").alpha == 0.9);
  struct Bad {
    const char* text;
    const char* path;
  };
  for (const Bad& b : {Bad{R"({"anxiety": {"mean": 3, "sd": 1, "sd": 0.001}})", "/anxiety/sd"},
                       Bad{R"({"anxiety": {"mean": 3, "sd": 1}, "anxiety": {"mean": 9, "sd": 1}})", "/anxiety"},
                       Bad{R"({"anxiety": {"mean": 3, "sd": 1, "apha": 0.9}})", "/anxiety/apha"},
                       Bad{R"({"anxiety": {"mean": 3, "sd": 1, "alpha": 1.2}})", "/anxiety/alpha"},
                       Bad{R"({"anxiety": {"mean": 3, "sd": 1, "alpha": 0}})", "/anxiety/alpha"},
                       Bad{R"({"anxiety": {"mean": 3, "sd": 1, "alpha": "0.9"}})", "/anxiety/alpha"},
                       Bad{R"({"anxiety": {"mean": 3, "sd": 1, "n": 10.5}})", "/anxiety/n"},
                       Bad{R"({"anxiety": {"mean": 3}})", "/anxiety"},
                       Bad{R"([1, 2])", "/"}}) {
    INFO(b.text);
    const auto e = error_of([&] { attune::norms_from_json(b.text, "n.json"); });
    CHECK(e.kind() == attune::ErrorKind::usage);
    CHECK(e.where().file == "n.json");
    CHECK(e.where().json_path == b.path);
  }
}

TEST_CASE("context_from_json: strict keys and duplicates refused", "[issue18]") {
  const attune::Context c = attune::context_from_json(R"({"stage": "dating", "parent": false, "start": "2025-03-01"})", "<context>");
  CHECK(c.stage == "dating");
  CHECK(c.parent == false);
  CHECK(c.start->iso() == "2025-03-01");
  CHECK(attune::context_from_json("", "<context>").stage.empty());
  for (const char* text : {R"({"stage": "dating", "stage": "single"})", R"({"stgae": "dating"})", R"({"parent": 1})", R"("dating")"}) {
    INFO(text);
    const auto e = error_of([&] { attune::context_from_json(text, "<context>"); });
    CHECK(e.kind() == attune::ErrorKind::usage);
    CHECK(e.where().file == "<context>");
  }
}

TEST_CASE("norms alpha: the instrument alpha wins unless asked and the plan says which was used", "[issue18]") {
  // ECR publishes alpha .94 (avoidance) and .91 (anxiety). SEM = sd x sqrt(1 - alpha).
  auto ins = attune::load_instrument("ecr");
  attune::ScoringOptions o;
  o.norms_source = attune::NormsSource::user;
  o.norms["anxiety"] = attune::Norm{3.5, 1.0, 0, 0.5};
  o.norms["avoidance"] = attune::Norm{2.9, 1.0, 0, 0};
  const auto plan = attune::ScoringPlan::compile(ins, o);
  CHECK(plan.standardization().find("published alpha for anxiety, not the alpha given with the norms") != std::string::npos);
  o.prefer_norms_alpha = true;
  const auto preferred = attune::ScoringPlan::compile(ins, o);
  CHECK(preferred.standardization().find("alpha") == std::string::npos);
  const auto a = attune::score(plan, all_answers(plan, 4));
  const auto b = attune::score(preferred, all_answers(preferred, 4));
  // Anxiety: sqrt(1 - .5) / sqrt(1 - .91); avoidance (no norms alpha): the instrument's .94 in both.
  CHECK(b.find_scale("anxiety")->sem / a.find_scale("anxiety")->sem == Approx(std::sqrt(0.5) / std::sqrt(0.09)).epsilon(1e-12));
  CHECK(b.find_scale("avoidance")->sem == a.find_scale("avoidance")->sem);
  // Without norms alpha nothing is said: the output stays as it was.
  o.norms["anxiety"].alpha = 0;
  o.prefer_norms_alpha = false;
  CHECK(attune::ScoringPlan::compile(ins, o).standardization() == "norms supplied by the user");
}

TEST_CASE("norms refused by the plan show the value as printf %g does (six significant digits)", "[issue18]") {
  // The plan writes these numbers with snprintf("%g"), the text `std::ostream << double` gives by
  // default: 1e-7 -> "1e-07"; 1234567.5 -> 1.234568e6 rounded to six digits -> "1.23457e+06".
  auto ins = attune::load_instrument("ecr");
  attune::ScoringOptions o;
  o.norms_source = attune::NormsSource::user;
  o.norms["anxiety"] = attune::Norm{3.5, 1e-7, 0, 0};
  o.norms["avoidance"] = attune::Norm{2.9, 1.0, 0, 0};
  attune::Error e = error_of([&] { attune::ScoringPlan::compile(ins, o); });
  CHECK(e.kind() == attune::ErrorKind::usage);
  CHECK(e.where().value == "1e-07");
  CHECK(e.message().find("have sd 1e-07") != std::string::npos);
  o.norms["anxiety"] = attune::Norm{1234567.5, 1.0, 0, 0};
  e = error_of([&] { attune::ScoringPlan::compile(ins, o); });
  CHECK(e.where().value == "1.23457e+06");
  CHECK(e.message().find("have mean 1.23457e+06") != std::string::npos);
}
