#pragma once
// How the batch path cuts a file (BatchOptions::tuning): internal, so that a user sees what to read
// and write, not the cache sizes it is read with. Tests and benchmarks set it to cut small chunks.
#include <attune/batch.hpp>

#include <cstddef>
#include <memory>

namespace attune {

namespace detail {
struct BatchTuning {
  // A chunk's answers as doubles (36 items: 1,700 rows, 470 kB) stay in a 512 kB L2.
  static constexpr std::size_t kDefaultChunkBytes = std::size_t{1} << 17;  // 128 KiB
  std::size_t chunk_bytes = kDefaultChunkBytes;
};
}  // namespace detail

namespace batch {

// The size a chunk is read at before it is cut at a record end.
inline std::size_t chunk_bytes(const BatchOptions& o) {
  return o.tuning ? o.tuning->chunk_bytes : detail::BatchTuning::kDefaultChunkBytes;
}

inline void set_chunk_bytes(BatchOptions& o, std::size_t bytes) {
  auto t = std::make_shared<detail::BatchTuning>();
  t->chunk_bytes = bytes;
  o.tuning = std::move(t);
}

}  // namespace batch
}  // namespace attune
