#pragma once
// Two partners who both chose to share (attune couple): both positions on one anxiety x avoidance
// plane with their uncertainty, per-dimension differences judged against measurement error (the same
// S_diff as a retake), a shared plan of practices for two chosen for the pair, each with why; and a
// dyad export that an actor-partner (APIM) analysis reads without reshaping. Never a compatibility
// score or a prediction about the relationship (docs/change.md, "Two partners").
#include <attune/export.hpp>
#include <attune/guidance.hpp>
#include <attune/retake.hpp>

#include <array>
#include <iosfwd>
#include <string>
#include <vector>

namespace attune {

struct CouplePosition {
  std::string name;                   // as shown: "Partner A" or a name given by the pair
  double anxiety = kMissing, avoidance = kMissing;          // scale scores (raw metric, or theta)
  double anxiety_se = kMissing, avoidance_se = kMissing;    // their standard errors, when known
  double plane_anxiety = kMissing, plane_avoidance = kMissing;  // the profile's standardized plane
};

struct CouplePractice {
  std::string id;       // a guidance entry, e.g. roadmap.step4, scripts.repair
  std::string title;
  std::vector<std::string> why;  // sentences from ui.couple.why.*, filled in for this pair
};

struct CoupleView {
  std::string instrument_id;
  std::string metric;                   // "raw" or "theta"
  int scale_min = 0, scale_max = 0;
  std::string anxiety_scale, avoidance_scale;
  std::array<CouplePosition, 2> people;
  Comparison differences;               // B - A per scale, with the retake's S_diff logic
  std::vector<CouplePractice> practices;
  // A partner's plane coordinate is in the care range (CareThresholds::z_high with norms, point_high
  // without): the view then says that support comes first, and shows the crisis line (care.crisis).
  bool care = false;
};

// Refuses (UsageError) results of different instruments or response scales, and an instrument
// without an anxiety and an avoidance dimension (a prototype questionnaire such as the RQ).
ATTUNE_API CoupleView couple_view(const SavedResult& a, const SavedResult& b, const std::array<std::string, 2>& names,
                                  const CompareOptions& options, const Guidance& g);

ATTUNE_API std::string to_json(const CoupleView& v, const Guidance& g, int indent = 2);
ATTUNE_API std::string to_text(const CoupleView& v, const Guidance& g);
ATTUNE_API std::string to_markdown(const CoupleView& v, const Guidance& g);

// One person of a dyad for the export: couple id, person id within the couple, and named values
// (the scales, then any kept columns).
struct DyadMember {
  std::string couple, person;
  std::vector<double> values;
};

// The dyad export. pairwise: one row per person with each value twice, as <name>_actor and
// <name>_partner (the partner's value), the layout an APIM in R (lm, nlme::gls, lavaan) reads as it
// is; long: one row per person, <name> only. Refuses a couple without exactly two members.
ATTUNE_API std::string dyad_export(const std::vector<DyadMember>& members, const std::vector<std::string>& names,
                                   const std::string& layout);

// Members from a CSV of scored people (as `attune score` writes it, with the couple and person
// columns kept): the scale columns of `instrument` present in the file, then the `keep` columns.
ATTUNE_API std::vector<DyadMember> dyad_members_from_csv(std::istream& in, const std::string& source, const std::string& couple_col,
                                                         const std::string& person_col, const std::string& instrument,
                                                         const std::vector<std::string>& keep, std::vector<std::string>& names);

// Options as JSON, strict (unknown keys, a lone "sd" or "reliability" for a scale: UsageError with
// the JSON path): {"sd": {"anxiety": 1.1}, "reliability": {"anxiety": 0.9}} and, for a comparison,
// "before_date"/"after_date" (YYYY-MM-DD), "norm_set" (an id or a file, loaded here) and
// "convert_response_scale": "linear"; with `names` non-null (a couple), "names": ["Sam", "Alex"].
// Empty text: no options.
ATTUNE_API CompareOptions compare_options_from_json(const std::string& text, const std::string& source,
                                                    std::array<std::string, 2>* names = nullptr);

// One call each for the bindings: saved results' JSON text in, `attune compare --format json` and
// `attune couple --format json` out (indent -1: compact).
ATTUNE_API std::string compare_json(const std::string& before_json, const std::string& after_json, const std::string& options_json,
                                    const Guidance& g, int indent = 2);
ATTUNE_API std::string couple_json(const std::string& a_json, const std::string& b_json, const std::string& options_json,
                                   const Guidance& g, int indent = 2);

}  // namespace attune
