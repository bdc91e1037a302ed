#pragma once
// The small CSV reading shared by the long-file commands (compare --long, couple --export): records
// with RFC 4180 quoting, and a score cell read as a number. Internal to the library.
#include <istream>
#include <string>
#include <vector>

namespace attune::detail {

using Record = std::vector<std::string>;

// One CSV record (RFC 4180: quotes, doubled quotes, CRLF); false at the end of the input. `line`
// counts physical lines for messages.
bool next_record(std::istream& in, Record& rec, long& line);

// An empty cell or NA is missing (NaN); anything but a finite number is a DataError naming the cell.
double cell_number(const std::string& v, const std::string& source, long line, const std::string& column);

// Output cells: a number with 6 decimals (empty when missing), a text quoted when it needs it.
std::string csv_num(double x);
std::string csv_text(const std::string& v);

}  // namespace attune::detail
