#pragma once
// What every reader does with a row once its cells are at hand (the CSV reader, parse_chunk.cpp; the
// JSON Lines and .sav readers, jsonl_reader.cpp and sav_reader.cpp): item cells judged by cells.hpp
// into the block of answers, error records, kept columns escaped for the output format. One place, so
// every input format gives the scoring stage the same block with the same errors.
#include "../../validate_answer.hpp"
#include "../chunk.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace attune::batch {

// One row's error record in res.errors (row and line local to the chunk); returns its index.
inline std::int32_t add_row_error(const Job& job, ChunkResult& res, std::size_t r, std::int64_t start_line, std::int64_t col,
                           std::string value, std::string reason, std::string expected, int item) {
  const Layout& L = *job.layout;
  RowError e;
  e.row = static_cast<std::int64_t>(r);
  e.line = start_line;
  e.column = col + 1;
  if (col >= 0 && static_cast<std::size_t>(col) < L.header.size()) e.column_name = L.header[static_cast<std::size_t>(col)];
  if (item >= 0) e.item = job.plan->data().instrument.items[static_cast<std::size_t>(item)].id;
  if (value.size() > 200) value = value.substr(0, 200) + "...";
  e.value = std::move(value);
  e.reason = std::move(reason);
  e.expected = std::move(expected);
  res.errors.push_back(std::move(e));
  return static_cast<std::int32_t>(res.errors.size() - 1);
}

// An item cell as cells.hpp judged it (c, v): its answer stored in x, or its error recorded (the
// error's index is returned; -1 when the cell is an answer or not answered). text: the cell as read.
inline std::int32_t judged_cell(const Job& job, ChunkResult& res, Cell c, double v, std::string_view text, double& x,
                                std::size_t r, std::int64_t start_line, std::size_t i) {
  const auto& d = job.plan->data();
  const double lo = d.data_min, hi = d.data_max;
  const int col = job.layout->item_col[i];
  if (c == Cell::value && detail::answer_ok(v, lo, hi)) {
    x = v;
  } else if (c == Cell::not_a_number) {
    return add_row_error(job, res, r, start_line, col, std::string(text), "not a number",
                         detail::answer_expectation(lo, hi) +
                             (job.opt->missing_codes.empty() ? "; declare missing codes with --missing" : ""),
                         static_cast<int>(i));
  } else if (c == Cell::value) {
    return add_row_error(job, res, r, start_line, col, std::string(text), detail::answer_problem(v, lo, hi),
                         detail::answer_expectation(lo, hi), static_cast<int>(i));
  }
  return -1;
}

// The item cells the split did not decide, judged one by one into xr; the first bad one is reported.
// Returns the error's index, or -1.
inline std::int32_t read_item_cells(const Job& job, ChunkResult& res, const std::string_view* fields, const double* one_char,
                                    double* xr, std::size_t r, std::int64_t start_line) {
  const auto& d = job.plan->data();
  const int* item_col = job.layout->item_col.data();
  for (std::size_t i = 0; i < d.n_items; ++i) {
    std::string_view cell = fields[item_col[i]];
    // The common cell is empty or one digit: decided by one table lookup and one well-predicted
    // branch. An empty cell's view still points into the chunk, so reading one byte is safe.
    if (cell.size() <= 1) {
      const std::size_t ch = cell.size() ? static_cast<unsigned char>(cell[0]) : kEmptyCell;
      const double v = one_char[ch];
      if (!(v == kSlow)) { xr[i] = v; continue; }
    }
    double v = 0;
    const Cell c = parse_cell(cell, *job.codes, v);
    const std::int32_t err = judged_cell(job, res, c, v, cell, xr[i], r, start_line, i);
    if (err >= 0) return err;
  }
  return -1;
}

// Kept columns, escaped now while the record's fields are at hand (empty when the row is broken).
inline void append_kept(const Layout& L, Workspace& ws, bool fields_ok, bool json, bool simple, char dl) {
  for (std::size_t k = 0; k < L.keep_col.size(); ++k) {
    std::string_view v = fields_ok ? ws.fields[static_cast<std::size_t>(L.keep_col[k])] : std::string_view();
    if (json) {
      if (k) ws.kept.push_back(',');
      io::append_json_string(ws.kept, L.header[static_cast<std::size_t>(L.keep_col[k])]);
      ws.kept.push_back(':');
      io::append_json_string(ws.kept, v);
    } else if (simple) {
      // A field of a chunk with no quote and no CR, split at delimiters and line feeds, holds
      // none of the characters that need quoting: copied as it is.
      ws.kept.append(v.data(), v.size());
      ws.kept.push_back(dl);
    } else {
      io::append_csv_field(ws.kept, v, dl);
      ws.kept.push_back(dl);
    }
  }
  ws.kept_end.push_back(static_cast<std::uint32_t>(ws.kept.size()));
}

// The workspace ready for a chunk of chunk_size bytes.
inline void reset_workspace(const Job& job, Workspace& ws, std::size_t chunk_size) {
  const std::size_t P = job.plan->data().n_items;
  ws.parser = io::RecordParser(job.opt->delimiter);
  // Answers of the chunk's rows, P per row. Grown by doubling and never shrunk or cleared: a
  // resize per row would zero-fill every row before it is written.
  if (ws.x.size() < (chunk_size / (2 * P + 1) + 1) * P) ws.x.resize((chunk_size / (2 * P + 1) + 1) * P);
  ws.kept.clear();
  ws.kept_end.clear();
  ws.error_of.clear();
  ws.row_line.clear();
  ws.invalid.clear();
  ws.fields.resize(job.layout->header.size() + 1);
}

}  // namespace attune::batch
