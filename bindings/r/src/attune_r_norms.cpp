// Norms for score(norms = ): the ScoringOptions of `attune score --norms instrument|midpoint|sample|FILE`
// (docs/formulas.md). Sample norms come from the library's own pass (sample_norms, as the CLI's), fed
// the data frame's answers as CSV text in memory, so their mean, SD and alpha are the CLI's exactly.
#include "attune_r.hpp"

#include <attune/batch.hpp>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

using namespace Rcpp;

namespace {

// The answers as CSV text with the item ids as the header; a cell R could not read as a number
// (Inf here) becomes text, which makes its row invalid there too.
std::string answers_csv(const attune::ScoringPlan& plan, const NumericMatrix& x) {
  std::string text;
  for (const attune::Item& item : plan.instrument().items) text += (text.empty() ? "" : ",") + item.id;
  text += '\n';
  char cell[32];
  for (int r = 0; r < x.nrow(); ++r) {
    for (int j = 0; j < x.ncol(); ++j) {
      const double v = x(r, j);
      if (j) text += ',';
      if (std::isnan(v)) continue;
      if (std::isinf(v)) {
        text += "not-a-number";
        continue;
      }
      std::snprintf(cell, sizeof cell, "%.17g", v);
      text += cell;
    }
    text += '\n';
  }
  return text;
}

std::map<std::string, attune::Norm> norms_of_sample(SEXP instrument, SEXP data_scale, const NumericMatrix& x) {
  const attune::ScoringPlan plan = attune_r::make_plan(instrument, data_scale);
  attune_r::check_width(plan, x);
  std::string text = answers_csv(plan, x);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(fmemopen(&text[0], text.size(), "r"), std::fclose);
  if (!in) throw attune::IoError("cannot read the answers in memory for the sample norms");
  return attune::sample_norms(plan, in.get(), "the data frame", attune::BatchOptions{});
}

}  // namespace

namespace attune_r {

// norms: list(source = "instrument" | "midpoint" | "sample" | "user", json = "{...}" for user,
// label = shown where the output names the norms, prefer_alpha = --norms-alpha).
attune::ScoringOptions norms_options(SEXP norms, SEXP instrument, SEXP data_scale, const NumericMatrix& x) {
  List n(norms);
  attune::ScoringOptions so;
  const std::string source = as<std::string>(n["source"]);
  so.prefer_norms_alpha = as<bool>(n["prefer_alpha"]);
  so.norms_label = as<std::string>(n["label"]);
  if (source == "instrument") {
    so.norms_source = attune::NormsSource::instrument;
  } else if (source == "midpoint") {
    so.norms_source = attune::NormsSource::midpoint;
  } else if (source == "sample") {
    so.norms_source = attune::NormsSource::sample;
    so.norms = norms_of_sample(instrument, data_scale, x);
  } else if (source == "user") {
    so.norms_source = attune::NormsSource::user;
    so.norms = attune::norms_from_json(as<std::string>(n["json"]), so.norms_label);
  } else {
    throw attune::UsageError("norms '" + source + "' is unknown", {},
                             "\"instrument\", \"midpoint\", \"sample\", a norms file, or a list of scales");
  }
  return so;
}

}  // namespace attune_r
