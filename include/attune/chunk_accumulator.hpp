#pragma once
// A statistic gathered while a file is scored (BatchOptions::accumulators, attune/batch.hpp): its
// interface on its own, so that the statistics (reliability, the scale checks) can implement it
// without depending on the batch path.
#include <attune/export.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace attune {

struct BlockScores;

// An answer as a byte: whole numbers within -127..127 as themselves, and this for "not answered".
inline constexpr std::int8_t kNotAnsweredByte = -128;

// A statistic gathered while a file is scored, in the same pass. Each chunk gets a fresh copy on a
// worker thread (add), and the copies are merged into the original in input order on the calling
// thread (merge), so results do not depend on chunking or thread count when the sums are exact.

class ATTUNE_API ChunkAccumulator {
 public:
  virtual ~ChunkAccumulator() = default;
  virtual std::unique_ptr<ChunkAccumulator> fresh() const = 0;
  // answers: rows x items (plan order), NaN = missing; scored[r] = 0 for rows reported as errors
  // (their answers are all NaN). scores: the block's scale scores and profile.
  virtual void add(const double* answers, std::size_t rows, std::size_t items, const std::uint8_t* scored,
                   const BlockScores& scores) = 0;
  virtual void merge(ChunkAccumulator& chunk) = 0;
  // The same block with its answers as bytes (whole numbers within -127..127, kNotAnsweredByte =
  // missing), offered first when the data's response scale fits: an accumulator that can use them
  // (an eighth of the memory to read) returns true, and add() is then not called for the block.
  virtual bool add_bytes(const std::int8_t* /*answers*/, std::size_t /*rows*/, std::size_t /*items*/,
                         const std::uint8_t* /*scored*/, const BlockScores& /*scores*/) {
    return false;
  }
  // False when add() never reads `scores`: a statistics-only pass then skips scoring its rows.
  virtual bool reads_scores() const { return true; }
  // False when the bytes are not worth making for this accumulator alone (add_bytes is still
  // offered them when another accumulator, or a later reading, has them made).
  virtual bool reads_bytes() const { return true; }
};

}  // namespace attune
