#pragma once
// The .sav decoder (through ReadStat), on TabularInput's reader thread: the dictionary (variables,
// labels, value labels) and every case as a record of decoded cells (src/batch/read/sav_cells.hpp)
// into blocks for the channel. The file header's case count is checked against the cases read.
#include <attune/formats.hpp>

#include "../batch/read/sav_cells.hpp"
#include "block_channel.hpp"

#include <mutex>
#include <string>
#include <vector>

namespace attune::io {

// Records into blocks of the channel.
struct CellOut {
  Channel* ch;
  std::string buf;
  bool ok = true;
  std::size_t row_begin = 0;

  void begin_row() {
    row_begin = buf.size();
    batch::sav_cells::begin_record(buf);
  }
  // Ends a record; hands the block over once it is big enough. False: the reader side went away.
  bool end_row() {
    batch::sav_cells::end_record(buf, row_begin);
    if (buf.size() >= kBlockBytes) return flush();
    return ok;
  }
  bool flush() {
    if (!buf.empty() && ok) {
      ok = ch->push(std::move(buf));
      buf = std::string();
      buf.reserve(kBlockBytes + 1024);
    }
    return ok;
  }
};

// Decodes the .sav file at path into out. value_label_columns: written as their value labels where a
// value has one. The variables are published in `meta` (under meta_mutex) once the dictionary is read.
// Throws DataError or IoError for a damaged, truncated or unreadable file.
void decode_sav(const std::string& path, CellOut& out, const std::vector<std::string>& value_label_columns,
                std::mutex& meta_mutex, std::vector<SavVariable>& meta);

}  // namespace attune::io
