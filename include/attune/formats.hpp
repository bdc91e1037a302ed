#pragma once
// Data files other than CSV: SPSS .sav (through ReadStat) and JSON Lines in, plus the detection of
// Qualtrics-style extra header rows in CSV. (.sav out: ResearchJobOptions::sav_output.)
//
// Design: the batch functions (score_csv, accumulate_csv, sample_norms, ...) take a FILE*, and each
// format has its own reader behind it that fills the same block of answers, error records and kept
// text as the CSV reader: a JSON Lines file is read as it is and parsed line by line on the worker
// threads; a .sav file is decoded by ReadStat on a reader thread into records of cells (numbers stay
// doubles), handed over through a small bounded queue, so memory does not grow with the file and
// decoding overlaps scoring. No format is turned into CSV text. TabularInput tells the batch
// functions which reader a FILE* needs (it registers the FILE* it hands out while it lives).
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
  char delimiter = ',';  // not used by the readers any more; kept so that callers compile unchanged
  // .sav: these columns are written as their value labels (where a value has one) instead of codes;
  // used for kept pass-through columns (`--keep ... --value-labels`), never for item columns.
  std::vector<std::string> value_label_columns;
  // JSON Lines: the longest line, in bytes (as BatchOptions::max_record_bytes for a CSV record); a
  // longer line is a LimitError naming the file and line, found after reading at most this much of it.
  std::size_t max_record_bytes = 64u << 20;
};

// A data file with a header row (for JSON Lines: the first object's keys; for .sav: the variables),
// handed to the batch functions as a FILE*. CSV and JSON Lines files are the opened file itself; a
// .sav file is a stream of decoded cells from a reader thread.
class ATTUNE_API TabularInput {
 public:
  // path "-" is standard input (CSV and JSON Lines only: ReadStat needs a seekable file).
  TabularInput(const std::string& path, const InputOptions& options);
  ~TabularInput();
  TabularInput(const TabularInput&) = delete;
  TabularInput& operator=(const TabularInput&) = delete;

  // The input for the batch functions (the name is older than the JSON Lines and .sav readers: only
  // a CSV file's stream is CSV text). For .sav, fseek(f, 0, SEEK_SET) decodes the file again from the
  // start, so two-pass callers (sample norms, quality models) work as on a regular file; other seeks fail.
  std::FILE* csv() const;
  const std::string& name() const;  // the path, or "<stdin>"
  InputFormat format() const;
  // Throws the .sav decoder's error (DataError/IoError naming the file), if any. The decoder delivers
  // end-of-file after an error, so call this after the pipeline returns and before committing any
  // output. (A JSON Lines reader's error, naming the file, line and key, comes from the batch call.)
  void finish();
  // Row error locations in the terms of the original file: .sav rows are cases and have no line
  // (JSON Lines rows already carry the .jsonl file's own line numbers).
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
  // .sav only: the variables with their labels (complete once the decoder has passed the file's
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

}  // namespace attune
