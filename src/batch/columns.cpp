// The output columns, in order (CSV header, JSON Lines keys, .sav variables, the Python frame).
#include <attune/batch.hpp>
#include <attune/output_columns.hpp>

namespace attune {

std::vector<std::string> output_columns(const ScoringPlan& plan, const BatchOptions& opt, const std::vector<std::string>& kept) {
  std::vector<std::string> cols;
  if (opt.row_numbers) cols.push_back("row");
  for (const auto& k : kept) cols.push_back(k);
  for (const auto& s : plan.instrument().scales) {
    cols.push_back(s.id);
    cols.push_back(s.id + "_z");
    cols.push_back(s.id + "_pct");
  }
  if (plan.has_profile()) {
    for (const auto& c : dimension_columns(plan.instrument())) cols.push_back(c);
    for (const char* c : {"category", "confidence", "method"}) cols.push_back(c);
  }
  if (opt.quality) {
    for (const char* c : {"longstring", "irv", "even_odd", "synonyms", "mahalanobis", "mahalanobis_p", "share_answered",
                          "out_of_range", "quality_flags"})
      cols.push_back(c);
  }
  if (opt.extra_columns) for (const auto& c : opt.extra_columns->names()) cols.push_back(c);
  cols.push_back("notes");
  return cols;
}

}  // namespace attune
