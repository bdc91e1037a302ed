// Exact sums for reliability: gathered per chunk, merged in input order (see reliability.hpp).
#include <attune/reliability.hpp>
#include <attune/error.hpp>
#include <attune/score.hpp>

#include "../plan_data.hpp"

#include <cmath>

namespace attune {

void ReliabilitySums::reset(std::size_t k, int vmin, int vmax) {
  value_min = vmin;
  value_max = vmax;
  rows = rows_any = n_complete = 0;
  c_sum.assign(k, 0);
  c_cross.assign(k * k, 0);
  p_n.assign(k * k, 0);
  p_sx.assign(k * k, 0);
  p_sxx.assign(k * k, 0);
  p_sxy.assign(k * k, 0);
  // Frequencies only for scales a person can read as a table (psych shows at most 10 values too).
  const std::size_t nv = (vmax - vmin) <= 100 ? static_cast<std::size_t>(vmax - vmin + 1) : 0;
  c_freq.assign(k * nv, 0);
  p_freq.assign(k * nv, 0);
}

void ReliabilitySums::add_row(const double* x) {
  const std::size_t n = k();
  rows += 1;
  std::size_t answered = 0;
  for (std::size_t i = 0; i < n; ++i) answered += std::isnan(x[i]) ? 0 : 1;
  if (answered == 0) return;
  rows_any += 1;
  const std::size_t nv = c_freq.size() / (n ? n : 1);
  if (answered == n) {
    // The common case: one count for all pairs, the cross-products' upper triangle only.
    n_complete += 1;
    for (std::size_t i = 0; i < n; ++i) {
      const double xi = x[i];
      c_sum[i] += xi;
      double* row = &c_cross[i * n];
      for (std::size_t j = i; j < n; ++j) row[j] += xi * x[j];
      if (nv) c_freq[i * nv + static_cast<std::size_t>(xi - value_min)] += 1;
    }
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double xi = x[i];
    if (std::isnan(xi)) continue;
    if (nv) p_freq[i * nv + static_cast<std::size_t>(xi - value_min)] += 1;
    const double xi2 = xi * xi;
    for (std::size_t j = 0; j < n; ++j) {
      if (std::isnan(x[j])) continue;
      const std::size_t ij = i * n + j;
      p_n[ij] += 1;
      p_sx[ij] += xi;
      p_sxx[ij] += xi2;
      if (j >= i) p_sxy[ij] += xi * x[j];
    }
  }
}

void ReliabilitySums::merge(const ReliabilitySums& o) {
  auto add = [](std::vector<double>& a, const std::vector<double>& b) {
    for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
  };
  rows += o.rows;
  rows_any += o.rows_any;
  n_complete += o.n_complete;
  add(c_sum, o.c_sum);
  add(c_cross, o.c_cross);
  add(p_n, o.p_n);
  add(p_sx, o.p_sx);
  add(p_sxx, o.p_sxx);
  add(p_sxy, o.p_sxy);
  add(c_freq, o.c_freq);
  add(p_freq, o.p_freq);
}

ReliabilityAccumulator::ReliabilityAccumulator(const ScoringPlan& plan, bool all_items_block)
    : plan_(plan), all_items_block_(all_items_block) {
  const auto& d = plan.data();
  const int vmin = static_cast<int>(d.data_min), vmax = static_cast<int>(d.data_max);
  std::size_t widest = 0;
  for (std::size_t s = 0; s < d.n_scales; ++s) {
    if (d.derived[s]) continue;
    ReliabilitySums rs;
    rs.scale = d.instrument.scales[s].id;
    for (std::uint32_t m = d.member_begin[s]; m < d.member_begin[s + 1]; ++m) {
      rs.items.push_back(static_cast<int>(d.member_index[m]));
      rs.reversed.push_back(d.member_reverse[m]);
    }
    rs.reset(rs.items.size(), vmin, vmax);
    widest = std::max(widest, rs.items.size());
    scales_.push_back(std::move(rs));
  }
  if (all_items_block) {
    for (std::size_t i = 0; i < d.n_items; ++i) {
      all_.items.push_back(static_cast<int>(i));
      all_.reversed.push_back(0);
    }
    all_.reset(d.n_items, vmin, vmax);
    widest = std::max(widest, d.n_items);
  }
  keyed_.assign(widest, 0);
}

std::unique_ptr<ChunkAccumulator> ReliabilityAccumulator::fresh() const {
  // Built from the plan, never copied from *this: workers call fresh() while the calling thread
  // merges into this object, so reading its sums here would race (ThreadSanitizer found it).
  return std::make_unique<ReliabilityAccumulator>(plan_, all_items_block_);
}

void ReliabilityAccumulator::add(const double* answers, std::size_t rows, std::size_t items, const std::uint8_t* scored,
                                 const BlockScores&) {
  if (items != plan_.item_count()) throw UsageError("reliability accumulator: answers have the wrong number of items");
  add_rows(answers, rows, scored);
}

void ReliabilityAccumulator::add_rows(const double* answers, std::size_t rows, const std::uint8_t* scored) {
  const auto& d = plan_.data();
  const std::size_t P = d.n_items;
  const double rev = d.reverse_sum;
  for (std::size_t r = 0; r < rows; ++r) {
    if (scored && !scored[r]) continue;  // rows reported as errors carry no answers
    const double* x = answers + r * P;
    for (auto& s : scales_) {
      const std::size_t k = s.k();
      for (std::size_t i = 0; i < k; ++i) {
        const double v = x[s.items[i]];
        keyed_[i] = s.reversed[i] ? rev - v : v;  // NaN stays NaN
      }
      s.add_row(keyed_.data());
    }
    if (all_.k()) all_.add_row(x);
  }
}

void ReliabilityAccumulator::merge(ChunkAccumulator& chunk) {
  auto& o = dynamic_cast<ReliabilityAccumulator&>(chunk);
  for (std::size_t s = 0; s < scales_.size(); ++s) scales_[s].merge(o.scales_[s]);
  if (all_.k()) all_.merge(o.all_);
}

}  // namespace attune
