#pragma once
#include <attune/batch.hpp>

#include <string>
#include <vector>

namespace attune::io {

// For each item (plan order), the 0-based column that holds it. Throws DataError naming the file
// and the column it looked for when one is missing or ambiguous.
std::vector<int> map_item_columns(const ScoringPlan& plan, const std::vector<std::string>& header,
                                  const ColumnMapping& mapping, const std::string& file);

// The column name a --map pattern gives one item: {n} its position, {n:0W} the position zero-padded
// to W digits (W 1 to 9: 'ECR_{n:02}' gives ECR_01), {id} its id. Any other '{' or '}' is a
// UsageError. uses_item (optional) is set when the pattern holds a placeholder at all.
std::string expand_pattern(const std::string& pattern, int position, const std::string& id, bool* uses_item = nullptr);

// 0-based column index of a named column, or throws DataError. fold_case: with no exact match, the
// one column equal to `name` when case is ignored (two such columns: DataError).
int find_column(const std::vector<std::string>& header, const std::string& name, const std::string& file, const char* role,
                bool fold_case = false);

// UsageError when an output column name occurs twice: every name must be unique, or a JSON Lines
// reader keeps one of the two values. Columns first_kept to end_kept are the kept input columns.
void check_unique_output(const std::vector<std::string>& columns, std::size_t first_kept, std::size_t end_kept);

}  // namespace attune::io
