#pragma once
// Retakes: two saved results of one person compared scale by scale (did it really change?), the
// same for a long file of many people and occasions, and the words a plan adds after a retake.
// The arithmetic is attune::reliable_change (change.hpp); this layer reads saved results, chooses
// the standard errors, and says it all in plain words (docs/change.md).
#include <attune/change.hpp>
#include <attune/export.hpp>
#include <attune/guidance.hpp>
#include <attune/norms.hpp>
#include <attune/result.hpp>

#include <iosfwd>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace attune {

// A result as `attune score --json` or `attune take --format json` writes it, with what a comparison
// needs beyond Result: when it was taken, the response scale, and theta with its SE when IRT was used.
struct SavedResult {
  Result result;
  std::string source;          // file name, for messages
  std::string taken;           // YYYY-MM-DD from "taken" (take writes it), or empty
  int scale_min = 0, scale_max = 0;
  std::string standardization; // how the saved z and SEM were made (the result's own words)
  std::string irt_calibration; // empty when the result has no "irt" member
  std::map<std::string, std::pair<double, double>> theta;  // scale id -> (theta, SE)
  // The norm set the result was standardized with ("norms" member; docs/norms.md), and per scale the
  // SD and alpha of its cell, when the result carries them (norm_sd, norm_alpha).
  std::string norm_set, norm_name, norm_cell;  // norm_cell: "whole sample, N = 46610"
  std::string norm_cell_id;                    // "all", "female-25-34": where the set itself is looked up
  std::map<std::string, std::pair<double, double>> norm_error;  // scale id -> (SD, alpha)
};

// Strict where it matters (instrument id, scales, response scale); a DataError names the file and
// the JSON path. `take --format json` output ({"result": ..., "plan": ...}) is accepted as it is.
ATTUNE_API SavedResult read_saved_result(const std::string& json_text, const std::string& source_name);

// An SD and a reliability given by the user for one scale (`--sd`, `--reliability`).
struct SuppliedError {
  double sd = 0;
  double reliability = 0;
};

// Norm sets a comparison may take a scale's SD and alpha from when a result does not carry them (saved
// before the sets had alphas, or never standardized): docs/change.md, "Which standard error". The
// caller loads the sets (this layer reads no files); a result's own set and cell are used, else the
// fallback's whole sample. A set made on another response scale serves only with convert_linear: its SD
// times the ratio of the two scales' ranges (alpha is unchanged by a linear change of every item).
struct ChangeNorms {
  // Shared, not copied: options are passed around by value, and a set is large.
  std::vector<std::shared_ptr<const norms::NormSet>> sets;  // the sets the results name, and the fallback
  std::string fallback;                                     // the set for results that name none (empty: none)
  bool convert_linear = false;
  const norms::NormSet* find(std::string_view id) const {
    for (const auto& s : sets) if (s && s->id == id) return s.get();
    return nullptr;
  }
};

// The sets a comparison may draw on, loaded: each set in `named_sets` (the ids the two results name)
// that attune ships (one it does not have is left out, and the comparison says so; an id that looks
// like a path is never read: a result never makes attune open a file), `norm_set` (an id or a file the
// caller chose), and with convert_linear and no norm_set, the instrument's default set, which then
// serves the results that name none. `instrument` is an id or a file; one that cannot be read gives no
// default. Used by `attune compare`, `plan --before`, `couple` and the bindings' one-call forms alike.
ATTUNE_API ChangeNorms load_change_norms(const std::vector<std::string>& named_sets, const std::string& norm_set,
                                         bool convert_linear, const std::string& instrument);

struct CompareOptions {
  std::map<std::string, SuppliedError> supplied;  // scale id -> SD and reliability
  ChangeNorms norms;                              // --norm-set, --convert-response-scale
  std::string before_date, after_date;            // YYYY-MM-DD; override "taken" in the results
  bool dates = true;  // false: two people, not two occasions (attune couple): dates are not read
};

struct ScaleChange {
  std::string id, label;
  std::string metric;       // "raw" (the scale's score) or "theta" (IRT, both results calibrated alike)
  double before = kMissing, after = kMissing;
  double se_before = kMissing, se_after = kMissing;
  ReliableChange change;
  std::string basis;        // which SD and reliability (or SEs) were used, and where they come from
  std::string verdict_id;   // ui.change.verdict.{reliable_up,reliable_down,within,unknown,missing}
};

struct Comparison {
  std::string instrument_id, instrument_name;
  std::string before_source, after_source;
  std::string before_date, after_date;  // empty when unknown
  int days_apart = -1;                  // -1 when a date is unknown
  std::vector<ScaleChange> scales;
};

// Refuses (UsageError) results of different instruments or response scales, and dates after before.
ATTUNE_API Comparison compare_results(const SavedResult& before, const SavedResult& after, const CompareOptions& options = {});

// Days from a to b (YYYY-MM-DD each); throws UsageError for a date that is not a calendar day.
ATTUNE_API int days_between(const std::string& a, const std::string& b);

// The long form: a CSV with one row per person and occasion (an id column, a time column, and scale
// columns named by scale id as `attune score` writes them). Returns a CSV with one row per person and
// interval between consecutive occasions (columns in docs/change.md).
struct LongCompareOptions {
  std::string id_col = "id";
  std::string time_col;
  std::string instrument;  // built-in id or file: which columns are scales, and its published reliability
  std::map<std::string, SuppliedError> supplied;  // --sd/--reliability; sd 0 with sd_baseline
  bool sd_baseline = false;  // SD of each scale over the first occasion of every person in the file
  ChangeNorms norms;         // the fallback's whole sample, as for a result that names no set
  int scale_min = 0, scale_max = 0;  // the scores' response scale (0, 0: the instrument's)
  // Called once per scale with the sentence that says where its SEM comes from, or why it is not
  // known (the CLI prints them on standard error).
  std::function<void(const std::string& scale, const std::string& basis)> on_basis;
};
ATTUNE_API std::string compare_long(std::istream& in, const std::string& source_name, const LongCompareOptions& options);

// Renderings; person-facing words come from the guidance pack (ui.change.*).
ATTUNE_API std::string to_json(const Comparison& c, const Guidance& g, int indent = 2);
ATTUNE_API std::string to_text(const Comparison& c, const Guidance& g);
ATTUNE_API std::string to_markdown(const Comparison& c, const Guidance& g);

// The plan after a retake: what moved and what held, in the pack's words, without praise or blame.
ATTUNE_API std::vector<std::string> retake_acknowledgement(const Comparison& c, const Guidance& g);
// That acknowledgement as a "Since last time" section of a plan already rendered in `format` (text, md,
// json): after the plan's opening lines, or a "since_last_time" member in JSON.
ATTUNE_API std::string add_retake_section(const std::string& rendered_plan, const std::string& format, const Plan& plan,
                                          const Comparison& c, const Guidance& g);

}  // namespace attune
