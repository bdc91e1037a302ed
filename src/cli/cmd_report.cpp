// `attune report`: one self-contained HTML file describing a data file (see include/attune/report.hpp).
#include "commands.hpp"
#include "options.hpp"
#include "output_file.hpp"
#include "scale_check.hpp"

#include <attune/report.hpp>

#include <memory>

namespace attune::cli {

namespace {

struct ReportArgs {
  DataArgs data;
  QualityArgs quality;
  bool listwise = false;
  std::string output = "report.html";
  std::string title;
  std::string irt;
  bool scale_confirmed = false;
};

int run(const ReportArgs& a) {
  if (a.data.input == "-") throw UsageError("the report reads the file twice; it cannot read standard input", {}, "a file path");
  claim_data_inputs(a.data);
  require_two_readings(a.data.input, "the report");
  ScoringPlan plan = make_plan(a.data);
  BatchOptions bo = batch_options(a.data);
  // .sav and JSON Lines are read through the same layer as in `attune score`; the report's second
  // pass rewinds the input (a .sav file is then decoded again).
  TabularInput source(a.data.input, input_options(a.data, bo));
  ErrorSink errors(a.data.errors, source.name());
  ReportOptions ro;
  ro.reliability.missing = a.listwise ? MissingHandling::listwise : MissingHandling::pairwise;
  ro.quality = a.quality.t;
  ro.title = a.title;
  ro.response_scale_confirmed = a.scale_confirmed;
  ro.irt_calibration = a.irt;
  ReportResult r = source.run([&] {
    return html_report(plan, source.csv(), source.name(), bo, ro, [&](const RowError& e) {
      RowError l = e;
      source.locate(l);
      errors(l);
    });
  });
  OutputFile out(a.output);
  out.write(r.html);
  out.flush();
  errors.flush();
  out.commit();
  errors.commit();
  if (!a.data.quiet) {
    std::fprintf(stderr, "attune: %llu rows in: %llu used, %llu reported as errors; wrote %s%s\n",
                 static_cast<unsigned long long>(r.summary.rows_in), static_cast<unsigned long long>(r.summary.rows_scored),
                 static_cast<unsigned long long>(r.summary.rows_reported), a.output.c_str(), scale_summary_part(r.response_scale).c_str());
  }
  print_scale_status(r.response_scale, a.data.quiet);
  return scale_exit_code(r.response_scale, r.summary.rows_reported ? Exit::rows_reported : Exit::ok);
}

}  // namespace

Runner add_report(CLI::App& app) {
  auto a = std::make_shared<ReportArgs>();
  CLI::App* c = app.add_subcommand("report", "A self-contained HTML report of a data file: distributions, plane, reliability, items, quality flags");
  add_data_options(c, a->data);
  // The report reads its input twice (the quality model, then the scores), so a pipe cannot serve.
  c->get_option("input")->description("Data file: CSV, SPSS .sav or JSON Lines (a file: the report reads it twice, so not standard input)");
  add_quality_options(c, a->quality);
  c->add_flag("--listwise", a->listwise, "Reliability on complete cases only (default: pairwise-complete, as R psych)");
  c->add_option("-o,--output", a->output, "Output HTML file (default report.html)");
  c->add_option("--title", a->title, "Page title (default: instrument and file name)");
  c->add_option("--irt", a->irt,
                "Add the IRT section from a calibration (file or shipped id; docs/irt.md): each row's theta (EAP) per scale, "
                "their distribution, test information and SE curves");
  add_scale_confirmed_option(c, a->scale_confirmed);
  c->footer(
      "Every table has a link that downloads it as CSV (a data: link inside the page: no network). Figures have titles,\n"
      "ticked axes and legends; methods are cited and listed under References. The report describes a sample; it is not a\n"
      "diagnosis of anyone in it. Exit codes as for 'attune score'.");
  return [a] { return run(*a); };
}

}  // namespace attune::cli
