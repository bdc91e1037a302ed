// The CAT step (attune/cat.hpp): EAP per dimension from precomputed log-probability tables, the stop
// rules, then maximum Fisher information at the EAP among the items not yet asked. Nothing is kept
// between steps, so a step can be recomputed anywhere from the answers alone.
#include "grm.hpp"

#include <attune/cat.hpp>
#include <attune/error.hpp>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace attune::irt {

namespace {

constexpr int kMaxRandomesque = 64;
constexpr std::size_t kStackNodes = 256;

struct Candidate {
  double info;
  int item;
};

// Higher information first; equal information: the lower bank index, so the order is total.
bool better(const Candidate& x, const Candidate& y) { return x.info > y.info || (x.info == y.info && x.item < y.item); }

}  // namespace

std::uint64_t splitmix64_at(std::uint64_t seed, std::uint64_t n) {
  std::uint64_t z = seed + (n + 1) * 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

const char* to_string(CatStop reason) {
  switch (reason) {
    case CatStop::none: return "none";
    case CatStop::se_target: return "se_target";
    case CatStop::max_items: return "max_items";
    case CatStop::se_change: return "se_change";
    case CatStop::bank_exhausted: return "bank_exhausted";
    case CatStop::max_total: return "max_total";
    case CatStop::user_rule: return "user_rule";
  }
  return "none";
}

CatRules CatRules::promis() { return CatRules{}; }

void validate(const CatRules& r) {
  auto bad = [](const std::string& rule, const std::string& expected) {
    Location where;
    where.value = rule;
    throw UsageError("the adaptive test's rule '" + rule + "' is out of range", where, expected);
  };
  if (!(r.se_target > 0 && r.se_target <= 1)) bad("se_target", "a standard error in (0, 1]");
  if (r.min_items < 0 || r.min_items > 10000) bad("min_items", "0 to 10000 items");
  if (r.max_items < 1 || r.max_items > 10000 || r.max_items < r.min_items) bad("max_items", "1 to 10000 items, at least min_items");
  if (r.max_total < 0 || r.max_total > 100000) bad("max_total", "0 (no limit) to 100000 items");
  if (!(r.min_se_change >= 0 && r.min_se_change < 1)) bad("min_se_change", "0 (off) or a change in (0, 1)");
  if (r.randomesque < 1 || r.randomesque > kMaxRandomesque) bad("randomesque", "1 to 64 items");
}

struct CatEngine::Impl {
  struct Dimension {
    std::string id;
    std::size_t first = 0, count = 0;  // its items are bank indices first .. first + count - 1
    detail::LogTable table;
  };
  ResponseScale response;
  std::vector<double> points, log_prior;
  std::vector<std::string> ids;
  std::vector<std::uint8_t> reversed;
  std::vector<int> dimension_of;
  std::vector<detail::GrmItem> items;
  std::vector<Dimension> dimensions;
  std::unordered_map<std::string, int> index;

  int category(const CatAnswer& a) const;
  void check(const CatAnswer* answers, std::size_t n) const;
  void posterior(std::size_t d, const CatAnswer* answers, std::size_t n, std::size_t skip, double* ll,
                 CatDimension& out) const;
  double eap(const double* ll, double& se) const;
  void estimate(std::size_t d, const CatAnswer* answers, std::size_t n, const CatRules& rules, CatDimension& out) const;
  int choose_item(std::size_t d, const CatAnswer* answers, std::size_t n, double theta, const CatRules& rules) const;
};

int CatEngine::Impl::category(const CatAnswer& a) const {
  const double v = a.response;
  if (std::isnan(v)) return -1;
  if (v != std::floor(v) || v < response.min || v > response.max) {
    Location where;
    where.item = ids[static_cast<std::size_t>(a.item)];
    where.value = std::to_string(v);
    throw AnswerError("an answer is not on the calibration's response scale", where,
                      "a whole number from " + std::to_string(response.min) + " to " + std::to_string(response.max));
  }
  const int x = static_cast<int>(v);
  return reversed[static_cast<std::size_t>(a.item)] ? response.max - x : x - response.min;
}

void CatEngine::Impl::check(const CatAnswer* answers, std::size_t n) const {
  for (std::size_t i = 0; i < n; ++i) {
    const int item = answers[i].item;
    if (item < 0 || static_cast<std::size_t>(item) >= ids.size()) {
      Location where;
      where.value = std::to_string(item);
      throw UsageError("an answer names an item that is not in the item bank", where,
                       "an item index from 0 to " + std::to_string(ids.size() - 1));
    }
    for (std::size_t k = 0; k < i; ++k) {
      if (answers[k].item == item) {
        Location where;
        where.item = ids[static_cast<std::size_t>(item)];
        throw UsageError("an item appears twice among the answers", where, "each item asked at most once");
      }
    }
    category(answers[i]);
  }
}

// The dimension's log posterior on the grid from its answered items, leaving out answer `skip`.
void CatEngine::Impl::posterior(std::size_t d, const CatAnswer* answers, std::size_t n, std::size_t skip, double* ll,
                                CatDimension& out) const {
  const Dimension& dim = dimensions[d];
  std::copy(log_prior.begin(), log_prior.end(), ll);
  out.asked = out.answered = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (dimension_of[static_cast<std::size_t>(answers[i].item)] != static_cast<int>(d) || i == skip) continue;
    ++out.asked;
    const int c = category(answers[i]);
    if (c < 0) continue;
    ++out.answered;
    const double* row = dim.table.row(static_cast<std::size_t>(answers[i].item) - dim.first, c);
    for (std::size_t q = 0; q < points.size(); ++q) ll[q] += row[q];
  }
}

// Posterior mean and SD, as ThetaScorer::eap: nodes 40 log units under the peak are left out.
double CatEngine::Impl::eap(const double* ll, double& se) const {
  return detail::posterior_mean_sd(ll, points.data(), points.size(), se);
}

void CatEngine::Impl::estimate(std::size_t d, const CatAnswer* answers, std::size_t n, const CatRules& rules,
                               CatDimension& out) const {
  const std::size_t Q = points.size();
  double stack[kStackNodes];
  std::vector<double> heap(Q > kStackNodes ? Q : 0);
  double* ll = Q > kStackNodes ? heap.data() : stack;
  posterior(d, answers, n, n, ll, out);
  out.theta = eap(ll, out.se);
  out.stopped = CatStop::none;
  if (static_cast<std::size_t>(out.asked) >= dimensions[d].count) out.stopped = CatStop::bank_exhausted;
  if (out.asked >= rules.max_items) out.stopped = CatStop::max_items;
  if (out.stopped != CatStop::none || out.asked < rules.min_items || out.asked == 0) return;
  if (out.se < rules.se_target) {
    out.stopped = CatStop::se_target;
    return;
  }
  if (rules.min_se_change <= 0) return;
  std::size_t last = n;  // the dimension's most recent answer
  for (std::size_t i = 0; i < n; ++i) {
    if (dimension_of[static_cast<std::size_t>(answers[i].item)] == static_cast<int>(d)) last = i;
  }
  CatDimension before;
  posterior(d, answers, n, last, ll, before);
  double se_before = 1;
  eap(ll, se_before);
  if (se_before - out.se < rules.min_se_change) out.stopped = CatStop::se_change;
}

// The most informative items at theta among the dimension's items not yet asked; the randomesque
// draw picks one of the top k (k = 1: the top one).
int CatEngine::Impl::choose_item(std::size_t d, const CatAnswer* answers, std::size_t n, double theta,
                                 const CatRules& rules) const {
  Candidate top[kMaxRandomesque];
  int kept = 0;
  const Dimension& dim = dimensions[d];
  for (std::size_t j = dim.first; j < dim.first + dim.count; ++j) {
    bool asked = false;
    for (std::size_t i = 0; i < n && !asked; ++i) asked = answers[i].item == static_cast<int>(j);
    if (asked) continue;
    const Candidate c{detail::information(items[j], theta), static_cast<int>(j)};
    if (kept == rules.randomesque && !better(c, top[kept - 1])) continue;
    int at = kept < rules.randomesque ? kept++ : kept - 1;
    while (at > 0 && better(c, top[at - 1])) {
      top[at] = top[at - 1];
      --at;
    }
    top[at] = c;
  }
  if (kept == 0) return -1;
  const std::uint64_t pick = kept == 1 ? 0 : splitmix64_at(rules.seed, n) % static_cast<std::uint64_t>(kept);
  return top[pick].item;
}

CatEngine::CatEngine(const Calibration& bank) : impl_(std::make_unique<Impl>()) {
  const int K = bank.response_scale.max - bank.response_scale.min + 1;
  if (K < 2 || K > 31) throw UsageError("the calibration's response scale is unusable", Location{}, "2 to 31 answer categories");
  Impl& m = *impl_;
  m.response = bank.response_scale;
  m.points = bank.grid.points();
  for (double w : bank.grid.prior()) m.log_prior.push_back(std::log(w));
  for (const ScaleCalibration& sc : bank.scales) {
    Impl::Dimension dim;
    dim.id = sc.id;
    dim.first = m.ids.size();
    dim.count = sc.items.size();
    std::vector<detail::GrmItem> own;
    for (const ItemParameters& item : sc.items) {
      Location l;
      l.item = item.id;
      if (item.b.size() != static_cast<std::size_t>(K - 1)) {
        throw UsageError("an item's thresholds do not fit the calibration's response scale", l, std::to_string(K - 1) + " thresholds");
      }
      if (!m.index.emplace(item.id, static_cast<int>(m.ids.size())).second) {
        throw UsageError("an item is in two scales of the item bank", l, "each item in one scale");
      }
      m.ids.push_back(item.id);
      m.reversed.push_back(item.reversed);
      m.dimension_of.push_back(static_cast<int>(m.dimensions.size()));
      own.push_back(detail::to_intercepts(item));
    }
    m.items.insert(m.items.end(), own.begin(), own.end());
    dim.table.build(own, m.points);
    m.dimensions.push_back(std::move(dim));
  }
  if (m.ids.empty()) throw UsageError("the calibration has no items", Location{}, "at least one calibrated scale");
}

CatEngine::~CatEngine() = default;
CatEngine::CatEngine(CatEngine&&) noexcept = default;
CatEngine& CatEngine::operator=(CatEngine&&) noexcept = default;

std::size_t CatEngine::item_count() const { return impl_->ids.size(); }
const std::string& CatEngine::item_id(std::size_t item) const { return impl_->ids.at(item); }
int CatEngine::item_index(const std::string& id) const {
  auto it = impl_->index.find(id);
  return it == impl_->index.end() ? -1 : it->second;
}
int CatEngine::item_dimension(std::size_t item) const { return impl_->dimension_of.at(item); }
std::size_t CatEngine::dimension_count() const { return impl_->dimensions.size(); }
const std::string& CatEngine::dimension_id(std::size_t d) const { return impl_->dimensions.at(d).id; }
const ResponseScale& CatEngine::response_scale() const { return impl_->response; }

namespace {

// The test's reason when every dimension is done: theirs when they agree, else the first one
// that did not reach the SE target (the rule that bound).
CatStop overall_reason(const std::vector<CatDimension>& dims) {
  for (const CatDimension& d : dims) {
    if (d.stopped != CatStop::se_target) return d.stopped;
  }
  return CatStop::se_target;
}

// The dimension still adaptive whose SE is furthest above its target (the first on a tie); -1: none.
int choose_dimension(const std::vector<CatDimension>& dims, double target) {
  int best = -1;
  for (std::size_t d = 0; d < dims.size(); ++d) {
    if (dims[d].stopped != CatStop::none) continue;
    if (best < 0 || dims[d].se - target > dims[static_cast<std::size_t>(best)].se - target) best = static_cast<int>(d);
  }
  return best;
}

}  // namespace

void CatEngine::step(const CatAnswer* answers, std::size_t n, const CatRules& rules, CatResult& out) const {
  validate(rules);
  impl_->check(answers, n);
  out.dimensions.resize(impl_->dimensions.size());
  for (std::size_t d = 0; d < out.dimensions.size(); ++d) impl_->estimate(d, answers, n, rules, out.dimensions[d]);
  out.asked = static_cast<int>(n);
  out.next_item = out.next_dimension = -1;
  out.stop = false;
  out.reason = CatStop::none;
  const int d = choose_dimension(out.dimensions, rules.se_target);
  if (d < 0) {
    out.stop = true;
    out.reason = overall_reason(out.dimensions);
  } else if (rules.max_total > 0 && out.asked >= rules.max_total) {
    out.stop = true;
    out.reason = CatStop::max_total;
  } else if (rules.stop_rule && rules.stop_rule(out)) {
    out.stop = true;
    out.reason = CatStop::user_rule;
  }
  if (out.stop) return;
  out.next_dimension = d;
  out.next_item = impl_->choose_item(static_cast<std::size_t>(d), answers, n, out.dimensions[static_cast<std::size_t>(d)].theta, rules);
}

CatResult CatEngine::step(const std::vector<CatAnswer>& answers, const CatRules& rules) const {
  CatResult out;
  step(answers.data(), answers.size(), rules, out);
  return out;
}

}  // namespace attune::irt
