// `attune score`: one person from JSON, or a whole CSV file.
#include "commands.hpp"

#include <attune/reliability.hpp>
#include "options.hpp"
#include "irt_member.hpp"
#include "norms_member.hpp"
#include "file_norms_options.hpp"
#include "output_file.hpp"
#include "scale_check.hpp"
#include "score_json_options.hpp"

#include <attune/attune.hpp>
#include <attune/research_job.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace attune::cli {

namespace {

struct ScoreArgs {
  std::string instrument;
  std::string map;
  std::vector<std::string> missing;
  std::string response_scale;
  std::string method;
  std::string norms = "instrument";
  std::string format = "csv";
  std::vector<std::string> keep;
  std::string errors;
  std::string on_error = "report";
  std::string json;
  std::string input;
  std::string output = "-";
  int decimals = 6;
  unsigned threads = 0;
  std::size_t skip_rows = 0;
  std::string delimiter = ",";
  bool row_numbers = false;
  bool quiet = false;
  bool scale_confirmed = false;  // --response-scale-confirmed
  bool norms_alpha = false;  // --norms-alpha: the norms' alpha over the instrument's for the SEM
  QualityArgs quality;
  std::string reliability;   // also write reliability and item statistics (JSON, or text for .txt) here
  std::string input_format;  // csv, sav, jsonl; default: by the input's extension
  bool value_labels = false;
  // --plan-columns: each row's top focus steps, for one context shared by every row
  int plan_columns = 0;
  std::string stage;
  bool parent = false, no_parent = false, single = false, partnered = false;
  std::string lang = "en";
  std::string irt;  // --irt CALIBRATION.json|ID: theta and SE per scale (one person only, for now)
  bool irt_map = false;
  NormChoice norm_choice;  // --norm-set, --norm-group, --convert-response-scale (one person)
};

std::map<std::string, Norm> read_norms_file(const std::string& path) {
  // The library's reader: the shared JSON guard (depth, duplicate keys) and strict entries.
  return norms_from_json(read_text_file(path, "norms file"), path);
}

// Progress on a terminal only: rows, rows per second and, for a regular file, an ETA.
struct Progress {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last = start;
  std::uint64_t total_bytes = 0;
  bool shown = false;
  void update(std::uint64_t rows, std::uint64_t bytes) {
    auto now = std::chrono::steady_clock::now();
    if (now - last < std::chrono::milliseconds(200)) return;
    last = now;
    double secs = std::chrono::duration<double>(now - start).count();
    double rate = secs > 0 ? rows / secs : 0;
    char eta[64] = "";
    if (total_bytes > 0 && bytes > 0 && bytes < total_bytes) {
      double left = secs * (static_cast<double>(total_bytes) / bytes - 1.0);
      std::snprintf(eta, sizeof eta, ", ETA %.0fs", left);
    }
    std::fprintf(stderr, "\rattune: %llu rows, %.0f rows/s%s   ", static_cast<unsigned long long>(rows), rate, eta);
    shown = true;
  }
  void finish() {
    if (shown) std::fprintf(stderr, "\n");
  }
};

int score_one(const ScoringPlan& plan, const ScoreArgs& a) {
  std::string text = read_text_file(a.json, "answers file");
  Responses r = responses_from_json(plan, text, a.json == "-" ? "<stdin>" : a.json);
  Result res = score(plan, r);
  std::string result = to_json(plan, res);
  const std::unique_ptr<AppliedNorms> norms = choose_norms(plan, a.norm_choice);
  if (norms) result = add_norms_member(result, plan, res, *norms);
  if (!a.irt.empty()) result = add_irt_member(result, plan, r.values(), a.irt, a.irt_map, norms.get(), a.norm_choice.convert_linear());
  OutputFile out(a.output);
  out.write(result + "\n");
  out.commit();
  return Exit::ok;
}

void claim_score_inputs(const ScoreArgs& a) {
  claim_input(a.input, "the data file");
  claim_input(a.instrument, "--instrument");
  claim_input(a.json, "--json");
  if (a.norms != "instrument" && a.norms != "midpoint" && a.norms != "sample") claim_input(a.norms, "--norms");
  // Before anything opens the input (telling its format reads its first bytes).
  if (a.json.empty() && a.norms == "sample") require_two_readings(a.input, "--norms sample");
  if (a.json.empty() && a.quality.enabled) require_two_readings(a.input, "--quality");
}

BatchOptions score_batch_options(const ScoreArgs& a) {
  BatchOptions bo;
  if (!a.map.empty()) bo.mapping = ColumnMapping::parse(a.map);
  bo.missing_codes = split_commas(a.missing);
  bo.keep = split_commas(a.keep);
  if (a.keep.empty()) bo.keep.clear();
  bo.format = a.format == "jsonl" ? OutputFormat::jsonl : OutputFormat::csv;
  bo.on_error = a.on_error == "stop" ? ErrorPolicy::stop : ErrorPolicy::report;
  bo.decimals = a.decimals;
  check_threads(a.threads);
  bo.threads = a.threads;
  bo.skip_rows = a.skip_rows;
  bo.row_numbers = a.row_numbers;
  bo.delimiter = parse_delimiter(a.delimiter);
  return bo;
}

void set_norms(const ScoreArgs& a, ResearchJobOptions& o) {
  ScoringOptions& so = o.scoring;
  if (a.norms == "instrument") so.norms_source = NormsSource::instrument;
  else if (a.norms == "midpoint") so.norms_source = NormsSource::midpoint;
  else if (a.norms == "sample") {
    if (!a.json.empty()) throw UsageError("--norms sample needs a data file, not one person's answers");
    if (a.input == "-") throw UsageError("--norms sample reads the file twice; it cannot read standard input", {}, "a file path");
    o.sample_norms = true;
  } else {
    so.norms = read_norms_file(a.norms);
    so.norms_source = NormsSource::user;
    so.norms_label = a.norms;
  }
}

ResearchJobOptions job_options(const ScoreArgs& a) {
  ResearchJobOptions o;
  if (!a.response_scale.empty()) o.scoring.data_scale = parse_scale(a.response_scale);
  o.scoring.profile_method = a.method;
  o.scoring.prefer_norms_alpha = a.norms_alpha;
  o.batch = score_batch_options(a);
  o.input = a.input;
  o.input_options.format = input_format_for(a.input, a.input_format);
  if (a.value_labels) {
    o.input_options.value_label_columns = o.batch.keep;
    add_norm_label_column(a.norm_choice, o.input_options.value_label_columns);
  }
  o.sav_output = a.format == "sav" || (a.format == "csv" && input_format_for(a.output) == InputFormat::sav);
  if (o.sav_output) o.batch.format = OutputFormat::csv;
  set_norms(a, o);
  o.quality = a.quality.enabled;
  o.quality_thresholds = a.quality.t;
  o.reliability = !a.reliability.empty();
  o.check_response_scale = !a.scale_confirmed;
  return o;
}

void check_plan_context(const ScoreArgs& a) {
  const bool plan_context = !a.stage.empty() || a.parent || a.no_parent || a.single || a.partnered;
  if (plan_context && a.plan_columns == 0)
    throw UsageError("--stage, --parent, --no-parent, --single and --partnered set the context of --plan-columns", {}, "--plan-columns N as well");
  if (a.plan_columns > 0 && !a.json.empty())
    throw UsageError("--plan-columns adds columns to a scored file; for one person use 'attune plan'", {}, "an input file");
}

// What the CLI keeps around the research job: error records, the output files, the extra columns.
struct ScoreFileRun {
  std::unique_ptr<ErrorSink> errors;
  std::unique_ptr<OutputFile> out;
  std::unique_ptr<PlanColumns> plan_cols;
  std::unique_ptr<irt::ThetaScorer> theta;
  norms::FileNorms* file_norms = nullptr;  // --norm-group on a file: gets the theta norm columns where they apply
  Progress progress;
};

// The theta norm columns follow the rule of one person's result (norms::theta_norms_apply): EAPs from
// the calibration the set was made from; otherwise they are left out, as there.
void add_theta_norms(const ScoreArgs& a, const ScoreFileRun& r, const ScoringPlan& plan) {
  if (!r.file_norms || a.irt_map) return;
  const irt::Calibration c = irt::load_calibration(a.irt);
  if (!norms::theta_norms_apply(r.file_norms->set, c.provenance.date, c.provenance.input_sha256, a.irt_map)) return;
  std::vector<std::string> ids;
  for (std::size_t s = 0; s < r.theta->scale_count(); ++s) ids.push_back(r.theta->scale_id(s));
  r.file_norms->add_theta(plan, ids);
}

void add_score_columns(const ScoreArgs& a, ScoreFileRun& r, const ScoringPlan& plan, BatchOptions& bo) {
  // The guidance pack is loaded and the context checked once; each row then only does arithmetic.
  if (a.plan_columns > 0) {
    Context ctx;
    ctx.stage = a.stage;
    if (a.parent) ctx.parent = true;
    if (a.no_parent) ctx.parent = false;
    if (a.single) ctx.partnered = false;
    if (a.partnered) ctx.partnered = true;
    r.plan_cols = std::make_unique<PlanColumns>(plan, Guidance::load(a.lang), ctx, a.plan_columns);
    bo.extra_columns = r.plan_cols.get();
  }
  // One scorer (its log-probability tables) for every worker: estimating theta then allocates nothing per row.
  if (!a.irt.empty()) {
    r.theta = theta_scorer_for(plan, a.irt);
    bo.theta = r.theta.get();
    bo.theta_map = a.irt_map;
    add_theta_norms(a, r, plan);
  }
}

ResearchHooks score_hooks(const ScoreArgs& a, ScoreFileRun& r) {
  ResearchHooks h;
  h.input_opened = [&a, &r](const std::string& name) { r.errors = std::make_unique<ErrorSink>(a.errors, name); };
  h.add_columns = [&a, &r](const ScoringPlan& plan, BatchOptions& bo) { add_score_columns(a, r, plan, bo); };
  h.open_output = [&a, &r] {
    r.out = std::make_unique<OutputFile>(a.output);
    return ResearchOutput{r.out->get(), r.out->name(), a.output};
  };
  h.on_error = [&r](const RowError& e) { (*r.errors)(e); };
  if (!a.quiet && ::isatty(STDERR_FILENO)) {
    h.progress = [&r](std::uint64_t rows, std::uint64_t bytes, std::uint64_t total) {
      r.progress.total_bytes = total;
      r.progress.update(rows, bytes);
    };
  }
  return h;
}

// Every output is flushed before any is renamed into place: a full disk on the last must not leave
// the others looking complete.
void commit_outputs(const ScoreArgs& a, ScoreFileRun& r, const ResearchSummary& s) {
  std::unique_ptr<OutputFile> rel_file;
  if (s.reliability) {
    const bool text = a.reliability.size() > 4 && a.reliability.compare(a.reliability.size() - 4, 4, ".txt") == 0;
    rel_file = std::make_unique<OutputFile>(a.reliability);
    rel_file->write(text ? to_text(*s.reliability) : to_json(*s.reliability));
    rel_file->flush();
  }
  r.out->flush();
  r.errors->flush();
  if (rel_file) rel_file->commit();
  r.out->commit();
  r.errors->commit();
}

void print_score_summary(const ScoreArgs& a, const ResearchSummary& r, const norms::FileNorms* file_norms) {
  const BatchSummary& s = r.rows;
  std::fprintf(stderr, "attune: %llu rows in: %llu scored, %llu reported as errors%s",
               static_cast<unsigned long long>(s.rows_in), static_cast<unsigned long long>(s.rows_scored),
               static_cast<unsigned long long>(s.rows_reported), s.rows_reported ? (a.errors.empty() ? " (above)" : (" (" + a.errors + ")").c_str()) : "");
  if (s.rows_with_notes) std::fprintf(stderr, "; %llu with a scale below its minimum answered (see notes)", static_cast<unsigned long long>(s.rows_with_notes));
  if (s.blank_lines) std::fprintf(stderr, "; %llu blank lines skipped", static_cast<unsigned long long>(s.blank_lines));
  if (s.rows_skipped) std::fprintf(stderr, "; %llu rows skipped (--skip-rows)", static_cast<unsigned long long>(s.rows_skipped));
  std::fprintf(stderr, "%s", scale_summary_part(r.response_scale).c_str());
  if (a.quality.enabled) std::fprintf(stderr, "\nattune: %s", quality_summary(s, r.quality_note).c_str());
  if (file_norms) std::fprintf(stderr, "\nattune: %s", file_norms_summary(*file_norms).c_str());
  if (r.reliability) {
    for (const auto& w : r.reliability->warnings) std::fprintf(stderr, "\nattune: warning: %s", w.message.c_str());
  }
  std::fprintf(stderr, "\n");
}

int score_file(ResearchJob& job, const ScoreArgs& a, norms::FileNorms* file_norms) {
  ScoreFileRun r;
  r.file_norms = file_norms;
  const ResearchSummary s = job.run(score_hooks(a, r));
  r.progress.finish();
  commit_outputs(a, r, s);
  if (!a.quiet) print_score_summary(a, s, file_norms);
  print_scale_status(s.response_scale, a.quiet);
  return scale_exit_code(s.response_scale, s.rows.rows_reported ? Exit::rows_reported : Exit::ok);
}

int run(const ScoreArgs& a) {
  claim_score_inputs(a);
  Instrument ins = load_instrument(a.instrument);
  ResearchJobOptions options = job_options(a);
  if (!a.json.empty()) {
    const ScoringPlan plan = ScoringPlan::compile(ins, options.scoring);
    check_plan_context(a);
    return score_one(plan, a);
  }
  // --norm-group gender=COLUMN,age=COLUMN: set before any reading, so the quality model's first
  // reading keeps the two columns too. It needs only the instrument and the data's scale.
  std::unique_ptr<norms::FileNorms> file_norms;
  const NormChoice& nc = a.norm_choice;
  if (!nc.set.empty() || !nc.group.empty() || !nc.conversion.empty()) {
    ScoringOptions for_norms = options.scoring;
    for_norms.norms_source = NormsSource::midpoint;
    for_norms.norms.clear();
    file_norms = file_norms_for(ScoringPlan::compile(ins, for_norms), nc);
    options.batch.norms = file_norms.get();
  }
  // The sample-norms reading, when asked, and the plan: before the usage checks below, as always.
  ResearchJob job(ins, std::move(options));
  check_plan_context(a);
  if (a.input.empty()) throw UsageError("no input file", {}, "IN.csv (or - for standard input), or --json ANSWERS.json");
  return score_file(job, a, file_norms.get());
}

}  // namespace

Runner add_score(CLI::App& app) {
  auto a = std::make_shared<ScoreArgs>();
  CLI::App* c = app.add_subcommand("score", "Score one person (--json) or a CSV file of many");
  c->add_option("--instrument,-i", a->instrument, "Built-in instrument id or path of an instrument file")->required();
  c->add_option("input", a->input, "CSV file to score ('-' for standard input)");
  c->add_option("-o,--output", a->output, "Output file ('-' for standard output; written whole or not at all)");
  c->add_option("--json", a->json, "Score one person: a JSON object of answers by item id or position ('-' for stdin)");
  c->add_option("--map", a->map, "Columns to items: a pattern like 'Q{n}', 'ECR_{n:02}' (zero-padded) or '{id}', a list of columns in item order, or item=column pairs (default: columns named like the item ids, case ignored where one column matches)");
  c->add_option("--irt", a->irt, "Add <scale>_theta and <scale>_theta_se (EAP with the posterior SD) from a calibration (file or shipped id; docs/irt.md): to one person's JSON, or as columns of a file's output");
  c->add_flag("--irt-map", a->irt_map, "With --irt: the posterior mode (MAP) instead of the posterior mean (EAP)");
  add_norm_choice_options(c, a->norm_choice);
  c->add_option("--missing", a->missing, "Values that mean 'not answered' besides empty cells, e.g. 0 or NA,-99")
      ->allow_extra_args(false);  // one comma list per use: the input file after it is not a code
  c->add_option("--response-scale", a->response_scale, "Scale the data were collected on, MIN..MAX, when it differs from the instrument's");
  c->add_option("--profile-method", a->method, "Profile method (see 'attune instruments show ID'); default: the instrument's");
  c->add_option("--norms", a->norms, "instrument (default), midpoint, sample (mean, sd and alpha from this file), or a JSON file of {scale: {mean, sd, alpha?}}");
  c->add_flag("--norms-alpha", a->norms_alpha,
              "Use the alpha given with the norms (file or sample) for the SEM even where the instrument publishes its own");
  c->add_option("--format", a->format, "Output format (default csv; sav when the output file ends in .sav: the input is then read twice, so a file, not a pipe)")
      ->check(CLI::IsMember({"csv", "jsonl", "sav"}));
  c->add_option("--input-format", a->input_format, "Input format (default: by extension: .sav, .jsonl/.ndjson, else CSV)")
      ->check(CLI::IsMember({"csv", "sav", "jsonl", "ndjson"}));
  c->add_flag("--value-labels", a->value_labels, "SPSS input: write kept (--keep) columns as their value labels instead of codes");
  c->add_option("--keep", a->keep, "Input columns to copy to the output (default: a column named id, if any); none may share a name with an output column")
      ->allow_extra_args(false);  // one comma list per use: the input file after it is not a column
  c->add_option("--errors", a->errors, "Write error records (CSV) to this file instead of standard error");
  c->add_option("--on-error", a->on_error, "report: write an error record and go on; stop: stop at the first bad row")
      ->check(CLI::IsMember({"report", "stop"}));
  c->add_option("--decimals", a->decimals, "Decimals in output numbers (0-9)")->check(CLI::Range(0, 9));
  c->add_option("--threads", a->threads, "Worker threads (default: all cores; at most 1024)");
  add_skip_rows_option(c, a->skip_rows);
  c->add_option("--delimiter", a->delimiter, "Field delimiter (one character, or 'tab'; not a quote, line end or digit)");
  c->add_flag("--row-numbers", a->row_numbers, "Add a leading 'row' column with the 1-based data row number");
  c->add_flag("--quiet,-q", a->quiet, "No progress bar or summary on standard error (a response-scale warning still shows)");
  add_scale_confirmed_option(c, a->scale_confirmed);
  add_quality_options(c, a->quality);
  c->add_option("--reliability", a->reliability,
                "Also write reliability and item statistics per scale (as `attune reliability`: JSON, or text when the name ends in .txt), "
                "from the same reading of the file");
  c->add_option("--plan-columns", a->plan_columns,
                "Add each row's plan: plan_mode, plan_more_help (1 = the plan leads with 'consider more help') and the ids "
                "of its top N focus steps, plan_1..plan_N (see docs/guidance.md)")
      ->check(CLI::Range(1, 99));
  c->add_option("--stage", a->stage, "With --plan-columns: relationship stage of every row: single, dating, long_term, parenting, separating")
      ->check(CLI::IsMember({"single", "dating", "long_term", "parenting", "separating"}));
  auto* par = c->add_flag("--parent", a->parent, "With --plan-columns: every row is a parent");
  auto* npar = c->add_flag("--no-parent", a->no_parent, "With --plan-columns: no row is a parent");
  par->excludes(npar);
  auto* sgl = c->add_flag("--single", a->single, "With --plan-columns: every row is not in a relationship now");
  auto* ptn = c->add_flag("--partnered", a->partnered, "With --plan-columns: every row is in a relationship now");
  sgl->excludes(ptn);
  c->add_option("--lang", a->lang, "With --plan-columns: language of the guidance pack whose rules choose the steps (default: en)");
  c->footer(
      "Exit codes: 0 all rows scored; 1 finished with rows reported as errors; 2 usage; 3 invalid instrument;\n"
      "4 invalid data (stop mode, one person, missing column, CSV syntax); 5 I/O; 7 a limit was exceeded;\n"
      "9 finished, but the answers do not fit the declared response scale as used (see the warning; before 1).\n"
      "Scores describe tendencies on a continuum; they are not a diagnosis.");
  return [a, c] {
    if (!a->json.empty()) refuse_batch_options_with_json(*c, a->output);
    return run(*a);
  };
}

}  // namespace attune::cli
