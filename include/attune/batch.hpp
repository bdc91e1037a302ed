#pragma once
// Scoring a whole file: CSV in, CSV or JSON Lines out, one output row per input row in input order.
// Streams in chunks (memory does not grow with the file), scores chunks on worker threads, and
// accounts for every row: rows in = rows scored + rows reported.
#include <attune/chunk_accumulator.hpp>
#include <attune/export.hpp>
#include <attune/quality.hpp>
#include <attune/reliability.hpp>
#include <attune/scoring_plan.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace attune {

struct BlockScores;
namespace irt {
class ThetaScorer;
}
namespace norms {
struct FileNorms;
}
namespace detail {
struct BatchTuning;
}

// One cell of an extra output column (RowColumns): text, or a number written bare in JSON Lines.
// Empty text is an empty CSV cell and null in JSON Lines.
struct RowCell {
  std::string_view text;
  bool number = false;
};

// Extra output columns computed from each row's scores (e.g. `attune score --plan-columns`), written
// after the profile and quality columns and before `notes`. Like ChunkAccumulator, each chunk gets a
// fresh() copy on its worker thread, so cells() may keep scratch buffers without locks; the copy is
// called for the chunk's rows in input order. Rows reported as errors get scored = false (their
// scores are all missing); they still get cells, usually empty ones.
class ATTUNE_API RowColumns {
 public:
  virtual ~RowColumns() = default;
  virtual const std::vector<std::string>& names() const = 0;
  virtual std::unique_ptr<RowColumns> fresh() const = 0;
  // Fills names().size() cells for row `row` of `scores`; their text must stay valid until the next call.
  virtual void cells(const BlockScores& scores, std::size_t row, bool scored, RowCell* out) = 0;
};

// How columns become items. Declared, never guessed.
struct ColumnMapping {
  enum class Mode {
    by_id,    // a column named exactly like each item id
    pattern,  // a name pattern: {n} is the item's position, {id} its id (e.g. "Q{n}")
    list,     // column names in item position order
    pairs,    // item=column pairs
  };
  Mode mode = Mode::by_id;
  std::string pattern;
  std::vector<std::string> columns;                        // list mode
  std::vector<std::pair<std::string, std::string>> pairs;  // pairs mode: item id, column name
  // Parses the CLI's --map value: a pattern if it contains '{', pairs if it contains '=', else a list.
  static ColumnMapping parse(const std::string& spec);
};

enum class OutputFormat { csv, jsonl };
enum class ErrorPolicy { report, stop };

struct BatchOptions {
  ColumnMapping mapping;
  std::vector<std::string> missing_codes;  // cell values that mean "not answered" (besides empty)
  std::vector<std::string> keep;           // input columns copied to the output, in this order
  bool keep_id_column = true;              // with no `keep`: copy a column named id/ID if there is one
  OutputFormat format = OutputFormat::csv;
  ErrorPolicy on_error = ErrorPolicy::report;
  char delimiter = ',';
  int decimals = 6;
  bool row_numbers = false;     // add a leading `row` column (1-based data row)
  std::size_t skip_rows = 0;    // data rows to skip right after the header (e.g. Qualtrics' extra headers)
  unsigned threads = 0;         // 0: all cores; at most kMaxBatchThreads
  std::size_t max_record_bytes = 64u << 20;
  // The output's name in write errors (Location::file), e.g. its path: score_csv only sees a FILE*.
  std::string output_name;
  // Statistics gathered in the same pass (not owned; must outlive the call).
  std::vector<ChunkAccumulator*> accumulators;
  // Response-quality indices and flags as extra output columns (not owned; see quality.hpp).
  const QualityScorer* quality = nullptr;
  // Extra columns per row (not owned; see RowColumns). Ignored by the statistics-only passes.
  RowColumns* extra_columns = nullptr;
  // Item response theory: <scale>_theta and <scale>_theta_se per scale of the scorer (not owned; made
  // with the plan's items in instrument order and its data scale). EAP, or MAP with theta_map.
  const irt::ThetaScorer* theta = nullptr;
  bool theta_map = false;
  // Norm columns (not owned; norms.hpp): norm_cell, then <scale>_norm_z and <scale>_norm_pct per
  // scale with norms, each row's cell chosen from its own gender and age columns, which are kept
  // in the output (after the `keep` columns) so that the choice can be checked.
  const norms::FileNorms* norms = nullptr;
  // Called now and then from the calling thread with rows done and bytes read (for progress bars).
  std::function<void(std::uint64_t rows, std::uint64_t bytes)> progress;
  // How the file is cut into chunks, for attune's own tests and benchmarks; null: the defaults.
  std::shared_ptr<const detail::BatchTuning> tuning;
};

// One row that could not be scored.
struct RowError {
  std::int64_t row = 0;   // 1-based data row
  std::int64_t line = 0;  // 1-based physical line where the row starts
  std::int64_t column = 0;
  std::string column_name;
  std::string item;
  std::string value;
  std::string reason;
  std::string expected;
};

struct BatchSummary {
  std::uint64_t rows_in = 0;
  std::uint64_t rows_scored = 0;
  std::uint64_t rows_reported = 0;    // rows with an error record (still one output row each)
  std::uint64_t rows_with_notes = 0;  // scored, but a scale fell short of its minimum answered
  std::uint64_t rows_skipped = 0;     // --skip-rows
  std::uint64_t blank_lines = 0;      // empty lines, which are not rows
  std::uint64_t bytes_in = 0;
  // With BatchOptions::quality: rows caught by each QualityFlag, and by any flag.
  std::array<std::uint64_t, 8> quality_flagged{};
  std::uint64_t quality_any = 0;
};


// Reads CSV from `in` (named `in_name` in messages), writes scores to `out`, and calls `on_error`
// for each row that cannot be scored (in input order). With ErrorPolicy::stop the first bad row
// throws instead. Throws DataError for file-level problems (header, missing columns, syntax).
ATTUNE_API BatchSummary score_csv(const ScoringPlan& plan, std::FILE* in, const std::string& in_name, std::FILE* out,
                                  const BatchOptions& options, const std::function<void(const RowError&)>& on_error);

// Norms computed from the data: mean and sd (n - 1) of each scale over the rows where it is scored,
// on the instrument's metric. One streaming pass; used by `--norms sample`.
ATTUNE_API std::map<std::string, Norm> sample_norms(const ScoringPlan& plan, std::FILE* in, const std::string& in_name,
                                                    const BatchOptions& options);

// Reads and validates like score_csv and feeds options.accumulators, but formats and writes nothing
// (statistics-only passes such as `attune reliability`). rows_with_notes is not counted.
ATTUNE_API BatchSummary accumulate_csv(const ScoringPlan& plan, std::FILE* in, const std::string& in_name,
                                       const BatchOptions& options, const std::function<void(const RowError&)>& on_error);

// The first reading of a two-pass quality run: synonyms and Mahalanobis distance judge each row
// against the whole sample, so the sample's sums come first. Reads `in` from its current position
// into `sums` (made with the all-items block; its per-scale sums also give reliability without a
// third reading), and seeks `in` back to where it started. Bad rows are skipped here and reported by the scoring
// reading, once; there is no progress callback on this reading. Throws UsageError when `in` cannot
// be rewound (standard input, a pipe).
ATTUNE_API QualityModel read_quality_model(const ScoringPlan& plan, std::FILE* in, const std::string& in_name,
                                           const BatchOptions& options, ReliabilityAccumulator& sums,
                                           const QualityThresholds& thresholds = {});

// The most worker threads BatchOptions::threads may ask for.
constexpr unsigned kMaxBatchThreads = 1024;

// UsageError for options no file can be read with: a delimiter that is a quote, CR, LF or a digit
// (the record or the numbers could not be told apart, and an error message would quote whole rows),
// or more than kMaxBatchThreads threads. score_csv, accumulate_csv and sample_norms call it before
// reading, so the C ABI and Python refuse them too.
ATTUNE_API void check_batch_options(const BatchOptions& options);

// The output header for a plan and options (the same columns score_csv writes).
ATTUNE_API std::vector<std::string> output_columns(const ScoringPlan& plan, const BatchOptions& options,
                                                   const std::vector<std::string>& kept_columns);

}  // namespace attune
