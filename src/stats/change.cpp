// The reliable change index (include/attune/change.hpp): arithmetic only, so the retake comparison,
// the long-file batch and the couple view all judge a difference the same way.
#include <attune/change.hpp>

#include <cmath>
#include <limits>

namespace attune {

double sem_from(double sd, double reliability) {
  if (!(sd > 0) || !(reliability >= 0) || !(reliability < 1)) return std::numeric_limits<double>::quiet_NaN();
  return sd * std::sqrt(1.0 - reliability);
}

ReliableChange reliable_change(double before, double after, double se_before, double se_after) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  ReliableChange c;
  c.difference = after - before;
  c.s_diff = std::sqrt(se_before * se_before + se_after * se_after);
  // A zero S_diff would declare every difference reliable: treated as unknown, never as infinite.
  if (std::isnan(c.difference) || !(c.s_diff > 0) || std::isinf(c.s_diff)) {
    c.s_diff = std::isnan(c.s_diff) || std::isinf(c.s_diff) ? nan : c.s_diff;
    c.rci = nan;
    c.mdc95 = c.s_diff > 0 ? kReliableChangeZ * c.s_diff : nan;
    return c;
  }
  c.rci = c.difference / c.s_diff;
  c.mdc95 = kReliableChangeZ * c.s_diff;
  c.known = true;
  c.reliable = std::fabs(c.rci) > kReliableChangeZ;
  return c;
}

}  // namespace attune
