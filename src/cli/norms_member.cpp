// The "norms" member of `attune score --json`: where the person's scale scores stand in a norm set
// (docs/norms.md), each with the set and cell it came from. Spliced into the result JSON so the rest
// of the output stays byte-identical.
#include "norms_member.hpp"

#include <attune/error.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace attune::cli {

namespace {

std::string num(double x) {
  if (x != x) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", x);
  return buf;
}

std::string q(const std::string& s) { return nlohmann::json(s).dump(); }

std::string scale_text(const ResponseScale& s) { return std::to_string(s.min) + ".." + std::to_string(s.max); }

std::string context_text(const AppliedNorms& n) {
  const norms::Cell& cell = n.set.cells[n.cell];
  if (n.cell != 0) return "the cell that fits the context given (" + cell.label + ")";
  if (n.context.gender == norms::Gender::unknown && n.context.age < 0) {
    return "no gender and age given (--norm-group): the whole sample's norms";
  }
  return "the context given fits no gender x age cell of this set (cells: female and male, 18 and over): the whole sample's norms";
}

// The cell's SD and alpha of the mean score, which `attune compare` turns into an SEM. Left out for
// converted scores: the SD is on the set's response scale, not on the one the result was scored on.
std::string error_members(const norms::ScaleNorm& sn, bool converted) {
  if (converted || std::isnan(sn.alpha)) return "";
  return ", \"norm_sd\": " + num(sn.mean_score.sd) + ", \"norm_alpha\": " + num(sn.alpha);
}

}  // namespace

void add_norm_choice_options(CLI::App* c, NormChoice& choice) {
  c->add_option("--norm-set", choice.set,
                "With --json: the norm set for z and percentiles, an id, a file or none (default: the instrument's, "
                "for answers on that set's response scale; docs/norms.md)");
  c->add_option("--norm-group", choice.group,
                "With --json: the person's context, which chooses the norm cell: gender=female|male,age=YEARS "
                "(default: the whole sample's norms)");
  c->add_option("--convert-response-scale", choice.conversion,
                "Score answers on another response scale than the norm set's or the --irt calibration's after "
                "converting them: linear (approximate; docs/irt.md)")
      ->check(CLI::IsMember({"linear"}));
}

void refuse_norm_choice_for_files(const NormChoice& choice) {
  const char* given = !choice.set.empty() ? "--norm-set" : !choice.group.empty() ? "--norm-group"
                      : !choice.conversion.empty() ? "--convert-response-scale" : nullptr;
  if (!given) return;
  Location where;
  where.value = given;
  throw UsageError(std::string(given) + " applies to one person (--json) for now; norm columns for files are not there yet",
                   where, "--json ANSWERS.json");
}

double convert_linear(double x, const ResponseScale& from, const ResponseScale& to) {
  return to.min + (x - from.min) * (to.max - to.min) / static_cast<double>(from.max - from.min);
}

std::unique_ptr<AppliedNorms> choose_norms(const ScoringPlan& plan, const NormChoice& choice) {
  const Instrument& ins = plan.instrument();
  const bool explicit_set = !choice.set.empty();
  if (choice.set == "none") {
    if (!choice.group.empty()) throw UsageError("--norm-group chooses a cell of the norms, but --norm-set is none", {}, "--norm-group without --norm-set none");
    return nullptr;
  }
  const std::string id = explicit_set ? choice.set : ins.norms.default_set;
  if (id.empty()) {
    if (!choice.group.empty()) {
      throw UsageError("--norm-group: instrument '" + ins.id + "' has no default norm set", {}, "--norm-set ID|FILE as well");
    }
    return nullptr;
  }
  auto out = std::make_unique<AppliedNorms>();
  out->set = norms::load_norm_set(id);
  if (out->set.instrument != ins.id) {
    throw UsageError("the norm set '" + out->set.id + "' is for instrument '" + out->set.instrument + "', not '" + ins.id + "'",
                     Location::in_file(out->set.file), "a norm set of the instrument being scored");
  }
  if (!(out->set.response_scale == plan.data_scale())) {
    if (!choice.convert_linear()) {
      if (!explicit_set && choice.group.empty()) return nullptr;  // the default fits other data only
      Location where = Location::in_file(out->set.file);
      where.value = scale_text(plan.data_scale());
      throw UsageError("the norm set '" + out->set.id + "' was made on answers from " + scale_text(out->set.response_scale) +
                           ", but these answers are on " + scale_text(plan.data_scale()),
                       where, "answers on " + scale_text(out->set.response_scale) +
                                  ", or --convert-response-scale linear (docs/irt.md says what it does)");
    }
    out->converted = true;
  }
  if (!choice.group.empty()) out->context = norms::parse_norm_group(choice.group);
  out->cell = norms::find_cell(out->set, out->context);
  return out;
}

std::string add_norms_member(const std::string& result_json, const ScoringPlan& plan, const Result& result,
                             const AppliedNorms& n) {
  const norms::Cell& cell = n.set.cells[n.cell];
  const std::string source = n.set.id + ", " + cell.label + " (N = " + std::to_string(cell.n) + ")";
  std::string m = ",\n  \"norms\": {\n";
  m += "    \"set\": " + q(n.set.id) + ",\n";
  if (!n.set.name.empty()) m += "    \"name\": " + q(n.set.name) + ",\n";
  m += "    \"source\": " + q(n.set.citation) + ",\n";
  m += "    \"sample\": " + q(n.set.description) + ",\n";
  m += "    \"cell\": {\"id\": " + q(cell.id) + ", \"label\": " + q(cell.label) + ", \"n\": " + std::to_string(cell.n) + "},\n";
  m += "    \"context\": " + q(context_text(n)) + ",\n";
  if (n.converted) {
    m += "    \"conversion\": " + q("scores converted linearly from " + scale_text(plan.data_scale()) + " to the norms' " +
                                   scale_text(n.set.response_scale) + " (--convert-response-scale linear): approximate, "
                                   "people do not use a 7-point and a 5-point scale the same way") + ",\n";
  }
  m += "    \"scales\": {";
  bool first = true;
  for (std::size_t s = 0; s < result.scales.size(); ++s) {
    const ScaleScore& sc = result.scales[s];
    const norms::ScaleNorm* sn = cell.find(sc.id);
    if (!sn || plan.instrument().scales[s].aggregation != Aggregation::mean) continue;
    const double x = n.converted ? convert_linear(sc.raw, plan.data_scale(), n.set.response_scale) : sc.raw;
    const norms::Standing st = norms::standing(sn->mean_score, x);
    m += std::string(first ? "\n" : ",\n") + "      " + q(sc.id) + ": {\"mean_score\": " + num(x) + ", \"z\": " + num(st.z) +
         ", \"percentile\": " + num(st.percentile) + ", \"percentile_basis\": " +
         q(st.empirical ? "empirical (the set's percentile table, linear between listed scores)" : "normal approximation 100 x Phi(z)") +
         ", \"norm_source\": " + q(source) + error_members(*sn, n.converted) + "}";
    first = false;
  }
  m += "\n    },\n";
  m += "    \"meaning\": " + q("a percentile is the share of the norm sample, in hundredths, whose answers gave a lower score "
                             "(half of those with the same score counted); it describes where the answers stand among these "
                             "volunteers, not a diagnosis") + "\n  }";
  return splice_member(result_json, m);
}

std::string splice_member(const std::string& result_json, const std::string& member) {
  const std::size_t close = result_json.rfind('}');
  if (close == std::string::npos || close < 1 || result_json[close - 1] != '\n') {
    throw Error(ErrorKind::internal, "unexpected result JSON layout");
  }
  return result_json.substr(0, close - 1) + member + result_json.substr(close - 1);
}

}  // namespace attune::cli
