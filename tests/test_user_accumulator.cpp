// A user-written ChunkAccumulator (attune/chunk_accumulator.hpp) sees only add and merge: the byte
// path of attune's own accumulators is internal (issue 19). It must still receive every row.
#include "support/helpers.hpp"

#include <attune/attune.hpp>
#include <catch2/catch.hpp>

#include "../src/batch/tuning.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

// Every row handed over, in input order: its answers, whether it was scored, its raw scale scores.
class RowRecorder : public attune::ChunkAccumulator {
 public:
  std::unique_ptr<attune::ChunkAccumulator> fresh() const override { return std::make_unique<RowRecorder>(); }
  void add(const double* answers, std::size_t rows, std::size_t items, const std::uint8_t* scored,
           const attune::BlockScores& scores) override {
    for (std::size_t r = 0; r < rows; ++r) {
      answers_.emplace_back(answers + r * items, answers + (r + 1) * items);
      scored_.push_back(scored[r]);
      raw_.emplace_back(scores.raw.begin() + static_cast<std::ptrdiff_t>(r * scores.scales),
                        scores.raw.begin() + static_cast<std::ptrdiff_t>((r + 1) * scores.scales));
    }
  }
  void merge(ChunkAccumulator& chunk) override {
    auto& c = dynamic_cast<RowRecorder&>(chunk);
    answers_.insert(answers_.end(), c.answers_.begin(), c.answers_.end());
    scored_.insert(scored_.end(), c.scored_.begin(), c.scored_.end());
    raw_.insert(raw_.end(), c.raw_.begin(), c.raw_.end());
  }
  std::vector<std::vector<double>> answers_, raw_;
  std::vector<std::uint8_t> scored_;
};

std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

}  // namespace

TEST_CASE("user accumulator: receives every row, equal to the scores file") {
  const attune::ScoringPlan plan = attune_test::plan_for("ecr-r");
  const std::string path = attune_test::source_path("examples/data/ecr-r-synthetic.csv");
  RowRecorder rec;
  attune::BatchOptions o;
  o.mapping = attune::ColumnMapping::parse("Q{n}");
  o.threads = 3;
  attune::batch::set_chunk_bytes(o, 2048);  // many chunks, merged in input order
  o.accumulators = {&rec};
  const attune_test::BatchRun run = attune_test::run_batch(plan, path, o);
  REQUIRE(run.summary.rows_in == 500);
  REQUIRE(rec.answers_.size() == 500);

  // The answers as the input file holds them (columns Q1..Q36 after id and age), read here on their own.
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::istringstream scores(run.output);
  std::string out_line;
  std::getline(scores, out_line);
  const std::vector<std::string> header = split_commas(out_line);
  REQUIRE(header.at(1) == "anxiety");
  REQUIRE(header.at(4) == "avoidance");
  std::size_t scored = 0;
  for (std::size_t r = 0; r < 500; ++r) {
    INFO("row " << r + 1);
    REQUIRE(std::getline(in, line));
    REQUIRE(std::getline(scores, out_line));
    const std::vector<std::string> cells = split_commas(line), out = split_commas(out_line);
    if (!rec.scored_[r]) {
      CHECK(out.at(1).empty());  // a row reported as an error has no scores in the file either
      continue;
    }
    ++scored;
    for (std::size_t i = 0; i < 36; ++i) {
      const std::string& cell = 2 + i < cells.size() ? cells[2 + i] : std::string();
      if (cell.empty()) CHECK(std::isnan(rec.answers_[r][i]));  // an empty cell is not answered
      else CHECK(rec.answers_[r][i] == std::strtod(cell.c_str(), nullptr));
    }
    // The file writes 6 decimals: the accumulator's raw score rounds to the same text's number.
    // A scale short of its minimum answered is an empty cell and NaN.
    for (const auto& [scale, column] : {std::pair<std::size_t, std::size_t>{0, 1}, {1, 4}}) {
      if (out.at(column).empty()) CHECK(std::isnan(rec.raw_[r][scale]));
      else CHECK(std::abs(rec.raw_[r][scale] - std::strtod(out.at(column).c_str(), nullptr)) <= 5e-7);
    }
  }
  CHECK(scored == run.summary.rows_scored);
}
