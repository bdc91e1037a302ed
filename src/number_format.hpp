#pragma once
// Fast fixed-point formatting for batch output: printing doubles dominates writing a million rows,
// and a fixed number of decimals (trailing zeros trimmed) is what a CSV reader wants anyway.
#include <cstddef>

namespace attune::detail {

// "00" "01" ... "99": the two digits of n at 2n.
extern const char kDigitPairs[201];

// Writes x with at most `decimals` decimals (0..9), trailing zeros trimmed; NaN writes nothing.
// Returns the number of characters written; buf needs 32 bytes.
std::size_t format_fixed(double x, int decimals, char* buf);

// The same, with the number of decimals chosen once (a loop over millions of numbers calls it
// directly instead of dispatching on decimals per number).
using FixedFormatter = std::size_t (*)(double x, char* buf);
FixedFormatter fixed_formatter(int decimals);

}  // namespace attune::detail
