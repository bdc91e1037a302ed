// Scoring files: agreement with R psych on the example and the real data, accounting for every row,
// CSV edge cases, and the same output for any chunk size and thread count.
#include "support/helpers.hpp"
#include "../src/number_format.hpp"  // internal: the batch writer's number formatter
#include "../src/number_texts.hpp"   // internal: its table of repeated numbers' texts

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include "../src/batch/tuning.hpp"

using namespace attune_test;
using Catch::Matchers::WithinAbs;

namespace {


}  // namespace

TEST_CASE("example data: scores equal R psych scoreItems, bad rows reported, none dropped") {
  auto plan = plan_for("ecr-r");
  RawCollector raw(plan.scale_count());
  auto opt = q_map();
  opt.accumulators = {&raw};
  auto run = run_batch(plan, source_path("examples/data/ecr-r-synthetic.csv"), opt);
  CHECK(run.summary.rows_in == 500);
  CHECK(run.summary.rows_scored + run.summary.rows_reported == run.summary.rows_in);
  CHECK(count_lines(run.output) == 501);  // header + one line per input row
  REQUIRE(run.errors.size() == 3);
  // The three rows made bad on purpose (examples/data/README.md).
  CHECK(run.errors[0].row == 100);
  CHECK(run.errors[0].column_name == "Q5");
  CHECK(run.errors[0].value == "9");
  CHECK(run.errors[1].row == 200);
  CHECK(run.errors[1].value == "3.5");
  CHECK(run.errors[2].row == 300);
  CHECK(run.errors[2].column_name == "Q30");
  CHECK(run.errors[2].item == "q30");
  CHECK(run.errors[2].line == 301);

  // tests/reference/ecr_r_synthetic_scores.csv: tools/r/reference_scores.R (psych::scoreItems, impute = "none")
  Table ref = read_table(source_path("tests/reference/ecr_r_synthetic_scores.csv"));
  REQUIRE(ref.rows.size() == 497);
  const int S = static_cast<int>(plan.scale_count());
  const int anx = plan.scale_index("anxiety"), avo = plan.scale_index("avoidance");
  std::size_t compared = 0;
  for (const auto& row : ref.rows) {
    const int id = std::stoi(row[0].substr(1));  // P0001 -> row 1
    const std::size_t r = static_cast<std::size_t>(id - 1);
    const int n_anx = std::stoi(row[static_cast<std::size_t>(ref.col("n_anx"))]);
    const double want = std::stod(row[static_cast<std::size_t>(ref.col("anxiety"))]);
    REQUIRE(raw.ok[r] == 1);
    if (n_anx >= 15) {
      CHECK_THAT(raw.raw[r * static_cast<std::size_t>(S) + static_cast<std::size_t>(anx)], WithinAbs(want, 1e-12));
      ++compared;
    } else {
      CHECK(std::isnan(raw.raw[r * static_cast<std::size_t>(S) + static_cast<std::size_t>(anx)]));
    }
    const double want_avo = std::stod(row[static_cast<std::size_t>(ref.col("avoidance"))]);
    if (std::stoi(row[static_cast<std::size_t>(ref.col("n_avo"))]) >= 15) {
      CHECK_THAT(raw.raw[r * static_cast<std::size_t>(S) + static_cast<std::size_t>(avo)], WithinAbs(want_avo, 1e-12));
    }
  }
  CHECK(compared >= 490);
}

TEST_CASE("real ECR data (Open Psychometrics): scores equal R psych on every 25th row") {
  const std::string path = shared_data("ecr-openpsychometrics/data.csv");
  if (!file_exists(path)) {
    WARN("shared real data absent: skipped");
    return;
  }
  attune::ScoringOptions so;
  so.data_scale = attune::ResponseScale{1, 5, {}};
  auto plan = plan_for("ecr", so);
  RawCollector raw(plan.scale_count());
  auto opt = q_map();
  opt.missing_codes = {"0"};
  opt.accumulators = {&raw};
  auto run = run_batch(plan, path, opt);
  CHECK(run.summary.rows_in == 51491);
  CHECK(run.summary.rows_reported == 0);
  const std::string ref_path = row_reference("ecr_openpsychometrics_scores.csv");
  if (ref_path.empty()) {
    WARN("row-level reference absent (tools/r/make_row_references.sh): skipped");
    return;
  }
  Table ref = read_table(ref_path);
  REQUIRE(ref.rows.size() == 2060);
  const std::size_t S = plan.scale_count();
  const std::size_t anx = static_cast<std::size_t>(plan.scale_index("anxiety")), avo = static_cast<std::size_t>(plan.scale_index("avoidance"));
  std::size_t compared = 0;
  for (const auto& row : ref.rows) {
    const std::size_t r = static_cast<std::size_t>(std::stol(row[0]) - 1);
    for (auto [scale, name, count] : {std::tuple{anx, "anxiety", "n_anx"}, std::tuple{avo, "avoidance", "n_avo"}}) {
      const int n = std::stoi(row[static_cast<std::size_t>(ref.col(count))]);
      CHECK(raw.answered[r * S + scale] == n);
      const std::string cell = row[static_cast<std::size_t>(ref.col(name))];
      if (n >= 15) {
        CHECK_THAT(raw.raw[r * S + scale], WithinAbs(std::stod(cell), 1e-12));
        ++compared;
      } else {
        CHECK(std::isnan(raw.raw[r * S + scale]));
      }
    }
  }
  CHECK(compared > 4000);
}

TEST_CASE("output does not depend on chunk size or thread count") {
  auto plan = plan_for("ecr-r");
  auto base = q_map();
  base.row_numbers = true;
  base.keep = {"id", "age"};
  base.threads = 1;
  auto one = run_batch(plan, source_path("examples/data/ecr-r-synthetic.csv"), base);
  for (std::size_t chunk : {std::size_t{512}, std::size_t{4096}, std::size_t{1} << 20}) {
    for (unsigned threads : {1u, 3u}) {
      auto o = base;
      attune::batch::set_chunk_bytes(o, chunk);
      o.threads = threads;
      auto other = run_batch(plan, source_path("examples/data/ecr-r-synthetic.csv"), o);
      INFO("chunk " << chunk << " threads " << threads);
      CHECK(other.output == one.output);
      CHECK(other.errors.size() == 3);
      CHECK(other.errors[2].row == 300);
    }
  }
  // row numbers are global: the last line starts with 500
  auto last = one.output.rfind('\n', one.output.size() - 2);
  CHECK(one.output.substr(last + 1, 4) == "500,");
}

TEST_CASE("CSV: quotes, embedded delimiters and newlines, CRLF, BOM, blank lines") {
  auto plan = plan_for("rq");
  attune::BatchOptions o;
  o.keep = {"name"};
  const std::string csv =
      "\xEF\xBB\xBFname,secure,fearful,preoccupied,dismissing\r\n"
      "\"Smith, Ann\",7,1,1,1\r\n"
      "\r\n"
      "\"two\nlines \"\"quoted\"\"\",1,7,1,1\r\n"
      "plain,1,1,7,1";  // no final newline
  auto run = run_batch_text(plan, csv, o);
  CHECK(run.summary.rows_in == 3);
  CHECK(run.summary.blank_lines == 1);
  CHECK(run.errors.empty());
  // kept fields come back quoted exactly as CSV needs them; categories follow each row's highest rating
  CHECK(run.output.find("\"Smith, Ann\",") != std::string::npos);
  CHECK(run.output.find("secure,,quadrant") == std::string::npos);  // rq's method is "highest"
  CHECK(run.output.find(",secure,,highest,") != std::string::npos);
  CHECK(run.output.find(",fearful,,highest,") != std::string::npos);
  CHECK(run.output.find(",anxious,,highest,") != std::string::npos);
  CHECK(run.output.find("\"two\nlines \"\"quoted\"\"\"") != std::string::npos);
  CHECK(run.output.find("plain,") != std::string::npos);
}

TEST_CASE("CSV: missing codes, blank cells, undeclared codes") {
  auto plan = plan_for("rq");
  attune::BatchOptions o;
  o.missing_codes = {"-99", "NA"};
  const std::string csv =
      "secure,fearful,preoccupied,dismissing\n"
      "7,-99,NA,  \n"
      "7,1,1,n/a\n";
  auto run = run_batch_text(plan, csv, o);
  CHECK(run.summary.rows_in == 2);
  CHECK(run.summary.rows_scored == 1);
  REQUIRE(run.errors.size() == 1);
  CHECK(run.errors[0].row == 2);
  CHECK(run.errors[0].column == 4);
  CHECK(run.errors[0].value == "n/a");
  CHECK(run.errors[0].reason == "not a number");
  // row 1: only secure answered; the profile needs all four ratings, so notes say what is short
  Table t = read_table_text(run.output);
  CHECK(t.rows[0][static_cast<std::size_t>(t.col("secure"))] == "7");
  CHECK(t.rows[0][static_cast<std::size_t>(t.col("fearful"))].empty());
  CHECK(t.rows[0][static_cast<std::size_t>(t.col("notes"))].find("fearful: 0 of 1") != std::string::npos);
  CHECK(t.rows[1][static_cast<std::size_t>(t.col("notes"))].find("error: not a number") != std::string::npos);
}

TEST_CASE("CSV: ragged rows are reported with their row and line") {
  auto plan = plan_for("rq");
  const std::string csv = "secure,fearful,preoccupied,dismissing\n1,2,3,4\n1,2,3\n1,2,3,4,5\n";
  auto run = run_batch_text(plan, csv, {});
  REQUIRE(run.errors.size() == 2);
  CHECK(run.errors[0].row == 2);
  CHECK(run.errors[0].line == 3);
  CHECK(run.errors[0].reason.find("3 fields") != std::string::npos);
  CHECK(run.errors[1].row == 3);
  CHECK(run.summary.rows_in == run.summary.rows_scored + run.summary.rows_reported);
}

TEST_CASE("CSV: stop at the first bad row with file, row, column, item and value") {
  auto plan = plan_for("rq");
  attune::BatchOptions o;
  o.on_error = attune::ErrorPolicy::stop;
  const std::string csv = "secure,fearful,preoccupied,dismissing\n1,2,3,4\n1,2,0,4\n";
  try {
    run_batch_text(plan, csv, o);
    FAIL("did not stop");
  } catch (const attune::AnswerError& e) {
    CHECK(e.where().row == 2);
    CHECK(e.where().column == 3);
    CHECK(e.where().column_name == "preoccupied");
    CHECK(e.where().item == "preoccupied");
    CHECK(e.where().value == "0");
    CHECK(e.where().file.find("/tmp/attune-test-") == 0);
  }
}

TEST_CASE("CSV: file-level problems") {
  auto plan = plan_for("rq");
  SECTION("empty file") { CHECK_THROWS_AS(run_batch_text(plan, "", {}), attune::DataError); }
  SECTION("missing item column names the column and hints at --map") {
    try {
      run_batch_text(plan, "secure,fearful,preoccupied\n1,2,3\n", {});
      FAIL("accepted");
    } catch (const attune::DataError& e) {
      CHECK(e.where().column_name == "dismissing");
      CHECK(std::string(e.what()).find("--map") != std::string::npos);
    }
  }
  SECTION("duplicate column names for an item") {
    CHECK_THROWS_AS(run_batch_text(plan, "secure,secure,fearful,preoccupied,dismissing\n1,1,2,3,4\n", {}), attune::DataError);
  }
  SECTION("header only: zero rows, no error") {
    auto run = run_batch_text(plan, "secure,fearful,preoccupied,dismissing\n", {});
    CHECK(run.summary.rows_in == 0);
    CHECK(count_lines(run.output) == 1);
  }
}

TEST_CASE("JSON Lines output parses and matches the CSV numbers") {
  auto plan = plan_for("ecr-r");
  auto o = q_map();
  o.format = attune::OutputFormat::jsonl;
  o.row_numbers = true;
  auto run = run_batch(plan, source_path("examples/data/ecr-r-synthetic.csv"), o);
  std::istringstream in(run.output);
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    ++n;
    CHECK(j["row"].get<std::size_t>() == n);
    if (n == 1) {
      CHECK(j["id"] == "P0001");
      CHECK_THAT(j["anxiety"].get<double>(), WithinAbs(3.22222222222222, 1e-6));
    }
    if (n == 100) CHECK(j["notes"].get<std::string>().find("error") == 0);
  }
  CHECK(n == 500);
}

TEST_CASE("column mapping by explicit list and by pairs") {
  auto plan = plan_for("rq");
  const std::string csv = "A,B,C,D\n7,1,1,1\n";
  attune::BatchOptions o;
  o.mapping = attune::ColumnMapping::parse("A,B,C,D");
  auto run = run_batch_text(plan, csv, o);
  CHECK(run.errors.empty());
  o.mapping = attune::ColumnMapping::parse("secure=D,fearful=C,preoccupied=B,dismissing=A");
  auto run2 = run_batch_text(plan, csv, o);
  Table t = read_table_text(run2.output);
  CHECK(t.rows[0][static_cast<std::size_t>(t.col("category"))] == "avoidant");  // D=1... A=7 is dismissing
  o.mapping = attune::ColumnMapping::parse("A,B,C");
  CHECK_THROWS_AS(run_batch_text(plan, csv, o), attune::UsageError);
}

// The batch writer prints numbers with its own fast formatter; the reference here is C's printf
// ("%.*f", then trailing zeros and a bare point trimmed). Values whose scaled fraction sits within
// 1e-6 of one half are skipped: printf rounds the exact binary value, the writer rounds x * 10^d.
TEST_CASE("CSV numbers equal printf's fixed notation at every number of decimals") {
  auto plan = plan_for("ecr-r");
  for (int dec : {1, 3, 6, 9}) {
    auto o = q_map();
    o.decimals = dec;
    RawCollector raw(2);
    o.accumulators = {&raw};
    auto run = run_batch(plan, source_path("examples/data/ecr-r-synthetic.csv"), o);
    auto t = read_table_text(run.output);
    REQUIRE(t.rows.size() == 500);
    const int anx = t.col("anxiety"), avo = t.col("avoidance");
    std::size_t compared = 0;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      for (int s : {0, 1}) {
        const double x = raw.raw[r * 2 + static_cast<std::size_t>(s)];
        const std::string& cell = t.rows[r][static_cast<std::size_t>(s == 0 ? anx : avo)];
        if (std::isnan(x)) { CHECK(cell.empty()); continue; }
        const double scaled = std::fabs(x) * std::pow(10.0, dec);
        if (std::fabs(scaled - std::floor(scaled) - 0.5) < 1e-6) continue;
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.*f", dec, x);
        std::string ref(buf);
        while (ref.find('.') != std::string::npos && (ref.back() == '0' || ref.back() == '.')) {
          const bool point = ref.back() == '.';
          ref.pop_back();
          if (point) break;
        }
        if (ref == "-0") ref = "0";
        INFO("row " << r + 1 << " decimals " << dec << " value " << x);
        CHECK(cell == ref);
        ++compared;
      }
    }
    CHECK(compared > 900);
  }
}

TEST_CASE("rows of one-character cells read by position equal the same rows read field by field") {
  // Files A (items last) and C (a column after the items) have the item columns in one run, the
  // layout the packed reader takes; file B has a column in the middle of the items, which sends
  // every row through the field-by-field reader. All three must give the same scores, notes and
  // error records, row by row, for rows the packed reader takes and rows it must hand back
  // (blank, two-character, non-digit and out-of-range cells).
  auto plan = plan_for("ecr-r");
  std::string a = "id", b = "id", c = "id";
  for (int i = 1; i <= 36; ++i) {
    a += ",Q" + std::to_string(i);
    b += (i == 19 ? ",mid,Q" : ",Q") + std::to_string(i);
    c += ",Q" + std::to_string(i);
  }
  c += ",age";
  const std::vector<std::pair<int, std::string>> odd = {
      {-1, ""}, {0, ""}, {7, ""}, {8, ""}, {15, ""}, {35, ""}, {35, "10"}, {0, "10"}, {20, "4.0"}, {9, "x"},
      {35, "x"}, {3, "9"}, {16, "0"}, {17, " 4"}, {31, "7"}};
  int row = 0;
  for (int rep = 0; rep < 40; ++rep) {
    for (const auto& [pos, cell] : odd) {
      std::string id = rep % 7 == 0 ? "" : rep % 5 == 0 ? std::string(40, 'k') : std::to_string(row);
      std::string first, second;
      for (int i = 0; i < 36; ++i) {
        (i < 18 ? first : second) += "," + (i == pos ? cell : std::to_string(1 + (row * 5 + i * 3) % 7));
      }
      a += "\n" + id + first + second;
      b += "\n" + id + first + ",m" + second;
      c += "\n" + id + first + second + (rep % 3 ? ",34" : ",");
      ++row;
    }
  }
  // B and C with rows of one field too many too: same column count, so the same messages.
  std::string b_ragged = b, c_ragged = c;
  for (int rep = 0; rep < 20; ++rep) {
    std::string first, second;
    for (int i = 0; i < 36; ++i) (i < 18 ? first : second) += "," + std::to_string(1 + (rep + i) % 7);
    b_ragged += "\nr" + first + ",m" + second + (rep % 2 ? ",extra" : "");
    c_ragged += "\nr" + first + second + (rep % 2 ? ",34,extra" : ",34");
  }
  // Also with missing codes: 0 (outside the scale) and 4 (a digit inside it, which turns off the
  // packed reader's eight-at-a-time conversion), and 9 (outside, declared).
  for (int variant = 0; variant < 4; ++variant) {
    const std::size_t chunk = variant % 2 ? std::size_t{256} : std::size_t{1} << 20;
    auto o = q_map();
    attune::batch::set_chunk_bytes(o, chunk);
    o.threads = 2;
    if (variant >= 2) o.missing_codes = {"0", "4", "9"};
    auto rb = run_batch_text(plan, b, o);
    CHECK(rb.summary.rows_in == static_cast<std::uint64_t>(row));
    // 10 twice, x twice, 9 and 0 out of range ("4.0" and " 4" are answers); 9 and 0 missing with the codes.
    CHECK(rb.errors.size() == 40 * (variant >= 2 ? 4 : 6));
    for (const std::string* text : {&a, &c, &c_ragged}) {
      if (text == &c_ragged) rb = run_batch_text(plan, b_ragged, o);
      auto r = run_batch_text(plan, *text, o);
      INFO("variant " << variant << (text == &a ? " items last" : text == &c ? " a column after the items" : " ragged rows"));
      CHECK(r.summary.rows_in == rb.summary.rows_in);
      CHECK(r.output == rb.output);
      REQUIRE(r.errors.size() == rb.errors.size());
      for (std::size_t k = 0; k < r.errors.size(); ++k) {
        CHECK(r.errors[k].row == rb.errors[k].row);
        CHECK(r.errors[k].column_name == rb.errors[k].column_name);
        CHECK(r.errors[k].value == rb.errors[k].value);
        CHECK(r.errors[k].reason == rb.errors[k].reason);
      }
    }
  }
}

TEST_CASE("error records name the file line of their row when blank lines precede it in an earlier chunk") {
  // Rows of 20 fields one too few (each an error) between blank lines: with 64-byte chunks every
  // row sits in a later chunk than some blank line. The expected line is counted here directly:
  // the header is line 1 and every '\n' starts a new line.
  auto plan = plan_for("ecr-r");
  std::string csv = "id";
  for (int i = 1; i <= 36; ++i) csv += ",Q" + std::to_string(i);
  std::vector<std::int64_t> expected_line;
  std::int64_t line = 1;
  for (int r = 0; r < 30; ++r) {
    if (r % 3 == 0) { csv += "\n"; ++line; }  // a blank line
    csv += "\n" + std::to_string(r) + ",1,2,3";
    ++line;
    expected_line.push_back(line);
  }
  csv += "\n";
  for (std::size_t chunk : {std::size_t{64}, std::size_t{1} << 20}) {
    auto o = q_map();
    attune::batch::set_chunk_bytes(o, chunk);
    o.threads = 2;
    auto run = run_batch_text(plan, csv, o);
    INFO("chunk " << chunk);
    REQUIRE(run.errors.size() == 30);
    CHECK(run.summary.blank_lines == 10);
    for (std::size_t k = 0; k < 30; ++k) {
      CHECK(run.errors[k].row == static_cast<std::int64_t>(k) + 1);
      CHECK(run.errors[k].line == expected_line[k]);
    }
  }
}

// A job that reads a file twice (the quality model's sums, then the scores) keeps the first
// reading's parsed rows (ParsedRows) and scores them from memory. Whatever the budget (none, a
// few chunks, the whole file), the second reading must give exactly what a fresh one gives:
// output, error records with their lines, counts; including rows spanning lines, blank lines,
// skipped rows, kept columns, row numbers and the quality columns of rows with invalid cells.
TEST_CASE("rows kept from a first reading score exactly as a fresh reading of the file, whatever the budget") {
  auto plan = plan_for("ecr-r");
  std::string csv = "id";
  for (int i = 1; i <= 36; ++i) csv += ",Q" + std::to_string(i);
  csv += ",age\nskipped,row\n";
  for (int r = 0; r < 700; ++r) {
    std::string id = r % 97 == 5 ? "\"two\nlines\"" : std::to_string(r);
    csv += id;
    for (int i = 0; i < 36; ++i) {
      const int u = (r * 37 + i * 11) % 101;
      csv += "," + (u == 0 ? std::string() : u == 1 && r % 3 == 0 ? std::string("x") : u == 2 && r % 5 == 0 ? std::string("9")
                                                                                        : std::to_string(1 + (r + i * 3) % 7));
    }
    csv += r % 50 == 7 ? "\n" : ",3" + std::to_string(r % 10) + "\n";  // some rows a field short
    if (r % 64 == 9) csv += "\n";                                       // blank lines
  }
  char name[] = "/tmp/attune-test-XXXXXX";
  const int fd = mkstemp(name);
  REQUIRE(fd >= 0);
  std::FILE* f = fdopen(fd, "wb");
  std::fwrite(csv.data(), 1, csv.size(), f);
  std::fclose(f);
  const std::string path = name;

  attune::BatchOptions o = q_map();
  o.keep = {"id", "age"};
  o.skip_rows = 1;
  o.row_numbers = true;
  attune::batch::set_chunk_bytes(o, 2048);
  o.threads = 2;
  // The quality model from the file's own sums, as `attune score --quality` builds it.
  attune::ReliabilityAccumulator model_sums(plan, true);
  std::shared_ptr<attune::QualityModel> model;
  {
    std::FILE* in = std::fopen(name, "rb");
    model = std::make_shared<attune::QualityModel>(attune::read_quality_model(plan, in, path, o, model_sums));
    std::fclose(in);
  }
  attune::QualityScorer scorer(plan, {}, model);
  o.quality = &scorer;
  const BatchRun want = run_batch(plan, path, o);
  REQUIRE(want.summary.rows_in == 700);
  REQUIRE(want.errors.size() > 20);

  for (std::size_t budget : {std::size_t{0}, std::size_t{30000}, std::size_t{1} << 30}) {
    INFO("budget " << budget);
    attune::ParsedRows kept(budget);
    std::FILE* in = std::fopen(name, "rb");
    attune::ReliabilityAccumulator sums(plan, true);
    attune::read_quality_model(plan, in, path, o, sums, {}, &kept);
    if (budget == 0) CHECK(kept.rows() == 0);
    if (budget == 30000) CHECK((kept.rows() > 50 && kept.rows() < 600 && !kept.whole_file()));
    if (budget > 30000) CHECK((kept.rows() == 700 && kept.whole_file()));
    CHECK(attune::to_json(attune::reliability(sums)) == attune::to_json(attune::reliability(model_sums)));
    const BatchRun got = run_batch_open(plan, in, path, o, &kept);
    std::fclose(in);
    CHECK(kept.rows() == 0);  // consumed
    CHECK(got.summary.rows_in == want.summary.rows_in);
    CHECK(got.summary.rows_reported == want.summary.rows_reported);
    CHECK(got.summary.blank_lines == want.summary.blank_lines);
    CHECK(got.summary.quality_any == want.summary.quality_any);
    CHECK(got.output == want.output);
    REQUIRE(got.errors.size() == want.errors.size());
    bool same = true;
    for (std::size_t k = 0; k < got.errors.size(); ++k) {
      const auto &a = got.errors[k], &b = want.errors[k];
      same = same && a.row == b.row && a.line == b.line && a.column == b.column && a.value == b.value && a.reason == b.reason;
    }
    CHECK(same);
  }
  std::remove(name);
}

// The batch writer's number formatter against printf ("%.*f", trailing zeros and a bare point
// trimmed, "-0" as "0") on many values at every number of decimals; values whose scaled fraction
// sits within 1e-6 (or the product's own rounding error) of one half are skipped: printf rounds the
// binary value, the writer rounds the double x * 10^d.
TEST_CASE("fixed-point formatter equals printf at 0 to 9 decimals") {
  std::uint64_t state = 42;
  auto next = [&] { state = state * 6364136223846793005ULL + 1442695040888963407ULL; return state >> 11; };
  std::size_t compared = 0, mismatched = 0;
  std::string first_bad;
  for (int i = 0; i < 200000; ++i) {
    const int dec = i % 10;
    const double mag = std::pow(10.0, static_cast<double>(next() % 12) - 4);
    double x = (static_cast<double>(next()) / 9007199254740992.0) * mag;
    if (next() % 2) x = -x;
    if (i % 7 == 0) x = std::round(x * std::pow(10.0, dec % 4)) / std::pow(10.0, dec % 4);  // short fractions too
    const double scaled = std::fabs(x) * std::pow(10.0, dec);
    if (std::fabs(scaled - std::floor(scaled) - 0.5) < std::max(1e-6, scaled * 4e-16) || scaled >= 9.0e17) continue;
    char ref[64], got[64];
    std::snprintf(ref, sizeof ref, "%.*f", dec, x);
    std::string r(ref);
    if (r.find('.') != std::string::npos) {
      while (r.back() == '0') r.pop_back();
      if (r.back() == '.') r.pop_back();
    }
    if (r == "-0") r = "0";
    const std::string g(got, attune::detail::format_fixed(x, dec, got));
    ++compared;
    if (g != r) {
      ++mismatched;
      if (first_bad.empty()) first_bad = "decimals " + std::to_string(dec) + ": " + g + " vs printf " + r;
    }
  }
  INFO(first_bad);
  CHECK(mismatched == 0);
  CHECK(compared > 190000);
}

TEST_CASE("a repeated number's text from the table equals the formatter's, through collisions and evictions") {
  // 16 slots for a few hundred repeating values, so most lookups meet another value's entry; the
  // mix also has zeros of both signs, NaN and texts too long to keep (the %.17g fallback). Trial 0:
  // the table keeps looking however few lookups hit.
  attune::detail::NumberTexts table(4, 0);
  auto fmt = [](double x, char* w) { return attune::detail::format_fixed_d<6>(x, w); };
  std::uint64_t state = 7;
  auto next = [&] { state = state * 6364136223846793005ULL + 1442695040888963407ULL; return state >> 11; };
  std::size_t mismatched = 0, written = 0;
  std::string first_bad;
  for (int i = 0; i < 50000; ++i) {
    double x = 0;
    switch (next() % 6) {
      case 0: x = static_cast<double>(18 + next() % 109) / 18.0; break;      // a mean of 18 answers
      case 1: x = -static_cast<double>(next() % 300) / 97.0; break;
      case 2: x = next() % 2 ? 0.0 : -0.0; break;
      case 3: x = std::nan(""); break;
      case 4: x = 1e12 + static_cast<double>(next() % 1000) / 7.0; break;     // longer than a slot
      default: x = static_cast<double>(next() % 64) * 0.125 - 4; break;       // exact short fractions
    }
    char got[64], want[64];
    std::memset(got, 'x', sizeof got);
    const std::size_t n = table.put(x, got);
    const std::size_t m = fmt(x, want);
    const std::string g(got, n), w(want, m);
    if (n > 0) ++written;
    if (g != w) {
      ++mismatched;
      if (first_bad.empty()) first_bad = "value " + std::to_string(x) + ": table " + g + " vs formatter " + w;
    }
  }
  INFO(first_bad);
  CHECK(mismatched == 0);
  CHECK(written > 35000);  // NaN (a sixth of the draws) writes nothing
  CHECK(table.looking());
}

TEST_CASE("a number-text table stops looking after its trial unless 15 in 16 lookups hit, and its texts stay the formatter's") {
  using attune::detail::NumberTexts;
  auto same = [](NumberTexts& t, double x) {
    char got[64], want[64];
    const std::size_t n = t.put(x, got);
    return std::string(got, n) == std::string(want, attune::detail::format_fixed_d<6>(x, want));
  };
  // 40 values in 1,024 slots: past each value's first lookup nearly all hit (4,056 of 4,096 if no
  // two share a slot; 15/16 is 3,840).
  NumberTexts few(10, 4096);
  // Every value new: no lookup ever hits.
  NumberTexts fresh(10, 4096);
  // Exactly on the line: 255 new values and one repeated (256 misses), then 3,840 hits of the
  // repeated value = 15/16 of 4,096.
  NumberTexts edge(10, 4096);
  // One miss more than the line allows.
  NumberTexts below(10, 4096);
  std::size_t bad = 0;
  for (int i = 0; i < 4096; ++i) {
    bad += same(few, 1.0 + (i % 40) / 8.0) ? 0 : 1;
    bad += same(fresh, 1.0 + i / 4096.0) ? 0 : 1;
    bad += same(edge, i < 255 ? 2.0 + i / 512.0 : 1.5) ? 0 : 1;
    bad += same(below, i < 256 ? 2.0 + i / 512.0 : 1.5) ? 0 : 1;
    if (i == 4094) {  // the decision falls on the trial's last lookup
      CHECK(few.looking());
      CHECK(fresh.looking());
    }
  }
  CHECK(few.looking());
  CHECK_FALSE(fresh.looking());
  CHECK(edge.looking());
  CHECK_FALSE(below.looking());
  // After the decision both kinds still write the formatter's texts.
  for (int i = 0; i < 1000; ++i) {
    bad += same(few, 1.0 + (i % 40) / 8.0) ? 0 : 1;
    bad += same(fresh, -3.0 + i / 7.0) ? 0 : 1;
  }
  CHECK(bad == 0);
}
