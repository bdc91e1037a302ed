// Norms from the data (--norms sample): one statistics-only pass of the pipeline.
#include "pipeline.hpp"

#include <algorithm>
#include <cmath>

namespace attune {

namespace {

// Sums for sample norms and sample reliability. Item sums are integer-valued, hence exact in any
// order; the scale-score sums are rounded in the last bits, which is immaterial for norms.
class SampleStats : public ChunkAccumulator {
 public:
  explicit SampleStats(const detail::PlanData& d) : d_(d), S_(d.n_scales) {
    n_.assign(S_, 0); sum_.assign(S_, 0); sum2_.assign(S_, 0);
    complete_.assign(S_, 0); item_sum_.assign(d.member_index.size(), 0); item_sum2_.assign(d.member_index.size(), 0);
    total_sum_.assign(S_, 0); total_sum2_.assign(S_, 0);
  }
  std::unique_ptr<ChunkAccumulator> fresh() const override { return std::make_unique<SampleStats>(d_); }
  void add(const double* x, std::size_t rows, std::size_t items, const std::uint8_t* scored, const BlockScores& b) override {
    for (std::size_t r = 0; r < rows; ++r) {
      if (!scored[r]) continue;
      const double* xr = x + r * items;
      for (std::size_t s = 0; s < S_; ++s) {
        const double v = b.raw[r * S_ + s];
        if (!std::isnan(v)) {
          const double inst = d_.metric_k * v + d_.metric_b[s];
          n_[s] += 1; sum_[s] += inst; sum2_[s] += inst * inst;
        }
        if (d_.derived[s]) continue;
        // Cronbach's alpha on the rows that answered every item of the scale.
        bool complete = true;
        for (std::uint32_t k = d_.member_begin[s]; k < d_.member_begin[s + 1] && complete; ++k) complete = !std::isnan(xr[d_.member_index[k]]);
        if (!complete) continue;
        double t = 0;
        for (std::uint32_t k = d_.member_begin[s]; k < d_.member_begin[s + 1]; ++k) {
          const double xv = xr[d_.member_index[k]];
          const double keyed = d_.member_reverse[k] ? d_.reverse_sum - xv : xv;
          item_sum_[k] += keyed; item_sum2_[k] += keyed * keyed; t += keyed;
        }
        complete_[s] += 1; total_sum_[s] += t; total_sum2_[s] += t * t;
      }
    }
  }
  void merge(ChunkAccumulator& other) override {
    auto& o = static_cast<SampleStats&>(other);
    for (std::size_t s = 0; s < S_; ++s) {
      n_[s] += o.n_[s]; sum_[s] += o.sum_[s]; sum2_[s] += o.sum2_[s];
      complete_[s] += o.complete_[s]; total_sum_[s] += o.total_sum_[s]; total_sum2_[s] += o.total_sum2_[s];
    }
    for (std::size_t k = 0; k < item_sum_.size(); ++k) { item_sum_[k] += o.item_sum_[k]; item_sum2_[k] += o.item_sum2_[k]; }
  }
  std::map<std::string, Norm> norms() const {
    std::map<std::string, Norm> out;
    for (std::size_t s = 0; s < S_; ++s) {
      if (n_[s] < 2) continue;
      Norm nm;
      nm.mean = sum_[s] / n_[s];
      nm.sd = std::sqrt(std::max(0.0, (sum2_[s] - n_[s] * nm.mean * nm.mean) / (n_[s] - 1)));
      nm.n = static_cast<long>(n_[s]);
      const double c = complete_[s];
      const std::uint32_t k0 = d_.member_begin[s], k1 = d_.member_begin[s + 1];
      if (!d_.derived[s] && k1 - k0 >= 2 && c >= 2) {
        double item_var = 0;
        for (std::uint32_t k = k0; k < k1; ++k) item_var += (item_sum2_[k] - item_sum_[k] * item_sum_[k] / c) / (c - 1);
        const double total_var = (total_sum2_[s] - total_sum_[s] * total_sum_[s] / c) / (c - 1);
        const double items = k1 - k0;
        const double alpha = total_var > 0 ? items / (items - 1) * (1 - item_var / total_var) : 0;
        // A sample whose items do not hang together (alpha <= 0: a pilot, random or mis-keyed answers)
        // gives no standard error of measurement: the scale is then scored as with no alpha, rather
        // than the whole run refused as if the user had written an impossible norms file.
        if (alpha > 0 && alpha < 1) nm.alpha = alpha;
      }
      if (nm.sd > 0) out[d_.instrument.scales[s].id] = nm;
    }
    return out;
  }

 private:
  const detail::PlanData& d_;
  std::size_t S_;
  std::vector<double> n_, sum_, sum2_, complete_, item_sum_, item_sum2_, total_sum_, total_sum2_;
};

}  // namespace

std::map<std::string, Norm> sample_norms(const ScoringPlan& plan, std::FILE* in, const std::string& file, const BatchOptions& opt) {
  BatchOptions o = opt;
  o.keep.clear();
  o.row_numbers = false;
  SampleStats stats(plan.data());
  o.accumulators = {&stats};
  batch::Head head = batch::read_head(plan, in, file, o, false);
  batch::run_pipeline(plan, in, file, o, head, true, [&](batch::ChunkResult& r, std::uint64_t) {
    for (std::size_t k = 0; k < r.accumulated.size(); ++k) o.accumulators[k]->merge(*r.accumulated[k]);
  });
  return stats.norms();
}

}  // namespace attune
