// Reliability sums for every item scale of a plan, gathered while a file is scored (attune/reliability.hpp).
#include <attune/error.hpp>
#include <attune/reliability.hpp>

#include "../plan_data.hpp"
#include "answered_count.hpp"
#include "reliability_accumulator.hpp"
#include "sums_scratch.hpp"

#include <algorithm>
#include <cmath>

namespace attune {

ReliabilityAccumulator::Impl::Impl(const ScoringPlan& plan, bool all_items_block) : plan_(plan), all_items_block_(all_items_block) {
  const auto& d = plan.data();
  const int vmin = static_cast<int>(d.data_min), vmax = static_cast<int>(d.data_max);
  for (std::size_t s = 0; s < d.n_scales; ++s) {
    if (d.derived[s]) continue;
    ReliabilitySums shape, side;
    shape.scale = side.scale = d.instrument.scales[s].id;
    for (std::uint32_t m = d.member_begin[s]; m < d.member_begin[s + 1]; ++m) {
      shape.items.push_back(static_cast<int>(d.member_index[m]));
      shape.reversed.push_back(d.member_reverse[m]);
      side.items.push_back(static_cast<int>(d.member_index[m]));
      side.reversed.push_back(0);
    }
    side.reset(side.items.size(), vmin, vmax);
    bool run = !shape.items.empty();
    for (std::size_t k = 0; k < shape.items.size(); ++k) run = run && shape.items[k] == shape.items[0] + static_cast<int>(k);
    run_first_.push_back(run ? shape.items[0] : -1);
    shape_.push_back(std::move(shape));
    side_.push_back(std::move(side));
  }
  rows_any_.assign(shape_.size(), 0);
  for (std::size_t i = 0; i < d.n_items; ++i) {
    all_.items.push_back(static_cast<int>(i));
    all_.reversed.push_back(0);
  }
  all_.reset(d.n_items, vmin, vmax);
}

namespace {
inline bool answered(double v) { return !std::isnan(v); }
inline bool answered(std::int8_t v) { return v != detail::kNotAnsweredByte; }
inline std::size_t answered_in_run(const double* x, std::size_t n) { return detail::count_answered(x, n); }
inline std::size_t answered_in_run(const std::int8_t* x, std::size_t n) { return n - detail::count_missing(x, n); }
inline void add_sums_rows(ReliabilitySums& s, const double* x, std::size_t n, std::uint8_t* complete = nullptr) {
  s.add_rows(x, n, complete);
}
inline void add_sums_rows(ReliabilitySums& s, const std::int8_t* x, std::size_t n, std::uint8_t* complete = nullptr) {
  detail::add_byte_rows(s, x, n, complete);
}

// Rows reported as errors carry no answers and do not count: the others of rows r0..r1, copied
// together only when some row of the block is left out.
template <class T>
const T* scored_rows(const T* answers, std::size_t P, std::size_t r0, std::size_t r1, const std::uint8_t* scored,
                     std::vector<T>& rows_buf, std::size_t& nb) {
  nb = r1 - r0;
  if (!scored || std::find(scored + r0, scored + r1, std::uint8_t{0}) == scored + r1) return answers + r0 * P;
  rows_buf.resize(nb * P);
  nb = 0;
  for (std::size_t r = r0; r < r1; ++r)
    if (scored[r]) std::copy(answers + r * P, answers + (r + 1) * P, &rows_buf[nb++ * P]);
  return rows_buf.data();
}

// A row that misses some item, looked at per scale: those complete on a scale go to its side rows.
template <class T>
void sort_to_sides(ReliabilityAccumulator::Impl& a, const T* x, std::vector<std::vector<T>>& side_rows) {
  for (std::size_t s = 0; s < a.shape_.size(); ++s) {
    const std::vector<int>& items = a.shape_[s].items;
    const int first = a.run_first_[s];
    std::size_t n = 0;
    if (first >= 0) {
      n = answered_in_run(x + first, items.size());
    } else {
      for (int i : items) n += answered(x[i]) ? 1 : 0;
    }
    a.rows_any_[s] += n ? 1 : 0;
    if (n == 0 || n < items.size()) continue;
    if (first >= 0) side_rows[s].insert(side_rows[s].end(), x + first, x + first + items.size());
    else for (int i : items) side_rows[s].push_back(x[i]);
  }
}

// A row with every item answered is complete on every scale; the others are looked at per scale,
// and those complete on it go to its side sums, a block at a time.
template <class T>
void add_block_rows(ReliabilityAccumulator::Impl& a, const T* answers, std::size_t rows, const std::uint8_t* scored,
                    std::vector<T>& rows_buf, std::vector<std::vector<T>>& side_rows) {
  const std::size_t P = a.plan_.data().n_items;
  a.scales_stale_ = true;
  constexpr std::size_t kBlock = 1024;
  for (std::size_t r0 = 0; r0 < rows; r0 += kBlock) {
    std::size_t nb = 0;
    const T* block = scored_rows(answers, P, r0, std::min(rows, r0 + kBlock), scored, rows_buf, nb);
    if (P == 0) continue;
    a.complete_.resize(nb);
    add_sums_rows(a.all_, block, nb, a.complete_.data());
    std::size_t complete = 0;
    side_rows.resize(a.shape_.size());
    for (auto& b : side_rows) b.clear();
    for (std::size_t r = 0; r < nb; ++r) {
      if (a.complete_[r]) ++complete;
      else sort_to_sides(a, block + r * P, side_rows);
    }
    for (std::size_t s = 0; s < a.shape_.size(); ++s) {
      a.rows_any_[s] += static_cast<double>(complete);
      if (!side_rows[s].empty()) add_sums_rows(a.side_[s], side_rows[s].data(), side_rows[s].size() / a.side_[s].k());
    }
  }
}
}  // namespace

void ReliabilityAccumulator::Impl::add_rows(const double* answers, std::size_t rows, const std::uint8_t* scored) {
  add_block_rows(*this, answers, rows, scored, rows_buf_, side_rows_);
}

void ReliabilityAccumulator::Impl::add_rows(const std::int8_t* answers, std::size_t rows, const std::uint8_t* scored) {
  add_block_rows(*this, answers, rows, scored, byte_rows_buf_, side_byte_rows_);
}

bool ReliabilityAccumulator::Impl::add_bytes(const std::int8_t* answers, std::size_t rows, std::size_t items, const std::uint8_t* scored,
                                             const BlockScores&) {
  if (items != plan_.item_count()) throw UsageError("reliability accumulator: answers have the wrong number of items");
  add_rows(answers, rows, scored);
  return true;
}

void ReliabilityAccumulator::Impl::merge(const Impl& o) {
  all_.merge(o.all_);
  for (std::size_t s = 0; s < side_.size(); ++s) {
    side_[s].merge(o.side_[s]);
    rows_any_[s] += o.rows_any_[s];
  }
  scales_stale_ = true;
}

ReliabilityAccumulator::ReliabilityAccumulator(const ScoringPlan& plan, bool all_items_block)
    : impl_(std::make_unique<Impl>(plan, all_items_block)) {}
ReliabilityAccumulator::~ReliabilityAccumulator() = default;
ReliabilityAccumulator::ReliabilityAccumulator(const ReliabilityAccumulator& o) : impl_(std::make_unique<Impl>(*o.impl_)) {}
ReliabilityAccumulator& ReliabilityAccumulator::operator=(const ReliabilityAccumulator& o) {
  if (this != &o) *impl_ = *o.impl_;
  return *this;
}
ReliabilityAccumulator::ReliabilityAccumulator(ReliabilityAccumulator&&) noexcept = default;
ReliabilityAccumulator& ReliabilityAccumulator::operator=(ReliabilityAccumulator&&) noexcept = default;

std::unique_ptr<ChunkAccumulator> ReliabilityAccumulator::fresh() const {
  // Built from the plan, never copied from *this: workers call fresh() while the calling thread
  // merges into this object, so reading its sums here would race (ThreadSanitizer found it).
  return std::make_unique<ReliabilityAccumulator>(impl_->plan_, impl_->all_items_block_);
}

void ReliabilityAccumulator::add(const double* answers, std::size_t rows, std::size_t items, const std::uint8_t* scored,
                                 const BlockScores&) {
  if (items != impl_->plan_.item_count()) throw UsageError("reliability accumulator: answers have the wrong number of items");
  impl_->add_rows(answers, rows, scored);
}

void ReliabilityAccumulator::add_rows(const double* answers, std::size_t rows, const std::uint8_t* scored) {
  impl_->add_rows(answers, rows, scored);
}

void ReliabilityAccumulator::merge(ChunkAccumulator& chunk) { impl_->merge(*dynamic_cast<ReliabilityAccumulator&>(chunk).impl_); }

const std::vector<ReliabilitySums>& ReliabilityAccumulator::scales() const {
  if (impl_->scales_stale_) impl_->build_scales();
  return impl_->scales_;
}

const ReliabilitySums* ReliabilityAccumulator::all_items() const {
  return impl_->all_items_block_ && impl_->all_.k() ? &impl_->all_ : nullptr;
}

const ScoringPlan& ReliabilityAccumulator::plan() const { return impl_->plan_; }

detail::ByteAccumulator* ReliabilityAccumulator::byte_accumulator() { return impl_.get(); }

}  // namespace attune
