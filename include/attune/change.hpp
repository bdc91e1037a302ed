#pragma once
// Is a difference between two scores larger than measurement error? The reliable change index of
// Jacobson & Truax (1991) and the minimal detectable change, for one person measured twice (a retake)
// or two people measured once each (a couple): only the two scores and their standard errors enter.
//
//   S_diff = sqrt(se1^2 + se2^2)    (= sqrt(2) * SEM when both share SEM = SD * sqrt(1 - r_xx))
//   RCI    = (x2 - x1) / S_diff     reliable when |RCI| > 1.96
//   MDC95  = 1.96 * S_diff          the smallest difference that would be reliable
#include <attune/export.hpp>

#include <string>

namespace attune {

// The normal quantile of a two-sided 95% interval, as Jacobson & Truax use it (1.96).
constexpr double kReliableChangeZ = 1.96;

struct ReliableChange {
  double difference = 0;  // x2 - x1; NaN when a score is missing
  double s_diff = 0;      // NaN when a standard error is unknown
  double rci = 0;         // NaN when s_diff is unknown
  double mdc95 = 0;       // NaN when s_diff is unknown
  bool known = false;     // rci could be computed
  bool reliable = false;  // known and |rci| > 1.96
};

// SEM = sd * sqrt(1 - reliability); NaN unless sd > 0 and 0 <= reliability < 1.
ATTUNE_API double sem_from(double sd, double reliability);

// Missing scores or standard errors (NaN) leave the index unknown rather than guessed.
ATTUNE_API ReliableChange reliable_change(double before, double after, double se_before, double se_after);

}  // namespace attune
