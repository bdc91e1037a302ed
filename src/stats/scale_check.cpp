// Do the answers fit the response scale declared for them? (attune/audit.hpp, docs/audit.md)
#include <attune/audit.hpp>
#include <attune/error.hpp>

#include "../plan_data.hpp"
#include "vec4.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace attune {

namespace {
using detail::mask2;
using detail::pair2;

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

ScaleUsageAccumulator::ScaleUsageAccumulator(const ScoringPlan& plan) : plan_(plan), items_(plan.item_count()) {
  const std::size_t padded = items_ + (items_ & 1);
  lo_.assign(padded, std::numeric_limits<double>::infinity());
  hi_.assign(padded, -std::numeric_limits<double>::infinity());
  answered_.assign(padded, 0);
}

std::unique_ptr<ChunkAccumulator> ScaleUsageAccumulator::fresh() const { return std::make_unique<ScaleUsageAccumulator>(plan_); }

void ScaleUsageAccumulator::add(const double* answers, std::size_t rows, std::size_t items, const std::uint8_t*, const BlockScores&) {
  if (items != items_) throw UsageError("scale usage accumulator: answers have the wrong number of items");
  // Rows reported as errors hold only NaN, which no compare below lets in.
  add_rows(answers, rows);
}

// Two items per compare; NaN (not answered) fails every compare, so it changes neither bound,
// and x == x counts the answers.
void ScaleUsageAccumulator::add_rows(const double* x, std::size_t rows) {
  const std::size_t pairs = items_ / 2;
  std::vector<pair2> lo(pairs + 1), hi(pairs + 1);
  std::vector<mask2> n(pairs + 1);
  for (std::size_t p = 0; p <= pairs && 2 * p < lo_.size(); ++p) {
    std::memcpy(&lo[p], &lo_[2 * p], sizeof(pair2));
    std::memcpy(&hi[p], &hi_[2 * p], sizeof(pair2));
    n[p] = mask2{0, 0};
  }
  for (std::size_t r = 0; r < rows; ++r) {
    const double* row = x + r * items_;
    for (std::size_t p = 0; p < pairs; ++p) {
      pair2 v;
      std::memcpy(&v, row + 2 * p, sizeof v);
      const mask2 below = v < lo[p], above = v > hi[p];
      lo[p] = reinterpret_cast<pair2>((reinterpret_cast<mask2>(v) & below) | (reinterpret_cast<mask2>(lo[p]) & ~below));
      hi[p] = reinterpret_cast<pair2>((reinterpret_cast<mask2>(v) & above) | (reinterpret_cast<mask2>(hi[p]) & ~above));
      n[p] -= v == v;
    }
    if (items_ & 1) {
      const double v = row[items_ - 1];
      if (v < lo[pairs][0]) lo[pairs][0] = v;
      if (v > hi[pairs][0]) hi[pairs][0] = v;
      if (v == v) n[pairs][0] += 1;
    }
  }
  for (std::size_t p = 0; 2 * p < lo_.size(); ++p) {
    std::memcpy(&lo_[2 * p], &lo[p], sizeof(pair2));
    std::memcpy(&hi_[2 * p], &hi[p], sizeof(pair2));
    answered_[2 * p] += n[p][0];
    answered_[2 * p + 1] += n[p][1];
  }
}

void ScaleUsageAccumulator::merge(ChunkAccumulator& chunk) {
  auto& o = dynamic_cast<ScaleUsageAccumulator&>(chunk);
  for (std::size_t i = 0; i < lo_.size(); ++i) {
    lo_[i] = std::fmin(lo_[i], o.lo_[i]);
    hi_[i] = std::fmax(hi_[i], o.hi_[i]);
    answered_[i] += o.answered_[i];
  }
}

double ScaleUsageAccumulator::answered(std::size_t item) const { return static_cast<double>(answered_.at(item)); }
double ScaleUsageAccumulator::lowest(std::size_t item) const { return lo_.at(item); }
double ScaleUsageAccumulator::highest(std::size_t item) const { return hi_.at(item); }

namespace {
void check_usage(const ScaleUsageAccumulator& usage, const ScaleCheckOptions& options, ScaleCheck& c) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (std::size_t i = 0; i < usage.items(); ++i) {
    c.rows = std::max(c.rows, usage.answered(i));
    lo = std::min(lo, usage.lowest(i));
    hi = std::max(hi, usage.highest(i));
  }
  c.any_answer = lo <= hi;
  if (c.any_answer) {
    c.lowest = static_cast<int>(lo);
    c.highest = static_cast<int>(hi);
  }
  c.judged = c.any_answer && c.rows >= options.min_rows;
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
  if (s.rescaled)
    s.rescale_note = "answers rescaled from " + s.declared + " to the instrument's " + s.instrument +
                     " for norms and classifiers, which were made on the instrument's scale: an approximation";
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

std::string rescale_note(const ScoringPlan& plan) {
  ScaleCheck c;
  c.declared = plan.data_scale();
  c.instrument = plan.instrument().response_scale;
  return c.status().rescale_note;
}

}  // namespace attune
