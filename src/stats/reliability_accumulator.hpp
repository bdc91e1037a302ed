#pragma once
// The state of a ReliabilityAccumulator (attune/reliability.hpp): its sums, the shape of each item
// scale, the per-block scratch, and its byte path.
#include <attune/reliability.hpp>

#include "byte_accumulator.hpp"

#include <cstdint>
#include <vector>

namespace attune {

struct ReliabilityAccumulator::Impl final : detail::ByteAccumulator {
  Impl(const ScoringPlan& plan, bool all_items_block);
  ScoringPlan plan_;
  bool all_items_block_ = false;
  ReliabilitySums all_;                  // every item, unkeyed: always gathered
  std::vector<ReliabilitySums> shape_;   // per item scale: id, members, keys (no sums)
  // Per item scale, unkeyed: the rows that answer all of its items but not every item.
  std::vector<ReliabilitySums> side_;
  std::vector<double> rows_any_;         // per item scale: rows answering at least one of its items
  std::vector<int> run_first_;           // per item scale: its first item when its items are consecutive, else -1
  std::vector<double> rows_buf_;         // scratch: a block of rows
  std::vector<std::int8_t> byte_rows_buf_;
  std::vector<std::vector<double>> side_rows_;  // scratch: per scale, the block's rows for side_
  std::vector<std::vector<std::int8_t>> side_byte_rows_;
  std::vector<std::uint8_t> complete_;           // scratch: per row of a block, every item answered
  mutable std::vector<ReliabilitySums> scales_;
  mutable bool scales_stale_ = true;

  bool add_bytes(const std::int8_t* answers, std::size_t rows, std::size_t items, const std::uint8_t* scored,
                 const BlockScores& scores) override;
  bool reads_scores() const override { return false; }  // answers only
  void add_rows(const double* answers, std::size_t rows, const std::uint8_t* scored);
  // The same from bytes (detail::kNotAnsweredByte = missing).
  void add_rows(const std::int8_t* answers, std::size_t rows, const std::uint8_t* scored);
  void merge(const Impl& o);
  void build_scales() const;  // reliability_scales.cpp
};

}  // namespace attune
