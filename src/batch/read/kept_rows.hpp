#pragma once
// Rows kept from a first reading (ParsedRows): a chunk's parsed rows made compact (answers as bytes)
// for a later reading, and the workspace restored from them as parse_chunk would have left it.
#include "../chunk.hpp"
#include "../job/parsed_rows.hpp"

#include <deque>
#include <memory>

namespace attune {

struct ParsedRows::Impl {
  std::size_t budget = 0, used = 0;
  std::deque<std::shared_ptr<batch::ParsedChunk>> chunks;
  std::uint64_t rows = 0;
  bool filled = false;   // a reading kept rows here (accumulate_csv)
  bool whole = false;    // every row up to the end of the input
  std::uint64_t resume = 0;  // where the first row not kept starts (offset from where reading started)
  void clear() {  // everything but the budget
    chunks.clear();
    used = 0;
    rows = 0;
    filled = whole = false;
    resume = 0;
  }
};

namespace batch {

// The chunk's answers as bytes (ws.bytes), from ws.x.
void answers_to_bytes(std::size_t rows, std::size_t P, Workspace& ws);

// A parsed chunk, compact (see ParsedChunk); needs the bytes (answers_to_bytes).
std::shared_ptr<ParsedChunk> keep_parsed(const Job& job, const Workspace& ws, const ChunkResult& res);

// The workspace as parse_chunk would have left it for a kept chunk (consumed).
void restore_parsed(const Job& job, Workspace& ws, ChunkResult& res, ParsedChunk& pc);

}  // namespace batch
}  // namespace attune
