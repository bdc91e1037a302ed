#pragma once
// Scores written as a .sav file by the writer `attune score -o FILE.sav` uses (score_to_sav, internal:
// src/io/formats_sav_writer.hpp), for the tests of .sav output and of .sav input made by attune.
#include "../../src/io/formats_sav_writer.hpp"
#include "helpers.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace attune_test {

struct SavRun {
  std::string bytes;  // the .sav file
  attune::BatchSummary summary;
  std::vector<attune::RowError> errors;
};

// The scores of the input file at `path`.
inline SavRun sav_of_file(const attune::ScoringPlan& plan, const std::string& path, const attune::BatchOptions& opt) {
  std::FILE* in = std::fopen(path.c_str(), "rb");
  if (!in) throw std::runtime_error("cannot open " + path);
  std::FILE* out = std::tmpfile();
  SavRun run;
  try {
    run.summary = attune::score_to_sav(plan, in, path, out, "scores.sav", opt, {}, [&](const attune::RowError& e) { run.errors.push_back(e); });
  } catch (...) {
    std::fclose(in);
    std::fclose(out);
    throw;
  }
  std::fclose(in);
  std::rewind(out);
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, out)) > 0) run.bytes.append(buf, n);
  std::fclose(out);
  return run;
}

// The scores of the CSV text `csv` (written to a scratch file: the writer reads its input twice).
inline SavRun sav_of_scores(const attune::ScoringPlan& plan, const std::string& csv, const attune::BatchOptions& opt) {
  char name[] = "/tmp/attune-test-XXXXXX";
  const int fd = mkstemp(name);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  std::FILE* f = fdopen(fd, "wb");
  std::fwrite(csv.data(), 1, csv.size(), f);
  std::fclose(f);
  try {
    SavRun run = sav_of_file(plan, name, opt);
    std::remove(name);
    return run;
  } catch (...) {
    std::remove(name);
    throw;
  }
}

}  // namespace attune_test
