#pragma once
// Fast fixed-point formatting for batch output: printing doubles dominates writing a million rows,
// and a fixed number of decimals (trailing zeros trimmed) is what a CSV reader wants anyway.
#include <cstddef>

namespace attune::detail {

// Writes x with at most `decimals` decimals (0..9), trailing zeros trimmed; NaN writes nothing.
// Returns the number of characters written; buf needs 32 bytes.
std::size_t format_fixed(double x, int decimals, char* buf);

}  // namespace attune::detail
