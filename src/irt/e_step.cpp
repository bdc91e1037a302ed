// The E-step of Bock & Aitkin's (1981) EM: each row's posterior over the grid, added into expected
// counts per item, category and node. Rows are cut into fixed blocks summed on worker threads and
// merged in block order, so the sums are the same with any number of threads.
#include "em.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

namespace attune::irt::detail {

namespace {

constexpr std::size_t kBlockRows = 4096;
constexpr std::size_t kWindowMargin = 2;  // nodes added on each side of last cycle's posterior run

// The row's log posterior on [a, b), normalized as normalize_posterior does; [lo, hi) is the run
// kept. With a window from the previous cycle, only the nodes around it are computed: the log
// posterior is concave, so when both ends of the window lie more than kPosteriorSpan under the peak
// inside it, every node outside does too. Otherwise (or without a window) all nodes are computed.
double row_posterior(const ScaleData& d, const LogTable& t, const double* log_prior, std::size_t i, double* post,
                     std::uint8_t* window, std::size_t& lo, std::size_t& hi) {
  const std::size_t Q = t.nodes;
  const std::int8_t* x = d.row(i);
  if (window && window[2 * i + 1] > 0) {
    const std::size_t a = window[2 * i] > kWindowMargin ? window[2 * i] - kWindowMargin : 0;
    const std::size_t b = std::min<std::size_t>(Q, window[2 * i + 1] + kWindowMargin);
    row_log_likelihood(t, x, d.items, log_prior, post, a, b);
    const double floor = *std::max_element(post + a, post + b) - kPosteriorSpan;
    if ((a == 0 || post[a] < floor) && (b == Q || post[b - 1] < floor)) {
      const double ll = normalize_posterior(post + a, b - a, lo, hi);
      lo += a;
      hi += a;
      window[2 * i] = static_cast<std::uint8_t>(lo);
      window[2 * i + 1] = static_cast<std::uint8_t>(hi);
      return ll;
    }
  }
  row_log_likelihood(t, x, d.items, log_prior, post);
  const double ll = normalize_posterior(post, Q, lo, hi);
  if (window) {
    window[2 * i] = static_cast<std::uint8_t>(lo);
    window[2 * i + 1] = static_cast<std::uint8_t>(hi);
  }
  return ll;
}

void e_block(const ScaleData& d, const LogTable& t, const std::vector<double>& log_prior,
             const std::vector<double>& points, std::size_t begin, std::size_t end, EStep& out, EStep& whole,
             bool per_row, std::uint8_t* window) {
  const std::size_t Q = t.nodes;
  out.r.assign(t.values.size(), 0);
  std::vector<double> post(Q);
  for (std::size_t i = begin; i < end; ++i) {
    const std::int8_t* x = d.row(i);
    std::size_t lo = 0, hi = Q;
    out.log_likelihood += row_posterior(d, t, log_prior.data(), i, post.data(), window, lo, hi);
    for (std::size_t j = 0; j < d.items; ++j) {
      if (x[j] < 0) continue;
      double* r = out.r.data() + t.offset[j] + x[j] * Q;
      for (std::size_t q = lo; q < hi; ++q) r[q] += post[q];
    }
    if (per_row) {
      double m1 = 0, m2 = 0;
      for (std::size_t q = lo; q < hi; ++q) {
        m1 += post[q] * points[q];
        m2 += post[q] * points[q] * points[q];
      }
      whole.eap[i] = m1;
      whole.posterior_variance[i] = m2 - m1 * m1;
    }
  }
}

}  // namespace

double normalize_posterior(double* ll, std::size_t nodes, std::size_t& lo, std::size_t& hi) {
  const double m = *std::max_element(ll, ll + nodes), floor = m - kPosteriorSpan;
  lo = 0;
  hi = nodes;
  while (ll[lo] < floor) ll[lo++] = 0;
  while (ll[hi - 1] < floor) ll[--hi] = 0;
  double sum = 0;
  for (std::size_t q = lo; q < hi; ++q) {
    ll[q] = std::exp(ll[q] - m);
    sum += ll[q];
  }
  const double inv = 1 / sum;
  for (std::size_t q = lo; q < hi; ++q) ll[q] *= inv;
  return m + std::log(sum);
}

EStep e_step(const ScaleData& d, const LogTable& t, const std::vector<double>& log_prior,
             const std::vector<double>& points, bool per_row, unsigned threads, std::uint8_t* window) {
  if (t.nodes > 255) window = nullptr;  // node numbers are kept in a byte
  EStep e;
  if (per_row) {
    e.eap.resize(d.rows);
    e.posterior_variance.resize(d.rows);
  }
  const std::size_t blocks = (d.rows + kBlockRows - 1) / kBlockRows;
  std::vector<EStep> part(blocks);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t b; (b = next++) < blocks;) {
      e_block(d, t, log_prior, points, b * kBlockRows, std::min(d.rows, (b + 1) * kBlockRows), part[b], e, per_row, window);
    }
  };
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned k = 1; k < std::min<std::size_t>(threads, blocks); ++k) pool.emplace_back(work);
  work();
  for (std::thread& th : pool) th.join();
  e.r.assign(t.values.size(), 0);
  for (const EStep& p : part) {
    e.log_likelihood += p.log_likelihood;
    for (std::size_t k = 0; k < e.r.size(); ++k) e.r[k] += p.r[k];
  }
  return e;
}

}  // namespace attune::irt::detail
