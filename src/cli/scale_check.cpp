#include "scale_check.hpp"
#include "commands.hpp"

#include <attune/error.hpp>

#include <cstdio>

namespace attune::cli {

void add_scale_confirmed_option(CLI::App* c, bool& confirmed) {
  c->add_flag("--response-scale-confirmed", confirmed,
              "The answers are on the declared response scale (the instrument's, or --response-scale) even though no answer "
              "reaches its top or bottom: skip that check (see docs/audit.md)");
}

ScaleCheckRun::ScaleCheckRun(const ScoringPlan& plan, bool confirmed, BatchOptions& bo) : plan_(plan) {
  if (confirmed) {
    status_ = confirmed_scale_status(plan);
    return;
  }
  usage_ = std::make_unique<ScaleUsageAccumulator>(plan);
  bo.accumulators.push_back(usage_.get());
}

const ResponseScaleStatus& ScaleCheckRun::finish(const ReliabilityReport* rel) {
  if (usage_) status_ = check_scale(*usage_, rel).status();
  return status_;
}

std::string ScaleCheckRun::summary_part() const {
  return failed() ? "; response scale " + status_.declared + " not confirmed by the answers (see the warning)" : "";
}

void ScaleCheckRun::print(bool quiet) const {
  if (!quiet && status_.rescaled) std::fprintf(stderr, "attune: note: %s\n", status_.rescale_note.c_str());
  if (failed()) std::fprintf(stderr, "attune: warning: %s (exit code 9)\n", printable(status_.warning).c_str());
}

int ScaleCheckRun::exit_code(int code) const { return failed() ? Exit::scale_unconfirmed : code; }

}  // namespace attune::cli
