#pragma once
// Computerized adaptive testing (CAT) over a graded-response item bank (attune/irt.hpp): a stateless
// step that, from the answers so far, gives theta and its SE per dimension (EAP on the calibration's
// grid, Bock & Mislevy 1982) and either the next item (maximum Fisher information at the current
// EAP, Samejima 1969; optionally randomesque, Kingsbury & Zara 1989) or "stop" with the reason.
// Rules, presets, formulas and citations: docs/cat.md.
#include <attune/export.hpp>
#include <attune/irt.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace attune::irt {

// Why a dimension (or the whole test) stopped. Names (to_string) are part of the JSON contract.
enum class CatStop {
  none,            // still adaptive
  se_target,       // SE below the target after at least min_items
  max_items,       // max_items asked on the dimension
  se_change,       // the dimension's last item lowered its SE by less than min_se_change
  bank_exhausted,  // every item of the dimension has been asked
  max_total,       // max_total items asked over all dimensions (the whole test)
  user_rule,       // the caller's stop rule said so (the whole test)
};
ATTUNE_API const char* to_string(CatStop reason);

// One answer: the item's index in the bank (CatEngine::item_index) and the raw response on the
// calibration's response scale, NaN when the item was shown and skipped.
struct CatAnswer {
  int item = -1;
  double response = 0;
};

struct CatDimension {
  double theta = 0;  // EAP
  double se = 1;     // posterior SD
  int asked = 0;     // items of this dimension among the answers (skipped ones included)
  int answered = 0;  // of which answered
  CatStop stopped = CatStop::none;
};

struct CatResult {
  std::vector<CatDimension> dimensions;  // in the bank's scale order
  bool stop = false;
  CatStop reason = CatStop::none;  // set when stop
  int next_item = -1;              // bank index, -1 when stop
  int next_dimension = -1;
  int asked = 0;  // answers given to the step
};

// Stop rules. min_items and max_items count per dimension; max_total (0 = none) counts all
// dimensions together. A dimension is done when it reached max_items, or the bank has no item of
// it left, or (after min_items) its SE is below se_target or its last item lowered its SE by less
// than min_se_change (0 = rule off). The test stops when every dimension is done, at max_total, or
// when stop_rule returns true (it sees the step's thetas and SEs; it is never serialized).
struct CatRules {
  double se_target = 0.3;
  int min_items = 4;
  int max_items = 12;
  int max_total = 0;
  double min_se_change = 0;
  int randomesque = 1;      // choose among the top k items by information (1 = always the top one)
  std::uint64_t seed = 0;   // randomesque draws: splitmix64 from this seed (docs/cat.md)
  std::function<bool(const CatResult&)> stop_rule;
  // PROMIS-like: at least 4 and at most 12 items per dimension, SE below 0.3.
  static CatRules promis();
};

// Checks a rule set (UsageError naming the rule otherwise).
ATTUNE_API void validate(const CatRules& rules);

// The item bank compiled once: log-probability tables per item, category and grid node for every
// scale (dimension) of a calibration. Immutable and thread-safe; step() is stateless.
class ATTUNE_API CatEngine {
 public:
  explicit CatEngine(const Calibration& bank);
  ~CatEngine();
  CatEngine(CatEngine&&) noexcept;
  CatEngine& operator=(CatEngine&&) noexcept;

  std::size_t item_count() const;
  const std::string& item_id(std::size_t item) const;
  int item_index(const std::string& id) const;  // -1 when not in the bank
  int item_dimension(std::size_t item) const;
  std::size_t dimension_count() const;
  const std::string& dimension_id(std::size_t dimension) const;
  const ResponseScale& response_scale() const;

  // Fills `out` (its vector is reused: no allocation after the first call with the same bank).
  // An unknown or repeated item is a UsageError, a response off the scale an AnswerError.
  void step(const CatAnswer* answers, std::size_t count, const CatRules& rules, CatResult& out) const;
  CatResult step(const std::vector<CatAnswer>& answers, const CatRules& rules) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The randomesque generator: the n-th (n = 0, 1, ...) output of splitmix64 (Steele, Lea & Flood
// 2014) started from `seed`, the same on every platform.
ATTUNE_API std::uint64_t splitmix64_at(std::uint64_t seed, std::uint64_t n);

// JSON front for the bindings. `request`: {"answers": [["q1", 4], ["q5", null], ...] or
// [{"item": "q1", "response": 4}, ...], "rules": {"se_target": 0.3, "min_items": 4, "max_items": 12,
// "max_total": 0, "min_se_change": 0, "randomesque": 1, "seed": 0} or "promis" (absent: promis)}.
// Reply: {"stop": b, "reason": s|null, "next_item": s|null, "next_scale": s|null, "asked": n,
// "scales": {"<id>": {"theta": t, "se": s, "asked": n, "answered": n, "stopped": s|null}}}.
ATTUNE_API std::string cat_step_json(const CatEngine& engine, const std::string& request);
ATTUNE_API CatRules cat_rules_from_json(const std::string& rules_json);

}  // namespace attune::irt
