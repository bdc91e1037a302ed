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

inline double chisq_upper(std::size_t df, double x) {
  const double h = x / 2;
  if (df == 0 || df > 256 || !(h <= 600)) {
    return boost::math::cdf(boost::math::complement(
        boost::math::chi_squared_distribution<double, boost::math::policies::policy<boost::math::policies::promote_double<false>>>(static_cast<double>(df)), x));
  }
  static const ChiSquareCoefficients c;
  const double e = std::exp(-h);
  // Horner's rule over the positive coefficients: no division per term.
  if (df % 2 == 0) {
    const std::size_t m = df / 2;  // sum_{i < m} h^i / i!
    double sum = c.inv_factorial[m - 1];
    for (std::size_t i = m - 1; i-- > 0;) sum = sum * h + c.inv_factorial[i];
    return e * sum;
  }
  const std::size_t m = (df - 1) / 2;  // sqrt(h) sum_{i=1}^{m} h^(i-1) / Gamma(i + 1/2)
  double tail = 0;
  if (m > 0) {
    double sum = c.inv_gamma_half[m];
    for (std::size_t i = m; i-- > 1;) sum = sum * h + c.inv_gamma_half[i];
    tail = e * std::sqrt(h) * sum;
  }
  return std::erfc(std::sqrt(h)) + tail;
}

}  // namespace attune::detail
