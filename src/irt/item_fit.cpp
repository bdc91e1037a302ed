// Orlando & Thissen's (2000) S-X2 item fit, in its polytomous form (Kang & Chen 2008): within each
// summed score, observed answer counts against those the model expects given that score; the
// summed-score likelihoods come from the Lord & Wingersky (1984) recursion. Only rows that
// answered every item of the scale take part. Adjacent scores are pooled until every category's
// expected count in a group is at least 1; df = groups x (K - 1) - K parameters of the item.
#include "em.hpp"

#include <boost/math/distributions/chi_squared.hpp>

#include <algorithm>
#include <limits>
#include <numeric>

namespace attune::irt::detail {

namespace {

constexpr double kMinExpected = 1;

// Summed-score likelihood f[s * Q + q] over all items but `skip` (skip = items for none).
std::vector<double> score_likelihood(const std::vector<std::vector<double>>& p, std::size_t items, int K,
                                     std::size_t Q, std::size_t skip) {
  std::vector<double> f(Q, 1.0), next;
  std::size_t top = 0;  // highest score so far
  for (std::size_t j = 0; j < items; ++j) {
    if (j == skip) continue;
    next.assign((top + K) * Q, 0.0);
    for (std::size_t s = 0; s <= top; ++s) {
      for (int c = 0; c < K; ++c) {
        double* out = next.data() + (s + c) * Q;
        const double* in = f.data() + s * Q;
        const double* pc = p[j].data() + c * Q;
        for (std::size_t q = 0; q < Q; ++q) out[q] += in[q] * pc[q];
      }
    }
    top += K - 1;
    f.swap(next);
  }
  return f;
}

struct Counts {
  std::vector<double> n;         // rows per summed score
  std::vector<double> observed;  // [score][item][category]
};

Counts count_complete(const ScaleData& d, std::size_t top) {
  const std::size_t J = d.items, K = static_cast<std::size_t>(d.categories);
  Counts c;
  c.n.assign(top + 1, 0);
  c.observed.assign((top + 1) * J * K, 0);
  for (std::size_t i = 0; i < d.rows; ++i) {
    const std::int8_t* x = d.row(i);
    std::size_t s = 0;
    bool complete = true;
    for (std::size_t j = 0; j < J && complete; ++j) {
      complete = x[j] >= 0;
      s += complete ? static_cast<std::size_t>(x[j]) : 0;
    }
    if (!complete) continue;
    c.n[s] += 1;
    for (std::size_t j = 0; j < J; ++j) c.observed[(s * J + j) * K + static_cast<std::size_t>(x[j])] += 1;
  }
  return c;
}

// One item's statistic from expected[s][c] and observed[s][c] (counts), pooling adjacent scores.
void pool_and_test(const std::vector<double>& expected, const std::vector<double>& observed, std::size_t scores, int K,
                   ItemParameters& out) {
  double x2 = 0;
  int groups = 0;
  std::vector<double> e(K, 0), o(K, 0), last_e(K, 0), last_o(K, 0);
  auto close = [&] {
    for (int c = 0; c < K; ++c) x2 += (o[c] - e[c]) * (o[c] - e[c]) / e[c];
    ++groups;
  };
  for (std::size_t s = 0; s < scores; ++s) {
    for (int c = 0; c < K; ++c) {
      e[c] += expected[s * K + c];
      o[c] += observed[s * K + c];
    }
    if (*std::min_element(e.begin(), e.end()) >= kMinExpected) {
      close();
      last_e = e;
      last_o = o;
      std::fill(e.begin(), e.end(), 0.0);
      std::fill(o.begin(), o.end(), 0.0);
    }
  }
  // What is left at the top joins the last group: take that group's share out and add it back pooled.
  if (groups > 0 && std::accumulate(e.begin(), e.end(), 0.0) > 0) {
    for (int c = 0; c < K; ++c) {
      x2 -= (last_o[c] - last_e[c]) * (last_o[c] - last_e[c]) / last_e[c];
      e[c] += last_e[c];
      o[c] += last_o[c];
    }
    --groups;
    close();
  }
  out.sx2_df = groups * (K - 1) - K;
  if (out.sx2_df <= 0) return;
  out.sx2 = x2;
  out.sx2_p = boost::math::cdf(boost::math::complement(boost::math::chi_squared(out.sx2_df), x2));
}

}  // namespace

void item_fit(const ScaleData& d, const std::vector<GrmItem>& items, const std::vector<double>& points,
              const std::vector<double>& prior, std::vector<ItemParameters>& out) {
  const std::size_t J = d.items, Q = points.size();
  const int K = d.categories;
  const std::size_t top = J * static_cast<std::size_t>(K - 1);
  std::vector<std::vector<double>> p(J, std::vector<double>(K * Q));
  std::vector<double> pq(K);
  for (std::size_t j = 0; j < J; ++j) {
    for (std::size_t q = 0; q < Q; ++q) {
      category_probabilities(items[j], points[q], pq.data());
      for (int c = 0; c < K; ++c) p[j][c * Q + q] = pq[c];
    }
  }
  const Counts counts = count_complete(d, top);
  const std::vector<double> all = score_likelihood(p, J, K, Q, J);
  std::vector<double> denom(top + 1, 0);
  for (std::size_t s = 0; s <= top; ++s) {
    for (std::size_t q = 0; q < Q; ++q) denom[s] += prior[q] * all[s * Q + q];
  }
  for (std::size_t j = 0; j < J; ++j) {
    const std::vector<double> rest = score_likelihood(p, J, K, Q, j);
    std::vector<double> expected((top + 1) * K, 0), observed((top + 1) * K, 0);
    for (std::size_t s = 0; s <= top; ++s) {
      for (int c = 0; c < K && denom[s] > 0; ++c) {
        if (static_cast<std::size_t>(c) > s || s - c > top - (K - 1)) continue;
        double num = 0;
        for (std::size_t q = 0; q < Q; ++q) num += prior[q] * p[j][c * Q + q] * rest[(s - c) * Q + q];
        expected[s * K + c] = counts.n[s] * num / denom[s];
        observed[s * K + c] = counts.observed[(s * J + j) * K + c];
      }
    }
    pool_and_test(expected, observed, top + 1, K, out[j]);
  }
}

}  // namespace attune::irt::detail
