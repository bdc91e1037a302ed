#pragma once
// Scores -> SPSS .sav (formats_sav_writer.cpp), for the research job's .sav output.
#include <attune/batch.hpp>
#include <attune/formats.hpp>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace attune {

struct SavOutputOptions {
  // A .sav input's variables (TabularInput::variables, complete once its dictionary is read: asked
  // for after the first reading), matched to the kept columns by name: their labels and value labels
  // are copied.
  std::function<std::vector<SavVariable>()> kept_variables;
  std::string file_label = "attune scores";
};

// Scores `in` (named in_name; from where it is to its end) into an SPSS .sav file at `out`, reading
// the input twice: a .sav header states the number of cases and each variable's type, width and
// format before the first case. The first reading measures the columns, the second hands each row's
// values to ReadStat; memory stays that of one reading. Numeric columns become doubles with variable
// labels (an empty cell is system-missing), rounded to options.decimals as the CSV output shows them;
// category, method, notes and other text columns become strings. The accumulators, on_error and the
// returned summary are the second reading's. Throws UsageError when `in` cannot be read twice.
BatchSummary score_to_sav(const ScoringPlan& plan, std::FILE* in, const std::string& in_name, std::FILE* out,
                          const std::string& out_name, const BatchOptions& options, const SavOutputOptions& sav,
                          const std::function<void(const RowError&)>& on_error);

}  // namespace attune
