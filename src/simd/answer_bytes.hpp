#pragma once
// Answers as doubles (NaN = not answered) <-> answers as bytes (whole numbers within -127..127, -128 =
// not answered): the compact form that kept rows and the byte-reading accumulators use. Each has its
// vector body (SSE2, and AVX2 where the CPU has it) and its plain twin for the remaining cells and
// for the portable build.
#include <cstddef>
#include <cstdint>

namespace attune::simd {

// "Not answered" as a byte (attune::detail::kNotAnsweredByte, src/stats/byte_accumulator.hpp).
constexpr std::int8_t kMissingByte = -128;

// b[k] = x[k] for whole x[k] within -127..127, kMissingByte for NaN.
void doubles_to_bytes(const double* x, std::size_t cells, std::int8_t* b);

// x[k] = b[k] as a double, NaN for kMissingByte.
void bytes_to_doubles(const std::int8_t* b, std::size_t cells, double* x);

}  // namespace attune::simd
