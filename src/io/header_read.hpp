#pragma once
// The first records of a CSV input: the header and the rows --skip-rows passes over. Each byte is
// looked at a bounded number of times however long the header is, and the header's columns are
// counted before they are stored, so a huge header costs time and memory in proportion to its size
// and is refused at kMaxColumns (docs/robustness.md, Limits).
#include <attune/batch.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace attune::io {

// More columns than any survey export has (Excel stops at 16,384): a header of millions of empty
// columns is refused while it is read instead of costing tens of bytes of memory per column.
constexpr std::size_t kMaxColumns = 100000;

struct HeaderRead {
  std::vector<std::string> header;
  std::string rest;  // read past the last record wanted
  std::uint64_t lines = 0;
  std::uint64_t bytes = 0;
  std::uint64_t skipped = 0;
  bool eof = false;
};

// DataError for an empty file, a syntax error or a UTF-16 file; LimitError for a record longer than
// opt.max_record_bytes or a header of more than kMaxColumns columns; IoError when reading fails.
HeaderRead read_header(std::FILE* in, const std::string& file, const BatchOptions& opt);

// True when most of the header's cells are numbers: the file probably has no header row, and its
// first row is one person's answers, which an error message must not list as column names.
bool header_looks_like_answers(const std::vector<std::string>& header);

// True when the line at p (up to its line feed or end) has more than kMaxColumns fields: a cheap
// look before anything parses and stores them. Quotes are not considered: a delimiter inside one
// counts too, so this only says when a full parse is not worth it.
bool first_line_over_column_limit(const char* p, const char* end, char delimiter);

// True when the first bytes of a file are a UTF-16 byte order mark, or text with a NUL byte every
// other byte (UTF-16 without a mark).
bool looks_like_utf16(const char* p, std::size_t n);

}  // namespace attune::io
