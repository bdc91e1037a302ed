#pragma once
// What a QualityScorer (attune/quality.hpp) computes once from the plan and the model, and a
// thread's scratch space: internal, so that the public header shows the indices, not their tables.
#include <attune/quality.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace attune {

namespace detail {
// Block kernels: kQualityRows rows at a time, each row in its own lane (quality.cpp).
constexpr std::size_t kQualityRows = 32;
}  // namespace detail

struct QualityScorer::Workspace::Buffers {
  std::vector<double> a, b, m;  // scratch vectors and a matrix
  std::vector<int> idx;
  std::vector<double> block;    // item-major copies of a block of rows (score_rows)
};

struct QualityScorer::Impl {
  Impl(const ScoringPlan& plan, const QualityThresholds& thresholds, std::shared_ptr<const QualityModel> model);
  ScoringPlan plan_;
  QualityThresholds t_;
  std::shared_ptr<const QualityModel> model_;
  std::vector<int> by_position_;  // item indices in position order
  bool positions_in_order_ = false;  // by_position_ is 0, 1, 2, ...
  struct Halves {
    std::vector<int> odd, even;         // item indices (1st, 3rd, ... and 2nd, 4th, ... on the scale)
    std::vector<std::uint8_t> odd_rev, even_rev;
  };
  std::vector<Halves> halves_;          // item scales with at least 2 items
  double reverse_sum_ = 0;
  int longstring_limit_ = 0;
  // Inverse Cholesky factor of the model's covariance: lower triangle, row-major items x items.
  std::vector<double> linv_;
  // Synonym pairs by their first member (CSR: syn_first_begin_[f] .. [f + 1] index the partners s in
  // syn_first_partner_) and by their second; how often each item is a first / second member.
  std::vector<std::uint32_t> syn_first_begin_, syn_second_begin_;
  std::vector<int> syn_first_partner_, syn_second_partner_;
  std::vector<double> syn_w_first_, syn_w_second_;
  std::vector<int> syn_first_, syn_second_;  // the pairs, as two index arrays

  // Construction, one step each (quality_tables.cpp).
  void order_by_position();
  void split_halves();
  void invert_cholesky();
  void index_synonyms();

  // Scoring (quality.cpp).
  void prepare(Workspace::Buffers& w) const;
  void basic(const double* x, int invalid_cells, QualityValues& q, Workspace::Buffers& w) const;
  int longstring_by_position(const double* x) const;
  double schur_mahalanobis(double d2, const double* y, std::size_t stride, const int* missing, std::size_t nm,
                           Workspace::Buffers& w) const;
  double direct_mahalanobis(const double* x, Workspace::Buffers& w) const;
};

}  // namespace attune
