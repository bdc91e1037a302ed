// A person's EAP, plain and fast (theta_kernel.hpp says why they agree).
#include "theta_kernel.hpp"

#include "../simd/vec4.hpp"

#include <algorithm>
#include <cmath>

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
  prior.assign(padded, 0.0);
  points.assign(padded, 0.0);
  // From the log tables, so the fast twin's P is the plain twin's clamped P (kMinProbability).
  for (std::size_t q = 0; q < nodes; ++q) prior[q] = std::exp(log_prior[q]);
  std::copy(grid.begin(), grid.end(), points.begin());
  single.assign(items * static_cast<std::size_t>(K) * padded, 0.0);
  for (std::size_t j = 0; j < items; ++j) {
    for (int c = 0; c < K; ++c) {
      const double* x = table.row(j, c);
      double* out = single.data() + (one(j, c) - single.data());
      for (std::size_t q = 0; q < nodes; ++q) out[q] = std::exp(x[q]);
    }
  }
  paired = K <= kMaxPairCategories ? items / 2 * 2 : 0;
  pairs.assign(paired / 2 * static_cast<std::size_t>(K * K) * padded, 0.0);
  for (std::size_t p = 0; p < paired / 2; ++p) {
    for (int a = 0; a < K; ++a) {
      for (int b = 0; b < K; ++b) {
        const double *x = one(2 * p, a), *y = one(2 * p + 1, b);
        double* out = pairs.data() + (two(p, a, b) - pairs.data());
        for (std::size_t q = 0; q < nodes; ++q) out[q] = x[q] * y[q];
      }
    }
  }
}

namespace {

using attune::detail::load4;
using attune::detail::vec4;

inline double lane_sum(const vec4& v) { return (v[0] + v[1]) + (v[2] + v[3]); }

// Per node w = prior * the product of the rows; s = the sums of w, w t and w t^2 over the nodes.
ATTUNE_CLONES void weigh(const double* prior, const double* points, const double* const* rows, std::size_t n,
                         std::size_t padded, double* s) {
  vec4 s0 = {0, 0, 0, 0}, s1 = s0, s2 = s0;
  const std::size_t even = n / 2 * 2;
  for (std::size_t o = 0; o < padded; o += 4) {
    vec4 w, x, y, t;
    load4(w, prior + o);
    for (std::size_t k = 0; k < even; k += 2) {
      load4(x, rows[k] + o);
      load4(y, rows[k + 1] + o);
      w *= x * y;
    }
    if (even < n) {
      load4(x, rows[even] + o);
      w *= x;
    }
    load4(t, points + o);
    s0 += w;
    const vec4 wt = w * t;
    s1 += wt;
    s2 += wt * t;
  }
  s[0] = lane_sum(s0);
  s[1] = lane_sum(s1);
  s[2] = lane_sum(s2);
}

// The rows of the answered items' P: a pair's product when both of its items are answered, else the
// one answered; returns how many rows.
std::size_t answered_rows(const PersonTables& t, const int* category, std::size_t answered, const double** rows) {
  std::size_t n = 0;
  const std::size_t pairs = t.paired / 2;
  if (answered == t.items) {
    for (std::size_t p = 0; p < pairs; ++p) rows[n++] = t.two(p, category[2 * p], category[2 * p + 1]);
    for (std::size_t j = t.paired; j < t.items; ++j) rows[n++] = t.one(j, category[j]);
    return n;
  }
  for (std::size_t p = 0; p < pairs; ++p) {
    const int a = category[2 * p], b = category[2 * p + 1];
    if (a >= 0 && b >= 0) {
      rows[n++] = t.two(p, a, b);
    } else if (a >= 0) {
      rows[n++] = t.one(2 * p, a);
    } else if (b >= 0) {
      rows[n++] = t.one(2 * p + 1, b);
    }
  }
  for (std::size_t j = t.paired; j < t.items; ++j) {
    if (category[j] >= 0) rows[n++] = t.one(j, category[j]);
  }
  return n;
}

}  // namespace

bool fast_eap(const PersonTables& t, const int* category, std::size_t answered, ThetaEstimate& out) {
  constexpr std::size_t kRows = 256;
  const double* stack[kRows];
  std::vector<const double*> heap(t.items > kRows ? t.items : 0);
  const double** rows = t.items > kRows ? heap.data() : stack;
  const std::size_t n = answered_rows(t, category, answered, rows);
  double s[3];
  weigh(t.prior.data(), t.points.data(), rows, n, t.padded, s);
  if (!(s[0] >= PersonTables::kSmallestTotal)) return false;
  out.answered = static_cast<int>(answered);
  out.theta = s[1] / s[0];
  out.se = std::sqrt(std::max(s[2] / s[0] - out.theta * out.theta, 0.0));
  return true;
}

bool fast_eap(const PersonTables& t, const int* category, ThetaEstimate& out) {
  const auto answered = std::count_if(category, category + t.items, [](int c) { return c >= 0; });
  return fast_eap(t, category, static_cast<std::size_t>(answered), out);
}

}  // namespace attune::irt::detail
