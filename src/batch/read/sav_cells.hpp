#pragma once
// The rows of a .sav file as its reader thread hands them to the batch path: decoded cells, not
// text. A record is a 4-byte length (of what follows) and one cell per variable: 'm' not answered
// (system- or user-missing), 'b' and one signed byte (a whole number within -128..127: the usual
// answer codes, so a row is about as many bytes as its CSV text was), 'n' and 8 bytes of any other
// double, 's' and a 4-byte length and the bytes of a string (or of a value label). The first record holds the variable names. Records are whole in the
// stream, so a chunk is cut after the last whole one (sav_records_end).
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace attune::batch::sav_cells {

constexpr char kMissing = 'm', kSmall = 'b', kNumber = 'n', kText = 's';

inline void begin_record(std::string& out) { out.append(4, '\0'); }
inline void end_record(std::string& out, std::size_t begin) {
  const auto n = static_cast<std::uint32_t>(out.size() - begin - 4);
  std::memcpy(&out[begin], &n, 4);
}
inline void missing(std::string& out) { out.push_back(kMissing); }
inline void number(std::string& out, double v) {
  if (v >= -128 && v <= 127 && v == static_cast<double>(static_cast<int>(v))) {
    const char b[2] = {kSmall, static_cast<char>(static_cast<signed char>(static_cast<int>(v)))};
    out.append(b, 2);
    return;
  }
  char b[9];
  b[0] = kNumber;
  std::memcpy(b + 1, &v, 8);
  out.append(b, 9);
}
inline void text(std::string& out, std::string_view v) {
  const auto n = static_cast<std::uint32_t>(v.size());
  out.push_back(kText);
  out.append(reinterpret_cast<const char*>(&n), 4);
  out.append(v.data(), v.size());
}

inline std::uint32_t read_u32(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// A number's text where one is shown (a kept column, an error record): integers (the usual codes) as
// integers, anything else in the shortest text that reads back as the same double.
inline std::size_t number_text(double v, char (&buf)[40]) {
  std::to_chars_result r;
  if (v == std::floor(v) && std::fabs(v) < 1e15) r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
  else r = std::to_chars(buf, buf + sizeof buf, v);
  return static_cast<std::size_t>(r.ptr - buf);
}

}  // namespace attune::batch::sav_cells
