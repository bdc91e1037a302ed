// `attune plan` (answers or a saved result -> a plan) and `attune take` (ask the items in the
// terminal, then score and plan). Both are thin layers over recommend() and the renderers.
#include "commands.hpp"
#include "options.hpp"
#include "output_file.hpp"
#include "take_adaptive.hpp"
#include "take_norms.hpp"
#include "take_result.hpp"
#include "take_terminal.hpp"
#include "change_options.hpp"

#include <attune/attune.hpp>
#include <attune/guidance.hpp>
#include <attune/retake.hpp>
#include <attune/text_pack.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

namespace attune::cli {

namespace {

struct PlanArgs {
  std::string instrument;
  std::string json;
  std::string method;
  std::string stage;
  bool parent = false, no_parent = false, single = false, partnered = false;
  std::string start;
  std::string format = "text";
  std::string ics;
  std::string ics_reminder;  // HH:MM: a daily alarm in the .ics
  std::string output = "-";
  std::string lang = "en";
  std::string text_pack;  // take only
  std::string save;       // take only: answers kept here as they are given, and resumed from
  std::string response_scale;  // take only: MIN..MAX the person answers on (the shipped ECR norms: 1..5)
  std::string norm_group;      // take only: gender=...,age=... chooses the norms' group
  std::string before;     // plan only: an earlier result, for a plan after a retake
  std::vector<std::string> sd, reliability;  // plan only, with --before: the SEM of a scale
};

// "HH:MM" -> minutes after midnight for the .ics alarm; -1 when not asked for.
int reminder_minute(const PlanArgs& a) {
  if (a.ics_reminder.empty()) return -1;
  if (a.ics.empty()) throw UsageError("--ics-reminder sets the alarm of the --ics calendar", {}, "--ics FILE as well");
  const std::string& s = a.ics_reminder;
  auto digit = [&s](std::size_t i) { return s[i] >= '0' && s[i] <= '9'; };
  if (s.size() == 5 && s[2] == ':' && digit(0) && digit(1) && digit(3) && digit(4)) {
    const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h < 24 && m < 60) return h * 60 + m;
  }
  Location where;
  where.value = s;
  throw UsageError("--ics-reminder is not a time of day", where, "HH:MM from 00:00 to 23:59, e.g. 08:30");
}

Date today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  Date d;
  d.year = tm.tm_year + 1900;
  d.month = tm.tm_mon + 1;
  d.day = tm.tm_mday;
  return d;
}

std::string utc_stamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

Context make_context(const PlanArgs& a) {
  Context c;
  c.stage = a.stage;
  if (a.parent) c.parent = true;
  if (a.no_parent) c.parent = false;
  if (a.single) c.partnered = false;
  if (a.partnered) c.partnered = true;
  c.start = a.start.empty() ? today() : Date::parse(a.start);
  return c;
}

// The plan and, with --ics, the calendar: both are written and flushed before either is renamed into
// place, so a full disk on the second does not leave the first looking like a complete run.
void write_out(const std::string& path, const std::string& text, const std::string& ics_path, const std::string& ics) {
  OutputFile out(path);
  out.write(text);
  std::unique_ptr<OutputFile> cal;
  if (!ics_path.empty()) {
    cal = std::make_unique<OutputFile>(ics_path);
    cal->write(ics);
  }
  out.flush();
  if (cal) cal->flush();
  out.commit();
  if (cal) cal->commit();
}

std::string render(const Plan& plan, const Guidance& g, const std::string& format) {
  if (format == "json") return to_json(plan, g) + "\n";
  if (format == "md") return to_markdown(plan, g);
  return to_text(plan, g);
}

void add_context_options(CLI::App* c, PlanArgs& a) {
  c->add_option("--stage", a.stage, "Relationship stage: single, dating, long_term, parenting, separating")
      ->check(CLI::IsMember({"single", "dating", "long_term", "parenting", "separating"}));
  auto* p = c->add_flag("--parent", a.parent, "You are a parent");
  auto* np = c->add_flag("--no-parent", a.no_parent, "You are not a parent");
  p->excludes(np);
  auto* s = c->add_flag("--single", a.single, "You are not in a relationship now");
  auto* pt = c->add_flag("--partnered", a.partnered, "You are in a relationship now");
  s->excludes(pt);
  c->add_option("--start", a.start, "First day of the 30-day schedule, YYYY-MM-DD (default: today)");
  c->add_option("--format", a.format, "Plan output: text (default), md or json")->check(CLI::IsMember({"text", "md", "json"}));
  c->add_option("--ics", a.ics, "Also write the 30 days as an iCalendar file (.ics) for a calendar app, with a reminder to retake the questionnaire on day 31");
  c->add_option("--ics-reminder", a.ics_reminder, "With --ics: a reminder at this local time each day, HH:MM (e.g. 08:30)");
  c->add_option("-o,--output", a.output, "Output file ('-' for standard output)");
  c->add_option("--lang", a.lang, "Language of the guidance pack (default: en)");
  c->add_option("--profile-method", a.method, "Profile method (see 'attune instruments show ID'); default: the instrument's");
}

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
  o.norms = change_norms({before.norm_set, now.norm_set}, "", "", before.result.instrument_id);  // as `attune compare` does
  const Comparison c = compare_results(before, now, o);
  return add_retake_section(shown, a.format, plan, c, g);
}

int run_plan(const PlanArgs& a) {
  claim_input(a.json, "--json");
  claim_input(a.instrument, "--instrument");
  std::string text = read_text_file(a.json, "answers or result file");
  const std::string name = a.json == "-" ? "<stdin>" : a.json;
  const std::string as_given = text;  // take's wrapper keeps the date it was taken, for --before
  nlohmann::json peek = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  // `attune take --format json` writes {"result": ..., "plan": ...}: its result is a saved result.
  if (peek.is_object() && peek.contains("result") && peek["result"].is_object() && !peek.contains("scales")) {
    text = peek["result"].dump();
    peek = peek["result"];
  }
  const bool saved = peek.is_object() && peek.contains("profile") && peek.contains("scales");
  Guidance guidance = Guidance::load(a.lang);
  Context ctx = make_context(a);
  std::string instrument = a.instrument;
  Result result;
  if (saved) {
    result = result_from_json(text, name);
    if (!instrument.empty() && instrument != result.instrument_id) {
      Location where;
      where.file = name;
      where.json_path = "/instrument/id";
      where.value = result.instrument_id;
      throw UsageError("the saved result is for another instrument than --instrument " + instrument, where, "the same instrument");
    }
    instrument = result.instrument_id;
  } else if (instrument.empty()) {
    throw UsageError("--instrument is needed to score answers", {}, "--instrument ID, or a saved result from 'attune score --json'");
  }
  ScoringOptions so;
  so.profile_method = saved ? result.profile.method : a.method;
  ScoringPlan sp = ScoringPlan::compile(load_instrument(instrument), so);
  if (!saved) result = score(sp, responses_from_json(sp, text, name));
  Plan plan = recommend(sp, result, ctx, guidance, saved ? saved_norm_percentiles(peek, sp) : NormPercentiles{});
  std::string shown = render(plan, guidance, a.format);
  if (a.before.empty() && !(a.sd.empty() && a.reliability.empty())) throw UsageError("--sd and --reliability go with --before", {}, "--before EARLIER.json");
  if (!a.before.empty()) shown = with_retake(a, saved ? as_given : to_json(sp, result), name, plan, guidance, shown);
  write_out(a.output, shown, a.ics, a.ics.empty() ? std::string() : to_ics(plan, guidance, utc_stamp(), reminder_minute(a)));
  return Exit::ok;
}

// ---------------------------------------------------------------------------------------------
// take

// `take --save FILE`: the answers so far as answers JSON by item id (null = skipped), so the file is
// also what `attune score --json` and `attune plan` read. Items not yet asked are absent.
struct SavedAnswers {
  std::string path;
  void write(const std::vector<const Item*>& order, const std::vector<double>& answers, const std::vector<bool>& asked) const {
    if (path.empty()) return;
    std::string j = "{";
    for (std::size_t k = 0; k < order.size(); ++k) {
      if (!asked[k]) continue;
      j += std::string(j.size() > 1 ? ",\n " : "\n ") + "\"" + order[k]->id + "\": " +
           (std::isnan(answers[k]) ? std::string("null") : std::to_string(static_cast<int>(answers[k])));
    }
    {
      OutputFile out(path);  // whole or not at all: a crash mid-write keeps the last complete file
      out.write(j + "\n}\n");
      out.commit();
    }
    release_output(path);
  }
  // Reads a file written by write() (checked as answers are: items, range, duplicates); returns
  // the index of the first item not yet asked.
  std::size_t read(const ScoringPlan& sp, const std::vector<const Item*>& order, std::vector<double>& answers,
                   std::vector<bool>& asked) const {
    struct stat st;
    if (path.empty() || ::stat(path.c_str(), &st) != 0) return 0;
    const std::string text = read_text_file(path, "saved answers");
    const Responses r = responses_from_json(sp, text, path);
    const nlohmann::json keys = nlohmann::json::parse(text);
    for (std::size_t k = 0; k < order.size(); ++k) {
      asked[k] = keys.contains(order[k]->id);
      answers[k] = r.values()[static_cast<std::size_t>(sp.item_index(order[k]->id))];
    }
    std::size_t first = 0;
    while (first < order.size() && asked[first]) ++first;
    return first;
  }
};

int run_take(const PlanArgs& a, const std::string& instrument_id) {
  claim_input(instrument_id, "the instrument");
  claim_input(a.text_pack, "--text-pack");
  const bool tty = ::isatty(STDIN_FILENO) != 0;
  Instrument ins = load_instrument(instrument_id);
  ScoringOptions so;
  so.profile_method = a.method;
  if (!a.response_scale.empty()) so.data_scale = parse_scale(a.response_scale);
  ScoringPlan sp = ScoringPlan::compile(ins, so);
  Guidance guidance = Guidance::load(a.lang);
  Context ctx = make_context(a);
  const TakeNorms norms = take_norms(sp, a.norm_group);  // before the first item: a bad --norm-group fails now
  std::unique_ptr<TextPack> pack;
  if (!a.text_pack.empty()) pack = std::make_unique<TextPack>(TextPack::from_file(a.text_pack, ins));

  std::vector<const Item*> order;
  for (const auto& it : ins.items) order.push_back(&it);
  std::sort(order.begin(), order.end(), [](const Item* x, const Item* y) { return x->position < y->position; });
  const int lo = sp.data_scale().min, hi = sp.data_scale().max;
  if (hi > 9 || lo < 0) throw UsageError("take answers with one key; this response scale goes beyond 0..9", {}, "a scale within 0..9");

  FILE* ui = stderr;  // prompts on stderr, so standard output holds only the results
  std::fprintf(ui, "%s (%s): %zu items, answers %d to %d.\n", on_screen(ins.name).c_str(), on_screen(ins.id).c_str(), order.size(), lo, hi);
  if (pack) {
    if (!pack->instructions().empty()) std::fprintf(ui, "%s\n", on_screen(pack->instructions()).c_str());
  } else {
    std::fprintf(ui, "Notice: no text pack given, so attune shows its own short labels, not the questionnaire's wording.\n"
                     "Pass --text-pack FILE with the wording you are licensed to use (see docs/cli.md, 'Text packs').\n");
  }
  std::string scale_line;
  for (int x = lo; x <= hi; ++x) {
    std::string label;
    // On another scale (--response-scale) an anchor is shown where it falls exactly: 1..5 keeps the
    // ends and the middle of 1..7.
    const double on_ins = convert_linear(x, sp.data_scale(), ins.response_scale);
    const int at = static_cast<int>(std::lround(on_ins));
    if (std::fabs(on_ins - at) > 1e-9) continue;
    if (pack) label = pack->anchor(at);
    else if (ins.response_scale.anchors.count(at)) label = ins.response_scale.anchors.at(at);
    if (!label.empty()) scale_line += "  " + std::to_string(x) + " = " + on_screen(label) + "\n";
  }
  std::fprintf(ui, "Scale:\n%sKeys: %d-%d answer, b = back, s = skip, q = quit.%s\n\n", scale_line.c_str(), lo, hi,
               tty ? "" : " (reading answers from standard input, one per line)");

  std::vector<double> answers(order.size(), kMissing);
  std::vector<bool> asked(order.size(), false);
  const SavedAnswers saved{a.save};
  std::size_t i = saved.read(sp, order, answers, asked);
  if (i > 0) std::fprintf(ui, "Going on from %s: %zu of %zu items already asked.\n\n", a.save.c_str(), i, order.size());
  std::unique_ptr<RawTty> raw;
  if (tty) raw = std::make_unique<RawTty>();
  long line_no = 0;
  while (i < order.size()) {
    const Item& item = *order[i];
    const std::string wording = on_screen(pack ? pack->item(item.id) : item.label);
    std::fprintf(ui, "[%zu/%zu] %s\n  %d-%d, b, s, q%s: ", i + 1, order.size(), wording.c_str(), lo, hi,
                 std::isnan(answers[i]) ? "" : (" (now " + std::to_string(static_cast<int>(answers[i])) + ")").c_str());
    std::fflush(ui);
    std::string token;
    if (raw && raw->on) {
      const int ch = next_key();
      if (ch == 4 || ch == 'q' || ch == 'Q') {  // Ctrl-D or q
        // With --save nothing is lost by quitting, so there is nothing to ask.
        const auto answered = a.save.empty() ? static_cast<std::size_t>(std::count_if(answers.begin(), answers.end(), [](double x) { return !std::isnan(x); })) : 0;
        if (confirm_quit(ui, answered)) throw Cancelled{};
        continue;  // back to the same item
      }
      token = std::string(1, static_cast<char>(ch));
      std::fprintf(ui, "%s\n", std::isprint(ch) ? token.c_str() : "");
    } else {
      std::string line;
      bool got = false;
      while (std::getline(std::cin, line)) {
        ++line_no;
        std::size_t b = line.find_first_not_of(" \t\r"), e = line.find_last_not_of(" \t\r");
        if (b == std::string::npos) continue;  // blank lines are ignored
        token = line.substr(b, e - b + 1);
        got = true;
        break;
      }
      if (!got) {
        std::fprintf(ui, "\n");
        Location where;
        where.file = "<stdin>";
        where.item = item.id;
        throw DataError("input ended after " + std::to_string(i) + " of " + std::to_string(order.size()) + " items", where,
                        "one answer per item (a number, s to skip), or q to quit");
      }
      std::fprintf(ui, "%s\n", token.c_str());
    }
    if (token.size() == 1) {
      char c = static_cast<char>(std::tolower(static_cast<unsigned char>(token[0])));
      if (c >= '0' && c <= '9' && c - '0' >= lo && c - '0' <= hi) {
        answers[i] = c - '0';
        asked[i++] = true;
        saved.write(order, answers, asked);
        continue;
      }
      if (c == 's') {
        answers[i] = kMissing;
        asked[i++] = true;
        saved.write(order, answers, asked);
        continue;
      }
      if (c == 'b') {
        if (i > 0) --i;
        else std::fprintf(ui, "  (this is the first item)\n");
        continue;
      }
      if (c == 'q') throw Cancelled{};
    }
    if (tty) {
      std::fprintf(ui, "  Please press %d-%d, b, s or q.\n", lo, hi);
      continue;
    }
    Location where;
    where.file = "<stdin>";
    where.line = line_no;
    where.item = item.id;
    where.value = token;
    throw AnswerError("not an answer", where, "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) + ", b, s or q");
  }
  raw.reset();
  std::fprintf(ui, "\n");

  Responses r(sp);
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (!std::isnan(answers[k])) r.set(order[k]->id, answers[k]);
  }
  Result res = score(sp, r);
  Plan plan = recommend(sp, res, ctx, guidance);

  // take's JSON keeps the day it was taken, so `attune compare` can tell how far apart two takes were.
  const std::string out = a.format == "json" ? take_result_json(sp, res, plan, guidance, norms, today().iso())
                                             : take_result_text(sp, res, plan, norms, r.values(), a.format) + render(plan, guidance, a.format);
  write_out(a.output, out, a.ics, a.ics.empty() ? std::string() : to_ics(plan, guidance, utc_stamp(), reminder_minute(a)));
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

Runner add_take(CLI::App& app) {
  auto a = std::make_shared<PlanArgs>();
  auto id = std::make_shared<std::string>();
  auto adaptive = std::make_shared<AdaptiveTakeArgs>();
  CLI::App* c = app.add_subcommand("take", "Answer a questionnaire in the terminal, then see scores, profile and plan");
  c->add_option("instrument", *id, "Built-in instrument id or path of an instrument file, e.g. ecr-r")->required();
  c->add_option("--text-pack", a->text_pack, "JSON file with the item wording and anchors you are licensed to use");
  c->add_option("--save", a->save,
                "Keep the answers in this file as you go (answers JSON by item id; null = skipped); run again with the same "
                "file to go on where you stopped");
  add_context_options(c, *a);
  c->add_option("--response-scale", a->response_scale,
                "Answer on this scale, MIN..MAX, instead of the instrument's (the ECR norms were made on 1..5: "
                "percentiles are shown for answers on 1..5)");
  c->add_option("--norm-group", a->norm_group,
                "Your context, which chooses the norms' group for percentiles: gender=female|male,age=YEARS "
                "(either may be left out; default: the whole sample)");
  c->add_flag("--adaptive", adaptive->on, "Ask one item at a time, each chosen from the answers so far (about half the items; theta and SE per scale, no plan)");
  c->add_option("--calibration", adaptive->calibration, "--adaptive: the item bank, a calibration file or shipped id (default for ecr: ecr-openpsychometrics-1to5)");
  add_cat_rule_options(c, adaptive->rules);
  c->footer(
      "On a terminal one key answers (b back, s skip, q quit); piped input gives one answer per line.\n"
      "Exit codes: 0 done; 2 usage; 4 an invalid answer in piped input, or input ended early;\n"
      "6 invalid text pack; 8 stopped with q before the end (nothing scored).");
  return [a, id, adaptive] {
    try {
      if (adaptive->on) {
        if (!a->save.empty()) throw UsageError("--save is not offered with --adaptive yet", Location{}, "either --save or --adaptive");
        if (!a->response_scale.empty() || !a->norm_group.empty())
          throw UsageError("--response-scale and --norm-group are not offered with --adaptive yet (it answers on the calibration's scale)",
                           Location{}, "either --adaptive or --response-scale/--norm-group");
        return run_take_adaptive(TakeIo{*id, a->text_pack, a->format, a->output}, *adaptive);
      }
      return run_take(*a, *id);
    } catch (const Cancelled&) {
      restore_tty();
      if (!a->save.empty() && ::access(a->save.c_str(), F_OK) == 0)
        std::fprintf(stderr, "\nStopped before the end; your answers so far are kept in %s. Run the same command to go on.\n", a->save.c_str());
      else
        std::fprintf(stderr, "\nStopped before the end; nothing was scored or saved.\n");
      return static_cast<int>(Exit::cancelled);
    }
  };
}

}  // namespace attune::cli
