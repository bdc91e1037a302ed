#pragma once
// The records of decoded cells a .sav file arrives as in the batch path (src/batch/read/sav_cells.hpp),
// for tests that read TabularInput's stream of a .sav file themselves.
#include "../../src/batch/read/sav_cells.hpp"
#include "helpers.hpp"

#include <cstdio>
#include <cstring>
#include <string>

namespace attune_test {

// Every byte of TabularInput's stream, then its reader's error (finish) if any.
inline std::string read_decoded(attune::TabularInput& in) {
  std::string bytes;
  char b[4096];
  std::size_t k;
  while ((k = std::fread(b, 1, sizeof b, in.csv())) > 0) bytes.append(b, k);
  in.finish();
  return bytes;
}

// The records as a table: the first holds the names; numbers are written as the batch path writes
// a kept number, missing cells are empty.
inline Table sav_records_table(const std::string& bytes) {
  namespace sc = attune::batch::sav_cells;
  Table t;
  bool first = true;
  for (std::size_t at = 0; at + 4 <= bytes.size();) {
    const std::size_t len = sc::read_u32(bytes.data() + at);
    std::vector<std::string> row;
    for (std::size_t p = at + 4; p < at + 4 + len;) {
      const char kind = bytes[p++];
      if (kind == sc::kSmall) {
        char buf[40];
        row.emplace_back(buf, sc::number_text(static_cast<signed char>(bytes[p]), buf));
        p += 1;
      } else if (kind == sc::kNumber) {
        double v;
        std::memcpy(&v, bytes.data() + p, 8);
        char buf[40];
        row.emplace_back(buf, sc::number_text(v, buf));
        p += 8;
      } else if (kind == sc::kText) {
        const std::size_t n = sc::read_u32(bytes.data() + p);
        row.emplace_back(bytes.data() + p + 4, n);
        p += 4 + n;
      } else {
        row.emplace_back();
      }
    }
    if (first) t.header = row;
    else t.rows.push_back(row);
    first = false;
    at += 4 + len;
  }
  return t;
}

}  // namespace attune_test
