// Any questionnaire, any column names (issue 18): instruments without a profile, item ids in any
// case, zero-padded --map patterns, output column names that are unique, and profile decisions
// made exactly (ties in exact arithmetic, runner-up ties, prototypes with a missing rating).
#include "support/helpers.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <set>

using namespace attune_test;
using Catch::Matchers::WithinAbs;

namespace {

// A small instrument: items and scales given as JSON text, everything else fixed.
std::string tiny(const std::string& items, const std::string& scales, const std::string& rest = "") {
  return R"({"format": "attune-instrument/1", "id": "tiny", "version": "1", "name": "Tiny", "short_name": "T",
  "citations": [{"id": "c", "text": "Test instrument"}], "key_source": "c",
  "verified": {"status": false, "note": "test"},
  "response_scale": {"min": 1, "max": 7},
  "items": )" + items + R"(, "scales": )" + scales + R"(,
  "norms": {"status": "none", "note": "test"})" + rest + "}";
}

const std::string kTwoItems = R"([{"id": "A1", "position": 1, "label": "x"}, {"id": "a2", "position": 2, "label": "y"}])";
const std::string kOneScale = R"([{"id": "total", "label": "Total", "aggregation": "mean", "items": ["A1", "a2"], "min_answered": 1}])";

attune::Instrument load(const std::string& text) { return attune::Instrument::from_json_text(text, "tiny.json"); }

std::vector<std::string> header_of(const std::string& csv) { return split_csv_line(csv.substr(0, csv.find('\n'))); }

attune::Responses answers(const attune::ScoringPlan& plan, const std::vector<std::pair<std::string, double>>& given) {
  attune::Responses r(plan);
  for (const auto& [id, v] : given) r.set(id, v);
  return r;
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::string instrument_error(const std::string& text) {
  try {
    load(text);
  } catch (const attune::Error& e) {
    return e.kind() == attune::ErrorKind::instrument ? e.what() : "";
  }
  return "";
}

}  // namespace

TEST_CASE("instrument without a profile: scales only, no profile columns anywhere") {
  auto ins = load(tiny(kTwoItems, kOneScale));
  CHECK_FALSE(ins.has_profile());
  auto plan = attune::ScoringPlan::compile(ins);
  CHECK_FALSE(plan.has_profile());

  attune::BatchOptions o;
  auto run = run_batch_text(plan, "A1,a2\n2,5\n", o);
  REQUIRE(run.errors.empty());
  CHECK(header_of(run.output) == std::vector<std::string>{"total", "total_z", "total_pct", "notes"});
  Table t = read_table_text(run.output);
  CHECK(t.rows[0][0] == "3.5");  // (2 + 5) / 2
  CHECK(t.rows[0][3].empty());   // no "profile not computed" note

  o.format = attune::OutputFormat::jsonl;
  auto j = nlohmann::json::parse(run_batch_text(plan, "A1,a2\n2,5\n", o).output);
  CHECK(j.size() == 4);
  for (const char* k : {"secure", "anxious", "avoidant", "fearful", "category", "confidence", "method"}) CHECK_FALSE(j.contains(k));
  CHECK(j["notes"].is_null());

  auto result = attune::score(plan, answers(plan, {{"A1", 2}, {"a2", 5}}));
  CHECK(result.notes.empty());
  auto doc = nlohmann::json::parse(attune::to_json(plan, result));
  CHECK_FALSE(doc.contains("profile"));
  CHECK(doc["scales"][0]["raw"].get<double>() == 3.5);

  // The normalized text loads again, still without a profile.
  CHECK_FALSE(load(ins.to_json()).has_profile());
  attune::ScoringOptions so;
  so.profile_method = "quadrant";
  CHECK_THROWS_AS(attune::ScoringPlan::compile(ins, so), attune::UsageError);
}

TEST_CASE("item ids in any case, and ids that differ only in case are refused") {
  auto ins = load(tiny(kTwoItems, kOneScale));
  CHECK(ins.find_item("A1") != nullptr);
  const std::string twins = R"([{"id": "A1", "position": 1, "label": "x"}, {"id": "a1", "position": 2, "label": "y"}])";
  const std::string msg = instrument_error(tiny(twins, R"([{"id": "s", "label": "S", "aggregation": "mean", "items": ["A1"], "min_answered": 1}])"));
  CHECK(msg.find("differ only in case") != std::string::npos);
  CHECK(msg.find("/items/1/id") != std::string::npos);
  // Scale ids stay lower case: they are output names.
  CHECK(instrument_error(tiny(kTwoItems, R"([{"id": "Total", "label": "T", "aggregation": "mean", "items": ["A1"], "min_answered": 1}])"))
            .find("invalid scale id") != std::string::npos);
}

TEST_CASE("columns named like the item ids match whatever their case, where one column does") {
  auto plan = attune::ScoringPlan::compile(load(tiny(kTwoItems, kOneScale)));
  // a1 for A1 and A2 for a2: each the one column equal to its id when case is ignored.
  auto run = run_batch_text(plan, "a1,A2\n2,5\n", {});
  REQUIRE(run.errors.empty());
  CHECK(read_table_text(run.output).rows[0][0] == "3.5");
  // An exact match wins over a column that differs only in case.
  run = run_batch_text(plan, "a1,A1,a2\n1,4,6\n", {});
  CHECK(read_table_text(run.output).rows[0][0] == "5");  // (4 + 6) / 2
  // Two columns that both match when case is ignored, and neither exactly: refused, not guessed.
  try {
    auto p2 = attune::ScoringPlan::compile(load(tiny(R"([{"id": "Ab", "position": 1, "label": "x"}])",
                                                     R"([{"id": "s", "label": "S", "aggregation": "mean", "items": ["Ab"], "min_answered": 1}])")));
    run_batch_text(p2, "ab,AB\n1,2\n", {});
    FAIL("ambiguous columns were accepted");
  } catch (const attune::DataError& e) {
    CHECK(std::string(e.what()).find("both match item Ab when case is ignored") != std::string::npos);
  }
  // The real ECR data names its columns Q1..Q36; the ECR's items are q1..q36: no --map needed.
  auto ecr = plan_for("ecr-r");
  std::string header, row;
  for (int i = 1; i <= 36; ++i) {
    header += (i > 1 ? "," : "") + std::string("Q") + std::to_string(i);
    row += (i > 1 ? "," : "") + std::string(i <= 18 ? "6" : "2");
  }
  auto ecr_run = run_batch_text(ecr, header + "\n" + row + "\n", {});
  CHECK(ecr_run.errors.empty());
  CHECK(ecr_run.summary.rows_scored == 1);
}

TEST_CASE("map patterns: zero padding, unknown placeholders, an item named twice") {
  auto plan = plan_for("ecr-r");
  std::string padded_header, plain_header, row;
  for (int i = 1; i <= 36; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "ECR_%02d", i);
    padded_header += (i > 1 ? "," : "") + std::string(name);
    plain_header += (i > 1 ? "," : "") + std::string("Q") + std::to_string(i);
    row += (i > 1 ? "," : "") + std::to_string(1 + (i * 5) % 7);
  }
  attune::BatchOptions padded, plain;
  padded.mapping = attune::ColumnMapping::parse("ECR_{n:02}");
  plain.mapping = attune::ColumnMapping::parse("Q{n}");
  auto a = run_batch_text(plan, padded_header + "\n" + row + "\n", padded);
  auto b = run_batch_text(plan, plain_header + "\n" + row + "\n", plain);
  REQUIRE(a.errors.empty());
  CHECK(a.output == b.output);
  // {n:03} pads to three digits; {n} next to it is not padded.
  attune::BatchOptions three;
  three.mapping = attune::ColumnMapping::parse("x{n:03}_{n}");
  std::string h3;
  for (int i = 1; i <= 36; ++i) {
    char name[24];
    std::snprintf(name, sizeof name, "x%03d_%d", i, i);
    h3 += (i > 1 ? "," : "") + std::string(name);
  }
  CHECK(run_batch_text(plan, h3 + "\n" + row + "\n", three).output == b.output);

  for (const char* bad : {"Q{x}", "Q{n:2}", "Q{n:00}", "Q{n:0}", "Q{n", "Q}{n}", "Q{N}"}) {
    INFO(bad);
    CHECK_THROWS_AS(attune::ColumnMapping::parse(bad), attune::UsageError);
  }
  try {
    attune::ColumnMapping::parse("secure=A,fearful=B,secure=C,preoccupied=D,dismissing=E");
    FAIL("an item mapped twice was accepted");
  } catch (const attune::UsageError& e) {
    CHECK(std::string(e.what()).find("names item 'secure' twice") != std::string::npos);
  }
  // Twice through a case variant of the id (a2 and A2 name one item: ids never differ only in case).
  CHECK_THROWS_AS(attune::ColumnMapping::parse("A1=x,a2=y,A2=z"), attune::UsageError);
}

TEST_CASE("a scale id that is an output column name is refused at validation") {
  for (const char* id : {"id", "notes", "category", "confidence", "method", "row", "quality_flags", "plan_mode", "plan_7", "profile_secure"}) {
    INFO(id);
    const std::string scales = std::string(R"([{"id": ")") + id + R"(", "label": "S", "aggregation": "mean", "items": ["A1"], "min_answered": 1}])";
    CHECK(instrument_error(tiny(kTwoItems, scales)).find("is the name of an output column") != std::string::npos);
  }
  const std::string z = R"([{"id": "anxiety", "label": "S", "aggregation": "mean", "items": ["A1"], "min_answered": 1},
                            {"id": "anxiety_z", "label": "S", "aggregation": "mean", "items": ["a2"], "min_answered": 1}])";
  CHECK(instrument_error(tiny(kTwoItems, z)).find("output column of scale 'anxiety'") != std::string::npos);
  const std::string pct = R"([{"id": "a_pct", "label": "S", "aggregation": "mean", "items": ["A1"], "min_answered": 1},
                              {"id": "a", "label": "S", "aggregation": "mean", "items": ["a2"], "min_answered": 1}])";
  CHECK(instrument_error(tiny(kTwoItems, pct)).find("would write a column 'a_pct', the name of an earlier scale") != std::string::npos);
  // Every shipped instrument passes.
  for (const auto& id : attune::builtin_instrument_ids()) CHECK_NOTHROW(attune::load_instrument(id));
}

TEST_CASE("RQ and RSQ: every output column name is unique, and a colliding --keep is refused") {
  for (const char* id : {"rq", "rsq"}) {
    INFO(id);
    auto plan = plan_for(id);
    attune::BatchOptions o;
    o.keep_id_column = true;
    std::vector<std::string> cols = attune::output_columns(plan, o, {"id"});
    CHECK(std::set<std::string>(cols.begin(), cols.end()).size() == cols.size());
    // The prototype ratings keep the scale ids; the dimensions get the prefix.
    CHECK(has(cols, "secure"));
    CHECK(has(cols, "profile_secure"));
    CHECK(has(cols, "profile_fearful"));
    CHECK_FALSE(has(cols, "anxious"));
  }
  // ECR-R keeps its names (no scale is named like a dimension).
  auto ecr_cols = attune::output_columns(plan_for("ecr-r"), {}, {});
  CHECK(has(ecr_cols, "secure"));
  CHECK_FALSE(has(ecr_cols, "profile_secure"));

  auto rq = plan_for("rq");
  const std::string csv = "id,category,secure,fearful,preoccupied,dismissing\np1,x,7,1,1,1\n";
  attune::BatchOptions o;
  o.format = attune::OutputFormat::jsonl;
  auto j = nlohmann::json::parse(run_batch_text(rq, csv, o).output);
  CHECK(j["secure"].get<double>() == 7);           // the rating
  CHECK(j["profile_secure"].get<double>() == 1);   // (7 - 4) / 3: midpoint 4, unit half the range
  CHECK(j["profile_fearful"].get<double>() == -1); // (1 - 4) / 3
  o.keep = {"id", "category"};
  try {
    run_batch_text(rq, csv, o);
    FAIL("a kept column named like an output column was accepted");
  } catch (const attune::UsageError& e) {
    CHECK(std::string(e.what()).find("kept column 'category' has the name of an output column") != std::string::npos);
  }
  o.keep = {"id", "id"};
  CHECK_THROWS_AS(run_batch_text(rq, csv, o), attune::UsageError);
  o.keep = {"secure"};  // an item column kept: it meets the scale column of the same name
  CHECK_THROWS_AS(run_batch_text(rq, csv, o), attune::UsageError);
}

TEST_CASE("RQ: a missing prototype rating leaves the other dimensions scored") {
  auto plan = plan_for("rq");
  // secure not answered (the first prototype): fearful 7, preoccupied 1, dismissing 4 on 1..7
  // (midpoint 4, unit 3): (7 - 4) / 3 = 1, (1 - 4) / 3 = -1, (4 - 4) / 3 = 0.
  auto run = run_batch_text(plan, "id,secure,fearful,preoccupied,dismissing\np1,,7,1,4\n", {});
  Table t = read_table_text(run.output);
  const auto& r = t.rows[0];
  CHECK(r[static_cast<std::size_t>(t.col("profile_secure"))].empty());
  CHECK(r[static_cast<std::size_t>(t.col("profile_fearful"))] == "1");
  CHECK(r[static_cast<std::size_t>(t.col("profile_anxious"))] == "-1");
  CHECK(r[static_cast<std::size_t>(t.col("profile_avoidant"))] == "0");
  CHECK(r[static_cast<std::size_t>(t.col("category"))].empty());  // the category needs all four
}

TEST_CASE("prototype confidence: tied runner-ups give the least favourable comparison") {
  // Four one-item ratings with published norms and reliabilities: SEM = sd x sqrt(1 - alpha) is
  // 0.5 for secure, anxious and fearful, 1 for avoidant (sd 2, alpha .75).
  const std::string items = R"([{"id": "s", "position": 1, "label": "x"}, {"id": "p", "position": 2, "label": "x"},
                                {"id": "d", "position": 3, "label": "x"}, {"id": "f", "position": 4, "label": "x"}])";
  auto scale = [](const char* id, const char* item) {
    return std::string(R"({"id": ")") + id + R"(", "label": "x", "aggregation": "mean", "items": [")" + item +
           R"("], "min_answered": 1, "reliability": {"alpha": 0.75}})";
  };
  const std::string scales = "[" + scale("sec", "s") + "," + scale("pre", "p") + "," + scale("dis", "d") + "," + scale("fea", "f") + "]";
  std::string text = tiny(items, scales, R"(, "profile": {"default": "highest", "methods": {"highest": {"type": "prototype",
      "secure": "sec", "anxious": "pre", "avoidant": "dis", "fearful": "fea"}}})");
  text = replace(text, R"("norms": {"status": "none", "note": "test"})",
                 R"("norms": {"status": "published", "citation": "c", "scales": {"sec": {"mean": 4, "sd": 1}, "pre": {"mean": 4, "sd": 1},
                    "dis": {"mean": 4, "sd": 2}, "fea": {"mean": 4, "sd": 1}}})");
  auto plan = attune::ScoringPlan::compile(load(text));
  // secure 7 wins; anxious and avoidant tie at 5. Against avoidant (SEM 1) the confidence is
  // Phi(2 / sqrt(0.25 + 1)) = 0.9631808649398487 (scipy.stats.norm.cdf); against anxious it would be
  // Phi(2 / sqrt(0.5)) = 0.9976611325094764.
  auto r = attune::score(plan, answers(plan, {{"s", 7}, {"p", 5}, {"d", 5}, {"f", 1}}));
  REQUIRE(r.profile.categories == std::vector<attune::Category>{attune::Category::secure});
  CHECK_THAT(r.profile.confidence, WithinAbs(0.9631808649398487, 1e-12));
  // Three runner-ups tied (fearful too): still the comparison with avoidant.
  auto r2 = attune::score(plan, answers(plan, {{"s", 7}, {"p", 5}, {"d", 5}, {"f", 5}}));
  CHECK_THAT(r2.profile.confidence, WithinAbs(0.9631808649398487, 1e-12));
}

TEST_CASE("ECR-RS: global scores on the cut are ties, decided in exact arithmetic") {
  // ECR-RS key (Fraley, Heffernan, Vicary & Brumbaugh, 2011), per domain: items 1-6 avoidance with
  // 1-4 reverse-keyed (8 - x), items 7-9 anxiety. With every item answered, global anxiety is
  // (S_mother + S_father + S_partner + S_friend) / 12 for the domains' anxiety item sums S, and
  // global avoidance is the sum of the 24 keyed avoidance answers / 24. No norms: the cut is the
  // midpoint 4, so anxiety is on it exactly when its sum is 48 and avoidance when its sum is 96.
  // Example: anxiety items all 4 -> 48 / 12 = 4, on the cut: anxious|secure or a four-way tie.
  auto plan = plan_for("ecr-rs");
  const char* domains[4] = {"mother", "father", "partner", "friend"};
  std::string csv;
  for (const char* d : domains) {
    for (int q = 1; q <= 9; ++q) csv += (csv.empty() ? "" : ",") + std::string(d) + "_q" + std::to_string(q);
  }
  csv += "\n";
  std::mt19937 rng(20261203);
  std::vector<std::string> want;
  int on_cut = 0;
  for (int row = 0; row < 5000; ++row) {
    long anx = 0, avo = 0;
    std::string line;
    for (int d = 0; d < 4; ++d) {
      for (int q = 1; q <= 9; ++q) {
        const int x = 3 + static_cast<int>(rng() % 3);  // 3..5: near the midpoint
        line += (line.empty() ? "" : ",") + std::to_string(x);
        if (q >= 7) anx += x;
        else avo += q <= 4 ? 8 - x : x;
      }
    }
    csv += line + "\n";
    const int a = anx > 48 ? 1 : (anx < 48 ? -1 : 0), v = avo > 96 ? 1 : (avo < 96 ? -1 : 0);
    on_cut += (a == 0 || v == 0) ? 1 : 0;
    std::string cat;
    auto add = [&](bool in, const char* name) { if (in) cat += (cat.empty() ? "" : "|") + std::string(name); };
    add(a <= 0 && v <= 0, "secure");
    add(a >= 0 && v <= 0, "anxious");
    add(a <= 0 && v >= 0, "avoidant");
    add(a >= 0 && v >= 0, "fearful");
    want.push_back(cat);
  }
  auto run = run_batch_text(plan, csv, {});
  Table t = read_table_text(run.output);
  REQUIRE(t.rows.size() == 5000);
  int wrong = 0;
  for (std::size_t r = 0; r < t.rows.size(); ++r) wrong += t.rows[r][static_cast<std::size_t>(t.col("category"))] != want[r] ? 1 : 0;
  CHECK(on_cut > 100);  // the sample does test the cut
  CHECK(wrong == 0);
}

TEST_CASE("bfi example instrument: psych's bfi scores equal psych::scoreItems") {
  // tests/reference/bfi_first500*.csv: tools/r/reference_bfi.R (psych::scoreItems with
  // psych::bfi.keys, impute = "none"). The columns keep bfi's own names (A1..O5).
  auto ins = attune::Instrument::from_file(source_path("examples/instruments/bfi.json"));
  CHECK_FALSE(ins.has_profile());
  auto plan = attune::ScoringPlan::compile(ins);
  RawCollector raw(plan.scale_count());
  attune::BatchOptions o;
  o.accumulators = {&raw};
  auto run = run_batch(plan, source_path("tests/reference/bfi_first500.csv"), o);
  REQUIRE(run.summary.rows_in == 500);
  REQUIRE(run.errors.empty());
  auto cols = header_of(run.output);
  CHECK(cols.front() == "id");
  CHECK_FALSE(has(cols, "category"));
  CHECK_FALSE(has(cols, "secure"));
  Table ref = read_table(source_path("tests/reference/bfi_first500_scores.csv"));
  REQUIRE(ref.rows.size() == 500);
  const std::size_t S = plan.scale_count();
  std::size_t compared = 0;
  double worst = 0;
  for (std::size_t r = 0; r < 500; ++r) {
    for (const char* sid : {"agree", "conscientious", "extraversion", "neuroticism", "openness"}) {
      const std::string& cell = ref.rows[r][static_cast<std::size_t>(ref.col(sid))];
      const double got = raw.raw[r * S + static_cast<std::size_t>(plan.scale_index(sid))];
      if (cell.empty()) {
        CHECK(std::isnan(got));
        continue;
      }
      worst = std::max(worst, std::fabs(got - std::stod(cell)));
      ++compared;
    }
  }
  CHECK(compared > 2400);
  CHECK(worst < 1e-9);
}

TEST_CASE("an instrument without a profile gets no plan and no plan columns") {
  auto plan = attune::ScoringPlan::compile(attune::Instrument::from_file(source_path("examples/instruments/bfi.json")));
  attune::Guidance guidance = attune::Guidance::from_directory(source_path("guidance/en"));
  auto result = attune::score(plan, answers(plan, {{"A1", 2}, {"A2", 4}}));
  CHECK_THROWS_AS(attune::recommend(plan, result, {}, guidance), attune::UsageError);
  CHECK_THROWS_AS(attune::PlanColumns(plan, guidance, {}, 2), attune::UsageError);
}
