// The four-dimension profile. Two-dimension instruments: Bartholomew's four prototypes sit on the
// diagonals of the standardized anxiety x avoidance plane, so each dimension is a projection and
// the winning projection is the quadrant. Prototype instruments: the ratings are the dimensions.
#include "kernel.hpp"

#include <cmath>
#include <limits>

namespace attune::detail {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInvSqrt2 = 0.70710678118654752440;
enum : int { SEC = 0, ANX = 1, AVO = 2, FEA = 3 };

void clear(const RowOut& out) {
  for (int c = 0; c < 4; ++c) out.dimensions[c] = out.posterior[c] = kNaN;
  out.plane[0] = out.plane[1] = kNaN;
  *out.category = 0;
  *out.confidence = kNaN;
}

// Bits of the categories that reach the maximum; exact ties are reported, never broken.
std::uint8_t argmax_bits(const double* v) {
  double best = v[0];
  for (int c = 1; c < 4; ++c) best = v[c] > best ? v[c] : best;
  std::uint8_t bits = 0;
  for (int c = 0; c < 4; ++c) bits |= (v[c] == best) ? static_cast<std::uint8_t>(1u << c) : 0;
  return bits;
}

}  // namespace

void profile_row(const PlanData& d, const double* raw, const RowOut& out) {
  clear(out);
  if (d.method.type == ProfileMethodType::prototype) {
    double r[4];
    for (int c = 0; c < 4; ++c) {
      int s = d.proto[static_cast<std::size_t>(c)];
      if (std::isnan(raw[s])) return;
      r[c] = d.metric_k * raw[s] + d.metric_b[static_cast<std::size_t>(s)];
      out.dimensions[c] = (r[c] - d.proto_center[static_cast<std::size_t>(c)]) / d.proto_unit[static_cast<std::size_t>(c)];
    }
    *out.category = argmax_bits(r);
    int top = -1, second = -1;
    for (int c = 0; c < 4; ++c) {
      if (top < 0 || r[c] > r[top]) { second = top; top = c; }
      else if (second < 0 || r[c] > r[second]) second = c;
    }
    double st = d.sem[static_cast<std::size_t>(d.proto[static_cast<std::size_t>(top)])];
    double ss = d.sem[static_cast<std::size_t>(d.proto[static_cast<std::size_t>(second)])];
    if (!std::isnan(st) && !std::isnan(ss) && __builtin_popcount(*out.category) == 1) {
      *out.confidence = normal_cdf((r[top] - r[second]) / std::sqrt(st * st + ss * ss));
    } else if (__builtin_popcount(*out.category) > 1 && !std::isnan(st) && !std::isnan(ss)) {
      *out.confidence = 0.5;
    }
    return;
  }

  const double anx_raw = raw[d.anxiety], avo_raw = raw[d.avoidance];
  if (std::isnan(anx_raw) || std::isnan(avo_raw)) return;
  const double anx = d.metric_k * anx_raw + d.metric_b[static_cast<std::size_t>(d.anxiety)];
  const double avo = d.metric_k * avo_raw + d.metric_b[static_cast<std::size_t>(d.avoidance)];
  const double a = (anx - d.center_anxiety) / d.unit_anxiety;
  const double v = (avo - d.center_avoidance) / d.unit_avoidance;
  out.plane[0] = a;
  out.plane[1] = v;
  out.dimensions[SEC] = -(a + v) * kInvSqrt2;
  out.dimensions[FEA] = (a + v) * kInvSqrt2;
  out.dimensions[ANX] = (a - v) * kInvSqrt2;
  out.dimensions[AVO] = (v - a) * kInvSqrt2;

  if (d.method.type == ProfileMethodType::fisher) {
    double f[4];
    for (int c = 0; c < 4; ++c) {
      const FisherFunction& fn = d.method.functions[static_cast<std::size_t>(c)];
      f[c] = fn.avoidance * avo + fn.anxiety * anx + fn.constant;
    }
    *out.category = argmax_bits(f);
    double mx = f[0];
    for (int c = 1; c < 4; ++c) mx = f[c] > mx ? f[c] : mx;
    double total = 0, e[4];
    for (int c = 0; c < 4; ++c) total += (e[c] = std::exp(f[c] - mx));
    double best = 0;
    for (int c = 0; c < 4; ++c) {
      out.posterior[c] = e[c] / total;
      best = out.posterior[c] > best ? out.posterior[c] : best;
    }
    *out.confidence = best;
    return;
  }

  // Quadrant: a point on an axis touches two (or, at the centre, four) quadrants: a tie.
  const bool a_hi = a > 0, a_lo = a < 0, v_hi = v > 0, v_lo = v < 0;
  std::uint8_t bits = 0;
  if (!a_hi && !v_hi) bits |= 1u << SEC;
  if (!a_lo && !v_hi) bits |= 1u << ANX;
  if (!a_hi && !v_lo) bits |= 1u << AVO;
  if (!a_lo && !v_lo) bits |= 1u << FEA;
  *out.category = bits;
  const double sa = d.sem[static_cast<std::size_t>(d.anxiety)], sv = d.sem[static_cast<std::size_t>(d.avoidance)];
  if (!std::isnan(sa) && !std::isnan(sv)) {
    *out.confidence = normal_cdf(std::fabs(anx - d.center_anxiety) / sa) * normal_cdf(std::fabs(avo - d.center_avoidance) / sv);
  }
}

}  // namespace attune::detail
