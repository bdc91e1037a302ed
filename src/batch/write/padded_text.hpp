#pragma once
// Short texts copied into an output row as one fixed-size block (inlined register moves) rather than
// a call with a variable length: the output keeps far more room than that after each row.
#include "../chunk.hpp"

#include <cstring>
#include <string>

namespace attune::batch {

struct PaddedText {
  std::string padded;  // the text and kTextSlack zeros
  std::size_t len = 0;
  void set(const std::string& t) {
    len = t.size();
    padded = t + std::string(kTextSlack, '\0');
  }
  const char* text() const { return padded.data(); }
};

// Copies len bytes from src (readable for at least kTextSlack bytes) to dst, which has room for
// kTextSlack bytes whatever len is.
inline char* copy_short(char* dst, const char* src, std::size_t len) {
  if (len <= kTextSlack) std::memcpy(dst, src, kTextSlack);
  else std::memcpy(dst, src, len);
  return dst + len;
}

// The texts of every category set (4 bits: "secure|fearful", ...) and every quality flag set
// (8 bits), made once.
const PaddedText* category_texts();
const PaddedText* quality_flag_texts();
std::string category_text(std::uint8_t bits);

}  // namespace attune::batch
