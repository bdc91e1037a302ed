// Norm sets (include/attune/norms.hpp, docs/norms.md): reading them strictly, choosing the cell of a
// person's context, and z and percentiles against values computed by tools/norms/ecr_norms.py from
// the open data's rows (tests/reference/norms/), not by attune.
#include <attune/error.hpp>
#include <attune/norms.hpp>

#include "support/helpers.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <string>

using attune_test::error_of;
using attune_test::source_path;
namespace an = attune::norms;

namespace {

// Two cells, one scale; the numbers are chosen for hand arithmetic.
std::string tiny_norm_set(const std::string& table = "[[1, 0], [2, 40], [3, 90], [5, 100]]",
                          const std::string& extra = "") {
  return R"({"format": "attune-norms/1", "id": "tiny", "instrument": "ecr", "response_scale": {"min": 1, "max": 5},
    "sample": {"description": "made up", "rows_in": 10, "n": 10, "selection": "all"},
    "source": {"citation": "none", "terms": "test"}, "date": "2026-12-03",)" + extra + R"(
    "cells": [
      {"id": "all", "label": "whole sample", "n": 10, "scales": {"avoidance": {"mean_score": {"mean": 2, "sd": 0.5, "table": )" +
         table + R"(}}}},
      {"id": "female-18-24", "label": "female, 18-24", "n": 4, "gender": "female", "age": {"min": 18, "max": 24},
       "scales": {"avoidance": {"mean_score": {"mean": 3, "sd": 2}}}}]})";
}

nlohmann::json norm_cases() {
  std::ifstream in(source_path("tests/reference/norms/ecr_norms_cases.json"));
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("norms: a percentile is interpolated linearly in the table and kept at its ends", "[norms]") {
  const an::NormSet set = an::NormSet::from_json_text(tiny_norm_set(), "tiny.json");
  const an::Distribution& d = set.cells[0].find("avoidance")->mean_score;
  // By hand: 2.5 lies halfway from (2, 40) to (3, 90): 65. 4 is halfway from (3, 90) to (5, 100): 95.
  CHECK(an::percentile(d.table, 2.5) == Approx(65).epsilon(1e-12));
  CHECK(an::percentile(d.table, 4.0) == Approx(95).epsilon(1e-12));
  CHECK(an::percentile(d.table, 3.0) == 90);
  CHECK(an::percentile(d.table, 0.5) == 0);   // below the first listed value: its percentile
  CHECK(an::percentile(d.table, 6.0) == 100);
  CHECK(std::isnan(an::percentile(d.table, std::nan(""))));
  const an::Standing s = an::standing(d, 2.5);
  CHECK(s.z == Approx(1.0).epsilon(1e-12));  // (2.5 - 2) / 0.5
  CHECK(s.empirical);
  CHECK(s.percentile == Approx(65).epsilon(1e-12));
}

TEST_CASE("norms: without a table the percentile is the normal approximation", "[norms]") {
  const an::NormSet set = an::NormSet::from_json_text(tiny_norm_set(), "tiny.json");
  const an::Standing s = an::standing(set.cells[1].find("avoidance")->mean_score, 5.0);
  CHECK(s.z == Approx(1.0).epsilon(1e-12));  // (5 - 3) / 2
  CHECK_FALSE(s.empirical);
  CHECK(s.percentile == Approx(84.13447460685429).epsilon(1e-12));  // 100 x Phi(1), NumPy/SciPy norm.cdf(1)
}

TEST_CASE("norms: the cell comes from gender and age or else the whole sample", "[norms]") {
  const an::NormSet set = an::NormSet::from_json_text(tiny_norm_set(), "tiny.json");
  CHECK(an::find_cell(set, {an::Gender::female, 18}) == 1);
  CHECK(an::find_cell(set, {an::Gender::female, 24}) == 1);
  CHECK(an::find_cell(set, {an::Gender::female, 25}) == 0);
  CHECK(an::find_cell(set, {an::Gender::male, 20}) == 0);
  CHECK(an::find_cell(set, {an::Gender::female, -1}) == 0);
  CHECK(an::find_cell(set, {an::Gender::unknown, 20}) == 0);
  const an::NormContext c = an::parse_norm_group("gender=Female,age=30");
  CHECK(c.gender == an::Gender::female);
  CHECK(c.age == 30);
  CHECK(an::parse_norm_group("age=41").gender == an::Gender::unknown);
  CHECK(an::parse_gender("M") == an::Gender::male);
  CHECK(an::parse_gender("2") == an::Gender::unknown);
  CHECK(error_of([] { an::parse_norm_group("gender=other"); }).kind() == attune::ErrorKind::usage);
  CHECK(error_of([] { an::parse_norm_group("age=thirty"); }).kind() == attune::ErrorKind::usage);
  CHECK(error_of([] { an::parse_norm_group("sex=female"); }).kind() == attune::ErrorKind::usage);
}

TEST_CASE("norms: a norm-set file that cannot be trusted is refused with its JSON path", "[norms]") {
  auto refused = [](const std::string& text) { return error_of([&] { an::NormSet::from_json_text(text, "bad.json"); }); };
  attune::Error e = refused(tiny_norm_set("[[1, 0], [3, 40], [2, 90]]"));
  CHECK(e.kind() == attune::ErrorKind::instrument);
  CHECK(e.where().json_path == "/cells/0/scales/avoidance/mean_score/table/2/0");
  e = refused(tiny_norm_set("[[1, 50], [2, 40]]"));
  CHECK(e.where().json_path == "/cells/0/scales/avoidance/mean_score/table/1/1");
  e = refused(tiny_norm_set("[[1, 0], [2, 100]]", R"("popularity": 3,)"));
  CHECK(e.where().json_path == "/popularity");
  e = refused(tiny_norm_set("[[1, 0], [2, 100]]", R"("calibration": {"id": "x"},)"));
  CHECK(e.where().json_path == "/calibration");
}

TEST_CASE("norms: the shipped ECR set has the whole sample and ten cells of at least 600", "[norms]") {
  const an::NormSet set = an::load_norm_set("ecr-openpsychometrics-1to5");
  CHECK(set.instrument == "ecr");
  CHECK(set.response_scale.min == 1);
  CHECK(set.response_scale.max == 5);
  CHECK(set.n == 46610);
  CHECK(set.citation.find("openpsychometrics.org") != std::string::npos);
  REQUIRE(set.cells.size() == 11);
  CHECK(set.cells[0].n == 46610);
  for (const an::Cell& c : set.cells) {
    CHECK(c.n >= 600);
    for (const char* scale : {"avoidance", "anxiety"}) {
      REQUIRE(c.find(scale));
      CHECK(c.find(scale)->mean_score.table.value.size() == 73);  // k / 18, k = 18..90
      CHECK(c.find(scale)->theta.available());
    }
  }
  CHECK(set.cells[an::find_cell(set, {an::Gender::male, 55})].id == "male-55-99");
  CHECK(an::find_cell(set, {an::Gender::male, 100}) == 0);
}

TEST_CASE("norms: ECR z and percentiles match the open data's rows (tools/norms/ecr_norms.py)", "[norms]") {
  const an::NormSet set = an::load_norm_set("ecr-openpsychometrics-1to5");
  const an::NormLookup lookup(set, {"anxiety", "avoidance"});
  const nlohmann::json cases = norm_cases();
  REQUIRE(cases["cases"].size() == 8);
  for (const auto& c : cases["cases"]) {
    an::NormContext ctx;
    if (!c["gender"].is_null()) ctx.gender = an::parse_gender(c["gender"].get<std::string>());
    if (!c["age"].is_null()) ctx.age = c["age"].get<int>();
    const std::size_t cell = lookup.cell(ctx);
    CHECK(set.cells[cell].id == c["cell"].get<std::string>());
    for (std::size_t s = 0; s < 2; ++s) {
      const auto& r = c["scales"][s == 0 ? "anxiety" : "avoidance"];
      const an::Standing score = lookup.score(cell, s, r["mean_score"]["x"].get<double>());
      const an::Standing theta = lookup.theta(cell, s, r["theta"]["x"].get<double>());
      CHECK(score.empirical);
      CHECK(score.z == Approx(r["mean_score"]["z"].get<double>()).epsilon(0).margin(1e-9));
      CHECK(score.percentile == Approx(r["mean_score"]["percentile"].get<double>()).epsilon(0).margin(1e-9));
      CHECK(theta.z == Approx(r["theta"]["z"].get<double>()).epsilon(0).margin(1e-9));
      CHECK(theta.percentile == Approx(r["theta"]["percentile"].get<double>()).epsilon(0).margin(1e-9));
    }
  }
}
