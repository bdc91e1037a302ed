// Calibration by partitions: the E-step's expected counts of one partition (rows apart from the
// others), their sum, and the M-step on the sum. Fed the same rows, a driver that adds partitions
// (attune.dask.calibrate_scale) runs the same EM as calibrate() and lands on the same parameters.
#include "em.hpp"

#include <attune/error.hpp>

#include <algorithm>
#include <cmath>

namespace attune::irt {

namespace {

std::vector<detail::GrmItem> grm_items(const std::vector<double>& a, const std::vector<double>& d, int categories) {
  std::vector<detail::GrmItem> out(a.size());
  const std::size_t k = static_cast<std::size_t>(categories - 1);
  if (d.size() != a.size() * k) throw UsageError("the intercepts do not fit the slopes", Location{}, "items x (categories - 1) intercepts");
  for (std::size_t j = 0; j < a.size(); ++j) {
    out[j].a = a[j];
    out[j].d.assign(d.begin() + static_cast<std::ptrdiff_t>(j * k), d.begin() + static_cast<std::ptrdiff_t>((j + 1) * k));
  }
  return out;
}

}  // namespace

void PartitionSums::add(const PartitionSums& o) {
  if (o.items != items || o.categories != categories || o.nodes != nodes || o.r.size() != r.size()) {
    throw UsageError("partition sums of different shapes cannot be added", Location{}, "sums made with the same parameters and grid");
  }
  for (std::size_t i = 0; i < r.size(); ++i) r[i] += o.r[i];
  for (std::size_t i = 0; i < observed.size(); ++i) observed[i] += o.observed[i];
  log_likelihood += o.log_likelihood;
  rows += o.rows;
}

PartitionSums partition_sums(const std::vector<double>& a, const std::vector<double>& d, const std::vector<bool>& reversed,
                             const ResponseScale& scale, const Grid& grid, const double* answers, std::size_t rows) {
  std::vector<ItemParameters> items(reversed.size());
  std::vector<std::size_t> columns(reversed.size());
  for (std::size_t j = 0; j < items.size(); ++j) {
    items[j].id = "item " + std::to_string(j + 1);
    items[j].reversed = reversed[j];
    columns[j] = j;
  }
  const detail::ScaleData data = detail::prepare(answers, rows, items.size(), columns, items, scale);
  PartitionSums out;
  out.items = static_cast<int>(items.size());
  out.categories = data.categories;
  out.nodes = grid.nodes;
  out.rows = data.rows;
  out.observed.assign(items.size() * static_cast<std::size_t>(data.categories), 0);
  for (std::size_t i = 0; i < data.rows; ++i) {
    for (std::size_t j = 0; j < data.items; ++j) {
      if (data.row(i)[j] >= 0) out.observed[j * static_cast<std::size_t>(data.categories) + static_cast<std::size_t>(data.row(i)[j])] += 1;
    }
  }
  if (a.empty()) return out;
  if (a.size() != items.size()) throw UsageError("one slope per item is needed", Location{}, std::to_string(items.size()) + " slopes");
  const std::vector<double> points = grid.points();
  std::vector<double> log_prior = grid.prior();
  for (double& w : log_prior) w = std::log(w);
  detail::LogTable table;
  table.build(grm_items(a, d, data.categories), points);
  detail::EStep e = detail::e_step(data, table, log_prior, points, false, 1);
  out.r = std::move(e.r);
  out.log_likelihood = e.log_likelihood;
  return out;
}

void start_parameters(const PartitionSums& total, std::vector<double>& a, std::vector<double>& d) {
  const std::size_t K = static_cast<std::size_t>(total.categories);
  a.assign(static_cast<std::size_t>(total.items), 1.0);
  d.clear();
  for (std::size_t j = 0; j < a.size(); ++j) {
    double answered = 0;
    for (std::size_t c = 0; c < K; ++c) {
      if (total.observed[j * K + c] == 0) {
        Location where;
        where.item = "item " + std::to_string(j + 1);
        where.value = std::to_string(c);
        throw DataError("no one chose one of this item's answers, so its threshold cannot be estimated", where,
                        "every answer of the response scale chosen at least once per item");
      }
      answered += total.observed[j * K + c];
    }
    double above = answered;
    for (std::size_t k = 1; k < K; ++k) {
      above -= total.observed[j * K + k - 1];
      d.push_back(std::log(above / answered / (1 - above / answered)));
    }
  }
}

double m_step(const PartitionSums& total, const Grid& grid, std::vector<double>& a, std::vector<double>& d) {
  const std::vector<double> points = grid.points();
  std::vector<detail::GrmItem> items = grm_items(a, d, total.categories);
  const std::size_t block = static_cast<std::size_t>(total.categories) * static_cast<std::size_t>(total.nodes);
  if (total.r.size() != items.size() * block) throw UsageError("the sums hold no expected counts", Location{}, "sums from partition_sums with parameters");
  double change = 0;
  for (std::size_t j = 0; j < items.size(); ++j) {
    const detail::GrmItem before = items[j];
    detail::maximize_item(items[j], total.r.data() + j * block, points);
    change = std::max(change, std::abs(items[j].a - before.a));
    for (std::size_t k = 0; k < before.d.size(); ++k) change = std::max(change, std::abs(items[j].d[k] - before.d[k]));
    a[j] = items[j].a;
    for (std::size_t k = 0; k < before.d.size(); ++k) d[j * before.d.size() + k] = items[j].d[k];
  }
  return change;
}

}  // namespace attune::irt
