#pragma once
// Data files other than CSV: SPSS .sav (through ReadStat) and JSON Lines in, .sav out, plus the
// detection of Qualtrics-style extra header rows in CSV.
//
// Design: every reader turns its format into CSV text that the one batch pipeline (score_csv,
// accumulate_csv, sample_norms) reads through a FILE*. The converter runs on its own thread and
// hands blocks to the FILE* through a small bounded queue, so memory does not grow with the file and
// conversion overlaps scoring. We chose this over giving the pipeline a second chunk-source
// interface because the pipeline's error records, --skip-rows, quality flags and accumulators then
// work unchanged for every format, and because batch.cpp has several concurrent owners; the cost is
// formatting numbers as text once more, which is small next to reading a .sav at all.
#include <attune/batch.hpp>
#include <attune/error.hpp>
#include <attune/export.hpp>

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace attune {

enum class InputFormat { csv, sav, jsonl };

// The format for a path: `declared` ("csv", "sav", "jsonl"/"ndjson") when not empty, else by the
// file's extension (.sav, .jsonl, .ndjson; anything else is CSV). Throws UsageError for an unknown name.
ATTUNE_API InputFormat input_format_for(const std::string& path, const std::string& declared = {});

// A variable of an SPSS file as read: name, label and value labels (numeric codes or strings).
struct SavVariable {
  std::string name;
  std::string label;
  bool is_string = false;
  std::vector<std::pair<double, std::string>> value_labels;        // numeric variables
  std::vector<std::pair<std::string, std::string>> string_labels;  // string variables
};

struct InputOptions {
  InputFormat format = InputFormat::csv;
  char delimiter = ',';  // of the CSV text produced (the pipeline's delimiter)
  // .sav: these columns are written as their value labels (where a value has one) instead of codes;
  // used for kept pass-through columns (`--keep ... --value-labels`), never for item columns.
  std::vector<std::string> value_label_columns;
  // JSON Lines: the longest line, in bytes (as BatchOptions::max_record_bytes for a CSV record); a
  // longer line is a LimitError naming the file and line, found after reading at most this much of it.
  std::size_t max_record_bytes = 64u << 20;
};

// A data file seen as CSV text with a header row. CSV files are passed through untouched (the
// pipeline reads the FILE* directly); .sav and JSON Lines are converted on a reader thread.
class ATTUNE_API TabularInput {
 public:
  // path "-" is standard input (CSV and JSON Lines only: ReadStat needs a seekable file).
  TabularInput(const std::string& path, const InputOptions& options);
  ~TabularInput();
  TabularInput(const TabularInput&) = delete;
  TabularInput& operator=(const TabularInput&) = delete;

  // CSV text. For converted formats, fseek(f, 0, SEEK_SET) restarts the conversion, so two-pass
  // callers (sample norms, quality models) work as on a regular file; other seeks fail.
  std::FILE* csv() const;
  const std::string& name() const;  // the path, or "<stdin>"
  InputFormat format() const;
  // Throws the reader's error (DataError/IoError naming the file and, for JSON Lines, the line and
  // key), if any. The converter delivers end-of-file after an error, so call this after the pipeline
  // returns and before committing any output.
  void finish();
  // Row error locations in the terms of the original file: JSON Lines line numbers are those of the
  // .jsonl file (the CSV text has an extra header line); .sav rows are cases and have no line.
  void locate(RowError& e) const;
  // Runs fn (a pipeline call on csv()), then finish(); a row error thrown in stop mode is re-thrown
  // with its location translated by locate(), and a reader error takes precedence over it.
  template <class F>
  auto run(F&& fn) -> decltype(fn()) {
    try {
      if constexpr (std::is_void_v<decltype(fn())>) {
        fn();
        finish();
      } else {
        auto r = fn();
        finish();
        return r;
      }
    } catch (const Error& e) {
      finish();
      rethrow_located(e);
    }
  }
  // .sav only: the variables with their labels (complete once the conversion has passed the file's
  // dictionary, which is before the first row reaches csv()).
  std::vector<SavVariable> variables() const;

 private:
  [[noreturn]] void rethrow_located(const Error& e) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Qualtrics exports carry two extra rows under the header (question text, then ImportId tags such as
// {"ImportId":"QID1"}). When options.skip_rows is 0 and the first two data rows hold only text where
// answers should be, throws DataError naming the file and row with the hint `--skip-rows 2` (it never
// skips rows on its own). Reads ahead and seeks back, so it only checks seekable input; a
// non-seekable stream is left untouched.
ATTUNE_API void check_extra_header_rows(const ScoringPlan& plan, std::FILE* in, const std::string& in_name,
                                        const BatchOptions& options);

// Metadata for the .sav writer: labels for the kept columns, e.g. carried over from a .sav input.
namespace irt {
class ThetaScorer;
}
namespace norms {
struct FileNorms;
}

struct SavOutputOptions {
  std::vector<SavVariable> kept_variables;  // matched by name; their labels and value labels are copied
  // The scorer the scores were made with (BatchOptions::theta), for the theta columns' labels.
  const irt::ThetaScorer* theta = nullptr;
  bool theta_map = false;
  // The norm set of the norm columns (BatchOptions::norms), for their labels.
  const norms::FileNorms* norms = nullptr;
  std::string file_label = "attune scores";
};

// Writes the scores CSV in `csv` (as score_csv wrote it, with `delimiter`; read from its current
// position to the end, twice: once for column types and widths, once to write) as an SPSS .sav file
// to `out`. Numeric columns become doubles with variable labels (empty = system-missing); category,
// method, notes and text columns become strings. Returns the number of cases written.
ATTUNE_API std::uint64_t write_sav_from_csv(const ScoringPlan& plan, std::FILE* csv, char delimiter, std::FILE* out,
                                            const std::string& out_name, const SavOutputOptions& options = {});

}  // namespace attune
