// The person's log posterior, plain and fast (theta_kernel.hpp says why both give the same bits).
#include "theta_kernel.hpp"

#include "../simd/vec4.hpp"
#include "posterior_moments.hpp"

#include <algorithm>
#include <limits>

namespace attune::irt::detail {

int plain_log_posterior(const LogTable& table, const int* category, std::size_t items, const double* log_prior,
                        std::size_t nodes, double* ll) {
  std::copy(log_prior, log_prior + nodes, ll);
  // Rows added four at a time: ll is loaded and stored once per four items, not once per item.
  const double* rows[4];
  int answered = 0, n = 0;
  for (std::size_t j = 0; j < items; ++j) {
    if (category[j] < 0) continue;
    ++answered;
    rows[n++] = table.row(j, category[j]);
    if (n < 4) continue;
    const double *r0 = rows[0], *r1 = rows[1], *r2 = rows[2], *r3 = rows[3];
    for (std::size_t q = 0; q < nodes; ++q) ll[q] += (r0[q] + r1[q]) + (r2[q] + r3[q]);
    n = 0;
  }
  for (int k = 0; k < n; ++k) {
    const double* row = rows[k];
    for (std::size_t q = 0; q < nodes; ++q) ll[q] += row[q];
  }
  return answered;
}

ThetaEstimate plain_eap(const LogTable& table, const int* category, std::size_t items, const std::vector<double>& log_prior,
                        const std::vector<double>& points) {
  constexpr std::size_t kStack = 256;
  double stack[kStack];
  std::vector<double> heap(points.size() > kStack ? points.size() : 0);
  double* ll = points.size() > kStack ? heap.data() : stack;
  ThetaEstimate out;
  out.answered = plain_log_posterior(table, category, items, log_prior.data(), points.size(), ll);
  out.theta = posterior_mean_sd(ll, points.data(), points.size(), out.se);
  return out;
}

void PersonTables::build(const LogTable& table, std::size_t n_items, int K, const std::vector<double>& log_prior,
                         const std::vector<double>& grid) {
  nodes = table.nodes;
  padded = (nodes + 3) / 4 * 4;
  items = n_items;
  categories = K;
  prior.assign(padded, -std::numeric_limits<double>::infinity());
  points.assign(padded, 0.0);
  std::copy(log_prior.begin(), log_prior.end(), prior.begin());
  std::copy(grid.begin(), grid.end(), points.begin());
  single.assign(items * static_cast<std::size_t>(K) * padded, 0.0);
  for (std::size_t j = 0; j < items; ++j) {
    for (int c = 0; c < K; ++c) std::copy(table.row(j, c), table.row(j, c) + nodes, single.begin() + (one(j, c) - single.data()));
  }
  paired = K <= kMaxPairCategories ? items / 4 * 4 : 0;
  pairs.assign(paired / 2 * static_cast<std::size_t>(K * K) * padded, 0.0);
  for (std::size_t p = 0; p < paired / 2; ++p) {
    for (int a = 0; a < K; ++a) {
      for (int b = 0; b < K; ++b) {
        const double *x = table.row(2 * p, a), *y = table.row(2 * p + 1, b);
        double* out = pairs.data() + (two(p, a, b) - pairs.data());
        for (std::size_t q = 0; q < nodes; ++q) out[q] = x[q] + y[q];
      }
    }
  }
}

namespace {

using attune::detail::load4;
using attune::detail::vec4;

// The largest value so far per lane, and the block it was in. Through references: a 32-byte vector
// passed or returned by value would warn that the AVX ABI differs.
struct Top {
  vec4 value = {-1e308, -1e308, -1e308, -1e308};
  vec4 block = {0, 0, 0, 0};
  void raise(const vec4& v, std::size_t o) {
    const vec4 at = {static_cast<double>(o), static_cast<double>(o), static_cast<double>(o), static_cast<double>(o)};
    const auto higher = v > value;
    value = higher ? v : value;
    block = higher ? at : block;
  }
  Peak peak() const {
    int k = 0;
    for (int i = 1; i < 4; ++i) k = value[i] > value[k] ? i : k;
    return Peak{value[k], static_cast<std::size_t>(block[k]) + static_cast<std::size_t>(k)};
  }
};

// ll = prior + sum over g of (two[2g] + two[2g + 1]), then + one[k] one by one, four nodes at a time.
ATTUNE_CLONES Peak sum_pairs(const double* prior, const double* const* two, std::size_t n_two, const double* const* one,
                               std::size_t n_one, std::size_t padded, double* ll) {
  Top top;
  for (std::size_t o = 0; o < padded; o += 4) {
    vec4 acc, x, y;
    load4(acc, prior + o);
    for (std::size_t g = 0; g + 1 < n_two; g += 2) {
      load4(x, two[g] + o);
      load4(y, two[g + 1] + o);
      acc += x + y;
    }
    for (std::size_t k = 0; k < n_one; ++k) {
      load4(x, one[k] + o);
      acc += x;
    }
    std::memcpy(ll + o, &acc, sizeof acc);
    top.raise(acc, o);
  }
  return top.peak();
}

// ll = prior + ((r0 + r1) + (r2 + r3)) per four rows, then the rest one by one, four nodes at a time.
ATTUNE_CLONES Peak sum_rows(const double* prior, const double* const* rows, std::size_t n, std::size_t padded, double* ll) {
  Top top;
  const std::size_t grouped = n / 4 * 4;
  for (std::size_t o = 0; o < padded; o += 4) {
    vec4 acc, a, b, c, d;
    load4(acc, prior + o);
    for (std::size_t k = 0; k < grouped; k += 4) {
      load4(a, rows[k] + o);
      load4(b, rows[k + 1] + o);
      load4(c, rows[k + 2] + o);
      load4(d, rows[k + 3] + o);
      acc += (a + b) + (c + d);
    }
    for (std::size_t k = grouped; k < n; ++k) {
      load4(a, rows[k] + o);
      acc += a;
    }
    std::memcpy(ll + o, &acc, sizeof acc);
    top.raise(acc, o);
  }
  return top.peak();
}

}  // namespace

int fast_log_posterior(const PersonTables& t, const int* category, std::size_t answered, double* ll, Peak& peak) {
  constexpr std::size_t kRows = 256;
  const double* stack[kRows];
  std::vector<const double*> heap(t.items > kRows ? t.items : 0);
  const double** rows = t.items > kRows ? heap.data() : stack;
  if (answered == t.items && t.paired > 0) {
    // Every item answered: the first `paired` items two by two from the pair tables, the rest alone.
    const std::size_t pairs = t.paired / 2, rest = t.items - t.paired;
    for (std::size_t p = 0; p < pairs; ++p) rows[p] = t.two(p, category[2 * p], category[2 * p + 1]);
    for (std::size_t k = 0; k < rest; ++k) rows[pairs + k] = t.one(t.paired + k, category[t.paired + k]);
    peak = sum_pairs(t.prior.data(), rows, pairs, rows + pairs, rest, t.padded, ll);
    return static_cast<int>(answered);
  }
  std::size_t n = 0;
  for (std::size_t j = 0; j < t.items; ++j) {
    if (category[j] >= 0) rows[n++] = t.one(j, category[j]);
  }
  peak = sum_rows(t.prior.data(), rows, n, t.padded, ll);
  return static_cast<int>(n);
}

int fast_log_posterior(const PersonTables& t, const int* category, double* ll, Peak& peak) {
  const std::size_t answered = static_cast<std::size_t>(std::count_if(category, category + t.items, [](int c) { return c >= 0; }));
  return fast_log_posterior(t, category, answered, ll, peak);
}

ThetaEstimate fast_eap(const PersonTables& t, const int* category, std::size_t answered) {
  constexpr std::size_t kStack = 256;
  double stack[kStack];
  std::vector<double> heap(t.padded > kStack ? t.padded : 0);
  double* ll = t.padded > kStack ? heap.data() : stack;
  ThetaEstimate out;
  Peak peak;
  out.answered = fast_log_posterior(t, category, answered, ll, peak);
  out.theta = fast_mean_sd(ll, t.points.data(), t.padded, peak, out.se);
  return out;
}

ThetaEstimate fast_eap(const PersonTables& t, const int* category) {
  return fast_eap(t, category, static_cast<std::size_t>(std::count_if(category, category + t.items, [](int c) { return c >= 0; })));
}

}  // namespace attune::irt::detail
