#pragma once
// The pipeline's side of attune's own accumulators (ChunkAccumulator, attune/chunk_accumulator.hpp):
// a block's answers as bytes, and what a statistics-only pass may skip. Internal, so that users who
// write an accumulator see only add and merge.
#include <attune/chunk_accumulator.hpp>

#include <cstddef>
#include <cstdint>

namespace attune::detail {

// An answer as a byte: whole numbers within -127..127 as themselves, and this for "not answered".
inline constexpr std::int8_t kNotAnsweredByte = -128;

class ByteAccumulator {
 public:
  // The internal side of `acc`, or null for an accumulator without one (a user's).
  static ByteAccumulator* of(ChunkAccumulator& acc) { return acc.byte_accumulator(); }

  // The block with its answers as bytes (kNotAnsweredByte = missing), offered first when the
  // data's response scale fits: an accumulator that can use them (an eighth of the memory to read)
  // returns true, and add() is then not called for the block.
  virtual bool add_bytes(const std::int8_t* /*answers*/, std::size_t /*rows*/, std::size_t /*items*/,
                         const std::uint8_t* /*scored*/, const BlockScores& /*scores*/) {
    return false;
  }
  // False when add() never reads `scores`: a statistics-only pass then skips scoring its rows.
  virtual bool reads_scores() const { return true; }
  // False when the bytes are not worth making for this accumulator alone (add_bytes is still
  // offered them when another accumulator, or a later reading, has them made).
  virtual bool reads_bytes() const { return true; }

 protected:
  ~ByteAccumulator() = default;
};

// What the pipeline asks of any accumulator: a user's reads scores and, as before, has bytes made.
inline bool reads_scores(ChunkAccumulator& acc) {
  const ByteAccumulator* b = ByteAccumulator::of(acc);
  return !b || b->reads_scores();
}
inline bool reads_bytes(ChunkAccumulator& acc) {
  const ByteAccumulator* b = ByteAccumulator::of(acc);
  return !b || b->reads_bytes();
}

// Base of attune's own accumulators that need no state apart from the ChunkAccumulator itself.
class InternalAccumulator : public ChunkAccumulator, public ByteAccumulator {
 private:
  ByteAccumulator* byte_accumulator() override { return this; }
};

}  // namespace attune::detail
