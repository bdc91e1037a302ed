// The first reading of a two-pass quality run (declared in attune/quality.hpp), shared by the CLI,
// the report and embedders so the sequence -- sums, model, rewind -- is written once.
#include <attune/error.hpp>
#include <attune/batch.hpp>
#include <attune/quality.hpp>

#include "../batch/job/parsed_rows.hpp"

namespace attune {

QualityModel read_quality_model(const ScoringPlan& plan, std::FILE* in, const std::string& in_name, const BatchOptions& options,
                                ReliabilityAccumulator& sums, const QualityThresholds& thresholds, ParsedRows* kept) {
  const long start = std::ftell(in);
  if (start < 0)
    throw UsageError("response-quality indices read the input twice; it cannot be standard input or a pipe", Location::in_file(in_name),
                     "a file path");
  BatchOptions first = options;
  first.accumulators = {&sums};
  first.quality = nullptr;
  first.progress = nullptr;
  first.on_error = ErrorPolicy::report;
  accumulate_csv(plan, in, in_name, first, [](const RowError&) {}, kept);
  if (std::fseek(in, start, SEEK_SET) != 0) throw IoError("cannot rewind the input for the second reading", Location::in_file(in_name));
  const ReliabilitySums* all = sums.all_items();
  if (!all) throw UsageError("read_quality_model needs a ReliabilityAccumulator made with the all-items block", Location::in_file(in_name));
  return QualityModel::from_sums(*all, thresholds);
}

QualityModel read_quality_model(const ScoringPlan& plan, std::FILE* in, const std::string& in_name, const BatchOptions& options,
                                ReliabilityAccumulator& sums, const QualityThresholds& thresholds) {
  return read_quality_model(plan, in, in_name, options, sums, thresholds, nullptr);
}

}  // namespace attune
