#pragma once
// Options shared by the subcommands that read a data file the way `attune score` does (reliability,
// report): instrument, column mapping, missing codes, response scale, CSV dialect, threads.
#include <attune/attune.hpp>
#include <attune/quality.hpp>
#include <attune/reliability.hpp>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace attune::cli {

struct DataArgs {
  std::string instrument;
  std::string map;
  std::vector<std::string> missing;
  std::string response_scale;
  std::string method;
  std::size_t skip_rows = 0;
  std::string delimiter = ",";
  unsigned threads = 0;
  std::string errors;
  bool quiet = false;
  std::string input;
};

// Registers --instrument, --map, --missing, --response-scale, --profile-method, --skip-rows,
// --delimiter, --threads, --errors, --quiet and the positional input, with the same meaning as in `attune score`.
void add_data_options(CLI::App* c, DataArgs& a);

std::vector<std::string> split_commas(const std::vector<std::string>& in);
ResponseScale parse_scale(const std::string& s);  // "1..5"
std::string read_text_file(const std::string& path);  // "-" reads standard input; IoError naming the file
ScoringPlan make_plan(const DataArgs& a);
BatchOptions batch_options(const DataArgs& a);

// Input file ('-' = stdin) closed on scope exit.
struct InputFile {
  std::FILE* f = nullptr;
  std::string name;
  explicit InputFile(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
};

// Error records as CSV to --errors FILE (or stderr), the way `attune score` writes them.
class ErrorSink {
 public:
  ErrorSink(const std::string& path, const std::string& in_name);
  ~ErrorSink();
  void operator()(const RowError& e);
  void commit();
 private:
  std::string in_name_;
  std::FILE* f_ = stderr;
  std::unique_ptr<struct ErrorSinkFile> file_;
  bool header_ = false;
};

// `--quality` and its thresholds (attune score, attune report).
struct QualityArgs {
  bool enabled = false;
  QualityThresholds t;
};
void add_quality_options(CLI::App* c, QualityArgs& a);

// Everything `--quality` needs while a file is scored. Mahalanobis distance and psychometric
// synonyms need the sample's item means, covariances and correlations, so for a regular file a
// first statistics-only pass computes them and the file is rewound; standard input cannot be read
// twice, so there those two indices stay empty (with a message).
struct QualitySetup {
  std::shared_ptr<const QualityModel> model;
  std::unique_ptr<ReliabilityAccumulator> first_pass;  // the sums behind the model (per scale too); null for stdin
  std::unique_ptr<QualityScorer> scorer;
  std::string note;  // why an index is unavailable, for standard error
};
std::unique_ptr<QualitySetup> prepare_quality(const ScoringPlan& plan, const BatchOptions& bo, std::FILE* in,
                                              const std::string& in_name, const QualityArgs& a);
// "quality flags: longstring 12, irv 3, ..." for the summary line.
std::string quality_summary(const BatchSummary& s, const QualitySetup& q);

}  // namespace attune::cli
