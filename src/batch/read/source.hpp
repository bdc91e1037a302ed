#pragma once
// What kind of input a FILE* handed to the batch functions holds. CSV unless attune::TabularInput
// (formats.hpp) said otherwise when it opened the file: a JSON Lines file is read as it is and parsed
// line by line on the workers (jsonl_reader.hpp); a .sav file arrives as rows of decoded cells from
// the .sav reader's thread (sav_cells.hpp). The public calls keep taking a FILE*, and each reader
// gives the scoring stage the same block of answers, errors and kept text as the CSV reader.
#include "../../io/header_read.hpp"
#include "../chunk.hpp"

#include <cstdio>
#include <string>

namespace attune::batch {

enum class SourceKind { csv, jsonl, sav };

struct Source {
  SourceKind kind = SourceKind::csv;
  std::size_t max_line = 0;  // JSON Lines: the longest line, in bytes
};

// TabularInput registers the FILE* it hands out while it lives.
void register_source(std::FILE* f, Source s);
void forget_source(std::FILE* f);
Source source_of(std::FILE* f);

// The header (and the rows --skip-rows passes over) of any source.
io::HeaderRead read_source_header(std::FILE* in, const Source& source, const std::string& file, const BatchOptions& opt);

// The reader of a source's chunks.
Reader reader_for(const Source& source, const BatchOptions& opt);

}  // namespace attune::batch
