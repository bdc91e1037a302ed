// Do the answers fit the response scale declared for them? (attune/audit.hpp, docs/audit.md)
#include <attune/audit.hpp>
#include <attune/error.hpp>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace attune {

namespace {
std::string range_text(int lo, int hi) { return std::to_string(lo) + ".." + std::to_string(hi); }

std::string count_text(double n) {
  // Thousands separated, as the walkthrough and the summaries write row counts.
  std::string digits = std::to_string(static_cast<long long>(std::llround(n)));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}
}  // namespace

ScaleUsageAccumulator::ScaleUsageAccumulator(const ScoringPlan& plan)
    : plan_(plan), items_(plan.item_count()), lo_(std::numeric_limits<double>::infinity()), hi_(-lo_) {}

std::unique_ptr<ChunkAccumulator> ScaleUsageAccumulator::fresh() const { return std::make_unique<ScaleUsageAccumulator>(plan_); }

// Rows reported as errors hold only missing answers, which change nothing below.
void ScaleUsageAccumulator::add(const double* answers, std::size_t rows, std::size_t items, const std::uint8_t*, const BlockScores&) {
  if (items != items_) throw UsageError("scale usage accumulator: answers have the wrong number of items");
  add_cells(answers, rows * items);
}

bool ScaleUsageAccumulator::add_bytes(const std::int8_t* answers, std::size_t rows, std::size_t items, const std::uint8_t*,
                                      const BlockScores&) {
  if (items != items_) throw UsageError("scale usage accumulator: answers have the wrong number of items");
  add_cells(answers, rows * items);
  return true;
}

bool ScaleUsageAccumulator::both_ends_seen() const { return lo_ <= plan_.data_scale().min && hi_ >= plan_.data_scale().max; }

// Four cells per step; NaN (not answered) never wins a min or max (SSE2 minpd/maxpd return the
// second operand when the first is NaN) and is counted as missing. A block at a time, stopping once
// both ends of the scale have turned up: from there nothing can change the verdict, and a file on
// its declared scale costs only the first rows of each chunk.
void ScaleUsageAccumulator::add_cells(const double* x, std::size_t n) {
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

void ScaleUsageAccumulator::add_cells(const std::int8_t* x, std::size_t n) {
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
void ScaleUsageAccumulator::add_byte_block(const std::int8_t* x, std::size_t n) {
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

void ScaleUsageAccumulator::merge(ChunkAccumulator& chunk) {
  auto& o = dynamic_cast<ScaleUsageAccumulator&>(chunk);
  lo_ = std::min(lo_, o.lo_);
  hi_ = std::max(hi_, o.hi_);
  answered_ += o.answered_;
  stopped_early_ = stopped_early_ || o.stopped_early_;
}

double ScaleUsageAccumulator::rows_answering() const {
  if (items_ == 0) return 0;
  return static_cast<double>((answered_ + static_cast<std::int64_t>(items_) - 1) / static_cast<std::int64_t>(items_));
}

namespace {
void check_usage(const ScaleUsageAccumulator& usage, const ScaleCheckOptions& options, ScaleCheck& c) {
  c.rows = usage.rows_answering();
  c.any_answer = usage.lowest() <= usage.highest();
  if (c.any_answer) {
    c.lowest = static_cast<int>(usage.lowest());
    c.highest = static_cast<int>(usage.highest());
  }
  // Answers at both ends settle it whatever the count (which then stopped early).
  c.judged = usage.both_ends_seen() || (c.any_answer && c.rows >= options.min_rows);
  c.top_unused = c.judged && c.highest < c.declared.max;
  c.bottom_unused = c.judged && c.lowest > c.declared.min;
}

void check_reversed(const ReliabilityReport& rel, const ScaleCheckOptions& options, ScaleCheck& c) {
  c.correlations_checked = true;
  for (const auto& s : rel.scales) {
    if (s.n < options.min_rows) continue;
    for (const auto& it : s.items)
      if (it.reversed && std::isfinite(it.r_drop) && it.r_drop < 0) c.reversed_negative.push_back({s.id, it.id, it.r_drop, it.n});
  }
}
}  // namespace

ScaleCheck check_scale(const ScaleUsageAccumulator& usage, const ReliabilityReport* rel, const ScaleCheckOptions& options) {
  ScaleCheck c;
  c.declared = usage.plan().data_scale();
  c.instrument = usage.plan().instrument().response_scale;
  check_usage(usage, options, c);
  if (rel) check_reversed(*rel, options, c);
  return c;
}

std::string ScaleCheck::evidence() const {
  std::string e;
  const std::string scale = range_text(declared.min, declared.max);
  if (top_unused || bottom_unused) {
    std::string ends;
    if (top_unused) ends = "at " + std::to_string(declared.max) + " (its top)";
    if (bottom_unused) ends += std::string(ends.empty() ? "" : " or ") + "at " + std::to_string(declared.min) + " (its bottom)";
    e = "the answers do not look like the response scale " + scale + ": over " + count_text(rows) + " rows no item has an answer " +
        ends + "; they run " + range_text(lowest, highest);
  }
  if (!reversed_negative.empty()) {
    if (!e.empty()) e += "; and ";
    e += "reverse-keyed items correlate negatively with the rest of their scale after keying (";
    for (std::size_t i = 0; i < reversed_negative.size(); ++i) {
      char r[32];
      std::snprintf(r, sizeof r, "%.2f", reversed_negative[i].r_drop);
      e += (i ? ", " : "") + reversed_negative[i].scale + " " + reversed_negative[i].item + " r.drop " + r;
    }
    e += ")";
  }
  return e;
}

std::string ScaleCheck::warning() const {
  if (fits()) return {};
  std::string w = evidence() + ". ";
  const std::string scale = range_text(declared.min, declared.max);
  if (top_unused || bottom_unused) {
    const std::string seen = range_text(lowest, highest);
    w += "If the data were collected on " + seen + ", add --response-scale " + seen + " (reverse-keyed items are then scored as " +
         std::to_string(lowest + highest) + " - x, not " + std::to_string(declared.min + declared.max) + " - x)";
  }
  if (!reversed_negative.empty()) {
    w += std::string(top_unused || bottom_unused ? "; if" : "If") +
         " the file holds answers already reverse-keyed, or the instrument's key does not match the data, the scores of those "
         "scales are wrong: see `attune audit`";
  }
  w += ". If " + scale + " and the key are right, add --response-scale-confirmed.";
  return w;
}

ResponseScaleStatus ScaleCheck::status(bool confirmed) const {
  ResponseScaleStatus s;
  s.declared = range_text(declared.min, declared.max);
  s.instrument = range_text(instrument.min, instrument.max);
  s.rescaled = !(declared == instrument);
  s.rescale_note = rescale_note(declared, instrument);
  s.confirmed = confirmed;
  s.checked = true;
  s.judged = judged;
  s.fits = fits();
  if (any_answer) s.observed = range_text(lowest, highest);
  s.rows = rows;
  s.warning = warning();
  return s;
}

ResponseScaleStatus confirmed_scale_status(const ScoringPlan& plan) {
  ScaleCheck c;
  c.declared = plan.data_scale();
  c.instrument = plan.instrument().response_scale;
  ResponseScaleStatus s = c.status(true);
  s.checked = false;
  s.warning.clear();
  return s;
}

}  // namespace attune
