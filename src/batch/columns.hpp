#pragma once
// The one table of output columns: name, label, type and where each value comes from, in output
// order. output_columns() is its names; the CSV and JSON Lines writers walk it (by group, write/),
// the .sav writer takes its labels and types, and the CSV row's size bound is computed from it.
#include <attune/batch.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace attune::batch {

// Where a column's value comes from; columns of one group are consecutive and written together.
enum class ColumnGroup : std::uint8_t { row_number, kept, scales, profile, quality, extra, notes, theta, norms };
enum class ColumnType : std::uint8_t { number, whole, text };

struct OutputColumn {
  std::string name;
  std::string label;  // for the .sav variable label; empty: none
  ColumnType type = ColumnType::number;
  ColumnGroup group = ColumnGroup::notes;
  // Within its group: the kept column's position; scales: 3 * scale + (0 score, 1 z, 2 percentile);
  // profile: 0..3 the dimensions (dimension_columns order), 4 category, 5 confidence, 6 method;
  // quality: the QualityValues field in kQualityColumns order; extra: the RowColumns cell;
  // theta: 2 * scale of the ThetaScorer + (0 theta, 1 its standard error); norms: 0 the cell, then
  // 1 + 2 * k + (0 z, 1 percentile) for FileNorms::scales[k], then 1 + 2 * (K + j) + (0 z, 1
  // percentile) of theta for FileNorms::theta_scales[j] (K = scales.size()).
  std::size_t index = 0;
  std::size_t max_text = 0;  // text columns of fixed texts (category, method, flags): their longest
};

// The quality columns, in order (QualityValues' fields).
extern const char* const kQualityColumns[9];

std::vector<OutputColumn> output_table(const ScoringPlan& plan, const BatchOptions& options,
                                       const std::vector<std::string>& kept_columns);

// Every column a plan's output can have (row numbers and quality columns included; no kept or extra
// columns): the .sav writer's labels and types.
std::vector<OutputColumn> every_column(const ScoringPlan& plan, const irt::ThetaScorer* theta = nullptr, bool theta_map = false,
                                       const norms::FileNorms* norms = nullptr);

// A run of consecutive columns of one group: [first, first + count) of the table.
struct ColumnRun {
  ColumnGroup group;
  std::size_t first = 0, count = 0;
};
std::vector<ColumnRun> column_runs(const std::vector<OutputColumn>& table);

// The most bytes one CSV row's numbers and fixed texts (every group but kept, extra and notes) take,
// delimiters included, plus the slack the block copies may write past the row's end.
std::size_t csv_row_bound(const std::vector<OutputColumn>& table);

// The most bytes a number written by the batch writers takes (detail::format_fixed's buffer), and
// its delimiter, with room to spare.
constexpr std::size_t kNumberBytes = 34;

}  // namespace attune::batch
