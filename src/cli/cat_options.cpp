// `--se-target`, `--min-items`, ... for the commands that run the adaptive test.
#include "cat_options.hpp"

#include <nlohmann/json.hpp>

namespace attune::cli {

irt::CatRules CatRuleArgs::rules() const {
  irt::CatRules r = irt::CatRules::promis();
  r.se_target = se_target;
  r.min_items = min_items;
  r.max_items = max_items;
  r.max_total = max_total;
  r.min_se_change = min_se_change;
  r.randomesque = randomesque;
  r.seed = seed;
  irt::validate(r);
  return r;
}

void add_cat_rule_options(CLI::App* c, CatRuleArgs& a) {
  c->add_option("--se-target", a.se_target, "Stop a scale once its standard error is below this, after --min-items (default 0.3)");
  c->add_option("--min-items", a.min_items, "Fewest items per scale before the SE rules may stop it (default 4)");
  c->add_option("--max-items", a.max_items, "Most items per scale (default 12)");
  c->add_option("--max-total", a.max_total, "Most items over all scales together (default 0: no limit beyond --max-items)");
  c->add_option("--min-se-change", a.min_se_change, "Stop a scale when its last item lowered its SE by less than this (default 0: off)");
  c->add_option("--randomesque", a.randomesque, "Ask one of the N most informative items, drawn from --seed (default 1: always the most informative)");
  c->add_option("--seed", a.seed, "Seed of the randomesque draws (splitmix64; same seed, same items on every platform; default 0)");
}

std::string cat_rules_json(const irt::CatRules& r) {
  return nlohmann::json{{"se_target", r.se_target},     {"min_items", r.min_items},     {"max_items", r.max_items},
                        {"max_total", r.max_total},     {"min_se_change", r.min_se_change},
                        {"randomesque", r.randomesque}, {"seed", r.seed}}
      .dump();
}

}  // namespace attune::cli
