#pragma once
// What the package's C++ files share: attune errors handed to R as lists of their fields (R/core.R
// signals them), the scoring plan from R's arguments, and R's column-major matrices to and from the
// row-major layout of the C++ core.
#include <attune/attune.hpp>

#include <Rcpp.h>

#include <cstddef>
#include <exception>
#include <map>
#include <string>
#include <vector>

namespace attune_r {

Rcpp::List error_fields(const attune::Error& e);
Rcpp::List internal_error(const std::string& what);

// Runs body, returning its value or the fields of the error it threw: an R error raised from C++
// would skip the destructors of what is on the stack.
template <class Body>
SEXP guarded(Body&& body) {
  try {
    return body();
  } catch (const attune::Error& e) {
    return error_fields(e);
  } catch (const std::exception& e) {
    return internal_error(e.what());
  }
}

attune::ScoringPlan make_plan(SEXP instrument, SEXP data_scale, const attune::ScoringOptions& base = {});
// The norms of score(norms = ) (attune_r_norms.cpp); x: the answers, for the sample's own norms.
attune::ScoringOptions norms_options(SEXP norms, SEXP instrument, SEXP data_scale, const Rcpp::NumericMatrix& x);
std::vector<double> row_major(const Rcpp::NumericMatrix& x);
void check_width(const attune::ScoringPlan& plan, const Rcpp::NumericMatrix& x);

template <class T, class Out>
Out as_matrix(const std::vector<T>& v, std::size_t rows, std::size_t width) {
  Out m(static_cast<int>(rows), static_cast<int>(width));
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < width; ++c) m(static_cast<int>(r), static_cast<int>(c)) = v[r * width + c];
  }
  return m;
}

}  // namespace attune_r
