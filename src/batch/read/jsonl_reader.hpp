#pragma once
// The JSON Lines reader: the first object's keys, in order, are the header; every object is a row
// (later objects may leave keys out, which are not answered, but not add new ones); blank lines are
// skipped and counted, as in CSV. Lines and rows are those of the .jsonl file itself.
#include "../../io/header_read.hpp"
#include "../chunk.hpp"

#include <cstdio>
#include <string>

namespace attune::batch {

// The header from the first object; the rows --skip-rows passes over are read (and checked). Leaves
// the first row itself in `rest` when no rows are skipped.
io::HeaderRead read_jsonl_header(std::FILE* in, const std::string& file, const BatchOptions& opt, std::size_t max_line);

// A chunk of whole lines -> the workspace's block of answers, errors, kept text (as parse_chunk).
// An error that ends the input (JSON syntax, a line over the limit) ends the chunk in res.stop.
void parse_jsonl_chunk(const Job& job, Workspace& ws, ChunkResult& res, const char* data, std::size_t size);

// Just past the last line feed (a JSON Lines record never holds a raw one), 0 when there is none.
std::size_t jsonl_lines_end(const char* buf, std::size_t n);

}  // namespace attune::batch
