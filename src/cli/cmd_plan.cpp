// `attune plan` (answers or a saved result -> a plan); `attune take` is in cmd_take.cpp. Both are
// thin layers over recommend() and the renderers, sharing plan_args.hpp.
#include "change_options.hpp"
#include "commands.hpp"
#include "file_guard.hpp"
#include "options.hpp"
#include "plan_args.hpp"

#include <attune/attune.hpp>
#include <attune/guidance.hpp>
#include <attune/retake.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace attune::cli {

namespace {

// The percentiles a saved result's "norms" member holds (score --json with a norm set that applied),
// so the care rule reads the norm sample itself; missing when there are none.
NormPercentiles saved_norm_percentiles(const nlohmann::json& saved, const ScoringPlan& sp) {
  NormPercentiles out;
  if (!sp.has_profile() || !saved.contains("norms") || !saved["norms"].is_object()) return out;
  const nlohmann::json& scales = saved["norms"].value("scales", nlohmann::json::object());
  auto pct = [&](const std::string& id) {
    if (!scales.is_object() || !scales.contains(id) || !scales[id].is_object()) return kMissing;
    const nlohmann::json& p = scales[id].value("percentile", nlohmann::json());
    return p.is_number() ? p.get<double>() : kMissing;
  };
  out.anxiety = pct(sp.method().anxiety_scale);
  out.avoidance = pct(sp.method().avoidance_scale);
  return out;
}

// `plan --before EARLIER.json`: what moved and what held since the earlier result, ahead of the plan.
std::string with_retake(const PlanArgs& a, const std::string& now_json, const std::string& now_name, const Plan& plan,
                        const Guidance& g, const std::string& shown) {
  claim_input(a.before, "--before");
  const SavedResult before = read_saved_result(read_text_file(a.before, "earlier result"), a.before);
  const SavedResult now = read_saved_result(now_json, now_name);
  CompareOptions o;
  o.supplied = supplied_errors(a.sd, a.reliability);
  o.norms = load_change_norms({before.norm_set, now.norm_set}, "", false, before.result.instrument_id);  // as `attune compare` does
  const Comparison c = compare_results(before, now, o);
  return add_retake_section(shown, a.format, plan, c, g);
}

// `attune take --format json` writes {"result": ..., "plan": ...}: its result is a saved result.
void unwrap_take_output(std::string& text, nlohmann::json& peek) {
  if (peek.is_object() && peek.contains("result") && peek["result"].is_object() && !peek.contains("scales")) {
    text = peek["result"].dump();
    peek = peek["result"];
  }
}

// The instrument to score with: a saved result names its own, which --instrument must not
// contradict; answers need --instrument.
std::string plan_instrument(const PlanArgs& a, const Result* saved, const std::string& name) {
  if (!saved) {
    if (a.instrument.empty())
      throw UsageError("--instrument is needed to score answers", {}, "--instrument ID, or a saved result from 'attune score --json'");
    return a.instrument;
  }
  if (!a.instrument.empty() && a.instrument != saved->instrument_id) {
    Location where;
    where.file = name;
    where.json_path = "/instrument/id";
    where.value = saved->instrument_id;
    throw UsageError("the saved result is for another instrument than --instrument " + a.instrument, where, "the same instrument");
  }
  return saved->instrument_id;
}

int run_plan(const PlanArgs& a) {
  claim_input(a.json, "--json");
  claim_input(a.instrument, "--instrument");
  std::string text = read_text_file(a.json, "answers or result file");
  const std::string name = a.json == "-" ? "<stdin>" : a.json;
  const std::string as_given = text;  // take's wrapper keeps the date it was taken, for --before
  nlohmann::json peek = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  unwrap_take_output(text, peek);
  const bool saved = peek.is_object() && peek.contains("profile") && peek.contains("scales");
  Guidance guidance = Guidance::load(a.lang);
  Context ctx = make_context(a);
  Result result;
  if (saved) result = result_from_json(text, name);
  const std::string instrument = plan_instrument(a, saved ? &result : nullptr, name);
  ScoringOptions so;
  so.profile_method = saved ? result.profile.method : a.method;
  ScoringPlan sp = ScoringPlan::compile(load_instrument(instrument), so);
  if (!saved) result = score(sp, responses_from_json(sp, text, name));
  Plan plan = recommend(sp, result, ctx, guidance, saved ? saved_norm_percentiles(peek, sp) : NormPercentiles{});
  std::string shown = render_plan(plan, guidance, a.format);
  if (a.before.empty() && !(a.sd.empty() && a.reliability.empty())) throw UsageError("--sd and --reliability go with --before", {}, "--before EARLIER.json");
  if (!a.before.empty()) shown = with_retake(a, saved ? as_given : to_json(sp, result), name, plan, guidance, shown);
  write_plan_output(a, shown, plan, guidance);
  return Exit::ok;
}

}  // namespace

Runner add_plan(CLI::App& app) {
  auto a = std::make_shared<PlanArgs>();
  CLI::App* c = app.add_subcommand("plan", "Recommend steps for one person, from answers or a saved result");
  c->add_option("--instrument,-i", a->instrument, "Built-in instrument id or path of an instrument file (not needed for a saved result)");
  c->add_option("--json", a->json, "Answers as a JSON object, or a saved result from 'attune score --json' or 'attune take --format json' ('-' for stdin)")->required();
  c->add_option("--before", a->before, "An earlier saved result of the same questionnaire: the plan starts with what moved and what held since then");
  c->add_option("--sd", a->sd, "With --before: SD of a scale for its SEM, SCALE=SD (with --reliability)")->take_all()->allow_extra_args(false);
  c->add_option("--reliability", a->reliability, "With --before: reliability of a scale for its SEM, SCALE=R")->take_all()->allow_extra_args(false);
  add_context_options(c, *a);
  c->footer(
      "Exit codes: 0 done; 2 usage; 3 invalid instrument; 4 invalid answers or result; 5 I/O.\n"
      "The plan describes tendencies, not a diagnosis. How steps are chosen: docs/guidance.md.");
  return [a] { return run_plan(*a); };
}

}  // namespace attune::cli
