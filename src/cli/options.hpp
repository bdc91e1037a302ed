#pragma once
// Options shared by the subcommands that read a data file the way `attune score` does (reliability,
// report): instrument, column mapping, missing codes, response scale, CSV dialect, threads.
#include <attune/attune.hpp>

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

}  // namespace attune::cli
