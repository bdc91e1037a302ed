// Readers and writers beyond CSV: JSON Lines in, SPSS .sav in (user-missing, labels, truncation)
// and out (round trip), and the Qualtrics extra-header hint. Every .sav here is synthetic, written
// by ReadStat's writer inside the test.
#include "support/helpers.hpp"
#include "support/sav_output.hpp"
#include "support/sav_records.hpp"

#include <attune/formats.hpp>

#include <catch2/catch.hpp>
#include <readstat.h>

#include <cmath>
#include <cstring>
#include <unistd.h>

using namespace attune_test;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& suffix) {
    char name[] = "/tmp/attune-readers-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    ::close(fd);
    std::remove(name);
    path = std::string(name) + suffix;
  }
  ~TempFile() { std::remove(path.c_str()); }
  void write(const std::string& text) const {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
};

std::string slurp(std::FILE* f) {
  std::string s;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  return s;
}

attune::BatchOptions q_map_two_threads() {
  attune::BatchOptions o;
  o.mapping = attune::ColumnMapping::parse("Q{n}");
  o.threads = 2;
  return o;
}

// Scores any input through TabularInput, as the CLI does.
BatchRun run_input(const attune::ScoringPlan& plan, const std::string& path, attune::BatchOptions opt, attune::InputOptions in_opt = {}) {
  in_opt.format = attune::input_format_for(path);
  in_opt.delimiter = opt.delimiter;
  attune::TabularInput src(path, in_opt);
  BatchRun run;
  std::FILE* out = std::tmpfile();
  try {
    run.summary = src.run([&] {
      return attune::score_csv(plan, src.csv(), src.name(), out, opt, [&](const attune::RowError& e) {
        attune::RowError l = e;
        src.locate(l);
        run.errors.push_back(l);
      });
    });
  } catch (...) {
    std::fclose(out);
    throw;
  }
  std::rewind(out);
  run.output = slurp(out);
  std::fclose(out);
  return run;
}

// Where the AnswerError of stop mode points.
attune::Location stop_location(const attune::ScoringPlan& plan, const std::string& path, attune::BatchOptions opt) {
  opt.on_error = attune::ErrorPolicy::stop;
  try {
    run_input(plan, path, opt);
  } catch (const attune::AnswerError& e) {
    return e.where();
  }
  FAIL("no error in stop mode");
  return {};
}

// ECR-R answers by position: anxiety is items 1-18 (9 and 11 reversed), avoidance 19-36 (20, 22,
// 26-31, 33-36 reversed).
std::vector<double> ecr_r_pattern() {
  std::vector<double> a(36);
  for (int i = 0; i < 18; ++i) a[static_cast<std::size_t>(i)] = 7;
  for (int i = 18; i < 36; ++i) a[static_cast<std::size_t>(i)] = 1;
  return a;
}
// By hand: anxiety = (16 x 7 + 2 x (8 - 7)) / 18 = 114 / 18 = 6.333333;
// avoidance = (6 x 1 + 12 x (8 - 1)) / 18 = 90 / 18 = 5.
constexpr double kAnxiety = 114.0 / 18.0;
constexpr double kAvoidance = 5.0;

ssize_t write_bytes(const void* data, size_t len, void* ctx) {
  return std::fwrite(data, 1, len, static_cast<std::FILE*>(ctx)) == len ? static_cast<ssize_t>(len) : -1;
}

// A synthetic ECR-R .sav: id (string, value-labelled), group (numeric, labelled), Q1..Q36 with 9 as a
// user-missing code on every item. Row 1: the pattern; row 2: the pattern with Q1 = 9 (user-missing)
// and Q2 system-missing; row 3: Q5 = 8 (out of range).
void write_sav_fixture(const std::string& path, int rows = 3) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  REQUIRE(f);
  readstat_writer_t* w = readstat_writer_init();
  readstat_set_data_writer(w, write_bytes);
  readstat_variable_t* id = readstat_add_variable(w, "id", READSTAT_TYPE_STRING, 8);
  readstat_variable_set_label(id, "respondent");
  readstat_label_set_t* groups = readstat_add_label_set(w, READSTAT_TYPE_DOUBLE, "groups");
  readstat_label_double_value(groups, 1, "students");
  readstat_label_double_value(groups, 2, "staff");
  readstat_variable_t* group = readstat_add_variable(w, "group", READSTAT_TYPE_DOUBLE, 0);
  readstat_variable_set_label(group, "sample group");
  readstat_variable_set_label_set(group, groups);
  std::vector<readstat_variable_t*> q;
  for (int i = 1; i <= 36; ++i) {
    readstat_variable_t* v = readstat_add_variable(w, ("Q" + std::to_string(i)).c_str(), READSTAT_TYPE_DOUBLE, 0);
    readstat_variable_add_missing_double_value(v, 9);
    q.push_back(v);
  }
  REQUIRE(readstat_begin_writing_sav(w, f, rows) == READSTAT_OK);
  for (int r = 0; r < rows; ++r) {
    auto a = ecr_r_pattern();
    REQUIRE(readstat_begin_row(w) == READSTAT_OK);
    readstat_insert_string_value(w, id, ("P" + std::to_string(r + 1)).c_str());
    readstat_insert_double_value(w, group, r % 2 ? 2 : 1);
    for (int i = 0; i < 36; ++i) {
      const auto ui = static_cast<std::size_t>(i);
      if (r % 3 == 1 && i == 0) readstat_insert_double_value(w, q[ui], 9);
      else if (r % 3 == 1 && i == 1) readstat_insert_missing_value(w, q[ui]);
      else if (r % 3 == 2 && i == 4) readstat_insert_double_value(w, q[ui], 8);
      else readstat_insert_double_value(w, q[ui], a[ui]);
    }
    REQUIRE(readstat_end_row(w) == READSTAT_OK);
  }
  REQUIRE(readstat_end_writing(w) == READSTAT_OK);
  readstat_writer_free(w);
  std::fclose(f);
}

std::string ecr_r_header() {
  std::string h = "id";
  for (int i = 1; i <= 36; ++i) h += ",Q" + std::to_string(i);
  return h;
}

double cell(const Table& t, std::size_t row, const std::string& col) {
  const std::string& v = t.rows.at(row).at(static_cast<std::size_t>(t.col(col)));
  return v.empty() ? std::nan("") : std::stod(v);
}

}  // namespace

TEST_CASE("input format from the extension or the declared name") {
  CHECK(attune::input_format_for("a.csv") == attune::InputFormat::csv);
  CHECK(attune::input_format_for("dir.v2/a.SAV") == attune::InputFormat::sav);
  CHECK(attune::input_format_for("a.jsonl") == attune::InputFormat::jsonl);
  CHECK(attune::input_format_for("a.ndjson") == attune::InputFormat::jsonl);
  CHECK(attune::input_format_for("-", "jsonl") == attune::InputFormat::jsonl);
  CHECK(attune::input_format_for("dir.sav/data") == attune::InputFormat::csv);
  CHECK_THROWS_AS(attune::input_format_for("a.csv", "xlsx"), attune::UsageError);
}

TEST_CASE("JSON Lines in: numbers, null, strings, key order, blank lines, scores by hand") {
  auto plan = plan_for("ecr-r");
  auto a = ecr_r_pattern();
  std::string obj1 = "{\"id\": \"P\\u00e91\"";
  for (int i = 1; i <= 36; ++i) obj1 += ", \"Q" + std::to_string(i) + "\": " + std::to_string(static_cast<int>(a[static_cast<std::size_t>(i - 1)]));
  obj1 += "}";
  // Row 2: keys in reverse order, Q1 null, Q2 left out, Q3 as the string "7.0": anxiety from 16 items,
  // (14 x 7 + 2 x 1) / 16 = 100 / 16 = 6.25 (Q3 as text "7.0" is a number for the pipeline).
  std::string obj2 = "{";
  for (int i = 36; i >= 3; --i) obj2 += "\"Q" + std::to_string(i) + "\":" + (i == 3 ? std::string("\"7.0\"") : std::to_string(static_cast<int>(a[static_cast<std::size_t>(i - 1)]))) + ",";
  obj2 += "\"Q1\":null,\"id\":\"two, \\\"quoted\\\"\"}";
  TempFile f(".jsonl");
  f.write(obj1 + "\n\n" + obj2 + "\r\n");
  auto opt = q_map_two_threads();
  opt.keep = {"id"};
  auto run = run_input(plan, f.path, opt);
  CHECK(run.errors.empty());
  CHECK(run.summary.rows_in == 2);
  CHECK(run.summary.blank_lines == 1);
  auto t = read_table_text(run.output);
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0][0] == "P\xC3\xA9" "1");
  CHECK(t.rows[1][0] == "two, \"quoted\"");
  CHECK_THAT(cell(t, 0, "anxiety"), WithinAbs(kAnxiety, 1e-6));
  CHECK_THAT(cell(t, 0, "avoidance"), WithinAbs(kAvoidance, 1e-6));
  CHECK_THAT(cell(t, 1, "anxiety"), WithinAbs(6.25, 1e-6));
}

TEST_CASE("JSON Lines in: the same scores as the CSV it came from") {
  auto plan = plan_for("ecr-r");
  auto table = read_table(source_path("examples/data/ecr-r-synthetic.csv"));
  std::string jsonl;
  for (const auto& r : table.rows) {
    jsonl += "{";
    for (std::size_t c = 0; c < r.size(); ++c) {
      if (c) jsonl += ",";
      jsonl += "\"" + table.header[c] + "\":";
      const bool text = c == 0 || r[c].find_first_not_of("0123456789.-") != std::string::npos;
      jsonl += r[c].empty() ? "null" : text ? "\"" + r[c] + "\"" : r[c];
    }
    jsonl += "}\n";
  }
  TempFile f(".jsonl");
  f.write(jsonl);
  auto from_json = run_input(plan, f.path, q_map_two_threads());
  auto from_csv = run_batch(plan, source_path("examples/data/ecr-r-synthetic.csv"), q_map_two_threads());
  CHECK(from_json.output == from_csv.output);
  REQUIRE(from_json.errors.size() == from_csv.errors.size());
  for (std::size_t i = 0; i < from_json.errors.size(); ++i) {
    CHECK(from_json.errors[i].row == from_csv.errors[i].row);
    CHECK(from_json.errors[i].line == from_csv.errors[i].row);  // one object per line, no blank lines
    CHECK(from_json.errors[i].column_name == from_csv.errors[i].column_name);
  }
}

TEST_CASE("JSON Lines in: broken input names the file, line and key") {
  auto plan = plan_for("ecr-r");
  std::string good = "{\"id\": 1";
  for (int i = 1; i <= 36; ++i) good += ", \"Q" + std::to_string(i) + "\": 4";
  good += "}\n";
  struct Case { std::string line3; std::string message; std::string key; };
  const std::vector<Case> cases = {
      {"{\"id\": 3, \"Q1\": 4", "expected ',' or '}'", "Q1"},
      {"[1, 2]", "not a JSON object", ""},
      {"{\"id\": 3, \"Q7\": {\"a\": 1}}", "nested", "Q7"},
      {"{\"id\": 3, \"Q99\": 4}", "key not in the first line", "Q99"},
      {"{\"id\": 3, \"Q2\": 4, \"Q2\": 5}", "duplicate key", "Q2"},
      {"{\"id\": 3, \"Q2\": 01}", "bad number", "Q2"},
      {"{\"id\": \"a\\x\"}", "bad escape", "id"},
      {"{\"id\": 3} trailing", "text after the object", ""},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.line3) {
      TempFile f(".jsonl");
      f.write(good + good + c.line3 + "\n" + good);
      try {
        run_input(plan, f.path, q_map_two_threads());
        FAIL("no error");
      } catch (const attune::DataError& e) {
        CHECK(e.where().file == f.path);
        CHECK(e.where().line == 3);
        CHECK(e.where().column_name == c.key);
        CHECK_THAT(e.message(), Contains(c.message));
      }
    }
  }
  SECTION("a bad answer is a row error at its JSON Lines line; stop mode throws it there") {
    TempFile f(".jsonl");
    std::string bad = good;
    bad.replace(bad.find("\"Q5\": 4"), 7, "\"Q5\": \"often\"");
    f.write(good + "\n" + bad);
    auto run = run_input(plan, f.path, q_map_two_threads());
    REQUIRE(run.errors.size() == 1);
    CHECK(run.errors[0].row == 2);
    CHECK(run.errors[0].line == 3);
    CHECK(run.errors[0].column_name == "Q5");
    CHECK(run.errors[0].value == "often");
    const attune::Location at = stop_location(plan, f.path, q_map_two_threads());
    CHECK(at.line == 3);
    CHECK(at.row == 2);
    CHECK(at.item == "q5");
  }
  SECTION("an empty file") {
    TempFile f(".jsonl");
    f.write("\n\n");
    CHECK_THROWS_AS(run_input(plan, f.path, q_map_two_threads()), attune::DataError);
  }
}

TEST_CASE("JSON Lines in: a kept string with a line feed keeps its value, and the rows after it their own lines") {
  // The old reader turned JSON Lines into CSV text: "a\nb" became a quoted field over two CSV lines,
  // so every later row's errors named a line one too far (line 3 for the object on line 2).
  auto plan = plan_for("rq");
  TempFile f(".jsonl");
  f.write("{\"id\": \"a\\nb, \\\"c\\\"\", \"secure\": 1, \"fearful\": 2, \"preoccupied\": 3, \"dismissing\": 4}\n"
          "{\"id\": \"x\\r\\ny\", \"secure\": \"x\", \"fearful\": 2, \"preoccupied\": 3, \"dismissing\": 4}\n"
          "\n"
          "{\"id\": \"z\", \"secure\": 1, \"fearful\": 2, \"preoccupied\": 3, \"dismissing\": 9}\n");
  attune::BatchOptions opt;
  opt.keep = {"id"};
  opt.threads = 2;
  auto run = run_input(plan, f.path, opt);
  REQUIRE(run.errors.size() == 2);
  CHECK(run.errors[0].row == 2);
  CHECK(run.errors[0].line == 2);  // the object's own line in the .jsonl file
  CHECK(run.errors[0].value == "x");
  CHECK(run.errors[1].row == 3);
  CHECK(run.errors[1].line == 4);  // after a blank line
  CHECK(run.errors[1].value == "9");
  CHECK(run.summary.blank_lines == 1);
  // The kept value is the JSON string exactly: quoted once in the CSV output, and back.
  CHECK(run.output.find("\n\"a\nb, \"\"c\"\"\",") != std::string::npos);
  CHECK(run.output.find("\n\"x\r\ny\",") != std::string::npos);
  SECTION("stop mode names the same line") {
    const attune::Location at = stop_location(plan, f.path, opt);
    CHECK(at.row == 2);
    CHECK(at.line == 2);
  }
}

TEST_CASE(".sav in: user-missing and system-missing are missing, labels kept, bad answers reported") {
  auto plan = plan_for("ecr-r");
  TempFile f(".sav");
  write_sav_fixture(f.path);
  auto opt = q_map_two_threads();
  opt.keep = {"id", "group"};
  auto run = run_input(plan, f.path, opt);
  CHECK(run.summary.rows_in == 3);
  auto t = read_table_text(run.output);
  REQUIRE(t.rows.size() == 3);
  CHECK(t.rows[0][0] == "P1");
  CHECK(t.rows[0][1] == "1");
  CHECK_THAT(cell(t, 0, "anxiety"), WithinAbs(kAnxiety, 1e-6));
  CHECK_THAT(cell(t, 0, "avoidance"), WithinAbs(kAvoidance, 1e-6));
  // Row 2: Q1 = 9 is user-missing and Q2 system-missing, so anxiety is the mean of 16 items:
  // (14 x 7 + 2 x 1) / 16 = 6.25. Were 9 read as an answer, the row would be an error instead.
  CHECK_THAT(cell(t, 1, "anxiety"), WithinAbs(6.25, 1e-6));
  // Row 3: Q5 = 8 is out of range for 1..7: one error record naming the case and the column.
  REQUIRE(run.errors.size() == 1);
  CHECK(run.errors[0].row == 3);
  CHECK(run.errors[0].column_name == "Q5");
  CHECK(run.errors[0].value == "8");
  CHECK(run.errors[0].line == -1);

  SECTION("value labels for kept columns, and the dictionary") {
    attune::InputOptions in;
    in.value_label_columns = {"group"};
    auto labelled = run_input(plan, f.path, opt, in);
    auto lt = read_table_text(labelled.output);
    CHECK(lt.rows[0][1] == "students");
    CHECK(lt.rows[1][1] == "staff");
    attune::InputOptions plain;
    plain.format = attune::InputFormat::sav;
    attune::TabularInput src(f.path, plain);
    read_decoded(src);
    auto vars = src.variables();
    REQUIRE(vars.size() == 38);
    CHECK(vars[0].name == "id");
    CHECK(vars[0].label == "respondent");
    CHECK(vars[0].is_string);
    CHECK(vars[1].label == "sample group");
    REQUIRE(vars[1].value_labels.size() == 2);
    CHECK(vars[1].value_labels[1].second == "staff");
  }
  SECTION("rewinding decodes again: two passes read the same cells") {
    attune::InputOptions in;
    in.format = attune::InputFormat::sav;
    attune::TabularInput src(f.path, in);
    const std::string first = slurp(src.csv());
    REQUIRE(std::fseek(src.csv(), 0, SEEK_SET) == 0);
    CHECK(slurp(src.csv()) == first);
    const Table t = sav_records_table(first);
    REQUIRE(t.header.size() >= 4);
    CHECK(t.header[0] == "id");
    CHECK(t.header[1] == "group");
    CHECK(t.header[2] == "Q1");
    CHECK(t.header[3] == "Q2");
  }
}

TEST_CASE(".sav in: a truncated or damaged file is a DataError naming the file, never a crash") {
  auto plan = plan_for("ecr-r");
  TempFile whole(".sav");
  write_sav_fixture(whole.path, 40);
  std::FILE* f = std::fopen(whole.path.c_str(), "rb");
  const std::string bytes = slurp(f);
  std::fclose(f);
  REQUIRE(bytes.size() > 1000);
  TempFile cut(".sav");
  int checked = 0;
  for (std::size_t n = 0; n < bytes.size(); n += n < 600 ? 13 : 211) {
    cut.write(bytes.substr(0, n));
    try {
      run_input(plan, cut.path, q_map_two_threads());
      FAIL("no error for a file cut at " << n << " of " << bytes.size() << " bytes");
    } catch (const attune::Error& e) {
      INFO("cut at " << n << ": " << e.what());
      CHECK((e.kind() == attune::ErrorKind::data || e.kind() == attune::ErrorKind::io));
      CHECK(e.where().file == cut.path);
    }
    ++checked;
  }
  CHECK(checked > 20);
  SECTION("not a .sav at all") {
    cut.write("id,Q1\n1,2\n");
    CHECK_THROWS_AS(run_input(plan, cut.path, q_map_two_threads()), attune::DataError);
  }
  SECTION("a missing file is an IoError") {
    attune::InputOptions in;
    in.format = attune::InputFormat::sav;
    CHECK_THROWS_AS(attune::TabularInput("/nonexistent/x.sav", in), attune::IoError);
  }
}

TEST_CASE(".sav out: scores -> .sav -> our reader give the CSV's numbers, labels and types") {
  auto plan = plan_for("ecr-r");
  auto opt = q_map_two_threads();
  opt.keep = {"id", "age"};
  auto csv = run_batch(plan, source_path("examples/data/ecr-r-synthetic.csv"), opt);
  const auto run = sav_of_file(plan, source_path("examples/data/ecr-r-synthetic.csv"), opt);
  CHECK(run.summary.rows_in == 500);
  TempFile sav(".sav");
  sav.write(run.bytes);

  attune::InputOptions in;
  in.format = attune::InputFormat::sav;
  attune::TabularInput src(sav.path, in);
  auto a = read_table_text(csv.output);
  auto b = sav_records_table(read_decoded(src));
  REQUIRE(a.header == b.header);
  REQUIRE(a.rows.size() == b.rows.size());
  std::size_t numbers = 0;
  for (std::size_t r = 0; r < a.rows.size(); ++r) {
    for (std::size_t c = 0; c < a.header.size(); ++c) {
      const std::string& x = a.rows[r][c];
      const std::string& y = b.rows[r][c];
      char* end = nullptr;
      const double dx = x.empty() ? 0 : std::strtod(x.c_str(), &end);
      if (!x.empty() && end == x.c_str() + x.size() && a.header[c] != "id") {
        INFO(a.header[c] << " row " << r + 1);
        CHECK(std::strtod(y.c_str(), nullptr) == dx);  // the same double
        ++numbers;
      } else {
        INFO(a.header[c] << " row " << r + 1);
        CHECK(y == x);  // text, and empty (system-missing) cells
      }
    }
  }
  CHECK(numbers > 500 * 6);  // age, two scales, four dimensions, confidence (no norms: z and pct empty)
  auto vars = src.variables();
  auto find = [&](const std::string& n) -> const attune::SavVariable& {
    for (const auto& v : vars) if (v.name == n) return v;
    throw std::runtime_error("no variable " + n);
  };
  CHECK_THAT(find("anxiety").label, Contains("mean of keyed items"));
  CHECK_FALSE(find("anxiety").is_string);
  CHECK(find("category").is_string);
  CHECK(find("notes").is_string);
  CHECK(find("id").is_string);
  CHECK_FALSE(find("age").is_string);
}

TEST_CASE("Qualtrics-style exports: two text rows under the header fail early with the --skip-rows hint") {
  auto plan = plan_for("ecr-r");
  std::string header = ecr_r_header(), question = "id", import = "\"{\"\"ImportId\"\":\"\"id\"\"}\"", data = "P1";
  for (int i = 1; i <= 36; ++i) {
    question += ",\"Question " + std::to_string(i) + ", in our words\"";
    import += ",\"{\"\"ImportId\"\":\"\"QID" + std::to_string(i) + "\"\"}\"";
    data += ",4";
  }
  TempFile f(".csv");
  f.write(header + "\n" + question + "\n" + import + "\n" + data + "\n");
  std::FILE* in = std::fopen(f.path.c_str(), "rb");
  auto opt = q_map_two_threads();
  try {
    attune::check_extra_header_rows(plan, in, f.path, opt);
    FAIL("no error");
  } catch (const attune::DataError& e) {
    CHECK(e.where().file == f.path);
    CHECK(e.where().row == 1);
    CHECK(e.where().column_name == "Q1");
    CHECK_THAT(e.message(), Contains("Qualtrics"));
    CHECK_THAT(e.expected(), Contains("--skip-rows 2"));
  }
  CHECK(std::ftell(in) == 0);  // the look-ahead leaves the stream where it was
  opt.skip_rows = 2;
  CHECK_NOTHROW(attune::check_extra_header_rows(plan, in, f.path, opt));
  auto run = run_batch(plan, f.path, opt);
  CHECK(run.summary.rows_in == 1);
  CHECK(run.errors.empty());
  std::fclose(in);

  SECTION("ordinary files and a single bad first row are left to the pipeline") {
    TempFile g(".csv");
    g.write(header + "\n" + data + "\n" + data + "\n" + data + "\n");
    std::FILE* gin = std::fopen(g.path.c_str(), "rb");
    CHECK_NOTHROW(attune::check_extra_header_rows(plan, gin, g.path, q_map_two_threads()));
    std::fclose(gin);
    g.write(header + "\n" + question + "\n" + data + "\n" + data + "\n");
    gin = std::fopen(g.path.c_str(), "rb");
    CHECK_NOTHROW(attune::check_extra_header_rows(plan, gin, g.path, q_map_two_threads()));
    std::fclose(gin);
  }

  SECTION("a question row longer than the first look-ahead (64 KB) is still read whole") {
    // Question texts of 3,000 characters: the row is about 110 KB, so the look-ahead has to grow.
    std::string long_question = "id";
    for (int i = 1; i <= 36; ++i) long_question += ",\"Question " + std::to_string(i) + " " + std::string(3000, 'q') + "\"";
    TempFile g(".csv");
    g.write(header + "\n" + long_question + "\n" + import + "\n" + data + "\n");
    std::FILE* gin = std::fopen(g.path.c_str(), "rb");
    CHECK_THROWS_AS(attune::check_extra_header_rows(plan, gin, g.path, q_map_two_threads()), attune::DataError);
    CHECK(std::ftell(gin) == 0);
    std::fclose(gin);
  }
}
