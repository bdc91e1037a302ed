#pragma once
// The posterior's mean and SD from a log posterior, four nodes at a time: the fast twin of
// posterior_mean_sd (grm.hpp). The same nodes count (those at most 40 log units under the peak: the
// plain twin takes the run from the first to the last of them, this one each of them, the same nodes
// since the GRM's log posterior is concave); exp is
// computed four lanes at once (Cody-Waite reduction and the Cephes rational approximation, within
// about one unit in the last place, like std::exp), and the sums are kept per lane, so the mean and SD
// differ from the plain twin's by rounding only (well under 1e-12; tests/test_irt_fast.cpp).
#include <cstddef>

namespace attune::irt::detail {

struct Peak {
  double value = 0;    // the largest ll
  std::size_t at = 0;  // a node where it is
};

// ll and points hold `padded` values, a multiple of four (ll is -inf on the padding). Returns the mean,
// the SD in sd.
double fast_mean_sd(const double* ll, const double* points, std::size_t padded, const Peak& peak, double& sd);

}  // namespace attune::irt::detail
