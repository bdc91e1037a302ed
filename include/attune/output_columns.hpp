#pragma once
// Names of the columns scores are written under (CSV, JSON Lines, .sav, the Python frame), decided in
// one place so that every writer agrees and no two columns share a name.
#include <attune/export.hpp>
#include <attune/instrument.hpp>

#include <array>
#include <string>
#include <vector>

namespace attune {

// The four profile dimension columns: secure, anxious, avoidant, fearful; or profile_secure,
// profile_anxious, profile_avoidant, profile_fearful when a scale of the instrument already has one
// of the four names (the RQ and RSQ rate the prototypes themselves, in scales named secure, fearful...).
ATTUNE_API std::array<std::string, 4> dimension_columns(const Instrument& instrument);

// Output column names no scale may take: the fixed columns (row, category, confidence, method,
// notes, quality, plan columns), id (the input column kept by default) and the prefixed dimension
// names. A scale may not be named like another scale's _z or _pct column either (checked on load).
ATTUNE_API const std::vector<std::string>& reserved_column_names();

}  // namespace attune
