#pragma once
// Rows parsed by one reading of a file, kept in memory for the next one, and the readings that
// keep and replay them. Internal: the research job (attune/research_job.hpp) is the public way to
// read a file once for the quality model and score it from memory.
#include <attune/batch.hpp>
#include <attune/quality.hpp>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>

namespace attune {

// accumulate_csv keeps the parsed rows (compactly, about a byte per answer, up to a budget), and
// score_csv, given the same file from the same position and the same options, scores them without
// parsing them again and reads on from the first row not kept. A job that must read a file twice
// (the quality model's sums, then the scores) so parses most of it once; past the budget, rows are
// simply read again.
class ParsedRows {
 public:
  static constexpr std::size_t kDefaultBudget = std::size_t{56} << 20;
  explicit ParsedRows(std::size_t budget_bytes = kDefaultBudget);
  ~ParsedRows();
  ParsedRows(ParsedRows&&) noexcept;
  ParsedRows& operator=(ParsedRows&&) noexcept;
  std::uint64_t rows() const;  // rows kept
  bool whole_file() const;     // every row was kept
  std::size_t bytes() const;   // memory they take
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// score_csv (attune/batch.hpp) with `kept` (filled by accumulate_csv from the same position of the
// same file, with the same options): its rows are scored from memory first; it is empty afterwards.
BatchSummary score_csv(const ScoringPlan& plan, std::FILE* in, const std::string& in_name, std::FILE* out,
                       const BatchOptions& options, const std::function<void(const RowError&)>& on_error, ParsedRows* kept);

// accumulate_csv (attune/batch.hpp) keeping the parsed rows (kept columns included) in `keep`, up
// to its budget, for score_csv.
BatchSummary accumulate_csv(const ScoringPlan& plan, std::FILE* in, const std::string& in_name, const BatchOptions& options,
                            const std::function<void(const RowError&)>& on_error, ParsedRows* keep);

// read_quality_model (attune/batch.hpp) keeping the parsed rows in `kept` for score_csv's second reading.
QualityModel read_quality_model(const ScoringPlan& plan, std::FILE* in, const std::string& in_name, const BatchOptions& options,
                                ReliabilityAccumulator& sums, const QualityThresholds& thresholds, ParsedRows* kept);

}  // namespace attune
