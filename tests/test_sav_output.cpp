// The .sav writer (src/io/formats_sav_writer.cpp, src/batch/write/sav_rows.cpp): every column of the
// table of output columns reaches the .sav with the value the CSV output shows, read back through
// attune's own .sav reader; and an input that cannot be read twice is refused before anything is written.
#include <attune/irt.hpp>
#include <attune/norms.hpp>

#include "support/helpers.hpp"
#include "support/sav_output.hpp"
#include "support/sav_records.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <unistd.h>
#include "../src/batch/tuning.hpp"

using namespace attune_test;

namespace {

// 40 rows: ids and a gender that need quoting (a quote, a delimiter), an age left empty, a row with
// an answer off the scale (an error: no theta, no norm cell) and one with most answers missing.
std::string sav_output_input() {
  std::string csv = "id,sex,age";
  for (int j = 1; j <= 36; ++j) csv += ",Q" + std::to_string(j);
  csv += "\n";
  const char* const sexes[4] = {"female", "male", "x", "\"f,emale\""};
  for (int i = 1; i <= 40; ++i) {
    csv += i == 3 ? "\"p\"\"3,x\"" : "p" + std::to_string(i);
    csv += std::string(",") + sexes[i % 4] + "," + (i == 9 ? "" : std::to_string(18 + (i * 7) % 50));
    for (int j = 1; j <= 36; ++j) {
      const bool missing = i == 7 && j > 4;
      csv += "," + (i == 5 && j == 2 ? std::string("9") : missing ? std::string() : std::to_string((i * j * 7 + j) % 5 + 1));
    }
    csv += "\n";
  }
  return csv;
}

bool sav_number_text(const std::string& x, double& v) {
  if (x.empty()) return false;
  char* end = nullptr;
  v = std::strtod(x.c_str(), &end);
  return end == x.c_str() + x.size();
}

}  // namespace

TEST_CASE(".sav out: theta, norm and theta norm columns reach the .sav through the table, with the values the text output shows") {
  const attune::ScoringPlan plan = ecr_on_1to5();
  std::vector<std::string> ids;
  for (const auto& item : plan.instrument().items) ids.push_back(item.id);
  const attune::irt::ThetaScorer scorer(attune::irt::load_calibration("ecr-openpsychometrics-1to5"), ids, plan.data_scale());
  attune::norms::FileNorms norms(attune::norms::load_norm_set("ecr-openpsychometrics-1to5"), plan, "sex", "age", false);
  norms.add_theta(plan, {scorer.scale_id(0), scorer.scale_id(1)});  // the set's theta tables fit the shipped calibration
  attune::BatchOptions opt = q_map();
  opt.keep = {"id"};
  opt.theta = &scorer;
  opt.norms = &norms;
  opt.row_numbers = true;
  opt.decimals = 3;  // the .sav holds 0.123, as the text shows, not the unrounded number
  opt.threads = 2;
  attune::batch::set_chunk_bytes(opt, 1024);  // several chunks, whose shapes are merged
  const std::string input = sav_output_input();
  const auto text = run_batch_text(plan, input, opt);
  const auto sav = sav_of_scores(plan, input, opt);
  CHECK(sav.summary.rows_in == 40);
  CHECK(sav.summary.rows_reported == 1);
  REQUIRE(sav.errors.size() == 1);
  CHECK(sav.errors[0].row == 5);

  char name[] = "/tmp/attune-sav-out-XXXXXX";
  const int fd = mkstemp(name);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, sav.bytes.data(), sav.bytes.size()) == static_cast<ssize_t>(sav.bytes.size()));
  ::close(fd);
  attune::InputOptions in;
  in.format = attune::InputFormat::sav;
  attune::TabularInput src(name, in);
  const Table a = read_table_text(text.output);
  const Table b = sav_records_table(read_decoded(src));
  const auto vars = src.variables();
  std::remove(name);
  REQUIRE(a.header == b.header);
  REQUIRE(a.rows.size() == 40);
  REQUIRE(b.rows.size() == 40);
  std::map<std::string, const attune::SavVariable*> var;
  for (const auto& v : vars) var[v.name] = &v;
  std::map<std::string, int> numbers;  // per column: cells compared as numbers
  for (std::size_t r = 0; r < 40; ++r) {
    for (std::size_t c = 0; c < a.header.size(); ++c) {
      INFO(a.header[c] << " row " << r + 1 << ": text '" << a.rows[r][c] << "', .sav '" << b.rows[r][c] << "'");
      double x = 0;
      if (!var.at(a.header[c])->is_string && sav_number_text(a.rows[r][c], x)) {
        CHECK(std::strtod(b.rows[r][c].c_str(), nullptr) == x);  // the same double
        ++numbers[a.header[c]];
      } else {
        CHECK(b.rows[r][c] == a.rows[r][c]);  // texts, and empty (system-missing) cells
      }
    }
  }
  CHECK(a.rows[2][1] == "p\"3,x");  // a kept text with a quote and a delimiter, as written
  CHECK(a.rows[2][2] == "f,emale");
  CHECK(numbers["row"] == 40);
  CHECK(numbers["avoidance_theta"] >= 35);  // all but the error row and a scale answered by none
  CHECK(numbers["anxiety_theta_se"] >= 35);
  CHECK(numbers["avoidance_norm_z"] >= 35);
  CHECK(numbers["anxiety_norm_pct"] >= 35);
  CHECK(numbers["avoidance_theta_norm_z"] >= 35);  // the norms of theta, with --irt and --norm-group
  CHECK(numbers["anxiety_theta_norm_pct"] >= 35);
  CHECK(var.at("norm_cell")->is_string);
  CHECK(var.at("id")->is_string);
  CHECK_FALSE(var.at("age")->is_string);
  CHECK(var.at("anxiety_theta")->label == "anxiety: theta, posterior mean (EAP), graded response model");
  CHECK(var.at("avoidance_norm_z")->label.find("norm set ecr-openpsychometrics-1to5") != std::string::npos);
}

TEST_CASE(".sav out: an input that can be read only once is a usage error before anything is written") {
  const attune::ScoringPlan plan = ecr_on_1to5();
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const std::string input = sav_output_input();
  REQUIRE(::write(fds[1], input.data(), input.size()) == static_cast<ssize_t>(input.size()));  // fits the pipe's buffer
  ::close(fds[1]);
  std::FILE* in = fdopen(fds[0], "rb");
  std::FILE* out = std::tmpfile();
  const attune::Error e = error_of([&] { attune::score_to_sav(plan, in, "<stdin>", out, "scores.sav", q_map(), {}, nullptr); });
  CHECK(e.kind() == attune::ErrorKind::usage);
  CHECK(e.where().file == "<stdin>");
  CHECK(std::string(e.what()).find("needs to read the input twice") != std::string::npos);
  CHECK(std::ftell(out) == 0);
  std::fclose(in);
  std::fclose(out);
}

TEST_CASE(".sav out: a syntax error in a .jsonl input stops the job after the rows before it are reported, as one reading does") {
  // Row 3 answers 9 (off the 1..7 scale: reported), line 6 is not JSON (the reader stops there).
  const attune::ScoringPlan plan = plan_for("ecr-r");
  std::string jsonl;
  for (int i = 1; i <= 9; ++i) {
    jsonl += i == 6 ? "{\"id\": \"p6\", \"q1\": }\n" : "{\"id\": \"p" + std::to_string(i) + "\"";
    if (i == 6) continue;
    for (int j = 1; j <= 36; ++j) jsonl += ", \"q" + std::to_string(j) + "\": " + std::to_string(i == 3 && j == 2 ? 9 : (i + j) % 7 + 1);
    jsonl += "}\n";
  }
  std::vector<attune::RowError> reported;
  const attune::Error e = error_of([&] {
    with_scratch_file(jsonl, [&](const std::string& path) {
      attune::InputOptions in;
      in.format = attune::InputFormat::jsonl;
      attune::TabularInput src(path, in);
      std::FILE* out = std::tmpfile();
      const auto close = [&] { std::fclose(out); };
      try {
        src.run([&] { return attune::score_to_sav(plan, src.csv(), src.name(), out, "scores.sav", {}, {}, [&](const attune::RowError& r) { reported.push_back(r); }); });
      } catch (...) {
        close();
        throw;
      }
      close();
      return 0;
    });
  });
  CHECK(e.kind() == attune::ErrorKind::data);
  CHECK(e.where().line == 6);
  REQUIRE(reported.size() == 1);  // reported once, before the stop (not dropped by the measuring reading)
  CHECK(reported[0].row == 3);
}
