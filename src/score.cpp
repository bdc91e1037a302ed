// Scale scores: sums over the plan's member lists with reverse keying as (min + max) - x, prorated
// means over answered items, and missing (never 0) when fewer than the minimum are answered.
#include <attune/score.hpp>
#include <attune/error.hpp>

#include "kernel.hpp"
#include "simd/vec4.hpp"
#include "validate_answer.hpp"
#include "not_a_number.hpp"

#include <boost/math/special_functions/erf.hpp>
#include <boost/math/policies/policy.hpp>

#include <cmath>
#include <cstring>

namespace attune {
namespace detail {

namespace {
using fast_policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
using ::attune::detail::kNaN;
}  // namespace

double normal_cdf(double x) {
  if (std::isnan(x)) return kNaN;
  return 0.5 * boost::math::erfc(-x * 0.70710678118654752440, fast_policy());
}

void profile_row(const PlanData& d, const double* raw, const RowOut& out);

namespace {

// Sum and count of an item scale's answered members, four at a time. Every
// term is a whole number (whole answers, keyed as reverse_sum - x), so the partial sums are exact
// and any number of lanes gives the same bits as one; a missing answer (NaN) is masked out, not branched on
// (a branch here is mispredicted on every row with a gap).
// run: the members are consecutive items, read straight from x[idx[b]...].
template <bool run>
inline void item_sum(const std::uint32_t* idx, const double* slope, const double* offset, std::uint32_t b, std::uint32_t e,
                     const double* x, double& acc, unsigned& n) {
  typedef long long lanes4 __attribute__((vector_size(32)));
  vec4 sum4 = {0, 0, 0, 0};
  lanes4 count4 = {0, 0, 0, 0};
  std::uint32_t k = b;
  const double* xs = run && b < e ? x + idx[b] : x;  // xs[k - b] is member k's answer when run
  // Four members at a time (one AVX2 register, or two SSE2 ones in the baseline build).
  for (; k + 4 <= e; k += 4) {
    vec4 v;
    if (run) std::memcpy(&v, xs + (k - b), sizeof v);
    else v = vec4{x[idx[k]], x[idx[k + 1]], x[idx[k + 2]], x[idx[k + 3]]};
    vec4 sl, of;
    std::memcpy(&sl, slope + k, sizeof sl);
    std::memcpy(&of, offset + k, sizeof of);
    const lanes4 answered = v == v;
    sum4 += reinterpret_cast<vec4>(reinterpret_cast<lanes4>(of + sl * v) & answered);
    count4 -= answered;
  }
  double a = (sum4[0] + sum4[1]) + (sum4[2] + sum4[3]);
  long long c = count4[0] + count4[1] + count4[2] + count4[3];
  for (; k < e; ++k) {
    const double v = x[idx[k]];
    const bool answered = v == v;
    const double term = offset[k] + slope[k] * v;
    a += answered ? term : 0.0;
    c += answered ? 1 : 0;
  }
  acc = a;
  n = static_cast<unsigned>(c);
}
}  // namespace

ATTUNE_CLONES void score_row(const PlanData& d, const double* x, const RowOut& out, bool validated) {
  *out.bad_item = -1;
  for (std::size_t i = 0; !validated && i < d.n_items; ++i) {
    double v = x[i];
    if (!std::isnan(v) && !answer_ok(v, d.data_min, d.data_max)) {
      *out.bad_item = static_cast<std::int32_t>(i);
      break;
    }
  }
  if (*out.bad_item >= 0) {
    for (std::size_t s = 0; s < d.n_scales; ++s) {
      out.raw[s] = out.z[s] = out.percentile[s] = kNaN;
      out.answered[s] = 0;
    }
    for (int c = 0; c < 4; ++c) out.dimensions[c] = out.posterior[c] = kNaN;
    out.plane[0] = out.plane[1] = kNaN;
    *out.category = 0;
    *out.confidence = kNaN;
    return;
  }
  const std::uint32_t* begin = d.member_begin.data();
  const std::uint32_t* idx = d.member_index.data();
  const std::uint8_t* rev = d.member_reverse.data();
  const double* w = d.member_weight.data();
  for (std::size_t s = 0; s < d.n_scales; ++s) {
    double acc = 0;
    unsigned n = 0;
    if (d.derived[s]) {
      // Weighted scale scores: summed in member order (the terms are not whole numbers).
      for (std::uint32_t k = begin[s]; k < begin[s + 1]; ++k) {
        double v = out.raw[idx[k]];
        if (std::isnan(v)) continue;
        acc += w[k] * (rev[k] ? d.reverse_sum - v : v);
        ++n;
      }
    } else {
      if (d.member_run[s]) item_sum<true>(idx, d.member_slope.data(), d.member_offset.data(), begin[s], begin[s + 1], x, acc, n);
      else item_sum<false>(idx, d.member_slope.data(), d.member_offset.data(), begin[s], begin[s + 1], x, acc, n);
    }
    const unsigned members = begin[s + 1] - begin[s];
    out.answered[s] = static_cast<std::uint16_t>(n);
    double value = kNaN;
    if (n >= static_cast<unsigned>(d.min_answered[s])) {
      // A sum with gaps is prorated (mean x members) so it stays on the full scale's metric.
      value = d.sum_aggregation[s] ? (n == members ? acc : acc / n * members) : acc / n;
    }
    out.raw[s] = value;
    if (d.has_norm[s] && !std::isnan(value)) {
      double zi = (d.metric_k * value + d.metric_b[s] - d.norm_mean[s]) / d.norm_sd[s];
      out.z[s] = zi;
      out.percentile[s] = 100.0 * normal_cdf(zi);
    } else {
      out.z[s] = out.percentile[s] = kNaN;
    }
  }
  profile_row(d, out.raw, out);
}

}  // namespace detail

void BlockScores::resize(std::size_t n_rows, std::size_t n_scales) {
  rows = n_rows;
  scales = n_scales;
  raw.resize(n_rows * n_scales);
  z.resize(n_rows * n_scales);
  percentile.resize(n_rows * n_scales);
  answered.resize(n_rows * n_scales);
  dimensions.resize(n_rows * 4);
  plane.resize(n_rows * 2);
  category.resize(n_rows);
  confidence.resize(n_rows);
  posterior.resize(n_rows * 4);
  bad_item.resize(n_rows);
}

namespace detail {
namespace {
void block(const PlanData& d, const double* answers, std::size_t rows, BlockScores& out, bool validated) {
  if (out.rows != rows || out.scales != d.n_scales) out.resize(rows, d.n_scales);
  const std::size_t S = d.n_scales;
  for (std::size_t r = 0; r < rows; ++r) {
    RowOut o{&out.raw[r * S], &out.z[r * S], &out.percentile[r * S], &out.answered[r * S],
             &out.dimensions[r * 4], &out.plane[r * 2], &out.category[r], &out.confidence[r],
             &out.posterior[r * 4], &out.bad_item[r]};
    score_row(d, answers + r * d.n_items, o, validated);
  }
}
}  // namespace
void score_block_validated(const PlanData& d, const double* answers, std::size_t rows, BlockScores& out) {
  block(d, answers, rows, out, true);
}
}  // namespace detail

void score_block(const ScoringPlan& plan, const double* answers, std::size_t rows, BlockScores& out) {
  detail::block(plan.data(), answers, rows, out, false);
}

namespace {

Result build_result(const detail::PlanData& d, const double* raw, const double* z, const double* pct,
                    const std::uint16_t* answered, const double* dims, const double* plane, std::uint8_t category,
                    double confidence, const double* posterior) {
  Result res;
  res.instrument_id = d.instrument.id;
  res.instrument_version = d.instrument.version;
  res.scales.resize(d.n_scales);
  for (std::size_t s = 0; s < d.n_scales; ++s) {
    ScaleScore& sc = res.scales[s];
    sc.id = d.instrument.scales[s].id;
    sc.raw = raw[s];
    sc.answered = answered[s];
    sc.members = static_cast<int>(d.member_begin[s + 1] - d.member_begin[s]);
    sc.min_answered = d.min_answered[s];
    sc.z = z[s];
    sc.percentile = pct[s];
    if (!std::isnan(d.sem[s]) && !std::isnan(raw[s])) {
      sc.sem = d.sem[s] / d.metric_k;  // back on the data's metric
      sc.ci_low = raw[s] - 1.959963984540054 * sc.sem;
      sc.ci_high = raw[s] + 1.959963984540054 * sc.sem;
    }
    if (std::isnan(raw[s])) {
      const char* what = d.derived[s] ? " scales present" : " items answered";
      sc.missing_reason = std::to_string(sc.answered) + " of " + std::to_string(sc.members) + what +
                          ", fewer than the minimum " + std::to_string(sc.min_answered);
      res.notes.push_back(sc.id + ": " + sc.missing_reason);
    }
  }
  Profile& p = res.profile;
  p.method = d.method.name;
  p.type = d.method.type;
  for (int c = 0; c < 4; ++c) {
    p.dimensions[static_cast<std::size_t>(c)] = dims[c];
    p.posterior[static_cast<std::size_t>(c)] = posterior[c];
    if (category & (1u << c)) p.categories.push_back(static_cast<Category>(c));
  }
  p.anxiety = plane[0];
  p.avoidance = plane[1];
  p.confidence = confidence;
  p.confidence_basis = d.confidence_basis;
  if (p.categories.empty() && d.has_profile) res.notes.push_back("profile not computed: a scale it needs is missing");
  return res;
}

}  // namespace

Result score(const ScoringPlan& plan, const double* answers) {
  const auto& d = plan.data();
  constexpr std::size_t kStack = 64;
  // Small instruments score on the stack; larger ones fall back to the heap.
  double raw_s[kStack], z_s[kStack], pct_s[kStack];
  std::uint16_t ans_s[kStack];
  std::vector<double> raw_h, z_h, pct_h;
  std::vector<std::uint16_t> ans_h;
  double* raw = raw_s; double* z = z_s; double* pct = pct_s; std::uint16_t* ans = ans_s;
  if (d.n_scales > kStack) {
    raw_h.resize(d.n_scales); z_h.resize(d.n_scales); pct_h.resize(d.n_scales); ans_h.resize(d.n_scales);
    raw = raw_h.data(); z = z_h.data(); pct = pct_h.data(); ans = ans_h.data();
  }
  double dims[4], plane[2], conf = 0, post[4];
  std::uint8_t cat = 0;
  std::int32_t bad = -1;
  detail::score_row(d, answers, {raw, z, pct, ans, dims, plane, &cat, &conf, post, &bad});
  if (bad >= 0) {
    double v = answers[bad];
    Location where;
    where.item = d.instrument.items[static_cast<std::size_t>(bad)].id;
    where.value = detail::show_value(v);
    throw AnswerError(detail::answer_problem(v, d.data_min, d.data_max), where, detail::answer_expectation(d.data_min, d.data_max));
  }
  return build_result(d, raw, z, pct, ans, dims, plane, cat, conf, post);
}

Result score(const ScoringPlan& plan, const Responses& responses) {
  if (responses.values().size() != plan.item_count()) {
    throw UsageError("responses were made for another plan", {}, std::to_string(plan.item_count()) + " items");
  }
  return score(plan, responses.values().data());
}

Result result_from_block(const ScoringPlan& plan, const BlockScores& b, std::size_t r) {
  const auto& d = plan.data();
  const std::size_t S = d.n_scales;
  if (r >= b.rows) throw UsageError("row " + std::to_string(r) + " is outside the block", {}, "a row below " + std::to_string(b.rows));
  return build_result(d, &b.raw[r * S], &b.z[r * S], &b.percentile[r * S], &b.answered[r * S], &b.dimensions[r * 4],
                      &b.plane[r * 2], b.category[r], b.confidence[r], &b.posterior[r * 4]);
}

}  // namespace attune
