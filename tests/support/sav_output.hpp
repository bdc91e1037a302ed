#pragma once
// Scores written as a .sav file by the writer `attune score -o FILE.sav` uses (score_to_sav, internal:
// src/io/formats_sav_writer.hpp), for the tests of .sav output and of .sav input made by attune.
#include "../../src/io/formats_sav_writer.hpp"
#include "helpers.hpp"

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

namespace attune_test {

struct SavRun {
  std::string bytes;  // the .sav file
  attune::BatchSummary summary;
  std::vector<attune::RowError> errors;
};

// The scores of the input file at `path`.
inline SavRun sav_of_file(const attune::ScoringPlan& plan, const std::string& path, const attune::BatchOptions& opt) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!in) throw std::runtime_error("cannot open " + path);
  SavRun run;
  run.bytes = written_by([&](std::FILE* out) {
    run.summary = attune::score_to_sav(plan, in.get(), path, out, "scores.sav", opt, {}, [&](const attune::RowError& e) { run.errors.push_back(e); });
  });
  return run;
}

// The scores of the CSV text `csv` (written to a scratch file: the writer reads its input twice).
inline SavRun sav_of_scores(const attune::ScoringPlan& plan, const std::string& csv, const attune::BatchOptions& opt) {
  return with_scratch_file(csv, [&](const std::string& path) { return sav_of_file(plan, path, opt); });
}

}  // namespace attune_test
