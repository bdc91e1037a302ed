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

namespace {
bool failed(const ResponseScaleStatus& s) { return s.checked && !s.fits; }
}  // namespace

std::string scale_summary_part(const ResponseScaleStatus& s) {
  return failed(s) ? "; response scale " + s.declared + " not confirmed by the answers (see the warning)" : "";
}

void print_scale_status(const ResponseScaleStatus& s, bool quiet) {
  if (!quiet && s.rescaled) std::fprintf(stderr, "attune: note: %s\n", s.rescale_note.c_str());
  if (failed(s)) std::fprintf(stderr, "attune: warning: %s (exit code 9)\n", printable(s.warning).c_str());
}

int scale_exit_code(const ResponseScaleStatus& s, int code) { return failed(s) ? Exit::scale_unconfirmed : code; }

std::string ScaleCheckRun::summary_part() const { return scale_summary_part(status_); }
void ScaleCheckRun::print(bool quiet) const { print_scale_status(status_, quiet); }
int ScaleCheckRun::exit_code(int code) const { return scale_exit_code(status_, code); }

}  // namespace attune::cli
