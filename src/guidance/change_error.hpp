#pragma once
// Which SD and reliability make a scale's SEM for a comparison, in one place for the one-person
// comparison (retake.cpp) and the long file (retake_long.cpp), so both resolve the error model alike
// (docs/change.md, "Which standard error").
#include <attune/instrument.hpp>
#include <attune/retake.hpp>

#include <string>
#include <string_view>

namespace attune::detail {

std::string change_fmt(double x);  // %.6g, as every basis writes its numbers

// Where a scale's norm cell is looked up: the scores' instrument and response scale, the set and cell a
// result names (both empty: the fallback set's whole sample).
// Views into the caller's strings, which outlive the call.
struct CellQuery {
  std::string_view instrument;
  int scale_min = 0, scale_max = 0;
  std::string_view set_id, cell_id;
  std::string_view scale;
};

// A norm cell's SD (moved onto the scores' response scale when converted) and alpha, with the words
// that say where they come from; or, when there is none, why in plain words (why_not, may be empty).
struct CellError {
  double sd = kMissing, alpha = kMissing;
  std::string text, why_not;
  bool found() const { return sd > 0; }
};

CellError norm_cell_error(const ChangeNorms& norms, const CellQuery& q);

// The fallback set must be of the instrument compared and, without the conversion, on the scores'
// response scale (UsageError otherwise, as `attune score --norm-set` refuses it).
void check_fallback(const ChangeNorms& norms, const std::string& instrument, int scale_min, int scale_max);

// The instrument's published norm SD and reliability for a scale, when the file gives both.
bool published_error(const Instrument* ins, const std::string& scale, double& sd, double& r, std::string& basis);
// The published reliability alone (the scale's, else the published norms' alpha); NaN when none.
double published_reliability(const Instrument& ins, const std::string& scale);

}  // namespace attune::detail
