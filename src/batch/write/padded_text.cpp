// The fixed texts the CSV writer copies as blocks (padded_text.hpp).
#include "padded_text.hpp"

#include <attune/quality.hpp>
#include <attune/instrument.hpp>

#include <array>

namespace attune::batch {

std::string category_text(std::uint8_t bits) {
  std::string s;
  for (int c = 0; c < 4; ++c) {
    if (bits & (1u << c)) {
      if (!s.empty()) s += '|';
      s += to_string(static_cast<Category>(c));
    }
  }
  return s;
}

const PaddedText* category_texts() {
  static const std::array<PaddedText, 16> t = [] {
    std::array<PaddedText, 16> a;
    for (unsigned b = 0; b < 16; ++b) a[b].set(category_text(static_cast<std::uint8_t>(b)));
    return a;
  }();
  return t.data();
}

const PaddedText* quality_flag_texts() {
  static const std::array<PaddedText, 256> t = [] {
    std::array<PaddedText, 256> a;
    for (unsigned b = 0; b < 256; ++b) {
      std::string s;
      for (int f = 0; f < kQualityFlags; ++f)
        if ((b >> f) & 1u) s += std::string(s.empty() ? "" : "|") + to_string(static_cast<QualityFlag>(f));
      a[b].set(s);
    }
    return a;
  }();
  return t.data();
}

}  // namespace attune::batch
