// `attune couple A.json B.json`: two partners who both chose to share, on one plane, with their
// differences against measurement error and a shared plan (library: attune/couple.hpp). With
// --export pairwise|long: the dyad file an actor-partner analysis reads, from the two results or
// from a file of scored couples (--couples).
#include "commands.hpp"
#include "file_guard.hpp"
#include "options.hpp"
#include "output_file.hpp"
#include "change_options.hpp"

#include <attune/couple.hpp>

#include <fstream>
#include <memory>

namespace attune::cli {

namespace {

struct CoupleArgs {
  std::string a, b;
  std::string format = "text";
  std::vector<std::string> names;
  std::vector<std::string> sd, reliability;
  std::string output = "-";
  std::string lang = "en";
  std::string exp;  // pairwise | long
  std::string couples, couple_col = "couple", person_col = "person", instrument;
  std::vector<std::string> keep;
};

std::array<std::string, 2> pair_names(const CoupleArgs& c) {
  const std::vector<std::string> n = split_commas(c.names);
  if (n.empty()) return {"", ""};
  if (n.size() != 2 || n[0].empty() || n[1].empty()) throw UsageError("--names takes two names", {}, "e.g. --names Sam,Alex");
  return {n[0], n[1]};
}

std::string export_from_couples(const CoupleArgs& c) {
  if (c.instrument.empty()) throw UsageError("--couples needs --instrument: it says which columns are scales", {}, "-i ID");
  claim_input(c.couples, "--couples");
  std::ifstream in(c.couples, std::ios::binary);
  if (!in) throw IoError("cannot open the couples file", Location::in_file(c.couples));
  std::vector<std::string> names;
  const auto members = dyad_members_from_csv(in, c.couples, c.couple_col, c.person_col, c.instrument, split_commas(c.keep), names);
  return dyad_export(members, names, c.exp);
}

std::string export_from_results(const SavedResult& a, const SavedResult& b, const std::array<std::string, 2>& names,
                                const std::string& layout) {
  std::vector<std::string> scales;
  std::vector<DyadMember> m(2);
  for (std::size_t k = 0; k < 2; ++k) {
    m[k].couple = "1";
    m[k].person = names[k].empty() ? std::string(1, static_cast<char>('A' + k)) : names[k];
  }
  for (const auto& s : a.result.scales) {
    const ScaleScore* other = b.result.find_scale(s.id);
    if (!other) continue;
    scales.push_back(s.id);
    m[0].values.push_back(s.raw);
    m[1].values.push_back(other->raw);
  }
  return dyad_export(m, scales, layout);
}

std::string render(const CoupleView& v, const Guidance& g, const std::string& format) {
  if (format == "json") return to_json(v, g) + "\n";
  return format == "md" ? to_markdown(v, g) : to_text(v, g);
}

int run_couple(const CoupleArgs& c) {
  const std::array<std::string, 2> names = pair_names(c);
  std::string out;
  if (!c.couples.empty()) {
    if (c.exp.empty()) throw UsageError("--couples is for the dyad export", {}, "--export pairwise or --export long");
    if (!c.a.empty()) throw UsageError("--couples reads the couples from one file; give no result files with it", {}, "either --couples FILE or A.json B.json");
    out = export_from_couples(c);
  } else {
    if (c.a.empty() || c.b.empty()) throw UsageError("couple needs both partners' results", {}, "attune couple A.json B.json");
    claim_input(c.a, "the first result");
    claim_input(c.b, "the second result");
    const SavedResult a = read_saved_result(read_text_file(c.a, "saved result"), c.a == "-" ? "<stdin>" : c.a);
    const SavedResult b = read_saved_result(read_text_file(c.b, "saved result"), c.b);
    CompareOptions o;
    o.supplied = supplied_errors(c.sd, c.reliability);
    o.dates = false;
    o.norms = load_change_norms({a.norm_set, b.norm_set}, "", false, a.result.instrument_id);
    if (!c.exp.empty()) {
      compare_results(a, b, o);  // the same refusals: another questionnaire or response scale
      out = export_from_results(a, b, names, c.exp);
    } else {
      const Guidance g = Guidance::load(c.lang);
      out = render(couple_view(a, b, names, o, g), g, c.format);
    }
  }
  OutputFile f(c.output);
  f.write(out);
  f.commit();
  return Exit::ok;
}

}  // namespace

Runner add_couple(CLI::App& app) {
  auto a = std::make_shared<CoupleArgs>();
  CLI::App* c = app.add_subcommand("couple", "Two partners who both chose to share: both positions, differences beyond measurement error, a shared plan");
  c->add_option("a", a->a, "The first partner's result: JSON from 'attune score --json' or 'attune take --format json'");
  c->add_option("b", a->b, "The second partner's result, of the same questionnaire");
  c->add_option("--format", a->format, "Output: text (default), md or json")->check(CLI::IsMember({"text", "md", "json"}));
  c->add_option("--names", a->names, "Two names to show instead of Partner A and Partner B, e.g. Sam,Alex")->allow_extra_args(false);
  c->add_option("--sd", a->sd, "SD of a scale for its SEM, SCALE=SD (with --reliability)")->take_all()->allow_extra_args(false);
  c->add_option("--reliability", a->reliability, "Reliability of a scale for its SEM, SCALE=R (0 <= R < 1)")->take_all()->allow_extra_args(false);
  c->add_option("--export", a->exp, "Write the dyad file instead: pairwise (actor and partner columns) or long (one row per person)")
      ->check(CLI::IsMember({"pairwise", "long"}));
  c->add_option("--couples", a->couples, "With --export: a CSV of scored people (as 'attune score' writes it, with a couple and a person column)");
  c->add_option("--couple", a->couple_col, "With --couples: the couple id column (default: couple)");
  c->add_option("--person", a->person_col, "With --couples: the person id column (default: person)");
  c->add_option("-i,--instrument", a->instrument, "With --couples: the instrument whose scale columns are exported");
  c->add_option("--keep", a->keep, "With --couples: more numeric columns to export as actor and partner (e.g. an outcome), comma-separated")->allow_extra_args(false);
  c->add_option("-o,--output", a->output, "Output file ('-' for standard output)");
  c->add_option("--lang", a->lang, "Language of the guidance pack (default: en)");
  c->footer(
      "Never a compatibility score or a prediction about the relationship; not a diagnosis.\n"
      "Differences: rci = (b - a) / sqrt(se_a^2 + se_b^2), reliable when |rci| > 1.96 (docs/change.md).\n"
      "Exit codes: 0 done; 2 usage (e.g. results of different questionnaires); 4 invalid result or file; 5 I/O.");
  return [a] { return run_couple(*a); };
}

}  // namespace attune::cli
