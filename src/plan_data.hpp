#pragma once
// The compiled form of an instrument. Everything the per-row kernel touches is a flat array indexed
// by item or scale number; names are resolved once, here.
#include <attune/scoring_plan.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace attune::detail {

struct PlanData {
  Instrument instrument;
  ScoringOptions options;
  ResponseScale data_scale;
  ProfileMethod method;
  bool has_profile = true;  // false: the instrument has none; the kernel leaves every profile value missing
  std::string standardization;

  std::size_t n_items = 0;
  std::size_t n_scales = 0;
  double data_min = 0, data_max = 0;
  double reverse_sum = 0;  // data_min + data_max

  // Scale members in CSR form. For an item scale a member is an item index; for a derived scale it
  // is the index of an earlier scale (so one pass in scale order resolves everything).
  std::vector<std::uint32_t> member_begin;  // n_scales + 1
  std::vector<std::uint32_t> member_index;
  std::vector<std::uint8_t> member_reverse;
  std::vector<double> member_weight;
  // Item-scale members as one affine term, slope * x + offset: (1, 0), or (-1, reverse_sum) when
  // reverse-keyed. Whole answers make every term whole, so item sums are exact in any order.
  std::vector<double> member_slope, member_offset;
  // Per scale: its members are consecutive items in plan order (the common layout), so the
  // kernel reads the answers as one run instead of through member_index.
  std::vector<std::uint8_t> member_run;
  std::vector<std::uint8_t> derived;
  std::vector<std::uint8_t> sum_aggregation;
  std::vector<int> min_answered;

  // instrument-metric value = metric_k * raw + metric_b[s] (identity when the scales agree)
  double metric_k = 1;
  std::vector<double> metric_b;

  // Norms on the instrument metric (has_norm = 0: z and percentile stay missing).
  std::vector<std::uint8_t> has_norm;
  std::vector<double> norm_mean, norm_sd;
  std::vector<double> alpha;     // NaN without a published reliability
  std::vector<double> sem;       // instrument metric; NaN without both sd and alpha

  // Profile: scale indices and the plane's centre and unit on the instrument metric.
  int anxiety = -1, avoidance = -1;
  double center_anxiety = 0, center_avoidance = 0, unit_anxiety = 1, unit_avoidance = 1;
  // Quadrant sides are decided exactly: a profile scale's scores are whole multiples of 1/grid[s]
  // (0: no such grid), compared with the centre on the data's metric.
  std::vector<double> grid;
  double center_data_anxiety = 0, center_data_avoidance = 0;
  std::array<int, 4> proto{{-1, -1, -1, -1}};
  std::array<double, 4> proto_center{}, proto_unit{};
  std::string confidence_basis;  // how confidence is computed for this plan, or why it cannot be
  std::string profile_explanation;  // the profile method in words (constant per plan)

  std::unordered_map<std::string, int> item_by_id;
  std::vector<int> item_by_position;  // position - 1 -> item index
  std::unordered_map<std::string, int> scale_by_id;
};

}  // namespace attune::detail
