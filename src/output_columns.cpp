#include <attune/output_columns.hpp>

namespace attune {

std::array<std::string, 4> dimension_columns(const Instrument& ins) {
  bool taken = false;
  for (const auto& s : ins.scales) {
    for (Category c : kCategories) taken = taken || s.id == to_string(c);
  }
  std::array<std::string, 4> names;
  for (Category c : kCategories) names[static_cast<std::size_t>(c)] = std::string(taken ? "profile_" : "") + to_string(c);
  return names;
}

const std::vector<std::string>& reserved_column_names() {
  static const std::vector<std::string> names = {
      "id", "row", "category", "confidence", "method", "notes",
      "profile_secure", "profile_anxious", "profile_avoidant", "profile_fearful",
      "longstring", "irv", "even_odd", "synonyms", "mahalanobis", "mahalanobis_p", "share_answered", "out_of_range", "quality_flags",
      "plan_mode", "plan_more_help", "plan_1", "plan_2", "plan_3", "plan_4", "plan_5"};
  return names;
}

}  // namespace attune
