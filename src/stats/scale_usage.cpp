// Over all items of a file: the lowest and highest answer and how many were given (attune/audit.hpp).
#include <attune/audit.hpp>
#include <attune/error.hpp>

#include "scale_usage.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <limits>

namespace attune {

ScaleUsageAccumulator::Impl::Impl(const ScoringPlan& plan)
    : plan_(plan), items_(plan.item_count()), lo_(std::numeric_limits<double>::infinity()), hi_(-lo_) {}

ScaleUsageAccumulator::ScaleUsageAccumulator(const ScoringPlan& plan) : impl_(std::make_unique<Impl>(plan)) {}
ScaleUsageAccumulator::~ScaleUsageAccumulator() = default;
ScaleUsageAccumulator::ScaleUsageAccumulator(const ScaleUsageAccumulator& o) : impl_(std::make_unique<Impl>(*o.impl_)) {}
ScaleUsageAccumulator& ScaleUsageAccumulator::operator=(const ScaleUsageAccumulator& o) {
  if (this != &o) *impl_ = *o.impl_;
  return *this;
}
ScaleUsageAccumulator::ScaleUsageAccumulator(ScaleUsageAccumulator&&) noexcept = default;
ScaleUsageAccumulator& ScaleUsageAccumulator::operator=(ScaleUsageAccumulator&&) noexcept = default;

std::unique_ptr<ChunkAccumulator> ScaleUsageAccumulator::fresh() const { return std::make_unique<ScaleUsageAccumulator>(impl_->plan_); }

// Rows reported as errors hold only missing answers, which change nothing below.
void ScaleUsageAccumulator::add(const double* answers, std::size_t rows, std::size_t items, const std::uint8_t*, const BlockScores&) {
  if (items != impl_->items_) throw UsageError("scale usage accumulator: answers have the wrong number of items");
  impl_->add_cells(answers, rows * items);
}

void ScaleUsageAccumulator::merge(ChunkAccumulator& chunk) { impl_->merge(*dynamic_cast<ScaleUsageAccumulator&>(chunk).impl_); }
void ScaleUsageAccumulator::add_cells(const double* answers, std::size_t cells) { impl_->add_cells(answers, cells); }
std::size_t ScaleUsageAccumulator::items() const { return impl_->items_; }
double ScaleUsageAccumulator::answers() const { return static_cast<double>(impl_->answered_); }
bool ScaleUsageAccumulator::stopped_early() const { return impl_->stopped_early_; }
bool ScaleUsageAccumulator::both_ends_seen() const { return impl_->both_ends_seen(); }
double ScaleUsageAccumulator::rows_answering() const { return impl_->rows_answering(); }
double ScaleUsageAccumulator::lowest() const { return impl_->lo_; }
double ScaleUsageAccumulator::highest() const { return impl_->hi_; }
const ScoringPlan& ScaleUsageAccumulator::plan() const { return impl_->plan_; }
detail::ByteAccumulator* ScaleUsageAccumulator::byte_accumulator() { return impl_.get(); }

bool ScaleUsageAccumulator::Impl::add_bytes(const std::int8_t* answers, std::size_t rows, std::size_t items, const std::uint8_t*,
                                            const BlockScores&) {
  if (items != items_) throw UsageError("scale usage accumulator: answers have the wrong number of items");
  add_cells(answers, rows * items);
  return true;
}

bool ScaleUsageAccumulator::Impl::both_ends_seen() const { return lo_ <= plan_.data_scale().min && hi_ >= plan_.data_scale().max; }

// Four cells per step; NaN (not answered) never wins a min or max (SSE2 minpd/maxpd return the
// second operand when the first is NaN) and is counted as missing. A block at a time, stopping once
// both ends of the scale have turned up: from there nothing can change the verdict, and a file on
// its declared scale costs only the first rows of each chunk.
void ScaleUsageAccumulator::Impl::add_cells(const double* x, std::size_t n) {
  constexpr std::size_t kBlock = 512;
  std::size_t i = 0;
  while (i < n) {
    if (both_ends_seen()) {
      stopped_early_ = true;
      return;
    }
    const std::size_t begin = i, end = std::min(n, i + kBlock);
    std::size_t missing = 0;
#if defined(__SSE2__)
    __m128d lo = _mm_set1_pd(lo_), hi = _mm_set1_pd(hi_);
    __m128i gaps = _mm_setzero_si128();
    for (; i + 4 <= end; i += 4) {
      const __m128d a = _mm_loadu_pd(x + i), b = _mm_loadu_pd(x + i + 2);
      lo = _mm_min_pd(a, _mm_min_pd(b, lo));
      hi = _mm_max_pd(a, _mm_max_pd(b, hi));
      gaps = _mm_sub_epi64(gaps, _mm_castpd_si128(_mm_cmpunord_pd(a, a)));
      gaps = _mm_sub_epi64(gaps, _mm_castpd_si128(_mm_cmpunord_pd(b, b)));
    }
    alignas(16) double l[2], h[2];
    alignas(16) std::int64_t g[2];
    _mm_store_pd(l, lo);
    _mm_store_pd(h, hi);
    _mm_store_si128(reinterpret_cast<__m128i*>(g), gaps);
    lo_ = std::min({lo_, l[0], l[1]});
    hi_ = std::max({hi_, h[0], h[1]});
    missing = static_cast<std::size_t>(g[0] + g[1]);
#endif
    for (; i < end; ++i) {
      if (std::isnan(x[i])) {
        ++missing;
        continue;
      }
      lo_ = std::min(lo_, x[i]);
      hi_ = std::max(hi_, x[i]);
    }
    answered_ += static_cast<std::int64_t>(end - begin - missing);
  }
}

void ScaleUsageAccumulator::Impl::add_cells(const std::int8_t* x, std::size_t n) {
  constexpr std::size_t kBlock = 4096;
  for (std::size_t i = 0; i < n; i += kBlock) {
    if (both_ends_seen()) {
      stopped_early_ = true;
      return;
    }
    add_byte_block(x + i, std::min(kBlock, n - i));
  }
}

// Bytes flipped to unsigned (x ^ 0x80): a missing answer (-128) becomes 0, which never wins the
// maximum and is turned into 255 for the minimum; missing answers are counted in byte lanes
// (at most 4096 / 16 = 256 per lane would overflow: emptied at 255).
void ScaleUsageAccumulator::Impl::add_byte_block(const std::int8_t* x, std::size_t n) {
  int lo = 256, hi = -1;  // on the flipped scale, over answered cells
  std::int64_t missing = 0;
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i flip = _mm_set1_epi8(static_cast<char>(0x80)), zero = _mm_setzero_si128();
  __m128i vmax = zero, vmin = _mm_set1_epi8(static_cast<char>(0xFF)), lanes = zero, total = zero;
  unsigned pending = 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i u = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i)), flip);
    const __m128i miss = _mm_cmpeq_epi8(u, zero);
    vmax = _mm_max_epu8(vmax, u);
    vmin = _mm_min_epu8(vmin, _mm_or_si128(u, miss));
    lanes = _mm_sub_epi8(lanes, miss);
    if (++pending == 255) {
      total = _mm_add_epi64(total, _mm_sad_epu8(lanes, zero));
      lanes = zero;
      pending = 0;
    }
  }
  total = _mm_add_epi64(total, _mm_sad_epu8(lanes, zero));
  alignas(16) std::uint8_t mx[16], mn[16];
  alignas(16) std::int64_t t[2];
  _mm_store_si128(reinterpret_cast<__m128i*>(mx), vmax);
  _mm_store_si128(reinterpret_cast<__m128i*>(mn), vmin);
  _mm_store_si128(reinterpret_cast<__m128i*>(t), total);
  missing = t[0] + t[1];
  for (int l = 0; l < 16; ++l) {
    if (mx[l]) hi = std::max(hi, static_cast<int>(mx[l]));
    lo = std::min(lo, static_cast<int>(mn[l]));
  }
#endif
  for (; i < n; ++i) {
    const int u = static_cast<std::uint8_t>(x[i]) ^ 0x80;
    if (u == 0) {
      ++missing;
      continue;
    }
    hi = std::max(hi, u);
    lo = std::min(lo, u);
  }
  const std::int64_t answered = static_cast<std::int64_t>(n) - missing;
  if (answered == 0) return;
  // A lane's 255 is a missing answer only when no answer reached it; with any answer, the true
  // minimum is at most 255 (127 on the answers' scale).
  lo_ = std::min(lo_, static_cast<double>(lo - 128));
  hi_ = std::max(hi_, static_cast<double>(hi - 128));
  answered_ += answered;
}

void ScaleUsageAccumulator::Impl::merge(const Impl& o) {
  lo_ = std::min(lo_, o.lo_);
  hi_ = std::max(hi_, o.hi_);
  answered_ += o.answered_;
  stopped_early_ = stopped_early_ || o.stopped_early_;
}

double ScaleUsageAccumulator::Impl::rows_answering() const {
  if (items_ == 0) return 0;
  return static_cast<double>((answered_ + static_cast<std::int64_t>(items_) - 1) / static_cast<std::int64_t>(items_));
}

}  // namespace attune
