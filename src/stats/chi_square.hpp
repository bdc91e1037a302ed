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
inline double chisq_upper(std::size_t df, double x) {
  const double h = x / 2;
  if (df == 0 || df > 256 || !(h <= 600)) {
    return boost::math::cdf(boost::math::complement(
        boost::math::chi_squared_distribution<double, boost::math::policies::policy<boost::math::policies::promote_double<false>>>(static_cast<double>(df)), x));
  }
  const double e = std::exp(-h);
  if (df % 2 == 0) {
    double term = e, sum = e;
    for (std::size_t i = 1; i < df / 2; ++i) {
      term *= h / static_cast<double>(i);
      sum += term;
    }
    return sum;
  }
  double sum = 0;
  if (df > 1) {
    constexpr double kTwoOverSqrtPi = 1.1283791670955126;  // 1 / Gamma(3/2)
    double term = kTwoOverSqrtPi * std::sqrt(h) * e;
    sum = term;
    for (std::size_t i = 1; i < (df - 1) / 2; ++i) {
      term *= h / (static_cast<double>(i) + 0.5);
      sum += term;
    }
  }
  return std::erfc(std::sqrt(h)) + sum;
}

}  // namespace attune::detail
