// `attune instruments [show ID]` and `attune validate FILE`.
#include "commands.hpp"

#include <attune/attune.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>

namespace attune::cli {

namespace {

void print_summary(const Instrument& ins) {
  std::printf("%s (%s), version %s\n", ins.name.c_str(), ins.id.c_str(), ins.version.c_str());
  std::printf("file: %s\n", ins.source.c_str());
  const Citation* key = ins.find_citation(ins.key_source);
  std::printf("key source: %s\n", key ? key->text.c_str() : ins.key_source.c_str());
  std::printf("key verified: %s%s%s\n", ins.verified ? "yes" : "no", ins.verified_note.empty() ? "" : " - ", ins.verified_note.c_str());
  std::printf("response scale: %d..%d\n", ins.response_scale.min, ins.response_scale.max);
  std::printf("items: %zu\n", ins.items.size());
  std::printf("scales:\n");
  for (const auto& s : ins.scales) {
    std::printf("  %-22s %s, %s of ", s.id.c_str(), s.label.c_str(), s.aggregation == Aggregation::mean ? "mean" : "sum");
    if (s.derived()) {
      std::string t;
      for (const auto& term : s.terms) t += (t.empty() ? "" : ", ") + std::string(term.reverse ? "reversed " : "") + term.scale;
      std::printf("scales [%s]", t.c_str());
    } else {
      std::printf("%zu items", s.items.size());
      if (!s.reverse.empty()) {
        std::string r;
        for (const auto& i : s.reverse) r += (r.empty() ? "" : ",") + i;
        std::printf(" (reversed: %s)", r.c_str());
      }
    }
    std::printf("; at least %d answered", s.min_answered);
    if (s.reliability) std::printf("; alpha %.2f%s", s.reliability->alpha, s.reliability->verified ? "" : " (unverified)");
    std::printf("\n");
  }
  std::printf("norms: %s\n", ins.norms.published ? ("published; " + ins.norms.sample).c_str() : ("none (" + ins.norms.note + ")").c_str());
  std::printf("profile methods:");
  if (ins.methods.empty()) std::printf(" none (no profile: scales only)");
  for (const auto& m : ins.methods) std::printf(" %s%s", m.name.c_str(), m.name == ins.default_method ? " (default)" : "");
  std::printf("\ncitations:\n");
  for (const auto& c : ins.citations) std::printf("  [%s] %s\n", c.id.c_str(), c.text.c_str());
}

std::vector<std::string> warnings(const Instrument& ins) {
  std::vector<std::string> w;
  std::set<std::string> scored;
  for (const auto& s : ins.scales) for (const auto& i : s.items) scored.insert(i);
  std::string unscored;
  for (const auto& it : ins.items) if (!scored.count(it.id)) unscored += (unscored.empty() ? "" : ", ") + it.id;
  if (!unscored.empty()) w.push_back("items on no scale (read and range-checked, never scored): " + unscored);
  if (!ins.verified) w.push_back("scoring key not verified against its source: " + ins.verified_note);
  if (!ins.norms.published) w.push_back("no published norms: z scores and percentiles stay empty unless norms are supplied");
  return w;
}

// printf only buffers: a full disk or a closed pipe shows up at the flush, and must not end in exit 0.
int flushed_stdout() {
  // errno still holds the failed write's reason when the error came from an earlier printf.
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    const int e = errno ? errno : EIO;
    throw IoError(std::string("write failed: ") + std::strerror(e), Location::in_file("<stdout>"));
  }
  return static_cast<int>(Exit::ok);
}

}  // namespace

Runner add_instruments(CLI::App& app) {
  auto id = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);
  CLI::App* c = app.add_subcommand("instruments", "List the built-in instruments, or show one");
  CLI::App* show = c->add_subcommand("show", "Show one instrument: scales, keys, norms, methods, citations");
  show->add_option("id", *id, "Instrument id or file")->required();
  show->add_flag("--json", *as_json, "Print the validated instrument as JSON");
  return [c, show, id, as_json] {
    if (show->parsed()) {
      Instrument ins = load_instrument(*id);
      if (*as_json) std::printf("%s\n", ins.to_json().c_str());
      else print_summary(ins);
      return flushed_stdout();
    }
    (void)c;
    const std::vector<std::string> ids = builtin_instrument_ids();
    // attune ships seven instruments: none found means an incomplete install, not an empty catalogue.
    if (ids.empty()) {
      throw Error(ErrorKind::io, "no built-in instruments found", {},
                    "instrument files in <prefix>/share/attune/instruments beside the installed attune, or folders in ATTUNE_INSTRUMENT_PATH");
    }
    std::printf("%-8s %-6s %-7s %-10s %s\n", "id", "items", "scale", "norms", "name");
    for (const auto& iid : ids) {
      try {
        Instrument ins = load_instrument(iid);
        std::printf("%-8s %-6zu %d..%-4d %-10s %s\n", ins.id.c_str(), ins.items.size(), ins.response_scale.min, ins.response_scale.max,
                    ins.norms.published ? "published" : "none", ins.name.c_str());
      } catch (const Error& e) {
        std::printf("%-8s (invalid: %s)\n", iid.c_str(), e.what());
      }
    }
    return flushed_stdout();
  };
}

Runner add_validate(CLI::App& app) {
  auto file = std::make_shared<std::string>();
  CLI::App* c = app.add_subcommand("validate", "Check an instrument file; prints what is wrong, with its JSON path");
  c->add_option("file", *file, "Instrument file (or built-in id)")->required();
  return [file] {
    Instrument ins = load_instrument(*file);
    ScoringPlan::compile(ins);  // the default profile method must compile too
    for (const auto& m : ins.methods) {
      ScoringOptions o;
      o.profile_method = m.name;
      ScoringPlan::compile(ins, o);
    }
    std::printf("%s: valid (%s %s, %zu items, %zu scales)\n", file->c_str(), ins.id.c_str(), ins.version.c_str(), ins.items.size(), ins.scales.size());
    for (const auto& w : warnings(ins)) std::printf("warning: %s\n", w.c_str());
    return flushed_stdout();
  };
}

}  // namespace attune::cli
