#pragma once
// The text forms of scoring options as the CLI takes them (--response-scale, --missing), as library
// functions: every front end parses them the same way, and they are fuzzed (tests/fuzz/fuzz_options.cpp).
#include <attune/export.hpp>
#include <attune/instrument.hpp>

#include <string>
#include <vector>

namespace attune {

// "MIN..MAX" (e.g. "1..5"): whole numbers, MIN < MAX, both within -kMaxResponseScaleValue..
// kMaxResponseScaleValue (attune/limits.hpp). UsageError naming the text otherwise.
ATTUNE_API ResponseScale parse_response_scale(const std::string& text);

// Comma lists, one per value given ("0,NA" and "-99" -> 0, NA, -99); an empty item stays (an empty
// cell as a code).
ATTUNE_API std::vector<std::string> split_comma_lists(const std::vector<std::string>& values);

}  // namespace attune
