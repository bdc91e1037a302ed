// What a QualityScorer computes once (quality_impl.hpp): the items in position order, the even-odd
// halves, the inverse Cholesky factor of the model's covariance and the synonym pairs' index; the
// model itself from a first reading's sums.
#include <attune/error.hpp>
#include <attune/quality.hpp>

#include "../plan_data.hpp"
#include "quality_impl.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <utility>

namespace attune {

const char* to_string(QualityFlag f) noexcept {
  switch (f) {
    case QualityFlag::longstring: return "longstring";
    case QualityFlag::irv: return "irv";
    case QualityFlag::even_odd: return "even_odd";
    case QualityFlag::synonyms: return "synonyms";
    case QualityFlag::mahalanobis: return "mahalanobis";
    case QualityFlag::share_answered: return "share_answered";
    case QualityFlag::out_of_range: return "out_of_range";
  }
  return "?";
}

QualityModel QualityModel::from_sums(const ReliabilitySums& all, const QualityThresholds& t) {
  QualityModel m;
  const PairwiseMoments pm = pairwise_moments(all);
  const std::size_t P = pm.k;
  m.items = P;
  m.rows = all.rows;
  m.mean = pm.mean;
  m.cov = pm.cov;
  for (std::size_t i = 0; i < P; ++i)
    for (std::size_t j = i + 1; j < P; ++j)
      if (pm.cor[i * P + j] > t.synonym_pair_r) m.synonym_pairs.emplace_back(all.items[i], all.items[j]);
  Eigen::MatrixXd S(static_cast<Eigen::Index>(P), static_cast<Eigen::Index>(P));
  for (std::size_t i = 0; i < P; ++i)
    for (std::size_t j = 0; j < P; ++j) S(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = pm.cov[i * P + j];
  if (S.allFinite()) {
    Eigen::LLT<Eigen::MatrixXd> llt(S);
    if (llt.info() == Eigen::Success) {
      Eigen::MatrixXd inv = llt.solve(Eigen::MatrixXd::Identity(S.rows(), S.cols()));
      m.cov_inverse.assign(inv.data(), inv.data() + P * P);  // symmetric: storage order does not matter
    }
  }
  return m;
}

QualityScorer::Impl::Impl(const ScoringPlan& plan, const QualityThresholds& t, std::shared_ptr<const QualityModel> model)
    : plan_(plan), t_(t), model_(std::move(model)) {
  const auto& d = plan.data();
  if (model_ && model_->items != d.n_items) throw UsageError("quality model was computed for a different number of items");
  order_by_position();
  reverse_sum_ = d.reverse_sum;
  split_halves();
  invert_cholesky();
  if (model_) index_synonyms();
  longstring_limit_ = static_cast<int>(std::ceil(t_.longstring_share * static_cast<double>(d.n_items) - 1e-9));
  if (longstring_limit_ < 2) longstring_limit_ = 2;
}

// Item indices in the published order (position), for longstring.
void QualityScorer::Impl::order_by_position() {
  const auto& d = plan_.data();
  std::vector<std::pair<int, int>> pos;
  for (std::size_t i = 0; i < d.n_items; ++i) pos.emplace_back(d.instrument.items[i].position, static_cast<int>(i));
  std::sort(pos.begin(), pos.end());
  for (const auto& p : pos) by_position_.push_back(p.second);
  // The common layout (items stored in position order) takes longstring from the block kernel.
  positions_in_order_ = true;
  for (std::size_t i = 0; i < by_position_.size(); ++i) positions_in_order_ = positions_in_order_ && by_position_[i] == static_cast<int>(i);
}

void QualityScorer::Impl::split_halves() {
  const auto& d = plan_.data();
  for (std::size_t s = 0; s < d.n_scales; ++s) {
    if (d.derived[s] || d.member_begin[s + 1] - d.member_begin[s] < 2) continue;
    Halves h;
    for (std::uint32_t m = d.member_begin[s], k = 0; m < d.member_begin[s + 1]; ++m, ++k) {
      // Members in the scale's own order: 1st, 3rd, ... are the odd half.
      auto& idx = (k % 2 == 0) ? h.odd : h.even;
      auto& rev = (k % 2 == 0) ? h.odd_rev : h.even_rev;
      idx.push_back(static_cast<int>(d.member_index[m]));
      rev.push_back(d.member_reverse[m]);
    }
    halves_.push_back(std::move(h));
  }
}

// The inverse Cholesky factor of the covariance, once: a row's D^2 is then |L^-1 a|^2.
void QualityScorer::Impl::invert_cholesky() {
  const std::size_t n_items = plan_.data().n_items;
  if (!model_ || model_->cov_inverse.empty() || model_->cov.size() != n_items * n_items) return;
  const auto P = static_cast<Eigen::Index>(n_items);
  Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> S(model_->cov.data(), P, P);
  Eigen::LLT<Eigen::MatrixXd> llt(S);
  if (llt.info() != Eigen::Success) return;
  Eigen::MatrixXd li = llt.matrixL().solve(Eigen::MatrixXd::Identity(P, P));
  for (Eigen::Index k = 0; k < P; ++k)
    for (Eigen::Index j = 0; j < P; ++j) linv_.push_back(j <= k ? li(k, j) : 0.0);
}

void QualityScorer::Impl::index_synonyms() {
  const std::size_t P = plan_.data().n_items;
  syn_w_first_.assign(P, 0);
  syn_w_second_.assign(P, 0);
  std::vector<std::vector<int>> by_first(P), by_second(P);
  for (const auto& pr : model_->synonym_pairs) {
    syn_first_.push_back(pr.first);
    syn_second_.push_back(pr.second);
    by_first[static_cast<std::size_t>(pr.first)].push_back(pr.second);
    by_second[static_cast<std::size_t>(pr.second)].push_back(pr.first);
    syn_w_first_[static_cast<std::size_t>(pr.first)] += 1;
    syn_w_second_[static_cast<std::size_t>(pr.second)] += 1;
  }
  for (std::size_t i = 0; i < P; ++i) {
    syn_first_begin_.push_back(static_cast<std::uint32_t>(syn_first_partner_.size()));
    syn_first_partner_.insert(syn_first_partner_.end(), by_first[i].begin(), by_first[i].end());
    syn_second_begin_.push_back(static_cast<std::uint32_t>(syn_second_partner_.size()));
    syn_second_partner_.insert(syn_second_partner_.end(), by_second[i].begin(), by_second[i].end());
  }
  syn_first_begin_.push_back(static_cast<std::uint32_t>(syn_first_partner_.size()));
  syn_second_begin_.push_back(static_cast<std::uint32_t>(syn_second_partner_.size()));
}

QualityScorer::QualityScorer(const ScoringPlan& plan, const QualityThresholds& t, std::shared_ptr<const QualityModel> model)
    : impl_(std::make_shared<const Impl>(plan, t, std::move(model))) {}
QualityScorer::~QualityScorer() = default;
QualityScorer::QualityScorer(const QualityScorer&) = default;
QualityScorer& QualityScorer::operator=(const QualityScorer&) = default;
QualityScorer::QualityScorer(QualityScorer&&) noexcept = default;
QualityScorer& QualityScorer::operator=(QualityScorer&&) noexcept = default;

const QualityThresholds& QualityScorer::thresholds() const { return impl_->t_; }
const QualityModel* QualityScorer::model() const { return impl_->model_.get(); }
int QualityScorer::longstring_limit() const { return impl_->longstring_limit_; }
bool QualityScorer::even_odd_available() const { return impl_->halves_.size() >= 3; }

QualityScorer::Workspace::Workspace() : buffers_(std::make_unique<Buffers>()) {}
QualityScorer::Workspace::~Workspace() = default;
QualityScorer::Workspace::Workspace(const Workspace& o) : buffers_(std::make_unique<Buffers>(*o.buffers_)) {}
QualityScorer::Workspace& QualityScorer::Workspace::operator=(const Workspace& o) {
  if (this != &o) *buffers_ = *o.buffers_;
  return *this;
}
QualityScorer::Workspace::Workspace(Workspace&&) noexcept = default;
QualityScorer::Workspace& QualityScorer::Workspace::operator=(Workspace&&) noexcept = default;

}  // namespace attune
