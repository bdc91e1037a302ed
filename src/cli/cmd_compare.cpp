// `attune compare BEFORE.json AFTER.json`: did it really change? Per scale, the difference, the
// reliable change index and the minimal detectable change (library: attune/retake.hpp); with --long,
// the same for every person and interval of a long file (one row per person and occasion).
#include "commands.hpp"
#include "options.hpp"
#include "output_file.hpp"
#include "change_options.hpp"
#include "file_guard.hpp"

#include <map>
#include <tuple>

#include <attune/retake.hpp>

#include <cstdio>
#include <fstream>
#include <memory>

namespace attune::cli {

namespace {

struct CompareArgs {
  std::string before, after;
  std::string format = "text";
  std::vector<std::string> sd, reliability;
  std::string before_date, after_date;
  std::string output = "-";
  std::string lang = "en";
  std::string long_file, id_col, time_col, instrument;
  std::string norm_set, conversion, response_scale;  // --norm-set, --convert-response-scale, --response-scale (--long)
};

std::string render(const Comparison& c, const Guidance& g, const std::string& format) {
  if (format == "json") return to_json(c, g) + "\n";
  return format == "md" ? to_markdown(c, g) : to_text(c, g);
}

int run_compare(const CompareArgs& a) {
  bool sd_baseline = false;
  const auto supplied = supplied_errors(a.sd, a.reliability, &sd_baseline);
  if (!a.long_file.empty()) {
    if (!a.before.empty()) throw UsageError("--long compares the occasions inside one file; give no result files with it", {}, "either --long FILE or BEFORE.json AFTER.json");
    LongCompareOptions lo;
    if (!a.id_col.empty()) lo.id_col = a.id_col;
    lo.time_col = a.time_col;
    lo.instrument = a.instrument;
    lo.supplied = supplied;
    lo.sd_baseline = sd_baseline;
    lo.norms = load_change_norms({}, a.norm_set, a.conversion == "linear", a.instrument);
    if (!a.response_scale.empty()) {
      const ResponseScale rs = parse_scale(a.response_scale);
      lo.scale_min = rs.min, lo.scale_max = rs.max;
    }
    lo.on_basis = [](const std::string& scale, const std::string& basis) {
      std::fprintf(stderr, "attune compare --long: %s: %s\n", scale.c_str(), basis.c_str());
    };
    claim_input(a.long_file, "--long");
    std::ifstream in(a.long_file, std::ios::binary);
    if (!in) throw IoError("cannot open the long file", Location::in_file(a.long_file));
    OutputFile out(a.output);
    out.write(compare_long(in, a.long_file, lo));
    out.commit();
    return Exit::ok;
  }
  if (a.before.empty() || a.after.empty()) throw UsageError("compare needs two saved results", {}, "attune compare BEFORE.json AFTER.json, or --long FILE");
  if (sd_baseline) throw UsageError("--sd baseline needs a long file (--long)", {}, "--sd SCALE=SD for two results");
  if (!a.response_scale.empty()) throw UsageError("--response-scale is for a long file (--long): a saved result says its own", {}, "--long FILE");
  claim_input(a.before, "the first result");
  claim_input(a.after, "the second result");
  const SavedResult before = read_saved_result(read_text_file(a.before, "saved result"), a.before == "-" ? "<stdin>" : a.before);
  const SavedResult after = read_saved_result(read_text_file(a.after, "saved result"), a.after);
  CompareOptions co;
  co.supplied = supplied;
  co.before_date = a.before_date;
  co.after_date = a.after_date;
  co.norms = load_change_norms({before.norm_set, after.norm_set}, a.norm_set, a.conversion == "linear", before.result.instrument_id);
  const Comparison c = compare_results(before, after, co);
  const Guidance g = Guidance::load(a.lang);
  OutputFile out(a.output);
  out.write(render(c, g, a.format));
  out.commit();
  return Exit::ok;
}

}  // namespace

Runner add_compare(CLI::App& app) {
  auto a = std::make_shared<CompareArgs>();
  CLI::App* c = app.add_subcommand("compare", "Compare two results of one person (a retake): what really changed, beyond measurement error");
  c->add_option("before", a->before, "The earlier result: JSON from 'attune score --json' or 'attune take --format json'");
  c->add_option("after", a->after, "The later result, of the same questionnaire");
  c->add_option("--format", a->format, "Output: text (default), md or json")->check(CLI::IsMember({"text", "md", "json"}));
  c->add_option("--sd", a->sd, "SD of a scale for its SEM, SCALE=SD (with --reliability); with --long also 'baseline': the SD of the first occasions in the file")->take_all()->allow_extra_args(false);
  c->add_option("--reliability", a->reliability, "Reliability of a scale for its SEM, SCALE=R (0 <= R < 1)")->take_all()->allow_extra_args(false);
  c->add_option("--before-date", a->before_date, "Date the earlier result was taken, YYYY-MM-DD (default: its 'taken' field)");
  c->add_option("--after-date", a->after_date, "Date the later result was taken, YYYY-MM-DD (default: its 'taken' field)");
  c->add_option("-o,--output", a->output, "Output file ('-' for standard output)");
  c->add_option("--lang", a->lang, "Language of the guidance pack (default: en)");
  c->add_option("--long", a->long_file, "A long CSV file (one row per person and occasion, scale columns as 'attune score' writes them): one output row per person and interval");
  c->add_option("--id", a->id_col, "With --long: the column that identifies a person (default: id)");
  c->add_option("--time", a->time_col, "With --long: the column that orders the occasions (dates YYYY-MM-DD or numbers)");
  c->add_option("-i,--instrument", a->instrument, "With --long: the instrument whose scale columns are compared");
  c->add_option("--norm-set", a->norm_set,
                "A norm set (id or file) whose SD and alpha judge results that name no set; a set a result names is looked up "
                "by itself when the result was saved without them (docs/change.md)");
  c->add_option("--convert-response-scale", a->conversion,
                "linear: judge scores on another response scale than the norm set's (the ECR on its own 1..7) with the set's "
                "alpha and its SD times the ratio of the two ranges (6/4 from 1..5 to 1..7): an approximation, said in the "
                "basis; without --norm-set, the instrument's default set")
      ->check(CLI::IsMember({"linear"}));
  c->add_option("--response-scale", a->response_scale, "With --long: the scale the scores were answered on, MIN..MAX (default: the instrument's)");
  c->footer(
      "Reliable change (Jacobson & Truax, 1991): rci = (after - before) / s_diff, s_diff = sqrt(se_before^2 + se_after^2),\n"
      "reliable when |rci| > 1.96; mdc95 = 1.96 x s_diff. Which SEs are used is said per scale (docs/change.md).\n"
      "Exit codes: 0 done; 2 usage (e.g. results of different questionnaires, a norm set that does not fit); 3 unreadable\n"
      "norm-set file; 4 invalid result or file; 5 I/O.\n"
      "A change in scores is not a diagnosis.");
  return [a] { return run_compare(*a); };
}

}  // namespace attune::cli
