#pragma once
// One quiet NaN for the files that mark "no value" with it: each had its own file-scope copy, which a
// unity build (CMAKE_UNITY_BUILD, files compiled together) rejects as a redefinition.
#include <limits>

namespace attune::detail {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace attune::detail
