// Issue 18, "never a silent wrong result": duplicate JSON keys, out-of-range JSON indents and data
// scales, impossible norms, the report's bin edges, a plan past the year 9999, unknown answer items.
#include "support/helpers.hpp"

#include <attune/report.hpp>
#include <catch2/catch.hpp>

#include <climits>
#include <cmath>
#include <cstdio>
#include <string>
#include <unistd.h>
#include <vector>

using namespace attune_test;

namespace {


std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("JSON: a key given twice in one object is refused with the file and the path and the key", "[issue18]") {
  SECTION("one person's answers (nlohmann kept the last value, 5)") {
    auto plan = plan_for("ecr-r");
    const auto e = error_of([&] { attune::responses_from_json(plan, R"({"1": 3, "1": 5})", "a.json"); });
    CHECK(e.kind() == attune::ErrorKind::answer);
    CHECK(e.where().file == "a.json");
    CHECK(e.where().json_path == "/1");
    CHECK(e.message().find("duplicate key '1'") != std::string::npos);
  }
  SECTION("an instrument file: the path goes through arrays") {
    const std::string good = read_text(source_path("instruments/rq.json"));
    REQUIRE_NOTHROW(attune::Instrument::from_json_text(good, "rq.json"));
    // The first item object gets its "position" a second time.
    const auto items = good.find("\"items\"");
    REQUIRE(items != std::string::npos);
    std::string bad = good;
    bad.insert(good.find('{', items) + 1, "\"position\": 4, ");
    const auto e = error_of([&] { attune::Instrument::from_json_text(bad, "rq.json"); });
    CHECK(e.kind() == attune::ErrorKind::instrument);
    CHECK(e.where().file == "rq.json");
    CHECK(e.where().json_path == "/items/0/position");
  }
  SECTION("a text pack") {
    auto rq = attune::load_instrument("rq");
    const std::string pack = R"({"format": "attune-text-pack/1", "instrument": "rq", "lang": "en",
      "anchors": {"1": "a", "2": "b", "3": "c", "4": "d", "5": "e", "6": "f", "7": "g"},
      "items": {"secure": "S", "fearful": "F", "preoccupied": "P", "dismissing": "D", "secure": "S2"}})";
    const auto e = error_of([&] { attune::TextPack::from_json_text(pack, "pack.json", rq); });
    CHECK(e.kind() == attune::ErrorKind::text_pack);
    CHECK(e.where().json_path == "/items/secure");
  }
  SECTION("equal keys in different objects are fine") {
    auto rq = attune::load_instrument("rq");
    CHECK_NOTHROW(attune::Instrument::from_json_text(read_text(source_path("instruments/ecr-r.json")), "ecr-r.json"));
    (void)rq;
  }
}

TEST_CASE("to_json refuses an indent outside -1..16 instead of reading past its buffer", "[issue18]") {
  auto plan = plan_for("ecr-r");
  const attune::Result res = attune::score(plan, all_answers(plan, 4));
  for (int bad : {100000, 17, -2, INT_MIN, INT_MAX}) {
    INFO(bad);
    const auto e = error_of([&] { attune::to_json(plan, res, bad); });
    CHECK(e.kind() == attune::ErrorKind::usage);
    const auto g = error_of([&] { attune::to_json(attune::recommend(plan, res, {}, attune::Guidance::load("en")), attune::Guidance::load("en"), bad); });
    CHECK(g.kind() == attune::ErrorKind::usage);
  }
  CHECK(attune::to_json(plan, res, -1).find('\n') == std::string::npos);
  CHECK(attune::to_json(plan, res, 16).find("\n                \"") != std::string::npos);
}

TEST_CASE("ScoringPlan: a data scale beyond -1000..1000 is refused before min + max overflows", "[issue18]") {
  auto ins = attune::load_instrument("ecr-r");
  auto compile = [&](int lo, int hi) {
    attune::ScoringOptions o;
    o.data_scale = attune::ResponseScale{lo, hi, {}};
    return error_of([&] { attune::ScoringPlan::compile(ins, o); });
  };
  for (auto [lo, hi] : {std::pair{1, INT_MAX}, std::pair{INT_MIN, 5}, std::pair{1, 1001}, std::pair{-1001, 5}}) {
    INFO(lo << ".." << hi);
    const auto e = compile(lo, hi);
    CHECK(e.kind() == attune::ErrorKind::usage);
    CHECK(e.expected().find("-1000..1000") != std::string::npos);
  }
  CHECK(compile(-1000, 1000).kind() == attune::ErrorKind::internal);  // accepted: the instrument files' bound
  CHECK(compile(1, 5).kind() == attune::ErrorKind::internal);
}

TEST_CASE("norms: a tiny or infinite or NaN sd or mean or an alpha outside 0..1 is refused", "[issue18]") {
  auto ins = attune::load_instrument("ecr-r");
  auto compile = [&](attune::Norm n) {
    attune::ScoringOptions o;
    o.norms_source = attune::NormsSource::user;
    o.norms["anxiety"] = n;
    o.norms["avoidance"] = attune::Norm{3, 1, 0, 0};
    return error_of([&] { attune::ScoringPlan::compile(ins, o); });
  };
  const double nan = std::nan(""), inf = HUGE_VAL;
  // z = (x - mean) / sd: with sd 1e-300 a score of 4 gave z = 1e300 and a category.
  for (const attune::Norm& n : {attune::Norm{3, 1e-300, 0, 0}, attune::Norm{3, nan, 0, 0}, attune::Norm{3, inf, 0, 0},
                                attune::Norm{nan, 1, 0, 0}, attune::Norm{inf, 1, 0, 0}, attune::Norm{1e300, 1, 0, 0},
                                attune::Norm{3, 1, 0, 1.5}, attune::Norm{3, 1, 0, -0.2}, attune::Norm{3, 1, 0, 1},
                                attune::Norm{3, 1, 0, nan}, attune::Norm{3, 1, -5, 0.8}}) {
    INFO("mean " << n.mean << " sd " << n.sd << " n " << n.n << " alpha " << n.alpha);
    const auto e = compile(n);
    CHECK(e.kind() == attune::ErrorKind::usage);
    CHECK(e.where().json_path == "/anxiety");
  }
  CHECK(compile(attune::Norm{3.1, 1e-6, 100, 0.9}).kind() == attune::ErrorKind::internal);  // accepted
}

TEST_CASE("report: a score exactly on a bin edge is counted in the bin that starts there", "[issue18]") {
  // ECR on 1..5: 24 bins of 1/6 from 1. Avoidance 2.0 (all keyed 2) starts bin 6; 4/3 (sum 24 of 18
  // items: six keyed 2, twelve keyed 1) starts bin 2, where (4/3 - 1) / 4 * 24 = 1.9999999999999996.
  attune::ScoringOptions so;
  so.data_scale = attune::ResponseScale{1, 5, {}};
  auto plan = attune::ScoringPlan::compile(attune::load_instrument("ecr"), so);
  const attune::Instrument& ins = plan.instrument();
  const attune::Scale* avo = ins.find_scale("avoidance");
  REQUIRE(avo);
  auto row = [&](int keyed_two) {  // avoidance items: the first keyed_two keyed 2, the rest keyed 1
    std::vector<int> x(ins.items.size(), 3);
    int k = 0;
    for (const auto& id : avo->items) {
      const int keyed = k++ < keyed_two ? 2 : 1;
      x[static_cast<std::size_t>(ins.find_item(id)->position - 1)] = avo->is_reversed(id) ? 6 - keyed : keyed;
    }
    std::string line;
    for (std::size_t i = 0; i < x.size(); ++i) line += (i ? "," : "") + std::to_string(x[i]);
    return line + "\n";
  };
  std::string csv;
  for (std::size_t i = 1; i <= ins.items.size(); ++i) csv += (i > 1 ? ",Q" : "Q") + std::to_string(i);
  csv += "\n";
  for (int r = 0; r < 4; ++r) csv += row(18);  // avoidance 2.0
  for (int r = 0; r < 3; ++r) csv += row(6);   // avoidance 4/3
  for (int r = 0; r < 2; ++r) csv += row(0);   // avoidance 1.0
  const std::string path = "/tmp/attune_test_report_edges_" + std::to_string(::getpid()) + ".csv";
  {
    std::ofstream(path) << csv;
  }
  attune::BatchOptions bo;
  bo.mapping = attune::ColumnMapping::parse("Q{n}");
  std::FILE* in = std::fopen(path.c_str(), "rb");
  REQUIRE(in);
  auto rep = attune::html_report(plan, in, path, bo, {}, [](const attune::RowError&) {});
  std::fclose(in);
  std::remove(path.c_str());
  // The bars of the avoidance histogram, in order: <rect ...><title>COUNT</title></rect>.
  const auto fig = rep.html.find("id=\"hist-avoidance\"");
  REQUIRE(fig != std::string::npos);
  const auto end = rep.html.find("</svg>", fig);
  std::vector<long> bars;
  for (auto p = rep.html.find("<title>", fig); p < end; p = rep.html.find("<title>", p + 1)) bars.push_back(std::stol(rep.html.substr(p + 7)));
  REQUIRE(bars.size() == 24);
  CHECK(bars[0] == 2);
  CHECK(bars[1] == 0);
  CHECK(bars[2] == 3);
  CHECK(bars[5] == 0);
  CHECK(bars[6] == 4);
}

TEST_CASE("plan: a start date whose 30 days pass the year 9999 is refused", "[issue18]") {
  auto plan = plan_for("ecr-r");
  const attune::Result res = attune::score(plan, all_answers(plan, 4));
  const attune::Guidance g = attune::Guidance::load("en");
  attune::Context c;
  c.start = attune::Date::parse("9999-12-31");
  const auto e = error_of([&] { attune::recommend(plan, res, c, g); });
  CHECK(e.kind() == attune::ErrorKind::usage);
  CHECK(e.where().value == "9999-12-31");
  c.start = attune::Date::parse("9999-12-01");
  CHECK(error_of([&] { attune::recommend(plan, res, c, g); }).kind() == attune::ErrorKind::usage);
  // The last start that fits: day 31 (the retake reminder) is 9999-12-30 and its DTEND 9999-12-31.
  c.start = attune::Date::parse("9999-11-30");
  const std::string ics = attune::to_ics(attune::recommend(plan, res, c, g), g, "");
  CHECK(ics.find("DTEND;VALUE=DATE:99991231") != std::string::npos);
  CHECK(ics.find("DTEND;VALUE=DATE:1") == std::string::npos);  // nothing wrapped to a 5-digit or year-1 date
}

TEST_CASE("JSON answers: an unknown item is bad data as docs/robustness.md says", "[issue18]") {
  auto plan = plan_for("ecr-r");
  for (const char* text : {R"({"zz": 3})", R"({"37": 3})"}) {
    INFO(text);
    const auto e = error_of([&] { attune::responses_from_json(plan, text, "p.json"); });
    CHECK(e.kind() == attune::ErrorKind::answer);
    CHECK(e.where().file == "p.json");
  }
}

// The histograms of the report on the shared real ECR data (51,491 rows, 1..5) against exact rational
// bins (tools/reference_report_bins.py): floating point put 13/6 into the bar at 2.0 (5,722 rows where
// 4,368 belong) and 4/3 into the bar below it.
TEST_CASE("report: real ECR histogram bins equal the exact rational reference", "[issue18]") {
  const std::string data = shared_data("ecr-openpsychometrics/data.csv");
  if (!file_exists(data)) {
    WARN("shared real ECR data not found at " << data << "; skipped");
    return;
  }
  attune::ScoringOptions so;
  so.data_scale = attune::ResponseScale{1, 5, {}};
  const auto plan = attune::ScoringPlan::compile(attune::load_instrument("ecr"), so);
  attune::BatchOptions bo;
  bo.mapping = attune::ColumnMapping::parse("Q{n}");
  bo.missing_codes = {"0"};
  std::FILE* in = std::fopen(data.c_str(), "rb");
  REQUIRE(in);
  const auto rep = attune::html_report(plan, in, data, bo, {}, [](const attune::RowError&) {});
  std::fclose(in);
  const std::string ref_path = attune_test::row_reference("ecr_openpsychometrics_report_bins.csv");
  if (ref_path.empty()) {
    WARN("the report bins reference is made at test time (tools/r/make_row_references.sh): skipped");
    return;
  }
  const Table ref = read_table(ref_path);
  REQUIRE(ref.rows.size() == 48);
  for (const char* scale : {"avoidance", "anxiety"}) {
    const auto fig = rep.html.find(std::string("id=\"hist-") + scale + "\"");
    REQUIRE(fig != std::string::npos);
    const auto end = rep.html.find("</svg>", fig);
    std::vector<long> bars;
    for (auto p = rep.html.find("<title>", fig); p < end; p = rep.html.find("<title>", p + 1)) bars.push_back(std::stol(rep.html.substr(p + 7)));
    REQUIRE(bars.size() == 24);
    for (const auto& r : ref.rows) {
      if (r[static_cast<std::size_t>(ref.col("scale"))] != scale) continue;
      const auto k = static_cast<std::size_t>(std::stoi(r[static_cast<std::size_t>(ref.col("bin"))]));
      INFO(scale << " bin " << k);
      CHECK(bars[k] == std::stol(r[static_cast<std::size_t>(ref.col("count"))]));
    }
  }
}
