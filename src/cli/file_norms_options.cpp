// The norm columns of `attune score FILE` (file_norms_options.hpp).
#include "file_norms_options.hpp"

#include <attune/error.hpp>

namespace attune::cli {

namespace {

[[noreturn]] void bad_group(const std::string& why, const std::string& part) {
  Location where;
  where.value = part;
  throw UsageError("--norm-group on a file names the columns that hold each row's gender and age: " + why, where,
                   "--norm-group gender=COLUMN,age=COLUMN, e.g. gender=gender,age=age");
}

}  // namespace

std::pair<std::string, std::string> file_norm_columns(const NormChoice& choice) {
  std::pair<std::string, std::string> cols;
  if (choice.group.empty()) return cols;
  const std::string& text = choice.group;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    const std::string part = text.substr(start, end - start);
    const std::size_t eq = part.find('=');
    const std::string key = part.substr(0, eq), value = eq == std::string::npos ? "" : part.substr(eq + 1);
    if (key != "gender" && key != "age") bad_group("unknown part '" + part + "'", part);
    if (value.empty()) bad_group("'" + key + "' names no column", part);
    (key == "gender" ? cols.first : cols.second) = value;
    start = end + 1;
  }
  if (cols.first.empty() || cols.second.empty()) bad_group("both are needed, since the cells are gender x age", text);
  return cols;
}

void add_norm_label_column(const NormChoice& choice, std::vector<std::string>& value_label_columns) {
  if (!choice.group.empty()) value_label_columns.push_back(file_norm_columns(choice).first);
}

std::unique_ptr<norms::FileNorms> file_norms_for(const ScoringPlan& plan, const NormChoice& choice) {
  const auto cols = file_norm_columns(choice);
  if (cols.first.empty()) {
    const char* given = !choice.set.empty() ? "--norm-set" : !choice.conversion.empty() ? "--convert-response-scale" : nullptr;
    if (!given) return nullptr;
    Location where;
    where.value = given;
    throw UsageError(std::string(given) + " shapes the norm columns of a file, which --norm-group asks for", where,
                     "--norm-group gender=COLUMN,age=COLUMN as well");
  }
  std::unique_ptr<AppliedNorms> chosen = choose_norm_set(plan, choice);
  if (!chosen) return nullptr;  // --norm-set none refuses --norm-group itself; the default always applies here
  return std::make_unique<norms::FileNorms>(std::move(chosen->set), plan, cols.first, cols.second, chosen->converted);
}

std::string file_norms_summary(const norms::FileNorms& n) {
  std::string s = "norms: " + n.set.id + " (" + n.set.citation + "; N = " + std::to_string(n.set.n) + "), each row's cell from columns '" +
                  n.gender_column + "' and '" + n.age_column + "' (norm_cell)";
  if (n.converted) s += "; scores converted linearly to the set's response scale (approximate)";
  return s;
}

}  // namespace attune::cli
