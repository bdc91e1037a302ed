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
  std::string input_format;  // csv, sav, jsonl; default: by the input's extension
};

// Registers --instrument, --map, --missing, --response-scale, --profile-method, --skip-rows,
// --delimiter, --threads, --errors, --quiet, --input-format and the positional input, with the same
// meaning as in `attune score`.
void add_data_options(CLI::App* c, DataArgs& a);

std::vector<std::string> split_commas(const std::vector<std::string>& in);
ResponseScale parse_scale(const std::string& s);  // "1..5"
// A JSON document ("-" reads standard input), at most kMaxJsonDocumentBytes: IoError or LimitError
// naming the file; `what` says what it is ("answers file").
std::string read_text_file(const std::string& path, const std::string& what);
ScoringPlan make_plan(const DataArgs& a);
// For the modes that read the input twice (--norms sample, the --quality model, report): a path
// that is not a regular file (a FIFO, /dev/stdin from a pipe, a device) hangs on the second opening
// or reads as empty the second time, so it is refused, naming the input and `needs`.
void require_two_readings(const std::string& path, const std::string& needs);
// --delimiter: one character or "tab"; UsageError for more, or for one check_batch_options refuses.
char parse_delimiter(const std::string& s);
// --threads above kMaxBatchThreads: UsageError naming the option, before anything is read.
void check_threads(unsigned threads);
// --skip-rows: a count, never negative (a size_t would wrap -1 around).
CLI::Option* add_skip_rows_option(CLI::App* c, std::size_t& skip_rows);
// The data file and the instrument file as inputs no output may replace (file_guard.hpp).
void claim_data_inputs(const DataArgs& a);

class ErrorSink;
// Reads the data file once through bo's accumulators (no scores written), for the commands that
// only gather statistics (reliability, audit, calibrate). `errors` is made here (it names the input
// as the reader does) and gets each bad row's record, located in the original file; `in_name` gets
// the input's name for the command's own messages.
BatchSummary accumulate_data(const ScoringPlan& plan, const DataArgs& a, const BatchOptions& bo,
                             std::unique_ptr<ErrorSink>& errors, std::string* in_name = nullptr);
BatchOptions batch_options(const DataArgs& a);

// How the input is read (attune/formats.hpp): the format from --input-format or the extension,
// the pipeline's delimiter and record limit.
InputOptions input_options(const DataArgs& a, const BatchOptions& bo);

// Error records as CSV to --errors FILE (or stderr). A failed write throws IoError naming the file.
class ErrorSink {
 public:
  ErrorSink(const std::string& path, const std::string& in_name);
  ~ErrorSink();
  void operator()(const RowError& e);
  // flush() writes and syncs the file (header included) without renaming it into place; commit()
  // also renames it. Commands flush every output before committing any.
  void flush();
  void commit();
 private:
  static const char* const kHeader;
  void write(const std::string& text);
  std::string in_name_;
  std::FILE* f_ = stderr;
  std::unique_ptr<struct ErrorSinkFile> file_;
  bool header_ = false;
  bool escape_ = false;  // standard error is a terminal: control characters in fields are escaped
};

// `--quality` and its thresholds (attune score, attune report).
struct QualityArgs {
  bool enabled = false;
  QualityThresholds t;
};
void add_quality_options(CLI::App* c, QualityArgs& a);

// "quality flags: longstring 12, irv 3, ..." for the summary line.
// `note`: why a quality column is left empty (ResearchSummary::quality_note), or "".
std::string quality_summary(const BatchSummary& s, const std::string& note);

}  // namespace attune::cli
