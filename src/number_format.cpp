#include "number_format.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace attune::detail {

const char kDigitPairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

namespace {

constexpr FixedFormatter kFormatters[] = {format_fixed_d<0>, format_fixed_d<1>, format_fixed_d<2>, format_fixed_d<3>, format_fixed_d<4>,
                                     format_fixed_d<5>, format_fixed_d<6>, format_fixed_d<7>, format_fixed_d<8>, format_fixed_d<9>};

}  // namespace

FixedFormatter fixed_formatter(int decimals) { return kFormatters[decimals < 0 ? 0 : decimals > 9 ? 9 : decimals]; }

std::size_t format_fixed(double x, int decimals, char* buf) { return fixed_formatter(decimals)(x, buf); }

}  // namespace attune::detail
