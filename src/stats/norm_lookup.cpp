// Looking a person up in a norm set: the cell of their context, then z and the percentile by
// linear interpolation in the cell's table. Everything after construction is allocation-free so the
// batch writer can call it per row.
#include <attune/error.hpp>
#include <attune/norms.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

namespace attune::norms {

namespace {

bool same_word(std::string_view a, const char* b) noexcept {
  std::size_t i = 0;
  for (; i < a.size() && b[i]; ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return i == a.size() && !b[i];
}

int parse_age(const std::string& text) {
  int age = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || age > 150) age = 1000;
    else age = age * 10 + (c - '0');
  }
  if (text.empty() || age > 150) {
    Location where;
    where.value = text;
    throw UsageError("--norm-group: the age is not a whole number of years", where, "a whole number from 0 to 150, e.g. age=30");
  }
  return age;
}

}  // namespace

Gender parse_gender(std::string_view t) noexcept {
  if (same_word(t, "female") || same_word(t, "f") || same_word(t, "woman")) return Gender::female;
  if (same_word(t, "male") || same_word(t, "m") || same_word(t, "man")) return Gender::male;
  return Gender::unknown;
}

NormContext parse_norm_group(const std::string& text) {
  NormContext out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    const std::string part = text.substr(start, end - start);
    const std::size_t eq = part.find('=');
    const std::string key = part.substr(0, eq), value = eq == std::string::npos ? "" : part.substr(eq + 1);
    Location where;
    where.value = part;
    if (key == "gender") {
      out.gender = parse_gender(value);
      if (out.gender == Gender::unknown) {
        throw UsageError("--norm-group: the norms have cells for female and male only", where,
                         "gender=female or gender=male (leave gender out to use the whole sample)");
      }
    } else if (key == "age") {
      out.age = parse_age(value);
    } else {
      throw UsageError("--norm-group: unknown part '" + part + "'", where, "gender=female|male and/or age=YEARS, e.g. gender=female,age=30");
    }
    start = end + 1;
  }
  return out;
}

std::size_t find_cell(const NormSet& set, const NormContext& context) noexcept {
  if (context.gender == Gender::unknown || context.age < 0) return 0;
  for (std::size_t c = 1; c < set.cells.size(); ++c) {
    const Cell& cell = set.cells[c];
    if (cell.gender == context.gender && context.age >= cell.age_min && context.age <= cell.age_max) return c;
  }
  return 0;
}

double percentile(const PercentileTable& t, double x) noexcept {
  if (std::isnan(x) || t.value.empty()) return std::numeric_limits<double>::quiet_NaN();
  if (x <= t.value.front()) return t.percentile.front();
  if (x >= t.value.back()) return t.percentile.back();
  const std::size_t hi = static_cast<std::size_t>(std::upper_bound(t.value.begin(), t.value.end(), x) - t.value.begin());
  const std::size_t lo = hi - 1;
  const double share = (x - t.value[lo]) / (t.value[hi] - t.value[lo]);
  return t.percentile[lo] + share * (t.percentile[hi] - t.percentile[lo]);
}

Standing standing(const Distribution& d, double x) noexcept {
  Standing out;
  if (std::isnan(x) || !d.available()) return out;
  out.z = (x - d.mean) / d.sd;
  out.empirical = !d.table.empty();
  out.percentile = out.empirical ? percentile(d.table, x) : 50 * std::erfc(-out.z / std::sqrt(2.0));
  return out;
}

NormLookup::NormLookup(const NormSet& set, const std::vector<std::string>& scale_ids) : set_(&set) {
  for (const Cell& cell : set.cells) {
    std::vector<const ScaleNorm*> row;
    for (const std::string& id : scale_ids) row.push_back(cell.find(id));
    by_cell_.push_back(std::move(row));
  }
}

Standing NormLookup::score(std::size_t cell, std::size_t scale, double mean_score) const noexcept {
  const ScaleNorm* n = by_cell_[cell][scale];
  return n ? standing(n->mean_score, mean_score) : Standing{};
}

Standing NormLookup::theta(std::size_t cell, std::size_t scale, double theta) const noexcept {
  const ScaleNorm* n = by_cell_[cell][scale];
  return n ? standing(n->theta, theta) : Standing{};
}

}  // namespace attune::norms
