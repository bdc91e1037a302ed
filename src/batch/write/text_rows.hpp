#pragma once
// Writing: a scored chunk's rows -> res.text, in CSV (written in place, csv_rows.cpp) or JSON Lines
// (jsonl_rows.cpp); the columns, in order, are output_columns() (columns.cpp).
#include "../chunk.hpp"
#include "row_norms.hpp"

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace attune::batch {

// Formats the chunk's rows (scores in ws.scores, quality in ws.quality) into res.text; counts the
// rows scored and the rows with notes.
void format_rows(const Job& job, Workspace& ws, ChunkResult& res);

// A chunk's rows as a writer meets them, in order: each row's kept columns (already escaped), its
// notes (the error of a row that could not be scored, or the scales below their minimum answered)
// its extra cells (RowColumns, this chunk's own copy) and its norm columns (BatchOptions::norms).
// Counts res.scored and res.noted.
class RowWalk {
 public:
  RowWalk(const Job& job, const Workspace& ws, ChunkResult& res);
  // Row r, the next one: fills notes, extra_cells and norms, returns the kept text.
  std::string_view next(std::size_t r);
  bool bad(std::size_t r) const { return ws_.error_of[r] >= 0; }
  std::string notes;
  std::vector<RowCell> extra_cells;
  const std::vector<std::string>* extra_names = nullptr;
  RowNorms norms;

 private:
  void fill_notes(std::size_t r);
  const Job& job_;
  const Workspace& ws_;
  ChunkResult& res_;
  std::unique_ptr<RowColumns> extra_;
  std::uint32_t kept_begin_ = 0;
  std::size_t theta_stride_ = 0;  // ws.theta's values per row (theta and SE per IRT scale); 0: none
};

// The JSON Lines text of a chunk (res.text).
void format_jsonl_rows(const Job& job, Workspace& ws, ChunkResult& res);

// One row as a JSON Lines object (without "{" when the writer adds {"row":N,): kept (already
// escaped), then each column of job.columns under its key (keys: escaped, with the colon); notes,
// extra cells and norm columns from the walk.
void append_jsonl_row(const Job& job, const Workspace& ws, std::size_t r, std::string_view kept, const RowWalk& walk,
                      const std::vector<std::string>& keys, std::string& out);

}  // namespace attune::batch
