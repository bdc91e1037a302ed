// `attune reliability`: per-scale reliability and item statistics of a data file, as R psych
// computes them, in one pass over the file.
#include "commands.hpp"
#include "options.hpp"
#include "output_file.hpp"
#include "scale_check.hpp"

#include <attune/reliability.hpp>

#include <memory>

namespace attune::cli {

namespace {

struct ReliabilityArgs {
  DataArgs data;
  bool listwise = false;
  std::string format = "json";
  std::string output = "-";
  double miskey_below = 0;
  bool scale_confirmed = false;
};

int run(const ReliabilityArgs& a) {
  claim_data_inputs(a.data);
  ScoringPlan plan = make_plan(a.data);
  BatchOptions bo = batch_options(a.data);
  ReliabilityAccumulator acc(plan);
  bo.accumulators = {&acc};
  ScaleCheckRun scale_check(plan, a.scale_confirmed, bo);
  // .sav and JSON Lines are read through the same layer as in `attune score` (attune/formats.hpp).
  std::unique_ptr<ErrorSink> errors;
  BatchSummary s = accumulate_data(plan, a.data, bo, errors);
  ReliabilityOptions ro;
  ro.missing = a.listwise ? MissingHandling::listwise : MissingHandling::pairwise;
  ro.miskey_below = a.miskey_below;
  ReliabilityReport rep = reliability(acc, ro);
  rep.has_response_scale = true;
  rep.response_scale = scale_check.finish(&rep);
  const std::string text = a.format == "text" ? to_text(rep) : to_json(rep);
  OutputFile out(a.output);
  out.write(text);
  out.flush();
  errors->flush();
  out.commit();
  errors->commit();
  if (!a.data.quiet) {
    std::fprintf(stderr, "attune: %llu rows in: %llu used, %llu reported as errors (not used)",
                 static_cast<unsigned long long>(s.rows_in), static_cast<unsigned long long>(s.rows_scored),
                 static_cast<unsigned long long>(s.rows_reported));
    if (!rep.warnings.empty()) std::fprintf(stderr, "; %zu possibly miskeyed item(s)", rep.warnings.size());
    std::fprintf(stderr, "%s", scale_check.summary_part().c_str());
    std::fprintf(stderr, "\n");
    for (const auto& w : rep.warnings) std::fprintf(stderr, "attune: warning: %s\n", printable(w.message).c_str());
  }
  scale_check.print(a.data.quiet);
  return scale_check.exit_code(s.rows_reported ? Exit::rows_reported : Exit::ok);
}

}  // namespace

Runner add_reliability(CLI::App& app) {
  auto a = std::make_shared<ReliabilityArgs>();
  CLI::App* c = app.add_subcommand("reliability", "Reliability and item statistics per scale (alpha, lambda 6, omega, item-total r) of a data file");
  add_data_options(c, a->data);
  c->add_flag("--listwise", a->listwise, "Use only rows that answer every item of a scale (default: pairwise-complete, as R psych)");
  c->add_option("--format", a->format, "Output format")->check(CLI::IsMember({"json", "text"}));
  c->add_option("-o,--output", a->output, "Output file ('-' for standard output)");
  c->add_option("--miskey-below", a->miskey_below, "Warn about items whose corrected item-total r is below this (default 0)");
  add_scale_confirmed_option(c, a->scale_confirmed);
  c->footer(
      "Statistics follow R psych 2.2.9 (alpha, alpha.ci, omega with one factor); formulas and citations in\n"
      "docs/formulas-reliability.md. Exit codes: 0 ok; 1 some rows reported as errors (not used); 2 usage;\n"
      "3 invalid instrument; 4 invalid data; 5 I/O; 7 a limit was exceeded; 9 the answers do not fit the declared\n"
      "response scale as used (see the warning; before 1).");
  return [a] { return run(*a); };
}

}  // namespace attune::cli
