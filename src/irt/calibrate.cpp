// Marginal maximum likelihood for the graded response model by EM over a fixed quadrature grid
// (Bock & Aitkin 1981): the E-step spreads each row over the grid by its posterior, the M-step
// maximizes each item's expected complete-data log-likelihood by Newton-Raphson.
#include "em.hpp"

#include <cstdio>
#include <attune/error.hpp>
#include <attune/version.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace attune::irt {

namespace detail {

ScaleData prepare(const double* answers, std::size_t rows, std::size_t stride, const std::vector<std::size_t>& columns,
                  const std::vector<ItemParameters>& items, const ResponseScale& scale) {
  ScaleData d;
  d.items = columns.size();
  d.categories = scale.max - scale.min + 1;
  d.answered.assign(d.items, 0);
  d.x.reserve(rows * d.items);
  std::vector<std::int8_t> row(d.items);
  for (std::size_t i = 0; i < rows; ++i) {
    bool any = false;
    for (std::size_t j = 0; j < d.items; ++j) {
      const double v = answers[i * stride + columns[j]];
      row[j] = -1;
      if (std::isnan(v)) continue;
      if (v != std::floor(v) || v < scale.min || v > scale.max) {
        Location where;
        where.row = static_cast<std::int64_t>(i) + 1;
        where.item = items[j].id;
        where.value = std::to_string(v);
        throw AnswerError("an answer is not on the response scale", where,
                          "a whole number from " + std::to_string(scale.min) + " to " + std::to_string(scale.max));
      }
      const int x = static_cast<int>(v);
      row[j] = static_cast<std::int8_t>(items[j].reversed ? scale.max - x : x - scale.min);
      any = true;
    }
    if (!any) continue;
    for (std::size_t j = 0; j < d.items; ++j) d.answered[j] += row[j] >= 0;
    d.x.insert(d.x.end(), row.begin(), row.end());
    ++d.rows;
  }
  return d;
}

}  // namespace detail

namespace {

using detail::GrmItem;

double logit(double p) { return std::log(p / (1 - p)); }

// Intercepts from each item's cumulative answer shares (logits of P(X >= k)), slope 1.
std::vector<GrmItem> start_values(const detail::ScaleData& d, const std::vector<ItemParameters>& items) {
  std::vector<GrmItem> out(d.items);
  const int K = d.categories;
  for (std::size_t j = 0; j < d.items; ++j) {
    std::vector<double> count(K, 0);
    for (std::size_t i = 0; i < d.rows; ++i) {
      if (d.row(i)[j] >= 0) count[d.row(i)[j]] += 1;
    }
    for (int c = 0; c < K; ++c) {
      if (count[c] == 0) {
        Location where;
        where.item = items[j].id;
        where.value = std::to_string(c);
        throw DataError("no one chose one of this item's answers, so its threshold cannot be estimated", where,
                        "every answer of the response scale chosen at least once per item");
      }
    }
    out[j].a = 1;
    double above = static_cast<double>(d.answered[j]);
    for (int k = 1; k < K; ++k) {
      above -= count[k - 1];
      out[j].d.push_back(logit(above / static_cast<double>(d.answered[j])));
    }
  }
  return out;
}

double max_change(const std::vector<GrmItem>& x, const std::vector<GrmItem>& y) {
  double m = 0;
  for (std::size_t j = 0; j < x.size(); ++j) {
    m = std::max(m, std::abs(x[j].a - y[j].a));
    for (std::size_t k = 0; k < x[j].d.size(); ++k) m = std::max(m, std::abs(x[j].d[k] - y[j].d[k]));
  }
  return m;
}

std::vector<double> log_of(const std::vector<double>& v) {
  std::vector<double> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = std::log(v[i]);
  return out;
}

void summarize(ScaleCalibration& s, const detail::EStep& e, const std::vector<double>& points,
               const std::vector<double>& prior) {
  s.log_likelihood = e.log_likelihood;
  s.aic = -2 * s.log_likelihood + 2 * s.parameters;
  s.bic = -2 * s.log_likelihood + s.parameters * std::log(static_cast<double>(s.rows_used));
  double error = 0;
  for (std::size_t q = 0; q < points.size(); ++q) error += prior[q] / test_information(s, points[q]);
  s.marginal_reliability = 1 / (1 + error);
  double mean = 0, var = 0, pv = 0;
  const double n = static_cast<double>(e.eap.size());
  for (double t : e.eap) mean += t / n;
  for (std::size_t i = 0; i < e.eap.size(); ++i) {
    var += (e.eap[i] - mean) * (e.eap[i] - mean) / n;
    pv += e.posterior_variance[i] / n;
  }
  s.empirical_reliability = var / (var + pv);
  for (int i = 0; i <= 16; ++i) {
    const double t = -4 + 0.5 * i;
    s.info_theta.push_back(t);
    s.info.push_back(test_information(s, t));
  }
}

// A negative slope after the instrument's reverse keys means the item's answers run against its key:
// its thresholds would decrease, which no calibration file (and no scoring) accepts. Said here, with
// the item, rather than as an unusable file found later by `score --irt`.
void refuse_negative_slopes(const std::vector<GrmItem>& items, const std::vector<ItemParameters>& start) {
  for (std::size_t j = 0; j < items.size(); ++j) {
    if (items[j].a > 0) continue;
    Location where;
    where.item = start[j].id;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", items[j].a);
    where.value = buf;
    throw DataError("item '" + start[j].id + "' fits a slope of " + buf +
                        ": in these data its answers run against its key (higher answers go with a lower score on "
                        "the scale). Check the instrument's reverse keys ('attune audit' suggests them) or leave the item out",
                    where, "a positive slope after the instrument's reverse keys");
  }
}

}  // namespace

namespace detail {

ScaleCalibration calibrate_columns(const std::vector<ItemParameters>& start, const ResponseScale& scale,
                                   const double* answers, std::size_t rows, std::size_t stride,
                                   const std::vector<std::size_t>& columns, const CalibrationOptions& options) {
  if (scale.max - scale.min + 1 > 31 || scale.max <= scale.min) {
    throw UsageError("the graded response model here takes 2 to 31 answer categories", Location{},
                     "a response scale of 2 to 31 points");
  }
  const ScaleData d = prepare(answers, rows, stride, columns, start, scale);
  ScaleCalibration s;
  s.items = start;
  s.rows_used = d.rows;
  if (d.rows < 2) throw DataError("too few rows answered this scale to calibrate it", Location{}, "at least 2 rows");
  const std::vector<double> points = options.grid.points(), prior = options.grid.prior(), log_prior = log_of(prior);
  std::vector<GrmItem> items = start_values(d, start);
  LogTable table;
  std::vector<std::uint8_t> window(2 * d.rows, 0);
  for (s.iterations = 1; s.iterations <= options.max_iterations; ++s.iterations) {
    table.build(items, points);
    const EStep e = e_step(d, table, log_prior, points, false, options.threads, window.data());
    std::vector<GrmItem> next = items;
    for (std::size_t j = 0; j < d.items; ++j) maximize_item(next[j], e.r.data() + table.offset[j], points);
    s.max_change = max_change(items, next);
    items.swap(next);
    if (s.max_change < options.tolerance) {
      s.converged = true;
      break;
    }
  }
  s.iterations = std::min(s.iterations, options.max_iterations);
  refuse_negative_slopes(items, start);
  for (std::size_t j = 0; j < d.items; ++j) {
    s.items[j].a = items[j].a;
    s.items[j].b.clear();
    for (double dk : items[j].d) s.items[j].b.push_back(-dk / items[j].a);
    s.items[j].answered = d.answered[j];
    s.items[j].b_se.assign(s.items[j].b.size(), std::numeric_limits<double>::quiet_NaN());
    s.items[j].a_se = std::numeric_limits<double>::quiet_NaN();
    s.items[j].sx2 = s.items[j].sx2_p = std::numeric_limits<double>::quiet_NaN();
  }
  s.parameters = static_cast<int>(d.items) * d.categories;
  table.build(items, points);
  summarize(s, e_step(d, table, log_prior, points, true, options.threads), points, prior);
  if (options.standard_errors) standard_errors(d, items, points, log_prior, s.items);
  if (options.item_fit) item_fit(d, items, points, prior, s.items);
  return s;
}

}  // namespace detail

ScaleCalibration calibrate_scale(const std::vector<ItemParameters>& start, const ResponseScale& scale,
                                 const double* answers, std::size_t rows, std::size_t stride,
                                 const CalibrationOptions& options) {
  std::vector<std::size_t> columns(start.size());
  for (std::size_t j = 0; j < columns.size(); ++j) columns[j] = j;
  return detail::calibrate_columns(start, scale, answers, rows, stride, columns, options);
}

}  // namespace attune::irt
