// RowWalk (text_rows.hpp): what every text writer needs of a row besides its numbers.
#include "text_rows.hpp"

#include <attune/irt.hpp>

#include <cmath>

namespace attune::batch {

RowWalk::RowWalk(const Job& job, const Workspace& ws, ChunkResult& res) : norms(job), job_(job), ws_(ws), res_(res) {
  const BatchOptions& opt = *job.opt;
  extra_ = opt.extra_columns ? opt.extra_columns->fresh() : nullptr;
  extra_names = extra_ ? &opt.extra_columns->names() : nullptr;
  extra_cells.resize(extra_names ? extra_names->size() : 0);
  theta_stride_ = opt.theta ? 2 * opt.theta->scale_count() : 0;
}

std::string_view RowWalk::next(std::size_t r) {
  if (extra_) extra_->cells(ws_.scores, r, !bad(r), extra_cells.data());
  fill_notes(r);
  const std::uint32_t kept_end = ws_.kept_end[r];
  const std::string_view kept(ws_.kept.data() + kept_begin_, kept_end - kept_begin_);
  kept_begin_ = kept_end;
  if (norms.active()) norms.fill(ws_.scores, r, bad(r), kept, theta_stride_ ? &ws_.theta[r * theta_stride_] : nullptr);
  return kept;
}

void RowWalk::fill_notes(std::size_t r) {
  const auto& d = job_.plan->data();
  const std::size_t S = d.n_scales;
  notes.clear();
  if (bad(r)) {
    const RowError& e = res_.errors[static_cast<std::size_t>(ws_.error_of[r])];
    notes = "error: " + e.reason;
    if (!e.column_name.empty()) notes += " in column '" + e.column_name + "'";
    if (!e.value.empty()) notes += ", value '" + e.value + "'";
    return;
  }
  ++res_.scored;
  for (std::size_t s = 0; s < S; ++s) {
    if (std::isnan(ws_.scores.raw[r * S + s])) {
      if (!notes.empty()) notes += "; ";
      notes += d.instrument.scales[s].id + ": " + std::to_string(ws_.scores.answered[r * S + s]) + " of " +
               std::to_string(d.member_begin[s + 1] - d.member_begin[s]) + (d.derived[s] ? " scales" : " answered") +
               ", minimum " + std::to_string(d.min_answered[s]);
    }
  }
  if (!notes.empty()) ++res_.noted;
}

}  // namespace attune::batch
