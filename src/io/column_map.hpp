#pragma once
#include <attune/batch.hpp>

#include <string>
#include <vector>

namespace attune::io {

// For each item (plan order), the 0-based column that holds it. Throws DataError naming the file
// and the column it looked for when one is missing or ambiguous.
std::vector<int> map_item_columns(const ScoringPlan& plan, const std::vector<std::string>& header,
                                  const ColumnMapping& mapping, const std::string& file);

// 0-based column index of a named column, or throws DataError.
int find_column(const std::vector<std::string>& header, const std::string& name, const std::string& file, const char* role);

}  // namespace attune::io
