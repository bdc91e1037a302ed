#pragma once
// Scoring: a chunk's answers -> scores (the block kernel), the accumulators' sums, the quality
// columns; then the writers format it (write/). A worker thread runs one chunk through all stages.
#include "chunk.hpp"

namespace attune::batch {

// A chunk of input bytes through every stage (read by job.reader): read, score, format (or only accumulate, for a
// statistics pass).
ChunkResult process_chunk(const Job& job, const char* chunk_data, std::size_t chunk_size);

// The same for rows kept from a first reading (ParsedRows), which need no reading.
ChunkResult process_parsed(const Job& job, ParsedChunk& pc);

}  // namespace attune::batch
