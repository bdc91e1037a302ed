#pragma once
// The norm columns of a row (BatchOptions::norms): its cell, from the row's own gender and age values
// read back from its kept text, then z and percentile per scale with norms. Everything a row needs
// is prepared per chunk, so a row costs two field scans, a cell search and two interpolations per
// scale, without allocation.
#include "../chunk.hpp"

#include <attune/norms.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace attune::batch {

// Where the whole sample is used instead of a gender x age cell, and why (the norm_cell column).
// Indexed by NormFallback.
enum class NormFallback : std::uint8_t { none, gender, age, both, no_cell };
extern const char* const kNormFallbackTexts[5];
// The longest norm_cell text of a set (ids or fallback texts), unescaped.
std::size_t longest_norm_cell(const norms::NormSet& set);

// Field k of a row's kept text as the readers escaped it (CSV fields each followed by `dl`, or JSON
// "key":"value" pairs). Sets `escaped` when the value was quoted or holds an escape: no gender or
// age a row can be read as needs one.
std::string_view kept_field(std::string_view kept, std::size_t k, bool json, char dl, bool& escaped);
// A whole number of years ("30", " 30 ", "30.0"), or -1.
int read_age(std::string_view text) noexcept;

class RowNorms {
 public:
  explicit RowNorms(const Job& job);
  bool active() const { return norms_ != nullptr; }
  // Fills cell_text (escaped for the output format; empty for a row that could not be scored) and
  // values (z, percentile per scale of FileNorms::scales, then of theta per FileNorms::theta_scales;
  // NaN where there is none). theta: the row's theta and SE per scale of the ThetaScorer (Workspace::
  // theta), or null without one.
  void fill(const BlockScores& b, std::size_t r, bool bad, std::string_view kept, const double* theta);
  std::string_view cell_text;
  std::vector<double> values;

 private:
  norms::NormContext context_of(std::string_view kept, NormFallback& why) const;
  const norms::FileNorms* norms_ = nullptr;
  std::size_t S_ = 0, gender_k_ = 0, age_k_ = 0, theta_n_ = 0;
  bool json_ = false;
  char dl_ = ',';
  std::vector<std::string> cell_texts_;  // per cell, escaped; then the fallback texts 1..4
};

}  // namespace attune::batch
