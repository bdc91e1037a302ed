#pragma once
// Reading: a chunk of CSV bytes (whole records) -> the workspace's answer block (ws.x, rows x items,
// NaN = not answered), the kept columns already escaped for the output, the row error records and
// each row's line.
#include "../chunk.hpp"

namespace attune::batch {

void parse_chunk(const Job& job, Workspace& ws, ChunkResult& res, const char* chunk_data, std::size_t chunk_size);

}  // namespace attune::batch
