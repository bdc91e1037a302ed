// The output columns, in order (columns.hpp): the CSV header, the JSON Lines keys, the .sav
// variables and their labels, the Python frame's column names all come from output_table().
#include "columns.hpp"

#include <attune/irt.hpp>
#include <attune/norms.hpp>
#include <attune/output_columns.hpp>
#include <attune/quality.hpp>

#include "chunk.hpp"
#include "write/padded_text.hpp"
#include "write/row_norms.hpp"

#include <algorithm>

namespace attune::batch {

const char* const kQualityColumns[9] = {"longstring",    "irv",            "even_odd",     "synonyms",     "mahalanobis",
                                        "mahalanobis_p", "share_answered", "out_of_range", "quality_flags"};

namespace {

OutputColumn column(std::string name, std::string label, ColumnType type, ColumnGroup group, std::size_t index) {
  OutputColumn c;
  c.name = std::move(name);
  c.label = std::move(label);
  c.type = type;
  c.group = group;
  c.index = index;
  return c;
}

void add_scales(const ScoringPlan& plan, std::vector<OutputColumn>& t) {
  std::size_t k = 0;
  for (const auto& s : plan.instrument().scales) {
    const std::string name = s.label.empty() ? s.id : s.id + " (" + s.label + ")";
    const std::string how = s.derived() ? "combined from scales" : (s.aggregation == Aggregation::sum ? "sum of keyed items" : "mean of keyed items");
    t.push_back(column(s.id, name + ": " + how, ColumnType::number, ColumnGroup::scales, k++));
    t.push_back(column(s.id + "_z", name + ": z score against the norms", ColumnType::number, ColumnGroup::scales, k++));
    t.push_back(column(s.id + "_pct", name + ": percentile against the norms", ColumnType::number, ColumnGroup::scales, k++));
  }
}

void add_profile(const ScoringPlan& plan, std::vector<OutputColumn>& t) {
  static const char* const kDimensionLabels[4] = {"profile dimension: secure", "profile dimension: anxious (preoccupied)",
                                                  "profile dimension: avoidant (dismissing)", "profile dimension: fearful-avoidant"};
  const auto dims = dimension_columns(plan.instrument());
  for (std::size_t c = 0; c < 4; ++c) t.push_back(column(dims[c], kDimensionLabels[c], ColumnType::number, ColumnGroup::profile, c));
  t.push_back(column("category", "profile category (a simplification of dimensional scores; not a diagnosis)", ColumnType::text,
                     ColumnGroup::profile, 4));
  std::size_t longest = 0;
  for (unsigned b = 0; b < 16; ++b) longest = std::max(longest, category_texts()[b].len);
  t.back().max_text = longest;
  t.push_back(column("confidence", "profile confidence: probability of the same category", ColumnType::number, ColumnGroup::profile, 5));
  t.push_back(column("method", "profile method", ColumnType::text, ColumnGroup::profile, 6));
  t.back().max_text = plan.data().method.name.size();
}

void add_theta(const irt::ThetaScorer& theta, bool map, std::vector<OutputColumn>& t) {
  const std::string how = map ? "posterior mode (MAP), graded response model" : "posterior mean (EAP), graded response model";
  for (std::size_t s = 0, k = 0; s < theta.scale_count(); ++s) {
    const std::string& id = theta.scale_id(s);
    t.push_back(column(id + "_theta", id + ": theta, " + how, ColumnType::number, ColumnGroup::theta, k++));
    t.push_back(column(id + "_theta_se", id + ": standard error of theta", ColumnType::number, ColumnGroup::theta, k++));
  }
}

void add_norms(const ScoringPlan& plan, const norms::FileNorms& n, bool theta, std::vector<OutputColumn>& t) {
  const std::string set = "norm set " + n.set.id;
  t.push_back(column("norm_cell", set + ": the cell of the row's gender and age, or all (the whole sample) and why",
                     ColumnType::text, ColumnGroup::norms, 0));
  t.back().max_text = 2 * longest_norm_cell(n.set) + 2;  // room for quotes doubled, should a text need them
  for (std::size_t k = 0; k < n.scales.size(); ++k) {
    const std::string& id = plan.instrument().scales[n.scales[k]].id;
    t.push_back(column(id + "_norm_z", id + ": z score in the " + set + " (cell in norm_cell)", ColumnType::number, ColumnGroup::norms, 1 + 2 * k));
    t.push_back(column(id + "_norm_pct", id + ": percentile in the " + set + " (cell in norm_cell)", ColumnType::number, ColumnGroup::norms, 2 + 2 * k));
  }
  const std::size_t K = n.scales.size();
  for (std::size_t j = 0; theta && j < n.theta_scales.size(); ++j) {
    const std::string& id = plan.instrument().scales[n.theta_scales[j].scale].id;
    t.push_back(column(id + "_theta_norm_z", id + ": z score of theta in the " + set + " (cell in norm_cell)", ColumnType::number,
                       ColumnGroup::norms, 1 + 2 * (K + j)));
    t.push_back(column(id + "_theta_norm_pct", id + ": percentile of theta in the " + set + " (cell in norm_cell)", ColumnType::number,
                       ColumnGroup::norms, 2 + 2 * (K + j)));
  }
}

void add_quality(std::vector<OutputColumn>& t) {
  for (std::size_t k = 0; k < 9; ++k) {
    const ColumnType type = k == 8 ? ColumnType::text : (k == 0 || k == 7) ? ColumnType::whole : ColumnType::number;
    t.push_back(column(kQualityColumns[k], std::string("response quality: ") + kQualityColumns[k], type, ColumnGroup::quality, k));
  }
  std::size_t longest = 0;
  for (unsigned b = 0; b < 256; ++b) longest = std::max(longest, quality_flag_texts()[b].len);
  t.back().max_text = longest;
}

struct TableParts {
  bool row_numbers = false, quality = false, theta_map = false;
  const RowColumns* extra = nullptr;
  const irt::ThetaScorer* theta = nullptr;
  const norms::FileNorms* norms = nullptr;
};

std::vector<OutputColumn> build_table(const ScoringPlan& plan, const std::vector<std::string>& kept, const TableParts& p) {
  std::vector<OutputColumn> t;
  if (p.row_numbers) t.push_back(column("row", "data row number in the input", ColumnType::whole, ColumnGroup::row_number, 0));
  for (std::size_t k = 0; k < kept.size(); ++k) t.push_back(column(kept[k], "", ColumnType::text, ColumnGroup::kept, k));
  add_scales(plan, t);
  if (plan.has_profile()) add_profile(plan, t);
  if (p.theta) add_theta(*p.theta, p.theta_map, t);
  if (p.norms) add_norms(plan, *p.norms, p.theta != nullptr, t);
  if (p.quality) add_quality(t);
  if (p.extra) {
    const auto& names = p.extra->names();
    for (std::size_t k = 0; k < names.size(); ++k) t.push_back(column(names[k], "", ColumnType::text, ColumnGroup::extra, k));
  }
  t.push_back(column("notes", "notes: scales below their minimum answered, or why a row could not be scored", ColumnType::text,
                     ColumnGroup::notes, 0));
  return t;
}

}  // namespace

std::vector<OutputColumn> output_table(const ScoringPlan& plan, const BatchOptions& opt, const std::vector<std::string>& kept) {
  TableParts p;
  p.row_numbers = opt.row_numbers;
  p.quality = opt.quality != nullptr;
  p.extra = opt.extra_columns;
  p.theta = opt.theta;
  p.theta_map = opt.theta_map;
  p.norms = opt.norms;
  return build_table(plan, kept, p);
}

std::vector<OutputColumn> every_column(const ScoringPlan& plan, const irt::ThetaScorer* theta, bool theta_map, const norms::FileNorms* norms) {
  TableParts p;
  p.row_numbers = true;
  p.quality = true;
  p.theta = theta;
  p.theta_map = theta_map;
  p.norms = norms;
  return build_table(plan, {}, p);
}

std::vector<ColumnRun> column_runs(const std::vector<OutputColumn>& table) {
  std::vector<ColumnRun> runs;
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (runs.empty() || runs.back().group != table[i].group) runs.push_back({table[i].group, i, 0});
    ++runs.back().count;
  }
  return runs;
}

std::size_t csv_row_bound(const std::vector<OutputColumn>& table) {
  std::size_t bound = kTextSlack;  // a block copy (copy_short) may write this far past the row's end
  for (const OutputColumn& c : table) {
    switch (c.group) {
      case ColumnGroup::row_number: case ColumnGroup::kept: case ColumnGroup::extra: case ColumnGroup::notes: break;
      default: bound += c.type == ColumnType::text ? c.max_text + 1 : kNumberBytes;
    }
  }
  return bound;
}

}  // namespace attune::batch

namespace attune {

std::vector<std::string> output_columns(const ScoringPlan& plan, const BatchOptions& opt, const std::vector<std::string>& kept) {
  std::vector<std::string> cols;
  for (auto& c : batch::output_table(plan, opt, kept)) cols.push_back(std::move(c.name));
  return cols;
}

}  // namespace attune
