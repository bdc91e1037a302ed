// The posterior's mean and SD four nodes at a time (posterior_moments.hpp says why it agrees).
#include "posterior_moments.hpp"

#include "../simd/vec4.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace attune::irt::detail {

namespace {

using attune::detail::load4;
using attune::detail::vec4;
typedef long long lanes4 __attribute__((vector_size(32)));

// exp(x) for x in [-745, 0], per lane (Moshier's Cephes exp: x = n ln 2 + r, |r| <= ln 2 / 2, with
// ln 2 split in two so n ln 2 is exact; exp(r) = 1 + 2 r P(r^2) / (Q(r^2) - r P(r^2)); 2^n from its
// bits). No FMA, so the AVX2 clone and the baseline build give the same bits.
inline void exp4(const vec4& x, vec4& out) {
  const double magic = 6755399441055744.0;  // 1.5 * 2^52: adding it rounds to a whole number
  const vec4 t = x * 1.4426950408889634073599 + magic;
  const vec4 n = t - magic;
  const vec4 r = (x - n * 6.93145751953125E-1) - n * 1.42860682030941723212E-6;
  const vec4 rr = r * r;
  const vec4 p = r * ((1.26177193074810590878E-4 * rr + 3.02994407707441961300E-2) * rr + 9.99999999999999999910E-1);
  const vec4 q = ((3.00198505138664455042E-6 * rr + 2.52448340349684104192E-3) * rr + 2.27265548208155028766E-1) * rr +
                 2.00000000000000000009E0;
  const vec4 e = 1.0 + 2.0 * (p / (q - p));
  const lanes4 magic_bits = {0x4338000000000000LL, 0x4338000000000000LL, 0x4338000000000000LL, 0x4338000000000000LL};
  lanes4 bits;
  std::memcpy(&bits, &t, sizeof bits);
  bits = (bits - magic_bits + 1023) << 52;
  vec4 two_n;
  std::memcpy(&two_n, &bits, sizeof two_n);
  out = e * two_n;
}

inline double lane_sum(const vec4& v) { return (v[0] + v[1]) + (v[2] + v[3]); }

// s0, s1, s2 = sums of e, e t, e t^2 over the nodes of blocks first..last-1 with ll >= floor,
// e = exp(ll - m).
ATTUNE_CLONES void moments(const double* ll, const double* points, std::size_t first, std::size_t last, double m, double floor,
                           double* s) {
  vec4 s0 = {0, 0, 0, 0}, s1 = s0, s2 = s0;
  for (std::size_t o = first; o < last; o += 4) {
    vec4 l, t, e;
    load4(l, ll + o);
    load4(t, points + o);
    const lanes4 keep = l >= floor;
    l -= m;
    const vec4 x = keep ? l : vec4{0, 0, 0, 0};
    exp4(x, e);
    e = keep ? e : vec4{0, 0, 0, 0};
    s0 += e;
    const vec4 et = e * t;
    s1 += et;
    s2 += et * t;
  }
  s[0] = lane_sum(s0);
  s[1] = lane_sum(s1);
  s[2] = lane_sum(s2);
}

}  // namespace

double fast_mean_sd(const double* ll, const double* points, std::size_t padded, const Peak& peak, double& sd) {
  const double floor = peak.value - 40;
  // The blocks holding a node at or above the floor: out from the peak's block, a block to the left
  // counting when its last node does, one to the right when its first does (the log posterior rises
  // to the peak and falls after it).
  std::size_t first = peak.at / 4 * 4, last = first + 4;
  while (first > 0 && ll[first - 1] >= floor) first -= 4;
  while (last < padded && ll[last] >= floor) last += 4;
  double s[3];
  moments(ll, points, first, last, peak.value, floor, s);
  const double mean = s[1] / s[0];
  sd = std::sqrt(std::max(s[2] / s[0] - mean * mean, 0.0));
  return mean;
}

}  // namespace attune::irt::detail
