#pragma once
// The per-row kernel shared by one-person and block scoring. Pure arithmetic over the plan's flat
// arrays: no allocation, no names.
#include "plan_data.hpp"

#include <attune/score.hpp>

#include <cstdint>

namespace attune::detail {

struct RowOut {
  double* raw;             // n_scales
  double* z;               // n_scales
  double* percentile;      // n_scales
  std::uint16_t* answered; // n_scales
  double* dimensions;      // 4
  double* plane;           // 2
  std::uint8_t* category;
  double* confidence;
  double* posterior;       // 4
  std::int32_t* bad_item;
};

// `validated`: the caller has already checked every answer (the CSV reader does, with better
// context), so the kernel skips its own check.
void score_row(const PlanData& d, const double* x, const RowOut& out, bool validated = false);
// Block scoring for callers that validated the answers themselves.
void score_block_validated(const PlanData& d, const double* answers, std::size_t rows, BlockScores& out);

// Standard normal CDF (Boost.Math's erfc), used for percentiles and confidence.
double normal_cdf(double x);

}  // namespace attune::detail
