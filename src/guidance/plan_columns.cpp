// PlanColumns: the plan's focus as batch columns. Everything looked up by name (the guidance pack,
// the context's stage, the method's anxiety and avoidance scales) is resolved once in the
// constructor; cells() reads numbers from the block, runs detail::decide() (the same code
// recommend() runs) on reused buffers, and points the cells at ids the pack owns.
#include <attune/plan_columns.hpp>

#include <attune/error.hpp>
#include <attune/score.hpp>

#include "guidance_data.hpp"

#include <cmath>

namespace attune {

struct PlanColumns::Shared {
  Guidance guidance;  // keeps the rule targets (the cells' text) alive
  const detail::GuidanceData* g = nullptr;
  std::vector<std::string> names;
  int steps = 0;
  int stage = -1;
  std::optional<bool> parent;
  bool prototype = false;
  std::size_t scales = 0;
  long anxiety_scale = -1, avoidance_scale = -1;  // scale indices for the care rule's z, -1: none
};

struct PlanColumns::Work {
  detail::PlanDecision decision;
};

int PlanColumns::max_steps(const Guidance& guidance) {
  const auto& g = guidance.data();
  return g.roadmap_sel.max + g.selfhelp_sel.max;
}

PlanColumns::PlanColumns(const ScoringPlan& scoring, const Guidance& guidance, const Context& context, int steps) {
  if (!scoring.has_profile()) {
    throw UsageError("plan columns: instrument '" + scoring.instrument().id + "' has no attachment profile, so there is no plan for it", {},
                     "an instrument with a profile, or no --plan-columns");
  }
  const int most = max_steps(guidance);
  if (steps < 1 || steps > most) {
    Location where;
    where.value = std::to_string(steps);
    throw UsageError("plan columns: a plan holds 1 to " + std::to_string(most) + " focus steps", where,
                     "a number from 1 to " + std::to_string(most));
  }
  auto s = std::make_shared<Shared>();
  s->guidance = guidance;
  s->g = &s->guidance.data();
  s->steps = steps;
  Context ctx = context;
  detail::normalize_context(ctx);
  s->stage = ctx.stage.empty() ? -1 : detail::stage_index(ctx.stage);
  s->parent = ctx.parent;
  s->prototype = scoring.method().type == ProfileMethodType::prototype;
  const auto& scales = scoring.instrument().scales;
  s->scales = scales.size();
  for (std::size_t i = 0; i < scales.size(); ++i) {
    if (scales[i].id == scoring.method().anxiety_scale) s->anxiety_scale = static_cast<long>(i);
    if (scales[i].id == scoring.method().avoidance_scale) s->avoidance_scale = static_cast<long>(i);
  }
  s->names = {"plan_mode", "plan_more_help"};
  for (int k = 1; k <= steps; ++k) s->names.push_back("plan_" + std::to_string(k));
  shared_ = std::move(s);
  work_ = std::make_unique<Work>();
}

PlanColumns::PlanColumns(std::shared_ptr<const Shared> shared) : shared_(std::move(shared)), work_(std::make_unique<Work>()) {}

PlanColumns::~PlanColumns() = default;

const std::vector<std::string>& PlanColumns::names() const { return shared_->names; }

std::unique_ptr<RowColumns> PlanColumns::fresh() const { return std::unique_ptr<RowColumns>(new PlanColumns(shared_)); }

void PlanColumns::cells(const BlockScores& b, std::size_t r, bool scored, RowCell* out) {
  const Shared& s = *shared_;
  const std::size_t n = s.names.size();
  for (std::size_t k = 0; k < n; ++k) out[k] = RowCell{};
  if (!scored) return;
  detail::PlanInputs in;
  in.prototype = s.prototype;
  in.categories = b.category[r];
  in.available = in.categories != 0;
  for (std::size_t c = 0; c < 4; ++c) {
    in.dims[c] = b.dimensions[r * 4 + c];
    in.available = in.available && !std::isnan(in.dims[c]);
  }
  in.anxiety = b.plane[r * 2];
  in.avoidance = b.plane[r * 2 + 1];
  in.confidence = b.confidence[r];
  if (!s.prototype) {
    if (s.anxiety_scale >= 0) in.anxiety_z = b.z[r * s.scales + static_cast<std::size_t>(s.anxiety_scale)];
    if (s.avoidance_scale >= 0) in.avoidance_z = b.z[r * s.scales + static_cast<std::size_t>(s.avoidance_scale)];
  }
  detail::PlanDecision& d = work_->decision;
  detail::decide(*s.g, in, s.stage, s.parent, d);
  out[0] = RowCell{!in.available ? "unavailable" : d.mix ? "mix" : "pattern", false};
  out[1] = RowCell{d.care() ? "1" : "0", true};
  std::size_t k = 2;
  for (const auto* list : {&d.road, &d.self}) {
    for (const auto& pick : *list) {
      if (k >= n) return;
      out[k++] = RowCell{s.g->relevance[static_cast<std::size_t>(pick.rule)].target, false};
    }
  }
}

}  // namespace attune
