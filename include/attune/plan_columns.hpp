#pragma once
// The plan as batch columns (`attune score --plan-columns N`): for each scored row, the plan's mode,
// whether the care rule put "consider more help" first, and the ids of its top N focus steps. The
// choice is made by the same code as recommend() (same rules, same ties), so a row's columns equal
// the focus of the plan `attune plan` gives for the same answers and context. It reads the row
// straight from the scored block and writes ids only: no Result, no texts, and no allocation per row
// once a worker's buffers have grown.
#include <attune/batch.hpp>
#include <attune/export.hpp>
#include <attune/guidance.hpp>
#include <attune/scoring_plan.hpp>

#include <memory>
#include <string>
#include <vector>

namespace attune {

class ATTUNE_API PlanColumns : public RowColumns {
 public:
  // Columns: plan_mode (pattern, mix or unavailable), plan_more_help (1 when the care rule fired,
  // else 0), then plan_1 .. plan_<steps> (focus step ids in plan order; empty where the plan has
  // fewer steps). One context for every row; UsageError for an unknown stage, a contradiction, or
  // steps outside 1..max_steps(guidance).
  PlanColumns(const ScoringPlan& scoring, const Guidance& guidance, const Context& context, int steps);
  ~PlanColumns() override;
  PlanColumns(const PlanColumns&) = delete;
  PlanColumns& operator=(const PlanColumns&) = delete;

  // The most focus steps a plan of this pack can hold (roadmap steps plus self-help strategies).
  static int max_steps(const Guidance& guidance);

  const std::vector<std::string>& names() const override;
  std::unique_ptr<RowColumns> fresh() const override;
  // Rows reported as errors (scored = false) get empty cells in every plan column.
  void cells(const BlockScores& scores, std::size_t row, bool scored, RowCell* out) override;

 private:
  struct Shared;
  struct Work;
  explicit PlanColumns(std::shared_ptr<const Shared> shared);
  std::shared_ptr<const Shared> shared_;
  std::unique_ptr<Work> work_;
};

}  // namespace attune
