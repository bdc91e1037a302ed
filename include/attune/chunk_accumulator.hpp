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
namespace detail {
class ByteAccumulator;
}

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

 private:
  friend class detail::ByteAccumulator;
  // attune's own accumulators have a faster path the pipeline looks for; every other one has none.
  virtual detail::ByteAccumulator* byte_accumulator() { return nullptr; }
};

}  // namespace attune
