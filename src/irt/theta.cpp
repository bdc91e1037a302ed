// A person's theta from a calibration: the posterior mean over the grid (EAP, Bock & Mislevy 1982)
// with the posterior SD, or the posterior mode (MAP) by Fisher scoring, from log-probability tables
// built once per calibration (and, for EAP, tables of probabilities: theta_kernel.hpp).
#include "grm.hpp"
#include "answer_categories.hpp"
#include "theta_kernel.hpp"

#include <attune/error.hpp>

#include <algorithm>
#include <cmath>
#include <unordered_map>

// The WebAssembly module scores one person at a time and must stay under 1 MB: it takes the plain
// twin of the EAP (theta_kernel.hpp), which the fast path agrees with to 1e-12.
#if defined(__EMSCRIPTEN__)
#define ATTUNE_EAP_PLAIN_ONLY 1
#else
#define ATTUNE_EAP_PLAIN_ONLY 0
#endif

namespace attune::irt {

std::vector<double> Grid::points() const {
  std::vector<double> p(static_cast<std::size_t>(nodes));
  for (int q = 0; q < nodes; ++q) p[q] = nodes == 1 ? lo : lo + (hi - lo) * q / (nodes - 1);
  return p;
}

std::vector<double> Grid::prior() const {
  std::vector<double> p = points();
  double sum = 0;
  for (double& x : p) sum += (x = std::exp(-0.5 * x * x));
  for (double& x : p) x /= sum;
  return p;
}

double item_information(const ItemParameters& item, double theta) {
  return detail::information(detail::to_intercepts(item), theta);
}

double test_information(const ScaleCalibration& scale, double theta) {
  double sum = 0;
  for (const ItemParameters& item : scale.items) sum += item_information(item, theta);
  return sum;
}

struct ThetaScorer::Impl {
  struct Scale {
    std::string id;
    std::vector<std::string> ids;
    std::vector<std::size_t> position;  // where each calibrated item's answer is in the caller's order
    std::vector<std::uint8_t> reversed;
    std::vector<detail::GrmItem> items;
    detail::LogTable table;
    detail::PersonTables fast;
    detail::AnswerLayout layout;
  };
  ResponseScale response;
  std::vector<double> points, log_prior;
  std::vector<Scale> scales;

  // Category of an answer, -1 when not answered. Inlined: a file's rows call it for every answer.
  inline int category(const Scale& s, std::size_t j, double v) const {
    // Within the scale first (a NaN fails it), so the cast below is defined.
    if (v >= response.min && v <= response.max) {
      const int x = static_cast<int>(v);
      if (x == v) return s.reversed[j] ? response.max - x : x - response.min;
    }
    if (std::isnan(v)) return -1;
    off_scale(s, j, v);
  }
  // Every item's category into c (-1 = not answered), in item order, so an off-scale answer is
  // reported for the first such item as category() does.
  inline void categories(const Scale& s, const double* answers, int* c) const {
    for (std::size_t j = 0; j < s.position.size(); ++j) c[j] = category(s, j, answers[s.position[j]]);
  }
  [[noreturn]] __attribute__((cold, noinline)) void off_scale(const Scale& s, std::size_t j, double v) const {
    Location where;
    where.item = s.ids[j];
    where.value = std::to_string(v);
    throw AnswerError("an answer is not on the calibration's response scale", where,
                      "a whole number from " + std::to_string(response.min) + " to " + std::to_string(response.max));
  }
};

ThetaScorer::ThetaScorer(const Calibration& c, const std::vector<std::string>& item_ids, const ResponseScale& data_scale)
    : impl_(std::make_unique<Impl>()) {
  if (!(data_scale == c.response_scale)) {
    throw UsageError("the calibration was made on answers from " + std::to_string(c.response_scale.min) + " to " +
                         std::to_string(c.response_scale.max) + ", but these answers are on " +
                         std::to_string(data_scale.min) + ".." + std::to_string(data_scale.max),
                     Location{}, "answers on the calibration's response scale (or a calibration made on theirs)");
  }
  const int K = c.response_scale.max - c.response_scale.min + 1;
  if (K < 2 || K > 31) {
    throw UsageError("the calibration's response scale is unusable", Location{}, "2 to 31 answer categories");
  }
  impl_->response = c.response_scale;
  impl_->points = c.grid.points();
  for (double w : c.grid.prior()) impl_->log_prior.push_back(std::log(w));
  std::unordered_map<std::string, std::size_t> where;
  for (std::size_t i = 0; i < item_ids.size(); ++i) where[item_ids[i]] = i;
  for (const ScaleCalibration& sc : c.scales) {
    Impl::Scale s;
    s.id = sc.id;
    for (const ItemParameters& item : sc.items) {
      auto it = where.find(item.id);
      if (it == where.end()) {
        Location l;
        l.item = item.id;
        throw UsageError("the calibration has an item the answers do not", l, "the calibration's items among the answers");
      }
      if (item.b.size() != static_cast<std::size_t>(K - 1)) {
        Location l;
        l.item = item.id;
        throw UsageError("an item's thresholds do not fit the calibration's response scale", l,
                         std::to_string(K - 1) + " thresholds");
      }
      s.ids.push_back(item.id);
      s.position.push_back(it->second);
      s.reversed.push_back(item.reversed);
      s.items.push_back(detail::to_intercepts(item));
    }
    s.table.build(s.items, impl_->points);
#if !ATTUNE_EAP_PLAIN_ONLY
    s.fast.build(s.table, s.items.size(), K, impl_->log_prior, impl_->points);
    s.layout.build(s.position, s.reversed, c.response_scale.min, c.response_scale.max);
#endif
    impl_->scales.push_back(std::move(s));
  }
}

ThetaScorer::~ThetaScorer() = default;
ThetaScorer::ThetaScorer(ThetaScorer&&) noexcept = default;
ThetaScorer& ThetaScorer::operator=(ThetaScorer&&) noexcept = default;

std::size_t ThetaScorer::scale_count() const { return impl_->scales.size(); }
const std::string& ThetaScorer::scale_id(std::size_t scale) const { return impl_->scales.at(scale).id; }
int ThetaScorer::scale_index(const std::string& id) const {
  for (std::size_t s = 0; s < impl_->scales.size(); ++s) {
    if (impl_->scales[s].id == id) return static_cast<int>(s);
  }
  return -1;
}

ThetaEstimate ThetaScorer::eap(std::size_t scale, const double* answers) const {
  const Impl::Scale& s = impl_->scales.at(scale);
  constexpr std::size_t kStack = 256;
  int stack[kStack];
#if ATTUNE_EAP_PLAIN_ONLY
  std::vector<int> heap(s.items.size() > kStack ? s.items.size() : 0);
  int* c = s.items.size() > kStack ? heap.data() : stack;
  impl_->categories(s, answers, c);
  return detail::plain_eap(s.table, c, s.items.size(), impl_->log_prior, impl_->points);
#else
  const std::size_t n = s.layout.padded();
  std::vector<int> heap(n > kStack ? n : 0);
  int* c = n > kStack ? heap.data() : stack;
  // An answer off the scale: the plain twin finds it again and says which it was.
  const int answered = detail::fast_categories(s.layout, answers, c);
  ThetaEstimate out;
  bool fast = false;
  if (answered < 0) {
    impl_->categories(s, answers, c);
    fast = detail::fast_eap(s.fast, c, out);
  } else {
    fast = detail::fast_eap(s.fast, c, static_cast<std::size_t>(answered), out);
  }
  if (fast) return out;
  // A likelihood too small for products of probabilities (theta_kernel.hpp): the sums of logs.
  return detail::plain_eap(s.table, c, s.items.size(), impl_->log_prior, impl_->points);
#endif
}

int ThetaScorer::posterior(std::size_t scale, const double* answers, double* out) const {
  const Impl::Scale& s = impl_->scales.at(scale);
  const std::size_t Q = impl_->points.size();
  constexpr std::size_t kStack = 256;
  int stack[kStack];
  std::vector<int> heap(s.items.size() > kStack ? s.items.size() : 0);
  int* c = s.items.size() > kStack ? heap.data() : stack;
  impl_->categories(s, answers, c);
  const int answered = detail::plain_log_posterior(s.table, c, s.items.size(), impl_->log_prior.data(), Q, out);
  const double m = *std::max_element(out, out + Q);
  double sum = 0;
  for (std::size_t q = 0; q < Q; ++q) sum += (out[q] = std::exp(out[q] - m));
  for (std::size_t q = 0; q < Q; ++q) out[q] /= sum;
  return answered;
}

const std::vector<double>& ThetaScorer::points() const { return impl_->points; }

ThetaEstimate ThetaScorer::map(std::size_t scale, const double* answers) const {
  const Impl::Scale& s = impl_->scales.at(scale);
  ThetaEstimate out = eap(scale, answers);
  double theta = out.theta, info = 0;
  double p[32], w[33];  // categories are at most 31 (a checked response scale)
  for (int iteration = 0; iteration < 100; ++iteration) {
    double gradient = -theta;  // the N(0, 1) prior's share
    info = 1;
    for (std::size_t j = 0; j < s.items.size(); ++j) {
      const int c = impl_->category(s, j, answers[s.position[j]]);
      if (c < 0) continue;
      detail::category_probabilities(s.items[j], theta, p, w);
      gradient += s.items[j].a * (w[c] - w[c + 1]) / std::max(p[c], detail::kMinProbability);
      info += detail::information(s.items[j], theta);
    }
    const double step = std::clamp(gradient / info, -1.0, 1.0);
    theta += step;
    if (std::abs(step) < 1e-10) break;
  }
  out.theta = theta;
  out.se = 1 / std::sqrt(info);
  return out;
}

double ThetaScorer::information(std::size_t scale, double theta, const double* answers) const {
  const Impl::Scale& s = impl_->scales.at(scale);
  double sum = 0;
  for (std::size_t j = 0; j < s.items.size(); ++j) {
    if (answers && impl_->category(s, j, answers[s.position[j]]) < 0) continue;
    sum += detail::information(s.items[j], theta);
  }
  return sum;
}

ThetaEstimate theta_eap(const Calibration& calibration, const std::string& scale, const std::vector<double>& answers) {
  const ScaleCalibration* sc = calibration.find_scale(scale);
  if (!sc) throw UsageError("the calibration has no scale '" + scale + "'", Location{}, "one of its scales");
  if (answers.size() != sc->items.size()) {
    throw UsageError("expected one answer per item of scale '" + scale + "'", Location{},
                     std::to_string(sc->items.size()) + " answers");
  }
  Calibration one;
  one.response_scale = calibration.response_scale;
  one.grid = calibration.grid;
  one.scales = {*sc};
  std::vector<std::string> ids;
  for (const ItemParameters& item : sc->items) ids.push_back(item.id);
  return ThetaScorer(one, ids, calibration.response_scale).eap(0, answers.data());
}

}  // namespace attune::irt
