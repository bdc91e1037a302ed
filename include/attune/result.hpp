#pragma once
// What scoring returns for one person: every number with enough context to explain it.
#include <attune/export.hpp>
#include <attune/instrument.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace attune {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
inline bool is_missing(double x) { return std::isnan(x); }

struct ScaleScore {
  std::string id;
  std::string label;
  double raw = kMissing;        // on the data's response scale; missing when too few answered
  int answered = 0;             // answered items (or present terms, for a derived scale)
  int members = 0;              // items (or terms) on the scale
  int min_answered = 0;
  double z = kMissing;          // against the chosen norms; missing when there are none
  double percentile = kMissing; // 100 * Phi(z): normal approximation
  double sem = kMissing;        // standard error of measurement on the data metric
  double ci_low = kMissing;     // raw -/+ 1.96 SEM
  double ci_high = kMissing;
  std::string missing_reason;   // why raw is missing, empty otherwise
};

struct Profile {
  std::string method;           // the profile method's name, e.g. "quadrant"
  ProfileMethodType type = ProfileMethodType::quadrant;
  // Scores on the four dimensions in standardized units (0 = centre of the plane).
  std::array<double, 4> dimensions{kMissing, kMissing, kMissing, kMissing};  // indexed by Category
  // Standardized coordinates in the anxiety x avoidance plane (two-dimension methods only).
  double anxiety = kMissing;
  double avoidance = kMissing;
  // Winning categories: one, several on a tie, none when the profile could not be computed.
  std::vector<Category> categories;
  double confidence = kMissing; // probability the category is right under the method's error model
  std::array<double, 4> posterior{kMissing, kMissing, kMissing, kMissing};  // fisher method only
  std::string confidence_basis; // how confidence was computed, or why it is missing
  bool available() const { return !categories.empty(); }
  double dimension(Category c) const { return dimensions[static_cast<int>(c)]; }
};

struct Result {
  std::string instrument_id;
  std::string instrument_version;
  std::vector<ScaleScore> scales;
  Profile profile;
  std::vector<std::string> notes;  // e.g. "avoidance: 12 of 18 items answered, fewer than 15"
  const ScaleScore* find_scale(const std::string& id) const {
    for (const auto& s : scales) if (s.id == id) return &s;
    return nullptr;
  }
};

}  // namespace attune
