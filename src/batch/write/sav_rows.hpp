#pragma once
// The .sav writer's two readings of a chunk (src/io/formats_sav_writer.cpp). A .sav header states
// the number of cases and each variable's type, width and format before the first case, so a first
// reading measures the columns and a second hands each row's values to ReadStat; both walk the table
// of output columns (columns.hpp), and neither makes CSV text. The variables are what the CSV writer's
// text would make of them (the .sav once was written from it): a number is rounded to the output's
// decimals, and a column's width is its longest value as that text.
#include "../chunk.hpp"

#include <cstdint>
#include <cstring>
#include <string_view>

namespace attune::batch {

// A column over the rows read: what the .sav header states of it.
struct SavShape {
  std::uint32_t width = 1;    // the longest value in bytes (a number's as the CSV writer writes it)
  std::int32_t decimals = 0;  // the most decimals a number has
  std::uint32_t numeric = 1;  // every value that is not empty is a finite number
  void merge(const SavShape& o) {
    width = width > o.width ? width : o.width;
    decimals = decimals > o.decimals ? decimals : o.decimals;
    numeric = numeric && o.numeric;
  }
};

// Job::format of the first reading: res.text holds one SavShape per column of job.columns (the row
// number's, which the writer knows from the row count, as it starts).
void measure_sav_rows(const Job& job, Workspace& ws, ChunkResult& res);

// Job::format of the second: each row's values in res.text, column by column (no row number): a
// number column's value as a double (NaN: empty), a text column's as a 32-bit length and its bytes.
void sav_value_rows(const Job& job, Workspace& ws, ChunkResult& res);

// True for a column whose values are numbers (a double each in sav_value_rows).
bool sav_number_column(const OutputColumn& c);
// True for a text column of the table (category, method, flags, norm cell, notes): a string variable
// whatever its texts hold. Kept and extra columns are numbers when every value is one.
bool sav_always_text(const OutputColumn& c);

// A value as a number, as the old CSV reading took it: finite, whole text (a leading '+' allowed).
bool sav_parse_number(std::string_view text, double& out);

// sav_value_rows' values read back in order.
class SavValues {
 public:
  SavValues(const char* p, const char* end) : p_(p), end_(end) {}
  bool done() const { return p_ >= end_; }
  double number() {
    double x;
    std::memcpy(&x, p_, sizeof x);
    p_ += sizeof x;
    return x;
  }
  std::string_view text() {
    std::uint32_t n;
    std::memcpy(&n, p_, sizeof n);
    const std::string_view t(p_ + sizeof n, n);
    p_ += sizeof n + n;
    return t;
  }

 private:
  const char* p_;
  const char* end_;
};

}  // namespace attune::batch
