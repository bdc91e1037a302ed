#pragma once
// One person's standing in a norm set, as the "norms" member of `attune score --json` (docs/norms.md):
// the set, its source and sample, the cell of the person's context, and per scale the mean score, z,
// percentile and the norm source. One implementation for the CLI, the C ABI, Python and WebAssembly.
#include <attune/export.hpp>
#include <attune/norms.hpp>
#include <attune/result.hpp>
#include <attune/scoring_plan.hpp>

#include <memory>
#include <string>

namespace attune::norms {

// What the caller asks (the CLI's --norm-set, --norm-group, --convert-response-scale linear).
struct Choice {
  std::string set;    // an id, a file, "none"; empty: the instrument's default_set
  std::string group;  // "gender=female,age=30" (either part may be left out)
  bool convert_linear = false;
};

struct Applied {
  NormSet set;
  NormContext context;
  std::size_t cell = 0;
  bool converted = false;  // the set's response scale differs; scores are converted linearly
};

// The set that applies to this plan, or null: set "none", no default, or a default made on another
// response scale (nothing asked). An explicit set of another instrument, or a set on another response
// scale without convert_linear, is a UsageError. The group is not read.
ATTUNE_API std::unique_ptr<Applied> choose_set(const ScoringPlan& plan, const Choice& choice);
// choose_set, then the cell of the group (UsageError for a bad group).
ATTUNE_API std::unique_ptr<Applied> choose(const ScoringPlan& plan, const Choice& choice);

// x on `from` mapped linearly onto `to` (min to min, max to max).
ATTUNE_API double convert_linear(double x, const ResponseScale& from, const ResponseScale& to) noexcept;

// The member as `attune score --json` writes it: ",\n  \"norms\": {...}" (indent 2), to go before the
// result's closing brace.
ATTUNE_API std::string member_json(const ScoringPlan& plan, const Result& result, const Applied& norms);
// The "norms" object alone for a result (the same text as the member's value), or "null" when no set
// applies (choose() gave none).
ATTUNE_API std::string person_norms_json(const ScoringPlan& plan, const Result& result, const Choice& choice);

}  // namespace attune::norms
