#pragma once
// The response-scale check of `attune score`, `reliability` and `report` (attune/audit.hpp): one
// accumulator in the reading's BatchOptions, then one status for the summary, JSON and exit code.
#include <attune/audit.hpp>
#include <attune/batch.hpp>

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace attune::cli {

// --response-scale-confirmed: the caller vouches for the declared scale; the check is not run.
void add_scale_confirmed_option(CLI::App* c, bool& confirmed);

// For a status computed elsewhere (attune report): the summary's part, the lines on standard error
// and the exit code, as ScaleCheckRun gives them.
std::string scale_summary_part(const ResponseScaleStatus& s);
void print_scale_status(const ResponseScaleStatus& s, bool quiet);
int scale_exit_code(const ResponseScaleStatus& s, int code);

class ScaleCheckRun {
 public:
  // Unless `confirmed`, adds a ScaleUsageAccumulator to bo.accumulators (which must outlive the reading).
  ScaleCheckRun(const ScoringPlan& plan, bool confirmed, BatchOptions& bo);
  // After the reading; `rel` (the same reading's reliability) adds the reverse-keyed items' evidence.
  const ResponseScaleStatus& finish(const ReliabilityReport* rel = nullptr);
  const ResponseScaleStatus& status() const { return status_; }
  bool failed() const { return status_.checked && !status_.fits; }
  // "; response scale 1..7 not confirmed by the answers (see the warning)" for the summary line, or "".
  std::string summary_part() const;
  // The warning and the rescaling note on standard error (the warning even with --quiet).
  void print(bool quiet) const;
  // exit code 9 when the check failed: it concerns every row, so it comes before 1 (rows reported).
  int exit_code(int code) const;

 private:
  ScoringPlan plan_;
  std::unique_ptr<ScaleUsageAccumulator> usage_;
  ResponseScaleStatus status_;
};

}  // namespace attune::cli
