// One person's norms (person_norms.hpp): the set that applies, the cell of the context, and the
// "norms" member of the result JSON, shared by the CLI and every binding.
#include <attune/error.hpp>
#include <attune/person_norms.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace attune::norms {

namespace {

std::string num(double x) {
  if (x != x) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", x);
  return buf;
}

std::string q(const std::string& s) { return nlohmann::json(s).dump(); }

std::string scale_text(const ResponseScale& s) { return std::to_string(s.min) + ".." + std::to_string(s.max); }

std::string context_text(const Applied& n) {
  const Cell& cell = n.set.cells[n.cell];
  if (n.cell != 0) return "the cell that fits the context given (" + cell.label + ")";
  if (n.context.gender == Gender::unknown && n.context.age < 0) {
    return "no gender and age given (--norm-group): the whole sample's norms";
  }
  return "the context given fits no gender x age cell of this set (cells: female and male, 18 and over): the whole sample's norms";
}

}  // namespace

double convert_linear(double x, const ResponseScale& from, const ResponseScale& to) noexcept {
  return to.min + (x - from.min) * (to.max - to.min) / static_cast<double>(from.max - from.min);
}

std::unique_ptr<Applied> choose_set(const ScoringPlan& plan, const Choice& choice) {
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
  auto out = std::make_unique<Applied>();
  out->set = load_norm_set(id);
  if (out->set.instrument != ins.id) {
    throw UsageError("the norm set '" + out->set.id + "' is for instrument '" + out->set.instrument + "', not '" + ins.id + "'",
                     Location::in_file(out->set.file), "a norm set of the instrument being scored");
  }
  if (!(out->set.response_scale == plan.data_scale())) {
    if (!choice.convert_linear) {
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
  return out;
}

std::unique_ptr<Applied> choose(const ScoringPlan& plan, const Choice& choice) {
  std::unique_ptr<Applied> out = choose_set(plan, choice);
  if (!out) return out;
  if (!choice.group.empty()) out->context = parse_norm_group(choice.group);
  out->cell = find_cell(out->set, out->context);
  return out;
}

namespace {

// The cell's SD and alpha of the mean score, which `attune compare` turns into an SEM. Left out for
// converted scores: the SD is on the set's response scale, not on the one the result was scored on.
std::string error_members(const ScaleNorm& sn, bool converted) {
  if (converted || std::isnan(sn.alpha)) return "";
  return ", \"norm_sd\": " + num(sn.mean_score.sd) + ", \"norm_alpha\": " + num(sn.alpha);
}

}  // namespace

std::string member_json(const ScoringPlan& plan, const Result& result, const Applied& n) {
  const Cell& cell = n.set.cells[n.cell];
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
    const ScaleNorm* sn = cell.find(sc.id);
    if (!sn || plan.instrument().scales[s].aggregation != Aggregation::mean) continue;
    const double x = n.converted ? convert_linear(sc.raw, plan.data_scale(), n.set.response_scale) : sc.raw;
    const Standing st = standing(sn->mean_score, x);
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
  return m;
}

std::string person_norms_json(const ScoringPlan& plan, const Result& result, const Choice& choice) {
  const std::unique_ptr<Applied> applied = choose(plan, choice);
  if (!applied) return "null";
  const std::string m = member_json(plan, result, *applied);
  const std::string key = "\"norms\": ";
  return m.substr(m.find(key) + key.size());
}

}  // namespace attune::norms
