#pragma once
// The simple record (no quotes, LF line ends) split at its delimiters, reading the item cells as it
// meets them. The general RFC 4180 parser (io::RecordParser) takes every other record.
#include "../../io/csv.hpp"
#include "../cells.hpp"

#include <cstddef>
#include <string_view>

namespace attune::batch {

// io::split_line for the common record (no quotes, LF line ends) that also reads the item cells as
// it meets them: an empty or one-character cell is decided by `one_char` and stored in xr. `done`
// says every item cell was read that way (the row has the header's field count and no cell needs
// the general path), so the caller skips its own pass over the items.
inline const char* split_line_items(const char* p, const char* end, char delimiter, std::string_view* fields, std::size_t ncols,
                                    std::size_t& nfields, const int* col_item, const double* one_char, double* xr, bool& done) {
  nfields = 0;
  bool fast = true;
  p = io::for_each_field(p, end, delimiter, [&](const char* f, const char* sep) {
    const std::size_t len = static_cast<std::size_t>(sep - f);
    if (nfields <= ncols) fields[nfields] = std::string_view(f, len);
    if (nfields < ncols) {
      const int item = col_item[nfields];
      if (item >= 0) {
        const double v = len <= 1 ? one_char[len ? static_cast<unsigned char>(*f) : kEmptyCell] : kSlow;
        if (v == kSlow) fast = false;
        else xr[item] = v;
      }
    }
    ++nfields;
  });
  done = fast && nfields == ncols;
  return p;
}

}  // namespace attune::batch
