#pragma once
// The adaptive test's rules as command-line options, shared by `attune cat simulate` and
// `attune take --adaptive` (defaults: the PROMIS-like preset, docs/cat.md).
#include <attune/cat.hpp>

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace attune::cli {

struct CatRuleArgs {
  double se_target = 0.3;
  int min_items = 4;
  int max_items = 12;
  int max_total = 0;
  double min_se_change = 0;
  int randomesque = 1;
  std::uint64_t seed = 0;
  irt::CatRules rules() const;  // validated (UsageError naming the rule)
};

void add_cat_rule_options(CLI::App* c, CatRuleArgs& a);

// The rules as a JSON object (for the simulation's report).
std::string cat_rules_json(const irt::CatRules& r);

}  // namespace attune::cli
