// The "norms" member of `attune score --json`: where the person's scale scores stand in a norm set
// (docs/norms.md), each with the set and cell it came from. Spliced into the result JSON so the rest
// of the output stays byte-identical.
#include "norms_member.hpp"

#include <attune/error.hpp>
#include <attune/person_norms.hpp>

namespace attune::cli {

namespace {

norms::Choice library_choice(const NormChoice& c) {
  norms::Choice out;
  out.set = c.set;
  out.group = c.group;
  out.convert_linear = c.convert_linear();
  return out;
}

std::unique_ptr<AppliedNorms> as_cli(std::unique_ptr<norms::Applied> a) {
  if (!a) return nullptr;
  auto out = std::make_unique<AppliedNorms>();
  static_cast<norms::Applied&>(*out) = std::move(*a);
  return out;
}

}  // namespace

void add_norm_choice_options(CLI::App* c, NormChoice& choice) {
  c->add_option("--norm-set", choice.set,
                "The norm set for z and percentiles, an id, a file or none (default: the instrument's, "
                "for answers on that set's response scale; docs/norms.md)");
  c->add_option("--norm-group", choice.group,
                "Which norm cell: with --json the person's context, gender=female|male,age=YEARS (default: the whole "
                "sample's norms); for a file the columns that hold each row's, gender=COLUMN,age=COLUMN, which adds "
                "norm_cell, <scale>_norm_z and <scale>_norm_pct, and with --irt (EAP) from the set's calibration "
                "<scale>_theta_norm_z and <scale>_theta_norm_pct (docs/norms.md)");
  c->add_option("--convert-response-scale", choice.conversion,
                "Score answers on another response scale than the norm set's or the --irt calibration's after "
                "converting them: linear (approximate; docs/irt.md)")
      ->check(CLI::IsMember({"linear"}));
}

double convert_linear(double x, const ResponseScale& from, const ResponseScale& to) { return norms::convert_linear(x, from, to); }

std::unique_ptr<AppliedNorms> choose_norm_set(const ScoringPlan& plan, const NormChoice& choice) {
  return as_cli(norms::choose_set(plan, library_choice(choice)));
}

std::unique_ptr<AppliedNorms> choose_norms(const ScoringPlan& plan, const NormChoice& choice) {
  return as_cli(norms::choose(plan, library_choice(choice)));
}

std::string add_norms_member(const std::string& result_json, const ScoringPlan& plan, const Result& result,
                             const AppliedNorms& n) {
  return splice_member(result_json, norms::member_json(plan, result, n));
}

std::string splice_member(const std::string& result_json, const std::string& member) {
  const std::size_t close = result_json.rfind('}');
  if (close == std::string::npos || close < 1 || result_json[close - 1] != '\n') {
    throw Error(ErrorKind::internal, "unexpected result JSON layout");
  }
  return result_json.substr(0, close - 1) + member + result_json.substr(close - 1);
}

}  // namespace attune::cli
