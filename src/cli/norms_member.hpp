#pragma once
// `attune score --json`: the "norms" member (z, percentile and norm source per scale from a norm
// set, docs/norms.md) added to one person's result JSON.
#include <attune/norms.hpp>
#include <attune/person_norms.hpp>

#include <CLI/CLI.hpp>
#include <attune/result.hpp>
#include <attune/scoring_plan.hpp>

#include <memory>
#include <string>

namespace attune::cli {

struct NormChoice {
  std::string set;    // --norm-set: an id, a file, "none"; empty: the instrument's default_set
  std::string group;  // --norm-group gender=...,age=...
  std::string conversion;  // --convert-response-scale: "linear" or empty
  bool convert_linear() const { return conversion == "linear"; }
};

// The library's choice (attune/person_norms.hpp), as a type of the CLI's own (irt_member.hpp
// declares it ahead).
struct AppliedNorms : norms::Applied {};

// --norm-set, --norm-group and --convert-response-scale on `score`.
void add_norm_choice_options(CLI::App* score, NormChoice& choice);

// The norm set that applies to this plan, or null: --norm-set none, no default, or a default made on
// another response scale (without --convert-response-scale). An explicit set of another instrument,
// or on another response scale without the conversion, is a UsageError.
std::unique_ptr<AppliedNorms> choose_norms(const ScoringPlan& plan, const NormChoice& choice);
// The same choice of set, without reading --norm-group (context and cell left as they are).
std::unique_ptr<AppliedNorms> choose_norm_set(const ScoringPlan& plan, const NormChoice& choice);

// `result_json` with a "norms" member before its closing brace.
std::string add_norms_member(const std::string& result_json, const ScoringPlan& plan, const Result& result,
                             const AppliedNorms& norms);

// Inserts `member` (",\n  \"name\": {...}") before the closing brace of a result written with indent 2.
std::string splice_member(const std::string& result_json, const std::string& member);

// x on `from` mapped linearly onto `to` (min to min, max to max).
double convert_linear(double x, const ResponseScale& from, const ResponseScale& to);

}  // namespace attune::cli
