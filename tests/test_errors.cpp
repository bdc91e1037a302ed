// Every error path of the core: each names where it happened and what was expected.
#include "support/helpers.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace attune_test;

namespace {

const std::string kGood = R"({
  "format": "attune-instrument/1", "id": "tiny", "version": "1", "name": "Tiny", "short_name": "T",
  "citations": [{"id": "c", "text": "Test instrument"}], "key_source": "c",
  "verified": {"status": false, "note": "test"},
  "response_scale": {"min": 1, "max": 5},
  "items": [{"id": "a", "position": 1, "label": "a"}, {"id": "b", "position": 2, "label": "b"}],
  "scales": [{"id": "s", "label": "S", "aggregation": "mean", "items": ["a", "b"], "reverse": ["b"], "min_answered": 1},
             {"id": "t", "label": "T", "aggregation": "mean", "items": ["a"], "min_answered": 1}],
  "norms": {"status": "none", "note": "test"},
  "profile": {"default": "q", "methods": {"q": {"type": "quadrant", "anxiety": "s", "avoidance": "t"}}}
})";

// Loads `text` and returns the error; fails the test if it loads.
attune::Error load_error(const std::string& text) {
  try {
    attune::Instrument::from_json_text(text, "bad.json");
  } catch (const attune::Error& e) {
    return e;
  }
  FAIL("instrument loaded but should not have");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("the test instrument itself is valid") { CHECK_NOTHROW(attune::Instrument::from_json_text(kGood, "good.json")); }

TEST_CASE("instrument errors name the file, the JSON path and what was expected") {
  SECTION("missing field") {
    auto e = load_error(replace(kGood, R"("short_name": "T",)", ""));
    CHECK(e.kind() == attune::ErrorKind::instrument);
    CHECK(e.where().file == "bad.json");
    CHECK(std::string(e.what()).find("short_name") != std::string::npos);
  }
  SECTION("unknown field") {
    auto e = load_error(replace(kGood, R"("short_name": "T",)", R"("short_name": "T", "shortname": "x",)"));
    CHECK(e.where().json_path == "/shortname");
  }
  SECTION("wrong type") {
    auto e = load_error(replace(kGood, R"("min": 1,)", R"("min": "1",)"));
    CHECK(e.where().json_path == "/response_scale/min");
    CHECK(e.expected() == "an integer");
  }
  SECTION("min above max") {
    auto e = load_error(replace(kGood, R"("min": 1,)", R"("min": 6,)"));
    CHECK(e.where().json_path == "/response_scale/max");
  }
  SECTION("duplicate item ids") {
    auto e = load_error(replace(kGood, R"({"id": "b", "position": 2)", R"({"id": "a", "position": 2)"));
    CHECK(e.where().json_path == "/items/1/id");
  }
  SECTION("a scale with no items") {
    auto e = load_error(replace(kGood, R"("items": ["a"], "min_answered": 1})", R"("items": [], "min_answered": 1})"));
    CHECK(e.where().json_path == "/scales/1/items");
  }
  SECTION("a reverse key on an item that is not on the scale") {
    auto e = load_error(replace(kGood, R"("reverse": ["b"])", R"("reverse": ["zz"])"));
    CHECK(e.where().json_path == "/scales/0/reverse/0");
  }
  SECTION("a scale item that does not exist") {
    auto e = load_error(replace(kGood, R"("items": ["a"], "min_answered": 1})", R"("items": ["q"], "min_answered": 1})"));
    CHECK(e.where().json_path == "/scales/1/items/0");
  }
  SECTION("a profile method naming an unknown scale") {
    auto e = load_error(replace(kGood, R"("avoidance": "t")", R"("avoidance": "nope")"));
    CHECK(e.where().json_path == "/profile/methods/q/avoidance");
  }
  SECTION("min_answered above the number of items") {
    auto e = load_error(replace(kGood, R"("reverse": ["b"], "min_answered": 1)", R"("reverse": ["b"], "min_answered": 3)"));
    CHECK(e.where().json_path == "/scales/0/min_answered");
  }
  SECTION("malformed JSON gives line and column") {
    auto e = load_error("{\n  \"format\": ,\n}");
    CHECK(e.where().line == 2);
    CHECK(e.where().column > 0);
  }
  SECTION("deeply nested JSON is refused, not recursed into") {
    std::string deep(10000, '[');
    deep += std::string(10000, ']');
    auto e = load_error(deep);
    CHECK(e.kind() == attune::ErrorKind::limit);
  }
  SECTION("a huge number") {
    auto e = load_error(replace(kGood, R"("min": 1,)", R"("min": 1e400,)"));
    CHECK(e.kind() == attune::ErrorKind::instrument);
  }
}

TEST_CASE("an unknown instrument id lists the built-in ones") {
  try {
    attune::load_instrument("ecr-x");
    FAIL("loaded");
  } catch (const attune::UsageError& e) {
    CHECK(e.expected().find("ecr-r") != std::string::npos);
  }
  CHECK_THROWS_AS(attune::load_instrument("/nonexistent/file.json"), attune::IoError);
}

TEST_CASE("an unknown profile method names the ones there are") {
  attune::ScoringOptions o;
  o.profile_method = "nope";
  try {
    plan_for("ecr", o);
    FAIL("compiled");
  } catch (const attune::UsageError& e) {
    CHECK(e.expected().find("brennan1998") != std::string::npos);
  }
}

TEST_CASE("answer errors name the item and the value") {
  auto plan = plan_for("ecr-r");
  attune::Responses r(plan);
  auto expect = [&](double v, const char* reason) {
    try {
      r.set("q5", v);
      FAIL("accepted " << v);
    } catch (const attune::AnswerError& e) {
      CHECK(e.where().item == "q5");
      CHECK(e.message().find(reason) != std::string::npos);
      CHECK(e.expected().find("1 to 7") != std::string::npos);
    }
  };
  expect(0, "out of range");
  expect(8, "out of range");
  expect(-3, "out of range");
  expect(3.5, "whole number");
  expect(std::numeric_limits<double>::infinity(), "infinite");
  CHECK_THROWS_AS(r.set("nope", 3), attune::UsageError);
  CHECK_THROWS_AS(r.set_position(37, 3), attune::UsageError);
  // raw arrays go through the same check
  std::vector<double> x(36, 4);
  x[10] = 9;
  CHECK_THROWS_AS(attune::score(plan, x.data()), attune::AnswerError);
}

TEST_CASE("JSON answer errors name the JSON path") {
  auto plan = plan_for("ecr-r");
  auto expect = [&](const std::string& text, const std::string& path) {
    try {
      attune::responses_from_json(plan, text, "p.json");
      FAIL("accepted " << text);
    } catch (const attune::Error& e) {
      CHECK(e.where().file == "p.json");
      CHECK(e.where().json_path == path);
    }
  };
  expect(R"({"q1": 9})", "/q1");
  expect(R"({"q1": "5"})", "/q1");
  expect(R"({"q99": 5})", "/q99");
  expect(R"([1, 2])", "/");
}
