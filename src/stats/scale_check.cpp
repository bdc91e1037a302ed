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

namespace {
void check_usage(const ScaleUsageAccumulator& usage, const ScaleCheckOptions& options, ScaleCheck& c) {
  c.rows = usage.rows_answering();
  c.rows_counted = !usage.stopped_early();
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
  s.rows_counted = rows_counted;
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
