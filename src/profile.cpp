// The four-dimension profile. Two-dimension instruments: Bartholomew's four prototypes sit on the
// diagonals of the standardized anxiety x avoidance plane, so each dimension is a projection and
// the winning projection is the quadrant. Prototype instruments: the ratings are the dimensions.
#include "kernel.hpp"
#include "not_a_number.hpp"

#include <cmath>
#include <limits>

namespace attune::detail {

namespace {

using ::attune::detail::kNaN;
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

// Which side of the centre a score lies on (-1, 0 on it, +1), decided exactly where the scale's
// scores lie on a grid: the score is K / grid exactly, and the sign of K - centre * grid is the sign
// of one fused multiply-add. Where a score is off the grid (cannot happen) or there is no grid, the
// rounded comparison stands.
int side(double raw, double grid, double centre, double rounded_offset) {
  if (grid > 0) {
    const double k = std::nearbyint(raw * grid);
    if (std::fabs(raw * grid - k) < 1e-6) {
      const double r = std::fma(centre, grid, -k);
      return r < 0 ? 1 : (r > 0 ? -1 : 0);
    }
  }
  return rounded_offset > 0 ? 1 : (rounded_offset < 0 ? -1 : 0);
}

// Prototype ratings: each present rating is a dimension; the category needs all four.
void prototype_row(const PlanData& d, const double* raw, const RowOut& out) {
  double r[4];
  bool all = true;
  for (int c = 0; c < 4; ++c) {
    const int s = d.proto[static_cast<std::size_t>(c)];
    r[c] = d.metric_k * raw[s] + d.metric_b[static_cast<std::size_t>(s)];
    out.dimensions[c] = (r[c] - d.proto_center[static_cast<std::size_t>(c)]) / d.proto_unit[static_cast<std::size_t>(c)];
    all = all && !std::isnan(raw[s]);
  }
  if (!all) return;
  *out.category = argmax_bits(r);
  auto sem = [&](int c) { return d.sem[static_cast<std::size_t>(d.proto[static_cast<std::size_t>(c)])]; };
  int top = 0;
  for (int c = 1; c < 4; ++c) top = r[c] > r[top] ? c : top;
  // Runner-ups that tie: the one with the larger SEM gives the lower confidence, and the least
  // favourable comparison is the honest one.
  int second = -1;
  for (int c = 0; c < 4; ++c) {
    if (c == top) continue;
    if (second < 0 || r[c] > r[second] || (r[c] == r[second] && sem(c) > sem(second))) second = c;
  }
  const double st = sem(top), ss = sem(second);
  if (std::isnan(st) || std::isnan(ss)) return;
  *out.confidence = __builtin_popcount(*out.category) == 1 ? normal_cdf((r[top] - r[second]) / std::sqrt(st * st + ss * ss)) : 0.5;
}

// Fisher's discriminant functions on the two metric scores: the category with the largest value,
// and posteriors as the softmax of the functions (shifted by the maximum, so exp cannot overflow).
void fisher_row(const PlanData& d, double anx, double avo, const RowOut& out) {
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
}

// The two metric scores of one row and the side of its centre each lies on (side() above).
struct PlanePoint {
  double anx, avo;
  int a_side, v_side;
};

// Quadrant: a point on an axis touches two (or, at the centre, four) quadrants: a tie.
void quadrant_row(const PlanData& d, const PlanePoint& p, const RowOut& out) {
  const bool a_hi = p.a_side > 0, a_lo = p.a_side < 0, v_hi = p.v_side > 0, v_lo = p.v_side < 0;
  std::uint8_t bits = 0;
  if (!a_hi && !v_hi) bits |= 1u << SEC;
  if (!a_lo && !v_hi) bits |= 1u << ANX;
  if (!a_hi && !v_lo) bits |= 1u << AVO;
  if (!a_lo && !v_lo) bits |= 1u << FEA;
  *out.category = bits;
  const double sa = d.sem[static_cast<std::size_t>(d.anxiety)], sv = d.sem[static_cast<std::size_t>(d.avoidance)];
  if (!std::isnan(sa) && !std::isnan(sv)) {
    const double da = p.a_side == 0 ? 0.0 : std::fabs(p.anx - d.center_anxiety);
    const double dv = p.v_side == 0 ? 0.0 : std::fabs(p.avo - d.center_avoidance);
    *out.confidence = normal_cdf(da / sa) * normal_cdf(dv / sv);
  }
}

// The standardized plane and the four dimensions as projections on its diagonals.
void plane_dimensions(const PlanData& d, const PlanePoint& p, const RowOut& out) {
  // On the centre exactly: 0, not the rounding error of the subtraction.
  const double a = p.a_side == 0 ? 0.0 : (p.anx - d.center_anxiety) / d.unit_anxiety;
  const double v = p.v_side == 0 ? 0.0 : (p.avo - d.center_avoidance) / d.unit_avoidance;
  out.plane[0] = a;
  out.plane[1] = v;
  out.dimensions[SEC] = -(a + v) * kInvSqrt2;
  out.dimensions[FEA] = (a + v) * kInvSqrt2;
  out.dimensions[ANX] = (a - v) * kInvSqrt2;
  out.dimensions[AVO] = (v - a) * kInvSqrt2;
}

}  // namespace

void profile_row(const PlanData& d, const double* raw, const RowOut& out) {
  clear(out);
  if (!d.has_profile) return;
  if (d.method.type == ProfileMethodType::prototype) {
    prototype_row(d, raw, out);
    return;
  }

  const double anx_raw = raw[d.anxiety], avo_raw = raw[d.avoidance];
  if (std::isnan(anx_raw) || std::isnan(avo_raw)) return;
  PlanePoint p;
  p.anx = d.metric_k * anx_raw + d.metric_b[static_cast<std::size_t>(d.anxiety)];
  p.avo = d.metric_k * avo_raw + d.metric_b[static_cast<std::size_t>(d.avoidance)];
  p.a_side = side(anx_raw, d.grid[static_cast<std::size_t>(d.anxiety)], d.center_data_anxiety, p.anx - d.center_anxiety);
  p.v_side = side(avo_raw, d.grid[static_cast<std::size_t>(d.avoidance)], d.center_data_avoidance, p.avo - d.center_avoidance);
  plane_dimensions(d, p, out);
  if (d.method.type == ProfileMethodType::fisher) {
    fisher_row(d, p.anx, p.avo, out);
    return;
  }
  quadrant_row(d, p, out);
}

}  // namespace attune::detail
