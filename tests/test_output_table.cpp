// The one table of output columns (src/batch/columns.hpp, issue 19): the names output_columns()
// gives, the groups the CSV and JSON Lines writers walk, the CSV row bound computed from it, and the
// profile's avoidant and fearful columns written from the profile's own dimensions.
#include <attune/batch.hpp>
#include <attune/irt.hpp>
#include <attune/norms.hpp>
#include <attune/scoring_plan.hpp>

#include <catch2/catch.hpp>

#include "../src/batch/columns.hpp"      // internal: the table of columns
#include "../src/batch/write/row_norms.hpp"  // internal: a row's norm cell from its kept text
#include "../src/batch/write/text_rows.hpp"  // internal: the writers of a chunk
#include "support/helpers.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace {

// One scored row through a writer, with the dimensions given (the rest of its scores are made up:
// only the writer is under test).
std::string table_writer_row(const attune::ScoringPlan& plan, attune::OutputFormat format, const double (&dims)[4]) {
  using namespace attune::batch;
  attune::BatchOptions opt;
  opt.format = format;
  opt.keep_id_column = false;
  const MissingCodes codes(opt.missing_codes);
  std::atomic<bool> cancel{false};
  Layout layout;
  const std::vector<OutputColumn> columns = output_table(plan, opt, {});
  Job job{&plan, &layout, &opt, &codes, "test", &cancel, false, nullptr, false, &columns};
  Workspace ws;
  const std::size_t S = plan.data().n_scales;
  ws.scores.resize(1, S);
  for (std::size_t s = 0; s < S; ++s) {
    ws.scores.raw[s] = 3.5;
    ws.scores.z[s] = 0.25;
    ws.scores.percentile[s] = 60;
    ws.scores.answered[s] = 18;
  }
  for (int c = 0; c < 4; ++c) ws.scores.dimensions[static_cast<std::size_t>(c)] = dims[c];
  ws.scores.category[0] = 1;  // secure
  ws.scores.confidence[0] = 0.5;
  ws.error_of.assign(1, -1);
  ws.row_line.assign(1, 0);
  ws.kept_end.assign(1, 0);
  ws.kept.assign(attune::batch::kTextSlack, '\0');
  ChunkResult res;
  res.rows = 1;
  format_rows(job, ws, res);
  return res.text.substr(0, res.text_len);
}

}  // namespace

TEST_CASE("output table: names, groups and the CSV row bound come from one table") {
  const attune::ScoringPlan plan = attune_test::plan_for("ecr-r");
  attune::BatchOptions opt;
  opt.row_numbers = true;
  const auto table = attune::batch::output_table(plan, opt, {"id"});
  const auto names = attune::output_columns(plan, opt, {"id"});
  REQUIRE(table.size() == names.size());
  for (std::size_t i = 0; i < table.size(); ++i) CHECK(table[i].name == names[i]);
  const std::vector<std::string> expected = {"row", "id", "anxiety", "anxiety_z", "anxiety_pct", "avoidance", "avoidance_z",
                                             "avoidance_pct", "secure", "anxious", "avoidant", "fearful", "category",
                                             "confidence", "method", "notes"};
  CHECK(names == expected);
  // Every column a plan can have (row numbers and the quality columns; no kept column): what the
  // .sav writer takes its labels and types from, and the widest CSV row.
  const auto every = attune::batch::every_column(plan);
  REQUIRE(every.size() == 1 + 6 + 7 + 9 + 1);
  using G = attune::batch::ColumnGroup;
  const auto runs = attune::batch::column_runs(every);
  REQUIRE(runs.size() == 5);
  const G groups[5] = {G::row_number, G::scales, G::profile, G::quality, G::notes};
  const std::size_t counts[5] = {1, 6, 7, 9, 1};
  for (std::size_t k = 0; k < 5; ++k) {
    CHECK(runs[k].group == groups[k]);
    CHECK(runs[k].count == counts[k]);
  }
  // The bound by hand: 32 bytes of block-copy slack; 34 per number or count (a formatted number
  // takes at most 32 bytes, then its delimiter): 6 scale columns, 4 dimensions, confidence, 6
  // quality indices and 2 counts = 19 x 34 = 646; the fixed texts with their delimiters: the
  // longest category set "secure|anxious|avoidant|fearful" (31 + 1), the method "quadrant" (8 + 1),
  // and the longest flag set, all seven names joined by '|':
  // longstring|irv|even_odd|synonyms|mahalanobis|share_answered|out_of_range (66 + 6 = 72, + 1).
  CHECK(attune::batch::csv_row_bound(every) == 32 + 19 * 34 + 32 + 9 + 73);
  bool category_is_text = false;
  for (const auto& c : every) {
    CHECK_FALSE(c.label.empty());
    if (c.name == "category") category_is_text = c.type == attune::batch::ColumnType::text;
  }
  CHECK(category_is_text);
}

TEST_CASE("output table: avoidant and fearful are the profile's own dimensions in CSV as in JSON Lines") {
  const attune::ScoringPlan plan = attune_test::plan_for("ecr-r");  // quadrant: the plane's projections
  // Dimensions that are not the plane's projections (avoidant != -anxious, fearful != -secure), as a
  // profile method of another kind could give: both writers must write them as they are.
  const double odd[4] = {0.25, -0.5, 0.125, 0.75};
  const auto csv = attune_test::split_csv_line(table_writer_row(plan, attune::OutputFormat::csv, odd));
  // anxiety, anxiety_z, anxiety_pct, avoidance, avoidance_z, avoidance_pct, then the dimensions.
  REQUIRE(csv.size() >= 10);
  CHECK(csv[6] == "0.25");
  CHECK(csv[7] == "-0.5");
  CHECK(csv[8] == "0.125");   // before: "0.5", the negated anxious
  CHECK(csv[9] == "0.75");    // before: "-0.25", the negated secure
  const std::string json = table_writer_row(plan, attune::OutputFormat::jsonl, odd);
  CHECK(json.find("\"avoidant\":0.125,") != std::string::npos);
  CHECK(json.find("\"fearful\":0.75,") != std::string::npos);
  // The plane's projections themselves still come out as before (formatted once, negated as text).
  const double plane[4] = {0.25, -0.5, 0.5, -0.25};
  const auto csv2 = attune_test::split_csv_line(table_writer_row(plan, attune::OutputFormat::csv, plane));
  REQUIRE(csv2.size() >= 10);
  CHECK(csv2[8] == "0.5");
  CHECK(csv2[9] == "-0.25");
}

TEST_CASE("output table: --irt adds theta and its SE per calibrated scale after the profile, in the CSV bound") {
  const attune::ScoringPlan plan = attune_test::ecr_on_1to5();
  std::vector<std::string> ids;
  for (const auto& item : plan.instrument().items) ids.push_back(item.id);
  const attune::irt::ThetaScorer scorer(attune::irt::load_calibration("ecr-openpsychometrics-1to5"), ids, plan.data_scale());
  attune::BatchOptions opt;
  const auto plain = attune::batch::output_table(plan, opt, {});
  opt.theta = &scorer;
  const auto table = attune::batch::output_table(plan, opt, {});
  const auto names = attune::output_columns(plan, opt, {});
  // The shipped calibration lists avoidance, then anxiety (its file's order).
  const std::vector<std::string> expected = {"avoidance", "avoidance_z", "avoidance_pct", "anxiety", "anxiety_z", "anxiety_pct",
                                             "secure", "anxious", "avoidant", "fearful", "category", "confidence", "method",
                                             "avoidance_theta", "avoidance_theta_se", "anxiety_theta", "anxiety_theta_se", "notes"};
  CHECK(names == expected);
  using G = attune::batch::ColumnGroup;
  for (std::size_t k = 0; k < 4; ++k) {
    CHECK(table[13 + k].group == G::theta);
    CHECK(table[13 + k].index == k);
    CHECK(table[13 + k].type == attune::batch::ColumnType::number);
    CHECK_FALSE(table[13 + k].label.empty());
  }
  // Four more numbers, 34 bytes each (a formatted number and its delimiter).
  CHECK(attune::batch::csv_row_bound(table) == attune::batch::csv_row_bound(plain) + 4 * 34);
  // The .sav writer's labels: the same columns with the scorer, none without.
  std::size_t with = 0, without = 0;
  for (const auto& c : attune::batch::every_column(plan, &scorer)) with += c.group == G::theta;
  for (const auto& c : attune::batch::every_column(plan)) without += c.group == G::theta;
  CHECK(with == 4);
  CHECK(without == 0);
}

TEST_CASE("output table: --norm-group adds norm_cell and z, percentile per normed scale after theta, before quality") {
  const attune::ScoringPlan plan = attune_test::ecr_on_1to5();
  const attune::norms::FileNorms norms(attune::norms::load_norm_set("ecr-openpsychometrics-1to5"), plan, "sex", "age", false);
  attune::BatchOptions opt;
  const auto plain = attune::batch::output_table(plan, opt, {});
  opt.norms = &norms;
  opt.quality = nullptr;
  const auto names = attune::output_columns(plan, opt, {"sex", "age"});
  const std::vector<std::string> expected = {"sex", "age", "avoidance", "avoidance_z", "avoidance_pct", "anxiety", "anxiety_z",
                                             "anxiety_pct", "secure", "anxious", "avoidant", "fearful", "category", "confidence",
                                             "method", "norm_cell", "avoidance_norm_z", "avoidance_norm_pct", "anxiety_norm_z",
                                             "anxiety_norm_pct", "notes"};
  CHECK(names == expected);
  const auto table = attune::batch::output_table(plan, opt, {});
  using G = attune::batch::ColumnGroup;
  CHECK(table[13].group == G::norms);
  CHECK(table[13].type == attune::batch::ColumnType::text);
  // The longest cell text is "all: gender and age not recognised" (34 bytes): room for it quoted, doubled.
  CHECK(table[13].max_text == 2 * 34 + 2);
  CHECK(table[14].label.find("ecr-openpsychometrics-1to5") != std::string::npos);
  // The cell (its longest text and a delimiter) and four numbers of 34 bytes each.
  CHECK(attune::batch::csv_row_bound(table) == attune::batch::csv_row_bound(plain) + (2 * 34 + 2 + 1) + 4 * 34);
  std::size_t labelled = 0;
  for (const auto& c : attune::batch::every_column(plan, nullptr, false, &norms)) labelled += c.group == G::norms;
  CHECK(labelled == 5);
}

TEST_CASE("output table: a row's gender and age are read back from its kept text as the readers escaped it") {
  using attune::batch::kept_field;
  bool escaped = true;
  // Kept text as written for a delimited output: each field then the delimiter; a field holding the
  // delimiter or a quote is quoted (and can be no gender or age).
  const std::string csv = "p1;female;30;";
  CHECK(kept_field(csv, 1, false, ';', escaped) == "female");
  CHECK_FALSE(escaped);
  CHECK(kept_field(csv, 2, false, ';', escaped) == "30");
  const std::string quoted = "\"a;b\";\"x \"\"y\"\"\";41;";
  CHECK(kept_field(quoted, 2, false, ';', escaped) == "41");
  CHECK_FALSE(escaped);
  kept_field(quoted, 1, false, ';', escaped);
  CHECK(escaped);
  // JSON Lines: "key":"value" pairs; an escape inside a value marks it.
  const std::string json = R"("id":"p\"1","sex":"male","age":"")";
  CHECK(kept_field(json, 1, true, ',', escaped) == "male");
  CHECK_FALSE(escaped);
  CHECK(kept_field(json, 2, true, ',', escaped).empty());
  kept_field(json, 0, true, ',', escaped);
  CHECK(escaped);
  // Ages: whole numbers of years, blanks around and a ".0" tail allowed; anything else is unknown.
  CHECK(attune::batch::read_age(" 30 ") == 30);
  CHECK(attune::batch::read_age("30.0") == 30);
  CHECK(attune::batch::read_age("30.5") == -1);
  CHECK(attune::batch::read_age("thirty") == -1);
  CHECK(attune::batch::read_age("") == -1);
  CHECK(attune::batch::read_age("-3") == -1);
}

TEST_CASE("output table: theta norm columns follow the mean score's, only with a theta scorer and the set's calibration") {
  const attune::ScoringPlan plan = attune_test::ecr_on_1to5();
  std::vector<std::string> ids;
  for (const auto& item : plan.instrument().items) ids.push_back(item.id);
  const attune::irt::Calibration cal = attune::irt::load_calibration("ecr-openpsychometrics-1to5");
  const attune::irt::ThetaScorer scorer(cal, ids, plan.data_scale());
  attune::norms::FileNorms norms(attune::norms::load_norm_set("ecr-openpsychometrics-1to5"), plan, "sex", "age", false);
  // The rule one person's result follows: EAPs of the set's own calibration only.
  const std::string& date = cal.provenance.date;
  const std::string& sha = cal.provenance.input_sha256;
  CHECK(attune::norms::theta_norms_apply(norms.set, date, sha, false));
  CHECK_FALSE(attune::norms::theta_norms_apply(norms.set, date, sha, true));
  CHECK_FALSE(attune::norms::theta_norms_apply(norms.set, "2026-01-01T00:00:00Z", sha, false));
  CHECK_FALSE(attune::norms::theta_norms_apply(norms.set, date, std::string(64, '0'), false));
  norms.add_theta(plan, {scorer.scale_id(0), scorer.scale_id(1)});
  attune::BatchOptions opt;
  opt.norms = &norms;
  // Without theta columns there is no theta to stand in a table: no theta norm columns either.
  const auto no_theta = attune::output_columns(plan, opt, {});
  CHECK(std::find(no_theta.begin(), no_theta.end(), "anxiety_theta_norm_pct") == no_theta.end());
  opt.theta = &scorer;
  const auto names = attune::output_columns(plan, opt, {});
  const std::vector<std::string> tail = {"avoidance_theta", "avoidance_theta_se", "anxiety_theta", "anxiety_theta_se", "norm_cell",
                                         "avoidance_norm_z", "avoidance_norm_pct", "anxiety_norm_z", "anxiety_norm_pct",
                                         "avoidance_theta_norm_z", "avoidance_theta_norm_pct", "anxiety_theta_norm_z",
                                         "anxiety_theta_norm_pct", "notes"};
  REQUIRE(names.size() >= tail.size());
  CHECK(std::vector<std::string>(names.end() - static_cast<std::ptrdiff_t>(tail.size()), names.end()) == tail);
  // Their places in the norm group's values: after the two mean scores' z and percentile.
  const auto table = attune::batch::output_table(plan, opt, {});
  const auto& last = table[table.size() - 2];
  CHECK(last.group == attune::batch::ColumnGroup::norms);
  CHECK(last.index == 8);
  CHECK(last.label == "anxiety: percentile of theta in the norm set ecr-openpsychometrics-1to5 (cell in norm_cell)");
  std::size_t labelled = 0;
  for (const auto& c : attune::batch::every_column(plan, &scorer, false, &norms)) labelled += c.group == attune::batch::ColumnGroup::norms;
  CHECK(labelled == 9);
}
