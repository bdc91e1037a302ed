// `attune take --adaptive`: the same keys and terminal handling as `take` (take_terminal.hpp), but
// each item comes from a stateless CAT step over the answers so far, so "back" simply drops the
// last answer and the step is taken again.
#include "take_adaptive.hpp"

#include "output_file.hpp"
#include "take_terminal.hpp"

#include <attune/attune.hpp>
#include <attune/cat.hpp>
#include <attune/text_pack.hpp>

#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>
#include <iostream>
#include <limits>
#include <memory>
#include <unistd.h>

namespace attune::cli {

namespace {

struct Session {
  Instrument ins;
  std::unique_ptr<TextPack> pack;
  irt::Calibration calibration;
  std::string calibration_name;
  std::unique_ptr<irt::CatEngine> engine;
  irt::CatRules rules;
  std::vector<irt::CatAnswer> answers;
  irt::CatResult result;
  bool tty = false;
  long line_no = 0;
};

std::string calibration_for(const Instrument& ins, const std::string& given) {
  if (!given.empty()) return given;
  if (ins.id == "ecr") return "ecr-openpsychometrics-1to5";
  throw UsageError("--adaptive needs an item bank for '" + ins.id + "'", Location{}, "--calibration FILE (made with attune calibrate)");
}

void open_session(Session& s, const TakeIo& io, const AdaptiveTakeArgs& a) {
  s.ins = load_instrument(io.instrument);
  if (!io.text_pack.empty()) s.pack = std::make_unique<TextPack>(TextPack::from_file(io.text_pack, s.ins));
  s.calibration_name = calibration_for(s.ins, a.calibration);
  s.calibration = irt::load_calibration(s.calibration_name);
  if (s.calibration.provenance.instrument_id != s.ins.id) {
    throw UsageError("the calibration is for instrument '" + s.calibration.provenance.instrument_id + "', not '" + s.ins.id + "'",
                     Location::in_file(s.calibration_name), "a calibration of " + s.ins.id);
  }
  s.engine = std::make_unique<irt::CatEngine>(s.calibration);
  s.rules = a.rules.rules();
  s.tty = ::isatty(STDIN_FILENO) != 0;
  if (s.calibration.response_scale.max > 9 || s.calibration.response_scale.min < 0) {
    throw UsageError("take answers with one key; this response scale goes beyond 0..9", {}, "a scale within 0..9");
  }
}

const std::string& wording(const Session& s, const std::string& id) {
  if (s.pack) return s.pack->item(id);
  for (const Item& item : s.ins.items) {
    if (item.id == id) return item.label;
  }
  return id;
}

// The instrument's anchor for answer x on the calibration's scale: its ends and any anchor that
// falls on a whole answer when the two scales are laid end to end (1..7 -> 1..5: 1, 4 -> 3, 7 -> 5).
std::string anchor(const Session& s, int x) {
  const ResponseScale& from = s.ins.response_scale;
  const ResponseScale& to = s.calibration.response_scale;
  const int num = (x - to.min) * (from.max - from.min), den = to.max - to.min;
  if (den <= 0 || num % den != 0) return "";
  const int v = from.min + num / den;
  if (s.pack) return s.pack->anchor(v);
  return from.anchors.count(v) ? from.anchors.at(v) : "";
}

void introduce(const Session& s, std::FILE* ui) {
  const int lo = s.calibration.response_scale.min, hi = s.calibration.response_scale.max;
  std::fprintf(ui, "%s (%s), adaptive: each next item is chosen from your answers so far, usually about half of the %zu items.\n",
               on_screen(s.ins.name).c_str(), on_screen(s.ins.id).c_str(), s.ins.items.size());
  if (s.pack && !s.pack->instructions().empty()) std::fprintf(ui, "%s\n", on_screen(s.pack->instructions()).c_str());
  if (!s.pack) {
    std::fprintf(ui, "Notice: no text pack given, so attune shows its own short labels, not the questionnaire's wording.\n"
                     "Pass --text-pack FILE with the wording you are licensed to use (see docs/cli.md, 'Text packs').\n");
  }
  std::string scale_line;
  for (int x = lo; x <= hi; ++x) {
    const std::string label = anchor(s, x);
    if (!label.empty()) scale_line += "  " + std::to_string(x) + " = " + on_screen(label) + "\n";
  }
  if (!(s.calibration.response_scale == s.ins.response_scale)) {
    std::fprintf(ui, "Answers go from %d to %d here: the item bank was calibrated on that scale.\n", lo, hi);
  }
  std::fprintf(ui, "Scale:\n%sKeys: %d-%d answer, b = back, s = skip, q = quit.%s\n\n", scale_line.c_str(), lo, hi,
               s.tty ? "" : " (reading answers from standard input, one per line)");
}

// The next answer as a token ("3", "s", "b", "q"); raw mode reads one key, piped input one line.
std::string read_token(Session& s, RawTty* raw, std::FILE* ui, const std::string& item) {
  if (raw && raw->on) {
    const int ch = next_key();
    if (ch == 4) return "q";
    const std::string token(1, static_cast<char>(ch));
    std::fprintf(ui, "%s\n", std::isprint(ch) ? token.c_str() : "");
    return token;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    ++s.line_no;
    const std::size_t b = line.find_first_not_of(" \t\r"), e = line.find_last_not_of(" \t\r");
    if (b == std::string::npos) continue;
    std::fprintf(ui, "%s\n", line.substr(b, e - b + 1).c_str());
    return line.substr(b, e - b + 1);
  }
  std::fprintf(ui, "\n");
  Location where;
  where.file = "<stdin>";
  where.item = item;
  throw DataError("input ended after " + std::to_string(s.answers.size()) + " items", where,
                  "one answer per item (a number, s to skip), or q to quit");
}

// Applies one token; false when it was not understood (asked again on a terminal).
bool apply(Session& s, const std::string& token, int item, std::FILE* ui, bool raw) {
  const int lo = s.calibration.response_scale.min, hi = s.calibration.response_scale.max;
  if (token.size() != 1) return false;
  const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(token[0])));
  if (c >= '0' && c <= '9' && c - '0' >= lo && c - '0' <= hi) {
    s.answers.push_back({item, static_cast<double>(c - '0')});
  } else if (c == 's') {
    s.answers.push_back({item, std::numeric_limits<double>::quiet_NaN()});
  } else if (c == 'b') {
    if (s.answers.empty()) std::fprintf(ui, "  (this is the first item)\n");
    else s.answers.pop_back();
  } else if (c == 'q') {
    std::size_t given = 0;
    for (const irt::CatAnswer& x : s.answers) given += !std::isnan(x.response);
    if (!raw || confirm_quit(ui, given)) throw Cancelled{};
  } else {
    return false;
  }
  return true;
}

void ask_until_stop(Session& s, std::FILE* ui) {
  std::unique_ptr<RawTty> raw;
  if (s.tty) raw = std::make_unique<RawTty>();
  const int lo = s.calibration.response_scale.min, hi = s.calibration.response_scale.max;
  for (;;) {
    s.engine->step(s.answers.data(), s.answers.size(), s.rules, s.result);
    if (s.result.stop) break;
    const std::string& id = s.engine->item_id(static_cast<std::size_t>(s.result.next_item));
    std::fprintf(ui, "[%zu] %s\n  %d-%d, b, s, q: ", s.answers.size() + 1, on_screen(wording(s, id)).c_str(), lo, hi);
    std::fflush(ui);
    const std::string token = read_token(s, raw.get(), ui, id);
    if (apply(s, token, s.result.next_item, ui, raw && raw->on)) continue;
    if (s.tty) {
      std::fprintf(ui, "  Please press %d-%d, b, s or q.\n", lo, hi);
      continue;
    }
    Location where;
    where.file = "<stdin>";
    where.line = s.line_no;
    where.item = id;
    where.value = token;
    throw AnswerError("not an answer", where, "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) + ", b, s or q");
  }
  raw.reset();
  std::fprintf(ui, "\n");
}

const char* why_stopped(irt::CatStop reason) {
  switch (reason) {
    case irt::CatStop::se_target: return "each scale was measured closely enough";
    case irt::CatStop::max_items:
    case irt::CatStop::max_total: return "the most items this test asks were asked";
    case irt::CatStop::se_change: return "further items would add little";
    case irt::CatStop::bank_exhausted: return "every item was asked";
    default: return "the test's own rule ended it";
  }
}

// The ECR's four patterns from the two thetas at the calibration sample's middle; "" otherwise.
std::string pattern(const Session& s) {
  const int anx = s.engine->dimension_count() == 2 ? (s.engine->dimension_id(0) == "anxiety" ? 0 : 1) : -1;
  if (anx < 0 || s.engine->dimension_id(static_cast<std::size_t>(1 - anx)) != "avoidance") return "";
  const bool a = s.result.dimensions[static_cast<std::size_t>(anx)].theta >= 0;
  const bool v = s.result.dimensions[static_cast<std::size_t>(1 - anx)].theta >= 0;
  return a ? (v ? "fearful" : "anxious") : (v ? "avoidant" : "secure");
}

std::string scale_label(const Session& s, const std::string& id) {
  for (const Scale& sc : s.ins.scales) {
    if (sc.id == id && !sc.label.empty()) return on_screen(sc.label);
  }
  return id;
}

nlohmann::ordered_json result_json(const Session& s) {
  nlohmann::ordered_json scales = nlohmann::ordered_json::object(), items = nlohmann::ordered_json::array();
  for (std::size_t d = 0; d < s.result.dimensions.size(); ++d) {
    const irt::CatDimension& x = s.result.dimensions[d];
    scales[s.engine->dimension_id(d)] = {{"theta", x.theta}, {"theta_se", x.se}, {"asked", x.asked}, {"answered", x.answered},
                                         {"stopped", irt::to_string(x.stopped)}};
  }
  for (const irt::CatAnswer& x : s.answers) {
    items.push_back({{"item", s.engine->item_id(static_cast<std::size_t>(x.item))},
                     {"response", std::isnan(x.response) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(x.response)}});
  }
  const std::string p = pattern(s);
  return {{"instrument", s.ins.id},
          {"adaptive", {{"scales", scales},
                        {"answers", items},
                        {"reason", irt::to_string(s.result.reason)},
                        {"pattern", p.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(p)},
                        {"pattern_rule", "high/low on each scale at theta 0, the calibration sample's middle (attune's convention)"},
                        {"calibration", s.calibration_name},
                        {"sample", s.calibration.provenance.description},
                        {"method", "adaptive test: maximum information at the EAP; theta = EAP, theta_se = posterior SD"}}},
          {"disclaimer", disclaimer()}};
}

std::string result_text(const Session& s, bool md) {
  std::string o = md ? "## Your results (adaptive)\n\n" : "Your results (adaptive)\n-----------------------\n\n";
  char buf[512];
  for (std::size_t d = 0; d < s.result.dimensions.size(); ++d) {
    const irt::CatDimension& x = s.result.dimensions[d];
    std::snprintf(buf, sizeof buf, "%s%s: theta %.2f (SE %.2f; %d item%s)\n", md ? "- " : "  ",
                  scale_label(s, s.engine->dimension_id(d)).c_str(), x.theta, x.se, x.asked, x.asked == 1 ? "" : "s");
    o += buf;
  }
  std::snprintf(buf, sizeof buf, "\n%zu of %zu items asked: the test ended because %s.\n", s.answers.size(), s.ins.items.size(),
                why_stopped(s.result.reason));
  o += buf;
  o += "Theta places your answers among the people in the calibration sample (online volunteers), in their\n"
       "standard deviations: 0 is their middle. The SE shows how far the true value may lie from it.\n";
  const std::string p = pattern(s);
  if (!p.empty()) o += "Closest pattern on this simplified map (centre: the sample's middle, attune's convention): " + p + "\n";
  return o + disclaimer() + "\n";
}

}  // namespace

int run_take_adaptive(const TakeIo& io, const AdaptiveTakeArgs& a) {
  if (io.format != "text" && io.format != "md" && io.format != "json") {
    throw UsageError("unknown --format '" + io.format + "'", Location{}, "text, md or json");
  }
  Session s;
  open_session(s, io, a);
  std::FILE* ui = stderr;  // prompts on stderr, so standard output holds only the results
  introduce(s, ui);
  OutputFile out(io.output);
  ask_until_stop(s, ui);
  out.write(io.format == "json" ? result_json(s).dump(2) + "\n" : result_text(s, io.format == "md"));
  out.flush();
  out.commit();
  return 0;
}

}  // namespace attune::cli
