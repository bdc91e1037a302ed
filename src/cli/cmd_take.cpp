// `attune take`: ask the items in the terminal (one key each) or from piped lines, then score and
// plan. The adaptive form is in take_adaptive.cpp; the text shown with the result in take_result.cpp.
#include "commands.hpp"
#include "options.hpp"
#include "output_file.hpp"
#include "plan_args.hpp"
#include "take_adaptive.hpp"
#include "take_norms.hpp"
#include "take_result.hpp"
#include "take_terminal.hpp"

#include <attune/attune.hpp>
#include <attune/guidance.hpp>
#include <attune/text_pack.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace attune::cli {

namespace {

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

ScoringOptions take_scoring_options(const PlanArgs& a) {
  ScoringOptions so;
  so.profile_method = a.method;
  if (!a.response_scale.empty()) so.data_scale = parse_scale(a.response_scale);
  return so;
}

// Everything fixed before the first item is asked, in the order its checks fail: the instrument, the
// plan, the guidance, the norms (a bad --norm-group fails now), the text pack, the answer keys.
// order points into ins: a TakeSetup is made in place and never copied.
struct TakeSetup {
  TakeSetup(const PlanArgs& a, const std::string& instrument_id);
  TakeSetup(const TakeSetup&) = delete;
  TakeSetup& operator=(const TakeSetup&) = delete;

  Instrument ins;
  ScoringPlan sp;
  Guidance guidance;
  Context ctx;
  TakeNorms norms;
  std::unique_ptr<TextPack> pack;
  std::vector<const Item*> order;  // by position
  int lo, hi;                      // the answer keys
};

TakeSetup::TakeSetup(const PlanArgs& a, const std::string& instrument_id)
    : ins(load_instrument(instrument_id)),
      sp(ScoringPlan::compile(ins, take_scoring_options(a))),
      guidance(Guidance::load(a.lang)),
      ctx(make_context(a)),
      norms(take_norms(sp, a.norm_group)),
      lo(sp.data_scale().min),
      hi(sp.data_scale().max) {
  if (!a.text_pack.empty()) pack = std::make_unique<TextPack>(TextPack::from_file(a.text_pack, ins));
  for (const auto& it : ins.items) order.push_back(&it);
  std::sort(order.begin(), order.end(), [](const Item* x, const Item* y) { return x->position < y->position; });
  if (hi > 9 || lo < 0) throw UsageError("take answers with one key; this response scale goes beyond 0..9", {}, "a scale within 0..9");
}

// The anchors shown above the first item, one line each.
std::string scale_lines(const TakeSetup& t) {
  std::string lines;
  for (int x = t.lo; x <= t.hi; ++x) {
    std::string label;
    // On another scale (--response-scale) an anchor is shown where it falls exactly: 1..5 keeps the
    // ends and the middle of 1..7.
    const double on_ins = convert_linear(x, t.sp.data_scale(), t.ins.response_scale);
    const int at = static_cast<int>(std::lround(on_ins));
    if (std::fabs(on_ins - at) > 1e-9) continue;
    if (t.pack) label = t.pack->anchor(at);
    else if (t.ins.response_scale.anchors.count(at)) label = t.ins.response_scale.anchors.at(at);
    if (!label.empty()) lines += "  " + std::to_string(x) + " = " + on_screen(label) + "\n";
  }
  return lines;
}

void print_intro(std::FILE* ui, const TakeSetup& t, bool tty) {
  std::fprintf(ui, "%s (%s): %zu items, answers %d to %d.\n", on_screen(t.ins.name).c_str(), on_screen(t.ins.id).c_str(),
               t.order.size(), t.lo, t.hi);
  if (t.pack) {
    if (!t.pack->instructions().empty()) std::fprintf(ui, "%s\n", on_screen(t.pack->instructions()).c_str());
  } else {
    std::fprintf(ui, "Notice: no text pack given, so attune shows its own short labels, not the questionnaire's wording.\n"
                     "Pass --text-pack FILE with the wording you are licensed to use (see docs/cli.md, 'Text packs').\n");
  }
  std::fprintf(ui, "Scale:\n%sKeys: %d-%d answer, b = back, s = skip, q = quit.%s\n\n", scale_lines(t).c_str(), t.lo, t.hi,
               tty ? "" : " (reading answers from standard input, one per line)");
}

// The items asked one after another: the answers so far, the item on screen, where answers come from.
struct TakeLoop {
  TakeLoop(const TakeSetup& setup, const std::string& save_path, bool on_tty, std::FILE* out)
      : t(setup), save(save_path), tty(on_tty), ui(out), answers(setup.order.size(), kMissing),
        asked(setup.order.size(), false), saved{save_path} {}

  const TakeSetup& t;
  const std::string& save;
  bool tty;
  std::FILE* ui;
  std::vector<double> answers;
  std::vector<bool> asked;
  SavedAnswers saved;
  std::size_t i = 0;
  long line_no = 0;
  std::unique_ptr<RawTty> raw;
};

void prompt(const TakeLoop& s, const Item& item) {
  const std::string wording = on_screen(s.t.pack ? s.t.pack->item(item.id) : item.label);
  std::fprintf(s.ui, "[%zu/%zu] %s\n  %d-%d, b, s, q%s: ", s.i + 1, s.t.order.size(), wording.c_str(), s.t.lo, s.t.hi,
               std::isnan(s.answers[s.i]) ? "" : (" (now " + std::to_string(static_cast<int>(s.answers[s.i])) + ")").c_str());
  std::fflush(s.ui);
}

// One key on the raw terminal; false when the person pressed q (or Ctrl-D) and then chose to stay.
bool key_token(const TakeLoop& s, std::string& token) {
  const int ch = next_key();
  if (ch == 4 || ch == 'q' || ch == 'Q') {  // Ctrl-D or q
    // With --save nothing is lost by quitting, so there is nothing to ask.
    const auto answered = s.save.empty() ? static_cast<std::size_t>(std::count_if(s.answers.begin(), s.answers.end(), [](double x) { return !std::isnan(x); })) : 0;
    if (confirm_quit(s.ui, answered)) throw Cancelled{};
    return false;  // back to the same item
  }
  token = std::string(1, static_cast<char>(ch));
  std::fprintf(s.ui, "%s\n", std::isprint(ch) ? token.c_str() : "");
  return true;
}

// The next non-blank line of piped input, trimmed; the end of the input before the last item is an error.
std::string line_token(TakeLoop& s, const Item& item) {
  std::string line;
  while (std::getline(std::cin, line)) {
    ++s.line_no;
    std::size_t b = line.find_first_not_of(" \t\r"), e = line.find_last_not_of(" \t\r");
    if (b == std::string::npos) continue;  // blank lines are ignored
    std::string token = line.substr(b, e - b + 1);
    std::fprintf(s.ui, "%s\n", token.c_str());
    return token;
  }
  std::fprintf(s.ui, "\n");
  Location where;
  where.file = "<stdin>";
  where.item = item.id;
  throw DataError("input ended after " + std::to_string(s.i) + " of " + std::to_string(s.t.order.size()) + " items", where,
                  "one answer per item (a number, s to skip), or q to quit");
}

// An answer, a skip or a step back: true once done; q quits; false for anything else.
bool take_token(TakeLoop& s, const std::string& token) {
  if (token.size() != 1) return false;
  const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(token[0])));
  const bool answer = c >= '0' && c <= '9' && c - '0' >= s.t.lo && c - '0' <= s.t.hi;
  if (answer || c == 's') {
    s.answers[s.i] = answer ? c - '0' : kMissing;
    s.asked[s.i++] = true;
    s.saved.write(s.t.order, s.answers, s.asked);
    return true;
  }
  if (c == 'b') {
    if (s.i > 0) --s.i;
    else std::fprintf(s.ui, "  (this is the first item)\n");
    return true;
  }
  if (c == 'q') throw Cancelled{};
  return false;
}

void ask_items(TakeLoop& s) {
  while (s.i < s.t.order.size()) {
    const Item& item = *s.t.order[s.i];
    prompt(s, item);
    std::string token;
    if (s.raw && s.raw->on) {
      if (!key_token(s, token)) continue;
    } else {
      token = line_token(s, item);
    }
    if (take_token(s, token)) continue;
    if (s.tty) {
      std::fprintf(s.ui, "  Please press %d-%d, b, s or q.\n", s.t.lo, s.t.hi);
      continue;
    }
    Location where;
    where.file = "<stdin>";
    where.line = s.line_no;
    where.item = item.id;
    where.value = token;
    throw AnswerError("not an answer", where,
                      "a whole number from " + std::to_string(s.t.lo) + " to " + std::to_string(s.t.hi) + ", b, s or q");
  }
}

void score_and_write(const TakeSetup& t, const PlanArgs& a, const std::vector<double>& answers) {
  Responses r(t.sp);
  for (std::size_t k = 0; k < t.order.size(); ++k) {
    if (!std::isnan(answers[k])) r.set(t.order[k]->id, answers[k]);
  }
  Result res = score(t.sp, r);
  Plan plan = recommend(t.sp, res, t.ctx, t.guidance);
  // take's JSON keeps the day it was taken, so `attune compare` can tell how far apart two takes were.
  const std::string out = a.format == "json"
                              ? take_result_json(t.sp, res, plan, t.guidance, t.norms, today().iso())
                              : take_result_text(t.sp, res, plan, t.norms, r.values(), a.format) + render_plan(plan, t.guidance, a.format);
  write_plan_output(a, out, plan, t.guidance);
}

int run_take(const PlanArgs& a, const std::string& instrument_id) {
  claim_input(instrument_id, "the instrument");
  claim_input(a.text_pack, "--text-pack");
  const bool tty = ::isatty(STDIN_FILENO) != 0;
  const TakeSetup t(a, instrument_id);
  FILE* ui = stderr;  // prompts on stderr, so standard output holds only the results
  print_intro(ui, t, tty);

  TakeLoop s(t, a.save, tty, ui);
  s.i = s.saved.read(t.sp, t.order, s.answers, s.asked);
  if (s.i > 0) std::fprintf(ui, "Going on from %s: %zu of %zu items already asked.\n\n", a.save.c_str(), s.i, t.order.size());
  if (tty) s.raw = std::make_unique<RawTty>();
  ask_items(s);
  s.raw.reset();
  std::fprintf(ui, "\n");
  score_and_write(t, a, s.answers);
  return Exit::ok;
}

}  // namespace

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
