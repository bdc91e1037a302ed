// The HTML report: self-contained, and its numbers are the reliability JSON's numbers.
#include <attune/attune.hpp>
#include <attune/report.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <map>
#include <regex>
#include <string>
#include "../src/batch/tuning.hpp"

TEST_CASE("report HTML parses back to the reliability JSON's numbers") {
  const std::string csv = std::string(ATTUNE_TEST_SOURCE_DIR) + "/examples/data/ecr-r-synthetic.csv";
  attune::ScoringPlan plan = attune::ScoringPlan::compile(attune::load_instrument("ecr-r"));
  attune::BatchOptions bo;
  bo.mapping = attune::ColumnMapping::parse("Q{n}");
  attune::batch::set_chunk_bytes(bo, 4096);
  std::FILE* in = std::fopen(csv.c_str(), "rb");
  REQUIRE(in);
  auto rep = attune::html_report(plan, in, csv, bo, {}, [](const attune::RowError&) {});
  std::fclose(in);
  const std::string& html = rep.html;

  // The JSON as `attune reliability` writes it, from a separate pass.
  attune::ReliabilityAccumulator acc(plan);
  bo.accumulators = {&acc};
  in = std::fopen(csv.c_str(), "rb");
  attune::accumulate_csv(plan, in, csv, bo, [](const attune::RowError&) {});
  std::fclose(in);
  const auto j = nlohmann::json::parse(attune::to_json(attune::reliability(acc)));

  // data-key="scale.stat" / "scale.items.id.stat" data-value="%.17g"
  std::map<std::string, double> values;
  const std::regex cell(R"re(data-key="([^"]+)" data-value="([^"]+)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), cell); it != std::sregex_iterator(); ++it) values[(*it)[1]] = std::stod((*it)[2]);
  REQUIRE(values.size() > 100);
  int compared = 0;
  for (const auto& [scale, s] : j["scales"].items()) {
    for (const char* k : {"n", "alpha", "std_alpha", "lambda6", "omega_total", "average_r"}) {
      INFO(scale << "." << k);
      REQUIRE(values.count(scale + "." + k));
      CHECK(values[scale + "." + k] == Approx(s[k].get<double>()).epsilon(1e-15));
      ++compared;
    }
    for (const char* ci : {"alpha_ci_feldt", "alpha_ci_duhachek"}) {
      for (const char* b : {"lower", "upper"}) {
        CHECK(values[scale + "." + ci + "." + b] == Approx(s[ci][b].get<double>()).epsilon(1e-15));
        ++compared;
      }
    }
    for (const auto& [item, st] : s["items"].items()) {
      for (const char* k : {"r_drop", "r_cor", "alpha_if_deleted", "mean", "sd", "n", "missing"}) {
        const std::string key = scale + ".items." + item + "." + k;
        INFO(key);
        REQUIRE(values.count(key));
        CHECK(values[key] == Approx(st[k].get<double>()).epsilon(1e-15));
        ++compared;
      }
    }
  }
  CHECK(compared == 2 * (10 + 18 * 7));
  CHECK(values["rows_in"] == 500);
  CHECK(values["rows_reported"] == 3);
  CHECK(values["rows_scored"] == 497);
  // Self-contained and safe to open anywhere: no scripts, nothing fetched.
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=\"http") == std::string::npos);
  CHECK(html.find("href=\"http") == std::string::npos);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find(attune::disclaimer()) != std::string::npos);
  CHECK(html.find("Fraley") != std::string::npos);  // the instrument's citation
  // Category counts add up to the scored rows (4 patterns + ties + no profile).
  double cats = 0;
  for (const char* c : {"secure", "anxious", "avoidant", "fearful", "tie", "no profile"}) cats += values[std::string("category_") + c];
  CHECK(cats == 497);
}
