#pragma once
// Scoring: one person (a Result with explanations) and blocks of many (plain arrays, no allocation
// per row). Both run the same kernel, so they always agree.
#include <attune/export.hpp>
#include <attune/responses.hpp>
#include <attune/result.hpp>
#include <attune/scoring_plan.hpp>

#include <cstdint>
#include <vector>

namespace attune {

ATTUNE_API Result score(const ScoringPlan& plan, const Responses& responses);
// Answers by item index (plan order), NaN = missing. Values are validated as in Responses::set.
ATTUNE_API Result score(const ScoringPlan& plan, const double* answers);

// Scores for a block of rows, row-major. Buffers are reused across calls: size once, score many.
struct ATTUNE_API BlockScores {
  std::size_t rows = 0;
  std::size_t scales = 0;
  std::vector<double> raw;            // rows x scales
  std::vector<double> z;              // rows x scales
  std::vector<double> percentile;     // rows x scales
  std::vector<std::uint16_t> answered;// rows x scales
  std::vector<double> dimensions;     // rows x 4 (secure, anxious, avoidant, fearful)
  std::vector<double> plane;          // rows x 2 (anxiety, avoidance), standardized
  std::vector<std::uint8_t> category; // bit c set = category c wins (several bits: a tie; 0: none)
  std::vector<double> confidence;     // rows
  std::vector<double> posterior;      // rows x 4, fisher method only (else NaN)
  std::vector<std::int32_t> bad_item; // rows: -1, or the index of the first invalid answer
  void resize(std::size_t rows, std::size_t scales);
};

// answers: rows x item_count, row-major, NaN = missing. A row with an invalid answer (out of range,
// not an integer, infinite) gets bad_item set and no scores.
ATTUNE_API void score_block(const ScoringPlan& plan, const double* answers, std::size_t rows, BlockScores& out);

// A Result for row r of a scored block (for explanations and JSON output of batch rows).
ATTUNE_API Result result_from_block(const ScoringPlan& plan, const BlockScores& block, std::size_t row);

// JSON for a result: scales, profile, explanations, notes and the not-a-diagnosis disclaimer.
ATTUNE_API std::string to_json(const ScoringPlan& plan, const Result& result, int indent = 2);

// The sentence every person-facing output carries.
ATTUNE_API const char* disclaimer() noexcept;

}  // namespace attune
