#pragma once
// The parts of the instrument reader (instrument_read.cpp) that live in files of their own: the
// profile section (instrument_profile_read.cpp) and the format tag that to_json writes back.
// Internal to the library.
#include <attune/instrument.hpp>

#include "json_walk.hpp"

namespace attune::detail {

inline constexpr const char* kInstrumentFormat = "attune-instrument/1";

// /profile: the methods and the default one. Reads after the scales and citations, which the
// methods name.
void read_profile(const JsonNode& profile, Instrument& ins);

}  // namespace attune::detail
