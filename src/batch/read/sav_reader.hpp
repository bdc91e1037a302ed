#pragma once
// The .sav reader of the batch path: rows of decoded cells (sav_cells.hpp) from the .sav reader's
// thread (src/io/sav_decode.cpp) into the workspace's block of answers, errors and kept text, as
// the CSV reader fills it. Rows are cases; a case has no line.
#include "../../io/header_read.hpp"
#include "../chunk.hpp"

#include <cstdio>
#include <string>

namespace attune::batch {

// The variable names (the first record) and the cases --skip-rows passes over.
io::HeaderRead read_sav_header(std::FILE* in, const std::string& file, const BatchOptions& opt);

void parse_sav_chunk(const Job& job, Workspace& ws, ChunkResult& res, const char* data, std::size_t size);

// Just past the last whole record in buf, 0 when there is none.
std::size_t sav_records_end(const char* buf, std::size_t n);

}  // namespace attune::batch
