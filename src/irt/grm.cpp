// The graded response model (Samejima 1969): category probabilities as differences of adjacent
// logistic boundary curves, their information, and the per-item M-step of the EM calibration.
#include "grm.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

namespace attune::irt::detail {

namespace {

double logistic(double z) { return z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z)); }

constexpr int kMaxCategories = 32;

bool ordered(const GrmItem& item) {
  for (std::size_t k = 1; k < item.d.size(); ++k) {
    if (!(item.d[k] < item.d[k - 1])) return false;
  }
  return std::isfinite(item.a);
}

// One node's and one category's share of the objective: r log P_c with its gradient and Hessian
// (only a and the two intercepts around c are involved).
void add_category(int c, int K, double theta, double r, const double* s, const double* w, double* g, double* h) {
  const double p = std::max(s[c] - s[c + 1], kMinProbability);
  auto v = [&](int k) { return (k == 0 || k == K) ? 0.0 : w[k] * (1 - 2 * s[k]); };
  int idx[3] = {0, -1, -1};
  double gp[3] = {theta * (w[c] - w[c + 1]), 0, 0};
  double hp[3][3] = {{theta * theta * (v(c) - v(c + 1)), 0, 0}, {0, 0, 0}, {0, 0, 0}};
  int n = 1;
  if (c >= 1) {
    idx[n] = c;
    gp[n] = w[c];
    hp[0][n] = hp[n][0] = theta * v(c);
    hp[n][n] = v(c);
    ++n;
  }
  if (c + 1 <= K - 1) {
    idx[n] = c + 1;
    gp[n] = -w[c + 1];
    hp[0][n] = hp[n][0] = -theta * v(c + 1);
    hp[n][n] = -v(c + 1);
    ++n;
  }
  for (int i = 0; i < n; ++i) {
    g[idx[i]] += r * gp[i] / p;
    for (int j = 0; j < n; ++j) h[idx[i] * K + idx[j]] += r * (hp[i][j] / p - gp[i] * gp[j] / (p * p));
  }
}

}  // namespace

GrmItem to_intercepts(const ItemParameters& item) {
  GrmItem g;
  g.a = item.a;
  for (double b : item.b) g.d.push_back(-item.a * b);
  return g;
}

void category_probabilities(const GrmItem& item, double theta, double* p, double* w) {
  const int K = item.categories();
  double s_prev = 1;
  if (w) w[0] = 0;
  for (int c = 0; c < K; ++c) {
    const double s_next = c + 1 < K ? logistic(item.a * theta + item.d[c]) : 0.0;
    p[c] = std::max(s_prev - s_next, 0.0);
    if (w) w[c + 1] = c + 1 < K ? s_next * (1 - s_next) : 0.0;
    s_prev = s_next;
  }
}

double information(const GrmItem& item, double theta) {
  double p[kMaxCategories], w[kMaxCategories + 1];
  category_probabilities(item, theta, p, w);
  double sum = 0;
  for (int c = 0; c < item.categories(); ++c) {
    const double dp = w[c] - w[c + 1];
    if (p[c] > kMinProbability) sum += dp * dp / p[c];
  }
  return item.a * item.a * sum;
}

void LogTable::build(const std::vector<GrmItem>& items, const std::vector<double>& points) {
  nodes = points.size();
  offset.assign(items.size(), 0);
  std::size_t total = 0;
  for (std::size_t j = 0; j < items.size(); ++j) {
    offset[j] = total;
    total += static_cast<std::size_t>(items[j].categories()) * nodes;
  }
  values.assign(total, 0);
  double p[kMaxCategories];
  for (std::size_t j = 0; j < items.size(); ++j) {
    const int K = items[j].categories();
    for (std::size_t q = 0; q < nodes; ++q) {
      category_probabilities(items[j], points[q], p);
      for (int c = 0; c < K; ++c) values[offset[j] + c * nodes + q] = std::log(std::max(p[c], kMinProbability));
    }
  }
}

double item_objective(const GrmItem& item, const double* r, const std::vector<double>& points, double* gradient,
                      double* hessian) {
  const int K = item.categories();
  const std::size_t Q = points.size();
  std::fill(gradient, gradient + K, 0.0);
  std::fill(hessian, hessian + K * K, 0.0);
  double f = 0;
  double s[kMaxCategories + 1], w[kMaxCategories + 1], p[kMaxCategories];
  for (std::size_t q = 0; q < Q; ++q) {
    category_probabilities(item, points[q], p, w);
    s[0] = 1;
    s[K] = 0;
    for (int k = 1; k < K; ++k) s[k] = logistic(item.a * points[q] + item.d[k - 1]);
    for (int c = 0; c < K; ++c) {
      const double rc = r[c * Q + q];
      if (rc == 0) continue;
      f += rc * std::log(std::max(p[c], kMinProbability));
      add_category(c, K, points[q], rc, s, w, gradient, hessian);
    }
  }
  return f;
}

void maximize_item(GrmItem& item, const double* r, const std::vector<double>& points) {
  const int K = item.categories();
  std::vector<double> g(K), h(K * K), g2(K), h2(K * K);
  double f = item_objective(item, r, points, g.data(), h.data());
  for (int iteration = 0; iteration < 100; ++iteration) {
    Eigen::Map<Eigen::MatrixXd> H(h.data(), K, K);
    Eigen::Map<Eigen::VectorXd> G(g.data(), K);
    Eigen::LDLT<Eigen::MatrixXd> ldlt(-H);
    Eigen::VectorXd step;
    if (ldlt.info() == Eigen::Success && ldlt.isPositive() && (ldlt.vectorD().array() > 0).all()) {
      step = ldlt.solve(G);
    } else {
      step = 0.01 * G;  // not concave here: a short gradient step instead of Newton's
    }
    double t = 1, moved = 0;
    bool improved = false;
    for (int halving = 0; halving < 40 && !improved; ++halving) {
      GrmItem next = item;
      next.a += t * step[0];
      for (int k = 1; k < K; ++k) next.d[k - 1] += t * step[k];
      const double f2 = ordered(next) ? item_objective(next, r, points, g2.data(), h2.data()) : -HUGE_VAL;
      if (f2 >= f) {
        improved = true;
        moved = t * step.cwiseAbs().maxCoeff();
        item = next;
        f = f2;
        g.swap(g2);
        h.swap(h2);
      }
      t *= 0.5;
    }
    if (!improved || moved < 1e-10) break;
  }
}

}  // namespace attune::irt::detail
