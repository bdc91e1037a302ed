// Bad inputs from docs/robustness.md that the other test files do not already cover: each asserts
// what attune does (error kind, location, rows accounting) so the table in the docs stays true.
#include "support/helpers.hpp"
#include "support/sav_output.hpp"
#include "support/sav_records.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <sys/types.h>
#include <unistd.h>
#include <string>
#include "../src/batch/tuning.hpp"

using namespace attune_test;

namespace {

void check_accounting(const BatchRun& run) {
  CHECK(run.summary.rows_in == run.summary.rows_scored + run.summary.rows_reported);
  CHECK(run.errors.size() == run.summary.rows_reported);
}

const std::string kRqHeader = "id,secure,fearful,preoccupied,dismissing\n";

// One RQ row whose `secure` cell is `cell`; returns the run.
BatchRun one_cell(const attune::ScoringPlan& plan, const std::string& cell) {
  return run_batch_text(plan, kRqHeader + "p1," + cell + ",1,1,1\n", {});
}

// An endless line of '1' bytes through stdio, so a 100 MB record costs no test memory.
struct Ones {
  std::size_t left;
};
ssize_t ones_read(void* cookie, char* buf, std::size_t size) {
  auto* o = static_cast<Ones*>(cookie);
  const std::size_t n = std::min(size, o->left);
  std::memset(buf, '1', n);
  o->left -= n;
  return static_cast<ssize_t>(n);
}

const std::string kTiny = R"({
  "format": "attune-instrument/1", "id": "tiny", "version": "1", "name": "Tiny", "short_name": "T",
  "citations": [{"id": "c", "text": "Test instrument"}], "key_source": "c",
  "verified": {"status": false, "note": "test"},
  "response_scale": {"min": 1, "max": 5},
  "items": [{"id": "a", "position": 1, "label": "a"}, {"id": "b", "position": 2, "label": "b"},
            {"id": "extra", "position": 3, "label": "on no scale"}],
  "scales": [{"id": "s", "label": "S", "aggregation": "mean", "items": ["a", "b"], "reverse": ["b"], "min_answered": 1},
             {"id": "t", "label": "T", "aggregation": "mean", "items": ["a"], "min_answered": 1}],
  "norms": {"status": "none", "note": "test"},
  "profile": {"default": "q", "methods": {"q": {"type": "quadrant", "anxiety": "s", "avoidance": "t"}}}
})";

// FAKE wording: a test pack never holds published item text.
const std::string kPack = R"({"format": "attune-text-pack/1", "instrument": "rq", "lang": "en",
 "anchors": {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six", "7": "seven"},
 "items": {"secure": "FAKE A", "fearful": "FAKE B", "preoccupied": "FAKE C", "dismissing": "FAKE D"}})";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("robustness: duplicate ids are independent rows, all kept") {
  auto plan = plan_for("rq");
  auto run = run_batch_text(plan, kRqHeader + "p1,7,1,1,1\np1,1,7,1,1\n", {});
  CHECK(run.summary.rows_in == 2);
  CHECK(run.summary.rows_scored == 2);
  Table t = read_table_text(run.output);
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0][0] == "p1");
  CHECK(t.rows[1][0] == "p1");
  CHECK(t.rows[0][static_cast<std::size_t>(t.col("category"))] == "secure");
  CHECK(t.rows[1][static_cast<std::size_t>(t.col("category"))] == "fearful");
}

TEST_CASE("robustness: an unterminated quote is one reported row, nothing after the quote becomes a row") {
  auto plan = plan_for("rq");
  SECTION("at the end of the file") {
    // Before the fix the text after the opening quote was read again as a second, scored row.
    auto run = run_batch_text(plan, kRqHeader + "p1,\"1,2,3,4\n", {});
    CHECK(run.summary.rows_in == 1);
    CHECK(run.summary.rows_scored == 0);
    REQUIRE(run.errors.size() == 1);
    CHECK(run.errors[0].reason == "CSV syntax: unterminated quoted field");
    CHECK(run.errors[0].line == 2);
    CHECK(run.errors[0].column_name == "secure");
    check_accounting(run);
  }
  SECTION("later lines are read as rows again") {
    auto run = run_batch_text(plan, kRqHeader + "p1,7,\"1,2,3\np2,1,2,3,4\n", {});
    CHECK(run.summary.rows_in == 2);
    CHECK(run.summary.rows_scored == 1);
    REQUIRE(run.errors.size() == 1);
    CHECK(run.errors[0].row == 1);
    CHECK(count_lines(run.output) == 3);  // header + one line per row
    CHECK(run.output.find("\np2,") != std::string::npos);
    check_accounting(run);
  }
}

TEST_CASE("robustness: an embedded NUL byte is data, not an end of string") {
  auto plan = plan_for("rq");
  const char raw[] = "a\0b,1,2,3,4\nc,1\0,2,3,4\n";
  const std::string csv = kRqHeader + std::string(raw, sizeof raw - 1);
  auto run = run_batch_text(plan, csv, {});
  CHECK(run.summary.rows_in == 2);
  CHECK(run.output.find(std::string("\na\0b,", 5)) != std::string::npos);  // the id is kept whole
  REQUIRE(run.errors.size() == 1);
  CHECK(run.errors[0].row == 2);
  CHECK(run.errors[0].reason == "not a number");
  CHECK(run.errors[0].value == std::string("1\0", 2));
  check_accounting(run);
}

TEST_CASE("robustness: invalid UTF-8 in a kept column leaves JSON Lines valid (U+FFFD)") {
  auto plan = plan_for("rq");
  attune::BatchOptions o;
  o.format = attune::OutputFormat::jsonl;
  // \xff and \xfe never occur in UTF-8, \xc3 alone is a truncated sequence, \xed\xa0\x80 a surrogate,
  // \xc0\xaf an overlong '/'; "\xc3\xa9" (e acute) and "\xf0\x9f\x99\x82" (an emoji) are valid.
  const std::string csv = kRqHeader + "\xff\xfe,1,2,3,4\nx\xc3,1,2,3,4\n\xed\xa0\x80\xc0\xaf,1,2,3,4\n\xc3\xa9\xf0\x9f\x99\x82,1,2,3,4\n";
  auto run = run_batch_text(plan, csv, o);
  CHECK(run.summary.rows_in == 4);
  std::istringstream in(run.output);
  std::string line;
  std::vector<std::string> ids;
  while (std::getline(in, line)) {
    nlohmann::json j;
    REQUIRE_NOTHROW(j = nlohmann::json::parse(line));
    ids.push_back(j["id"].get<std::string>());
  }
  REQUIRE(ids.size() == 4);
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(ids[0] == fffd + fffd);                            // one U+FFFD per bad byte
  CHECK(ids[1] == "x" + fffd);
  CHECK(ids[2] == fffd + fffd + fffd + fffd + fffd);       // surrogate (3 bytes) + overlong (2 bytes)
  CHECK(ids[3] == "\xc3\xa9\xf0\x9f\x99\x82");             // valid UTF-8 passes through unchanged
}

TEST_CASE("robustness: lone CR line endings are refused with a clear message, CRLF is fine") {
  auto plan = plan_for("rq");
  SECTION("in the header: the whole file is refused") {
    try {
      run_batch_text(plan, "id,secure,fearful,preoccupied,dismissing\rp1,1,2,3,4\r", {});
      FAIL("accepted");
    } catch (const attune::DataError& e) {
      CHECK(std::string(e.what()).find("lone CR") != std::string::npos);
      CHECK(e.where().line == 1);
    }
  }
  SECTION("in a data row: that row is reported, the others scored") {
    auto run = run_batch_text(plan, kRqHeader + "p1,1,2,3,4\rp2,1,2,3,4\np3,1,2,3,4\r\n", {});
    CHECK(run.summary.rows_in == 2);
    CHECK(run.summary.rows_scored == 1);
    REQUIRE(run.errors.size() == 1);
    CHECK(run.errors[0].reason.find("lone CR") != std::string::npos);
    check_accounting(run);
  }
}

TEST_CASE("robustness: a 100 MB line stops at the record limit with a limit error") {
  auto plan = plan_for("rq");
  // The header, then 100 MB without a line end, streamed: memory stays near the 64 MiB limit.
  Ones ones{100u << 20};
  cookie_io_functions_t io{};
  io.read = ones_read;
  std::FILE* in = fopencookie(&ones, "r", io);
  REQUIRE(in);
  std::FILE* out = std::tmpfile();
  attune::BatchOptions o;
  REQUIRE(o.max_record_bytes == (64u << 20));  // the documented default
  SECTION("in the header") {
    try {
      attune::score_csv(plan, in, "big.csv", out, o, [](const attune::RowError&) {});
      FAIL("accepted");
    } catch (const attune::LimitError& e) {
      CHECK(e.kind() == attune::ErrorKind::limit);
      CHECK(e.where().file == "big.csv");
      CHECK(std::string(e.what()).find("67108864") != std::string::npos);
    }
    CHECK(ones.left > 0);  // it stopped before reading everything
  }
  std::fclose(in);
  std::fclose(out);
}

TEST_CASE("robustness: a long data record over a small limit names its row") {
  auto plan = plan_for("rq");
  attune::BatchOptions o;
  o.max_record_bytes = 1000;
  attune::batch::set_chunk_bytes(o, 256);
  const std::string csv = kRqHeader + "p1,1,2,3,4\np2," + std::string(5000, '1') + ",2,3,4\n";
  CHECK_THROWS_AS(run_batch_text(plan, csv, o), attune::LimitError);
}

TEST_CASE("robustness: every kind of cell value") {
  auto plan = plan_for("rq");
  struct Case {
    const char* cell;
    const char* reason;  // nullptr: accepted
    double value;        // when accepted (NaN: missing)
  };
  const double missing = std::nan("");
  const Case cases[] = {
      {"NaN", "not a number", 0},       {"nan", "not a number", 0},
      {"inf", "not a number", 0},       {"-inf", "not a number", 0},
      {"Infinity", "not a number", 0},  {"abc", "not a number", 0},
      {"0x3", "not a number", 0},
      {"-1", "out of range", 0},        {"0", "out of range", 0},
      {"8", "out of range", 0},         {"-0", "out of range", 0},
      {"1e999", "infinite", 0},     {"3.5", "not a whole number", 0},
      {".5", "not a whole number", 0},  {"2.0", nullptr, 2},
      {"1e0", nullptr, 1},              {"+2", nullptr, 2},
      {"07", nullptr, 7},               {" 3 ", nullptr, 3},
      {"\t3", nullptr, 3},              {"", nullptr, missing},
      {"   ", nullptr, missing},
  };
  for (const Case& c : cases) {
    INFO("cell '" << c.cell << "'");
    auto run = one_cell(plan, c.cell);
    CHECK(run.summary.rows_in == 1);
    check_accounting(run);
    if (c.reason) {
      REQUIRE(run.errors.size() == 1);
      CHECK(run.errors[0].reason.find(c.reason) != std::string::npos);
      CHECK(run.errors[0].value == c.cell);
      CHECK(run.errors[0].item == "secure");
      CHECK(run.errors[0].column == 2);
    } else {
      REQUIRE(run.errors.empty());
      Table t = read_table_text(run.output);
      const std::string& got = t.rows.at(0).at(static_cast<std::size_t>(t.col("secure")));
      if (std::isnan(c.value)) CHECK(got.empty());
      else CHECK(std::stod(got) == c.value);
    }
  }
}

TEST_CASE("robustness: every answer missing is a scored row with notes, not an error") {
  auto plan = plan_for("ecr-r");
  attune::BatchOptions o;
  o.mapping = attune::ColumnMapping::parse("Q{n}");
  std::string header = "id";
  for (int n = 1; n <= 36; ++n) header += ",Q" + std::to_string(n);
  std::string empty_row = "p1" + std::string(36, ',');
  // Row 2: 14 of 18 anxiety items answered, below ECR-R's minimum of 15; avoidance complete.
  std::string short_row = "p2";
  for (int n = 1; n <= 36; ++n) short_row += (n <= 4) ? "," : ",4";
  auto run = run_batch_text(plan, header + "\n" + empty_row + "\n" + short_row + "\n", o);
  CHECK(run.summary.rows_in == 2);
  CHECK(run.summary.rows_scored == 2);
  CHECK(run.summary.rows_with_notes == 2);
  Table t = read_table_text(run.output);
  const auto anx = static_cast<std::size_t>(t.col("anxiety")), avo = static_cast<std::size_t>(t.col("avoidance"));
  const auto notes = static_cast<std::size_t>(t.col("notes"));
  CHECK(t.rows[0][anx].empty());
  CHECK(t.rows[0][avo].empty());
  CHECK(t.rows[0][notes].find("anxiety: 0 of 18 answered, minimum 15") != std::string::npos);
  CHECK(t.rows[1][anx].empty());
  CHECK(t.rows[1][notes].find("anxiety: 14 of 18 answered, minimum 15") != std::string::npos);
  CHECK(std::stod(t.rows[1][avo]) == 4.0);  // all 4 with reversed 4s: (1 + 7) - 4 = 4
}

TEST_CASE("robustness: an item on no scale is allowed, validated, and counts nowhere") {
  attune::Instrument ins = attune::Instrument::from_json_text(kTiny, "tiny.json");
  auto plan = attune::ScoringPlan::compile(ins);
  attune::Responses r(plan);
  CHECK_THROWS_AS(r.set("extra", 9), attune::AnswerError);  // still checked against the scale
  r.set("a", 5);
  r.set("b", 5);
  auto with = attune::score(plan, r);
  r.set("extra", 1);
  auto without = attune::score(plan, r);
  CHECK(raw(with, "s") == raw(without, "s"));
  CHECK(raw(with, "s") == 3.0);  // (5 + (1 + 5 - 5)) / 2
}

TEST_CASE("robustness: instrument limits") {
  SECTION("JSON nested 100 levels (over the limit of 64) is a limit error naming the file") {
    std::string deep(100, '[');
    deep += std::string(100, ']');
    try {
      attune::Instrument::from_json_text(deep, "deep.json");
      FAIL("loaded");
    } catch (const attune::Error& e) {
      CHECK(e.kind() == attune::ErrorKind::limit);
      CHECK(e.where().file == "deep.json");
    }
  }
  SECTION("a huge response scale maximum is refused by range, not by allocation") {
    try {
      attune::Instrument::from_json_text(replace(kTiny, R"("max": 5)", R"("max": 1000000000)"), "big.json");
      FAIL("loaded");
    } catch (const attune::Error& e) {
      CHECK(e.kind() == attune::ErrorKind::instrument);
      CHECK(e.where().json_path == "/response_scale/max");
    }
  }
}

TEST_CASE("robustness: JSON answers: deep nesting, huge numbers, wrong types") {
  auto plan = plan_for("ecr-r");
  auto kind_of = [&](const std::string& text) {
    try {
      attune::responses_from_json(plan, text, "p.json");
    } catch (const attune::Error& e) {
      return e.kind();
    }
    return attune::ErrorKind::internal;  // accepted
  };
  CHECK(kind_of(std::string(10000, '[') + std::string(10000, ']')) == attune::ErrorKind::limit);
  CHECK(kind_of(R"({"q1": 1e400})") == attune::ErrorKind::answer);
  CHECK(kind_of(R"({"q1": 99999999999999999999})") == attune::ErrorKind::answer);
  CHECK(kind_of(R"({"q1": true})") == attune::ErrorKind::answer);
  CHECK(kind_of(R"({"q1": 1)") == attune::ErrorKind::answer);
  CHECK(kind_of("") == attune::ErrorKind::answer);
}

TEST_CASE("robustness: text packs with unknown or missing items") {
  auto rq = attune::load_instrument("rq");
  CHECK_NOTHROW(attune::TextPack::from_json_text(kPack, "pack.json", rq));
  auto fails_at = [&](const std::string& text) -> std::string {
    try {
      attune::TextPack::from_json_text(text, "pack.json", rq);
    } catch (const attune::TextPackError& e) {
      CHECK(e.where().file == "pack.json");
      return e.where().json_path;
    }
    return "(loaded)";
  };
  CHECK(fails_at(replace(kPack, R"(, "dismissing": "FAKE D")", "")) == "/items");
  CHECK(fails_at(replace(kPack, R"("dismissing": "FAKE D")", R"("dismissing": "FAKE D", "zz": "FAKE")")) == "/items/zz");
  CHECK(fails_at(replace(kPack, R"("7": "seven")", R"("8": "eight")")) == "/anchors/8");
  CHECK(fails_at(replace(kPack, R"("instrument": "rq")", R"("instrument": "ecr-r")")) == "/instrument");
  try {
    attune::TextPack::from_json_text(std::string(10000, '['), "pack.json", rq);
    FAIL("loaded");
  } catch (const attune::Error& e) {
    // the depth limit, reported as a limit or (wrapped by the pack loader) a text pack error
    CHECK((e.kind() == attune::ErrorKind::limit || e.kind() == attune::ErrorKind::text_pack));
    CHECK(std::string(e.what()).find("deeper than 64") != std::string::npos);
  }
}

TEST_CASE("robustness: a .sav file truncated in the middle is a data error, never partial success") {
  auto plan = plan_for("rq");
  // A real .sav from attune's own writer (scores of 40 synthetic rows), then cut in half.
  std::string csv = kRqHeader;
  for (int i = 1; i <= 40; ++i) csv += "p" + std::to_string(i) + "," + std::to_string(i % 7 + 1) + ",2,3,4\n";
  const auto run = sav_of_scores(plan, csv, {});
  CHECK(run.summary.rows_in == 40);
  const std::string& bytes = run.bytes;
  REQUIRE(bytes.size() > 1000);

  auto read_all = [](const std::string& path) {
    attune::InputOptions o;
    o.format = attune::InputFormat::sav;
    attune::TabularInput in(path, o);
    return read_decoded(in);
  };
  char name[] = "/tmp/attune-test-XXXXXX";
  const int fd = mkstemp(name);
  REQUIRE(fd >= 0);
  const std::string path = name;
  auto write_file = [&](std::size_t size) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(bytes.data(), 1, size, f);
    std::fclose(f);
  };
  write_file(bytes.size());
  CHECK(sav_records_table(read_all(path)).rows.size() == 40);  // the whole file reads: 40 cases
  for (std::size_t cut : {bytes.size() / 2, bytes.size() - 10, std::size_t{100}}) {
    INFO("cut at " << cut << " of " << bytes.size() << " bytes");
    write_file(cut);
    try {
      read_all(path);
      FAIL("a truncated file read without an error");
    } catch (const attune::Error& e) {
      CHECK((e.kind() == attune::ErrorKind::data || e.kind() == attune::ErrorKind::io));
      CHECK(e.where().file == path);
    }
  }
  close(fd);
  std::remove(name);
}

TEST_CASE("robustness: zero where an integer must be at least 1 is refused (fuzz_instrument crash)") {
  // tests/fuzz/crashes/fuzz_instrument-position-zero.json: nlohmann keeps 0 as an unsigned number,
  // and the range check skipped the lower bound for unsigned values, so position 0 loaded and
  // compiling the plan wrote item index -1.
  auto fails_at = [](const std::string& text) -> std::string {
    try {
      attune::Instrument::from_json_text(text, "zero.json");
    } catch (const attune::Error& e) {
      CHECK(e.kind() == attune::ErrorKind::instrument);
      return e.where().json_path;
    }
    return "(loaded)";
  };
  CHECK(fails_at(replace(kTiny, R"({"id": "a", "position": 1)", R"({"id": "a", "position": 0)")) == "/items/0/position");
  CHECK(fails_at(replace(kTiny, R"("items": ["a"], "min_answered": 1)", R"("items": ["a"], "min_answered": 0)")) ==
        "/scales/1/min_answered");
  const std::string crash = read_file(source_path("tests/fuzz/crashes/fuzz_instrument-position-zero.json"));
  CHECK(fails_at(crash) == "/items/0/position");
}

TEST_CASE("robustness: a .sav whose variable has no name is a data error (fuzz_sav crash)") {
  // tests/fuzz/crashes/fuzz_sav-variable-without-name.sav: ReadStat returned a NULL name, which
  // was assigned to a std::string (a NULL read on the converter thread).
  attune::InputOptions o;
  o.format = attune::InputFormat::sav;
  const std::string path = source_path("tests/fuzz/crashes/fuzz_sav-variable-without-name.sav");
  try {
    attune::TabularInput in(path, o);
    char b[4096];
    while (std::fread(b, 1, sizeof b, in.csv()) > 0) {
    }
    in.finish();
    FAIL("read without an error");
  } catch (const attune::Error& e) {
    CHECK(e.kind() == attune::ErrorKind::data);
    CHECK(e.where().file == path);
  }
}
