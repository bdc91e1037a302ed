#pragma once
// One person's answers. Missing is explicit (never 0); every value is checked against the response
// scale when it is set, so a bad answer is reported by item and value, not discovered later.
#include <attune/export.hpp>
#include <attune/scoring_plan.hpp>

#include <string>
#include <vector>

namespace attune {

class ATTUNE_API Responses {
 public:
  explicit Responses(const ScoringPlan& plan);

  void set(const std::string& item_id, double value);
  void set_position(int position, double value);
  void set_missing(const std::string& item_id);
  // An item id, or the item's position number as a decimal string ("12").
  void set_by_key(const std::string& key, double value);
  void clear();

  const std::vector<double>& values() const { return values_; }  // by item index, NaN = missing
  std::size_t answered() const;

 private:
  friend Responses responses_from_json(const ScoringPlan&, const std::string&, const std::string&);
  friend bool parse_flat_answers(const ScoringPlan&, const std::string&, std::vector<double>&);
  int index_of(const std::string& key) const;
  void set_index(int index, double value);

  const ScoringPlan* plan_;
  std::vector<double> values_;
};

// {"q1": 5, "2": 3, "q3": null}: item ids or position strings; null or an absent item is missing.
ATTUNE_API Responses responses_from_json(const ScoringPlan& plan, const std::string& json_text,
                                         const std::string& source_name);

}  // namespace attune
