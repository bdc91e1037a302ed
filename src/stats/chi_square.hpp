#pragma once
// The chi-square upper tail for the Mahalanobis index: closed forms for whole degrees of freedom.
#include <boost/math/distributions/chi_squared.hpp>

#include <cmath>
#include <cstddef>

namespace attune::detail {

// Upper tail P(X > x) of the chi-square distribution with df degrees of freedom. For whole df it
// is a finite sum (Abramowitz & Stegun 26.4.4 and 26.4.5): even df, e^-h sum_{i < df/2} h^i / i!
// with h = x / 2; odd df, erfc(sqrt h) + e^-h sum_{i=1}^{(df-1)/2} h^(i - 1/2) / Gamma(i + 1/2).
// Every term is positive, so the sum is good to a few ulps, as the incomplete gamma function is,
// at a fraction of its cost. Boost.Math where e^-h would lose range or the sum would be long.
// The sums' coefficients, 1 / i! and 1 / Gamma(i + 1/2), computed once in extended precision.
struct ChiSquareCoefficients {
  double inv_factorial[128];    // 1 / i!
  double inv_gamma_half[130];   // 1 / Gamma(i + 1/2), i >= 1
  ChiSquareCoefficients() {
    long double f = 1;
    for (int i = 0; i < 128; ++i) {
      if (i > 0) f /= i;
      inv_factorial[i] = static_cast<double>(f);
    }
    long double g = 1.1283791670955125738961589031215452L;  // 1 / Gamma(3/2) = 2 / sqrt(pi)
    inv_gamma_half[0] = 0;
    for (int i = 1; i < 130; ++i) {
      inv_gamma_half[i] = static_cast<double>(g);
      g /= (i + 0.5L);
    }
  }
};

inline const ChiSquareCoefficients& chisq_coefficients() {
  static const ChiSquareCoefficients c;
  return c;
}

// The finite sum of the tail for whole df >= 2 at h = x / 2, by Horner's rule over the positive
// coefficients (no division per term): even df, sum_{i < df/2} h^i / i!; odd df,
// sum_{i=1}^{(df-1)/2} h^(i-1) / Gamma(i + 1/2). T is a double or a vector of them, each lane
// getting exactly the operations a double would.
// (Through references: a 64-byte vector passed or returned by value would warn that the ABI differs.)
template <class T>
inline void chisq_series(std::size_t df, const T& h, T& sum) {
  const ChiSquareCoefficients& c = chisq_coefficients();
  if (df % 2 == 0) {
    const std::size_t m = df / 2;
    sum = T{} + c.inv_factorial[m - 1];
    for (std::size_t i = m - 1; i-- > 0;) sum = sum * h + c.inv_factorial[i];
    return;
  }
  const std::size_t m = (df - 1) / 2;
  sum = T{} + c.inv_gamma_half[m];
  for (std::size_t i = m; i-- > 1;) sum = sum * h + c.inv_gamma_half[i];
}

inline double chisq_upper(std::size_t df, double x) {
  const double h = x / 2;
  if (df == 0 || df > 256 || !(h <= 600)) {
    return boost::math::cdf(boost::math::complement(
        boost::math::chi_squared_distribution<double, boost::math::policies::policy<boost::math::policies::promote_double<false>>>(static_cast<double>(df)), x));
  }
  const double e = std::exp(-h);
  double sum = 0;
  if (df > 1) chisq_series(df, h, sum);  // df 1: erfc alone
  if (df % 2 == 0) return e * sum;
  const double tail = df > 1 ? e * std::sqrt(h) * sum : 0;
  return std::erfc(std::sqrt(h)) + tail;
}

// out[r] = chisq_upper(df[r], x[r]) for r < n, bit for bit: runs of eight rows with the same
// df (most rows answer every item) take the Horner sums in eight lanes at once, the same
// operations in the same order in each lane, so the serial chain of multiply-adds that one row's
// sum is overlaps with seven others'.
inline void chisq_upper_rows(const std::size_t* df, const double* x, std::size_t n, double* out) {
  typedef double lanes8 __attribute__((vector_size(64)));
  constexpr std::size_t kLanes = 8;
  std::size_t r = 0;
  while (r < n) {
    const std::size_t k = df[r];
    bool group = r + kLanes <= n && k >= 2 && k <= 256;
    for (std::size_t l = 0; group && l < kLanes; ++l) group = df[r + l] == k && x[r + l] / 2 <= 600;
    if (!group) {
      out[r] = chisq_upper(df[r], x[r]);
      ++r;
      continue;
    }
    lanes8 h;
    for (std::size_t l = 0; l < kLanes; ++l) h[l] = x[r + l] / 2;
    lanes8 sum;
    chisq_series(k, h, sum);
    if (k % 2 == 0) {
      for (std::size_t l = 0; l < kLanes; ++l) out[r + l] = std::exp(-h[l]) * sum[l];
    } else {
      for (std::size_t l = 0; l < kLanes; ++l) {
        const double tail = std::exp(-h[l]) * std::sqrt(h[l]) * sum[l];
        out[r + l] = std::erfc(std::sqrt(h[l])) + tail;
      }
    }
    r += kLanes;
  }
}

}  // namespace attune::detail
