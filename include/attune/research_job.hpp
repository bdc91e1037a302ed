#pragma once
// The research job on one data file, as `attune score` runs it: sample norms (a first reading, when
// asked), the quality model's first reading (its sums also give reliability), the scoring reading,
// and reliability with the response-scale check. One call for the CLI, the examples and the bindings,
// so the passes and their order are written once.
//
//   attune::ResearchJobOptions o;
//   o.input = "data.csv";
//   o.batch.mapping = attune::ColumnMapping::parse("Q{n}");
//   o.quality = o.reliability = true;
//   attune::ResearchSummary s = attune::run_research_job(attune::load_instrument("ecr-r"), o, out, on_error);
//   // s.rows (rows in, scored, reported), *s.reliability, s.response_scale, s.quality_note
#include <attune/batch.hpp>
#include <attune/export.hpp>
#include <attune/formats.hpp>
#include <attune/instrument.hpp>
#include <attune/quality.hpp>
#include <attune/reliability.hpp>
#include <attune/scoring_plan.hpp>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace attune {

struct ResearchJobOptions {
  std::string input;           // the data file's path; "-" is standard input (one reading only)
  InputOptions input_options;  // CSV, .sav or JSON Lines, and .sav value labels; the delimiter is batch's
  BatchOptions batch;          // mapping, missing codes, kept columns, output format...; the job adds its own
                               // accumulators and quality scorer to a copy (yours are fed in the scoring reading)
  ScoringOptions scoring;      // response scale, profile method, norms
  // Norms from this file: mean and sd of each scale, from a reading of its own before the plan is
  // compiled (replaces scoring.norms; labelled with `input`). Not for standard input.
  bool sample_norms = false;
  // Response-quality columns. Synonyms and Mahalanobis distance need the sample's correlations: for a
  // file that can be read twice, a first reading computes them (and keeps its parsed rows in memory,
  // up to a budget, for the scoring reading); for standard input those two columns stay empty.
  bool quality = false;
  QualityThresholds quality_thresholds;
  // Reliability and item statistics per scale, from the same readings (ResearchSummary::reliability).
  bool reliability = false;
  // Does the data's use of the response scale fit the declared one? false: the caller vouches for it.
  bool check_response_scale = true;
  // An SPSS .sav file instead of CSV. A .sav header states the case count and each column's width
  // before the first case, so the input is read twice (once to measure, once to write): a file, not
  // a pipe on standard input.
  bool sav_output = false;
};

// The output of the scoring reading, opened by ResearchHooks::open_output.
struct ResearchOutput {
  std::FILE* file = nullptr;
  std::string name;  // in write errors (Location::file), e.g. its path or "<stdout>"
  std::string path;  // as the caller named it, for the .sav writer's messages
};

// What the caller does at each step; every member is optional except open_output.
struct ResearchHooks {
  // The input is open (its name: the path, or "<stdin>"); before any reading of it.
  std::function<void(const std::string& input_name)> input_opened;
  // After the first readings, before the output opens: columns made from the compiled plan (e.g.
  // PlanColumns into extra_columns, an irt::ThetaScorer into theta), which must outlive run().
  std::function<void(const ScoringPlan& plan, BatchOptions& batch)> add_columns;
  // Opens the scores' destination: called once, just before the scoring reading.
  std::function<ResearchOutput()> open_output;
  // Each row that cannot be scored, in input order, located in the original file.
  std::function<void(const RowError&)> on_error;
  // Now and then during the scoring reading, on the calling thread: rows done, bytes read and the
  // input's size in bytes (0 when unknown: standard input, a converted format).
  std::function<void(std::uint64_t rows, std::uint64_t bytes, std::uint64_t total_bytes)> progress;
};

struct ResearchSummary {
  BatchSummary rows;                             // rows in = scored + reported; quality flags caught
  std::optional<ReliabilityReport> reliability;  // with ResearchJobOptions::reliability; its response_scale set
  ResponseScaleStatus response_scale;
  std::string quality_note;  // why a quality column is left empty, if one is
};

class ATTUNE_API ResearchJob {
 public:
  // Runs the sample-norms reading when asked, then compiles the plan (errors of either are thrown here).
  ResearchJob(const Instrument& instrument, ResearchJobOptions options);
  ~ResearchJob();
  ResearchJob(const ResearchJob&) = delete;
  ResearchJob& operator=(const ResearchJob&) = delete;

  const ScoringPlan& plan() const;
  // Opens the input, reads it for the quality model when asked, scores it to the output, and computes
  // reliability and the response-scale check. Once per job.
  ResearchSummary run(const ResearchHooks& hooks);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The job in one call: scores to `out` (named `out_name` in write errors).
ATTUNE_API ResearchSummary run_research_job(const Instrument& instrument, const ResearchJobOptions& options, std::FILE* out,
                                            const std::function<void(const RowError&)>& on_error,
                                            const std::string& out_name = "the scores file");

}  // namespace attune
