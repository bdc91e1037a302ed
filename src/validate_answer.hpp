#pragma once
// The one rule for what counts as an answer: a finite integer within the data's response scale.
// Shared by Responses, the block kernel and the CSV reader so they can never disagree.
#include <cmath>
#include <cstdio>
#include <string>

namespace attune::detail {

inline bool answer_ok(double v, double lo, double hi) {
  // NaN fails every comparison; the range check comes first so the integer cast is defined.
  return v >= lo && v <= hi && static_cast<double>(static_cast<long long>(v)) == v;
}

inline std::string show_value(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

inline std::string answer_problem(double v, double lo, double hi) {
  if (std::isnan(v)) return "answer is NaN";
  if (std::isinf(v)) return "answer is infinite";
  if (v != std::floor(v)) return "answer is not a whole number";
  (void)lo;
  (void)hi;
  return "answer is out of range";
}

inline std::string answer_expectation(double lo, double hi) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "a whole number from %g to %g, or missing", lo, hi);
  return buf;
}

}  // namespace attune::detail
