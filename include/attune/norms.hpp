#pragma once
// Norm sets as data with their provenance (format: docs/norms.md): per instrument and response
// scale, the sample, its N and source, and per cell (the whole sample, gender x age band) and scale
// the mean, SD and an empirical percentile table of the scale mean score and of theta. A person's
// standing is looked up in the cell of their context; every value carries the set it came from.
#include <attune/export.hpp>
#include <attune/instrument.hpp>
#include <attune/scoring_plan.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace attune::norms {

// Percentile ranks at increasing values; linear between them, the end's value beyond the ends.
struct PercentileTable {
  std::vector<double> value, percentile;
  bool empty() const { return value.empty(); }
};

struct Distribution {
  double mean = std::numeric_limits<double>::quiet_NaN();
  double sd = std::numeric_limits<double>::quiet_NaN();
  PercentileTable table;  // empty: percentiles use the normal approximation 100 x Phi(z)
  bool available() const { return sd == sd; }
};

struct ScaleNorm {
  std::string scale;
  Distribution mean_score;  // the scale's mean score on the set's response scale
  Distribution theta;       // EAP theta from the set's calibration (unavailable: none given)
  // Cronbach's alpha of the mean score in this cell (NaN: none given); with mean_score.sd it gives
  // the SEM that `attune compare` uses for results standardized with this set (docs/change.md).
  double alpha = std::numeric_limits<double>::quiet_NaN();
};

enum class Gender { unknown, female, male };

struct Cell {
  std::string id, label;
  Gender gender = Gender::unknown;  // unknown with ages -1: the whole sample
  int age_min = -1, age_max = -1;
  std::uint64_t n = 0;
  std::vector<ScaleNorm> scales;
  const ScaleNorm* find(const std::string& scale) const;
};

struct NormSet {
  std::string id;
  std::string name;  // how a person reads the sample ("the open ECR norm sample"); may be empty
  std::string instrument;
  ResponseScale response_scale;
  std::string description, selection;  // who the sample is, and which rows made the norms
  std::uint64_t rows_in = 0, n = 0;
  std::string citation, terms, input_name, input_sha256;
  std::string date, made_with;
  std::string reliability;  // how the cells' alphas were computed and checked (empty: no alphas)
  // The calibration whose theta the theta tables describe (empty id: no theta norms).
  std::string calibration_id, calibration_date, calibration_sha256;
  std::vector<Cell> cells;  // cells[0] is the whole sample
  std::string file;         // where it was loaded from

  // Strict: unknown fields, unordered tables, a missing whole-sample cell are InstrumentErrors
  // naming the JSON path (exit 3, as an unusable instrument or calibration file).
  static NormSet from_json_text(const std::string& text, const std::string& source_name);
  static NormSet from_file(const std::string& path);
  // "ecr-openpsychometrics-1to5 (Open Psychometrics (2018) ..., N = 46610)": carried with each value.
  std::string source_text() const;
};

// A norm-set file's path, or the id of a shipped one (instruments/norms/ID.json).
ATTUNE_API NormSet load_norm_set(const std::string& id_or_path);

// A person's context: the cell is chosen from it.
struct NormContext {
  Gender gender = Gender::unknown;
  int age = -1;  // -1: not given
};

// "female", "f", "woman" / "male", "m", "man" (any case); anything else is unknown. No allocation.
ATTUNE_API Gender parse_gender(std::string_view text) noexcept;
// "gender=female,age=30" (either part may be left out): UsageError for an unknown key or a bad value.
ATTUNE_API NormContext parse_norm_group(const std::string& text);

// The gender x age cell that holds the context, or 0 (the whole sample) when the context is partial
// or falls in no cell. No allocation: callable per row.
ATTUNE_API std::size_t find_cell(const NormSet& set, const NormContext& context) noexcept;

ATTUNE_API double percentile(const PercentileTable& table, double x) noexcept;

struct Standing {
  double z = std::numeric_limits<double>::quiet_NaN();
  double percentile = std::numeric_limits<double>::quiet_NaN();
  bool empirical = false;  // from the table; false: 100 x Phi(z)
};

// z = (x - mean) / sd; the percentile from the table, or the normal approximation when it has none.
ATTUNE_API Standing standing(const Distribution& d, double x) noexcept;

// Theta percentiles are percentiles of EAPs on one calibration's metric: a set's theta tables apply
// only to EAPs (not MAPs) from the calibration it was made from (the same date and input SHA-256).
// The one rule for one person's result and a file's columns.
ATTUNE_API bool theta_norms_apply(const NormSet& set, const std::string& calibration_date, const std::string& calibration_sha256,
                                  bool map) noexcept;

// For the batch writer: a set resolved once against the caller's scale order, so that each row
// costs a cell search and two interpolations, no allocation and no name lookup.
class ATTUNE_API NormLookup {
 public:
  NormLookup(const NormSet& set, const std::vector<std::string>& scale_ids);
  std::size_t cell(const NormContext& context) const noexcept { return find_cell(*set_, context); }
  // NaN fields when the scale has no norm in the set (or x is NaN).
  Standing score(std::size_t cell, std::size_t scale, double mean_score) const noexcept;
  Standing theta(std::size_t cell, std::size_t scale, double theta) const noexcept;

 private:
  const NormSet* set_;
  std::vector<std::vector<const ScaleNorm*>> by_cell_;  // [cell][caller's scale], null: none
};

// For a batch run (BatchOptions::norms): a set resolved once against the plan's scales, and the two
// input columns whose values choose each row's cell (as parse_gender and a whole number of years
// read them; anything else falls back to the whole sample, which the row's norm_cell says).
// Built in place and never moved: the lookup points into the set.
struct ATTUNE_API FileNorms {
  FileNorms(NormSet set, const ScoringPlan& plan, std::string gender_column, std::string age_column, bool convert_linear);
  FileNorms(const FileNorms&) = delete;
  FileNorms& operator=(const FileNorms&) = delete;

  NormSet set;
  std::string gender_column, age_column;
  bool converted = false;         // scores moved linearly from the data's response scale to the set's
  ResponseScale from;             // the data's response scale
  std::vector<std::size_t> scales;  // the plan's scales with norms (mean scores in the set), in output order
  NormLookup lookup;              // over the plan's scales

  // The theta norm columns, <scale>_theta_norm_z and <scale>_theta_norm_pct, after the mean score's:
  // per scale of the batch run's ThetaScorer (`theta_scale_ids`, its order) that is a scale of the plan
  // with a theta table in the set. Call once before the run, only where theta_norms_apply; without
  // it a file gets no theta norm columns.
  void add_theta(const ScoringPlan& plan, const std::vector<std::string>& theta_scale_ids);
  struct ThetaScale {
    std::size_t theta = 0;  // the ThetaScorer's scale
    std::size_t scale = 0;  // the plan's scale (lookup's)
  };
  std::vector<ThetaScale> theta_scales;
};

}  // namespace attune::norms
