// `attune audit`: does the instrument's key (and response scale) fit the data? Per scale and
// item: item-rest r, the first component's loading, the key the data suggest. One pass.
#include "commands.hpp"
#include "options.hpp"
#include "output_file.hpp"

#include <attune/audit.hpp>

#include <memory>

namespace attune::cli {

namespace {

struct AuditArgs {
  DataArgs data;
  bool listwise = false;
  std::string format = "text";
  std::string output = "-";
};

int run(const AuditArgs& a) {
  claim_data_inputs(a.data);
  ScoringPlan plan = make_plan(a.data);
  BatchOptions bo = batch_options(a.data);
  ReliabilityAccumulator sums(plan);
  ScaleUsageAccumulator usage(plan);
  bo.accumulators = {&sums, &usage};
  std::unique_ptr<ErrorSink> errors;
  BatchSummary s = accumulate_data(plan, a.data, bo, errors);
  AuditOptions ao;
  ao.missing = a.listwise ? MissingHandling::listwise : MissingHandling::pairwise;
  const AuditReport rep = audit(sums, usage, ao);
  OutputFile out(a.output);
  out.write(a.format == "json" ? to_json(rep) : to_text(rep));
  out.flush();
  errors->flush();
  out.commit();
  errors->commit();
  if (!a.data.quiet) {
    std::size_t flagged = 0;
    for (const auto& sc : rep.scales)
      for (const auto& it : sc.items) flagged += it.miskeyed ? 1 : 0;
    std::fprintf(stderr, "attune: %llu rows in: %llu used, %llu reported as errors (not used); %zu item(s) look miskeyed\n",
                 static_cast<unsigned long long>(s.rows_in), static_cast<unsigned long long>(s.rows_scored),
                 static_cast<unsigned long long>(s.rows_reported), flagged);
    if (!rep.scale_check.fits()) std::fprintf(stderr, "attune: warning: %s\n", printable(rep.scale_check.warning()).c_str());
  }
  // The audit's findings are its output, not a failure of the run.
  return s.rows_reported ? Exit::rows_reported : Exit::ok;
}

}  // namespace

Runner add_audit(CLI::App& app) {
  auto a = std::make_shared<AuditArgs>();
  CLI::App* c = app.add_subcommand("audit", "Check the instrument's key and response scale against a data file: the key the data suggest, item by item");
  add_data_options(c, a->data);
  c->add_flag("--listwise", a->listwise, "Use only rows that answer every item of a scale (default: pairwise-complete)");
  c->add_option("--format", a->format, "Output format (default text)")->check(CLI::IsMember({"text", "json"}));
  c->add_option("-o,--output", a->output, "Output file ('-' for standard output)");
  c->footer(
      "Per scale and item: item-rest r (psych's r.drop), the loading on the scale's first principal component, the\n"
      "instrument's key and the key the data suggest; items whose loading is -0.10 or below look miskeyed. Rules and\n"
      "their error rates by sample size: docs/audit.md. Exit codes: 0 ok (whatever the audit finds); 1 some rows\n"
      "reported as errors (not used); 2 usage; 3 invalid instrument; 4 invalid data; 5 I/O; 7 a limit was exceeded.");
  return [a] { return run(*a); };
}

}  // namespace attune::cli
