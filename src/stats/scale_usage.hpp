#pragma once
// The state of a ScaleUsageAccumulator (attune/audit.hpp) and its byte path.
#include <attune/audit.hpp>

#include "byte_accumulator.hpp"

#include <cstdint>

namespace attune {

struct ScaleUsageAccumulator::Impl final : detail::ByteAccumulator {
  explicit Impl(const ScoringPlan& plan);
  ScoringPlan plan_;
  std::size_t items_ = 0;
  double lo_, hi_;
  std::int64_t answered_ = 0;
  bool stopped_early_ = false;

  bool add_bytes(const std::int8_t* answers, std::size_t rows, std::size_t items, const std::uint8_t* scored,
                 const BlockScores& scores) override;
  bool reads_scores() const override { return false; }
  bool reads_bytes() const override { return false; }  // bytes used when made anyway, not made for this
  void add_cells(const double* answers, std::size_t cells);
  // The same from bytes (detail::kNotAnsweredByte = missing).
  void add_cells(const std::int8_t* answers, std::size_t cells);
  void add_byte_block(const std::int8_t* answers, std::size_t cells);
  bool both_ends_seen() const;
  double rows_answering() const;
  void merge(const Impl& o);
};

}  // namespace attune
