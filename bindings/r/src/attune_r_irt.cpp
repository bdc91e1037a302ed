// Item response theory from R (docs/irt.md): each row's theta and SE through the same ThetaScorer
// and the same rules as `attune score FILE --irt` (src/batch/score_chunk.cpp: rows that could not be
// scored, and scales a row answered none of, stay empty), and calibration as `attune calibrate`.
#include "attune_r.hpp"

#include <attune/irt.hpp>
#include <attune/version.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

using namespace Rcpp;
using attune_r::guarded;

namespace {

namespace irt = attune::irt;

// A shipped id or a file path, or (from_json) the JSON text that calibrate() returned.
irt::Calibration load(SEXP calibration, SEXP from_json) {
  const std::string c = as<std::string>(calibration);
  if (as<bool>(from_json)) return irt::Calibration::from_json_text(c, "the calibration from calibrate()");
  return irt::load_calibration(c);
}

std::string label(SEXP calibration, SEXP from_json) {
  return as<bool>(from_json) ? "the calibration from calibrate()" : as<std::string>(calibration);
}

// As the CLI (src/cli/irt_member.cpp): a calibration of another instrument is refused; its response
// scale is checked by ThetaScorer.
void check_instrument(const attune::ScoringPlan& plan, const irt::Calibration& c, const std::string& name) {
  if (c.provenance.instrument_id == plan.instrument().id) return;
  throw attune::UsageError("the calibration is for instrument '" + c.provenance.instrument_id + "', not '" +
                               plan.instrument().id + "'",
                           attune::Location::in_file(name), "a calibration of the instrument being scored");
}

std::vector<std::string> item_ids(const attune::ScoringPlan& plan) {
  std::vector<std::string> ids;
  for (const attune::Item& item : plan.instrument().items) ids.push_back(item.id);
  return ids;
}

bool is_map(SEXP method) {
  const std::string m = as<std::string>(method);
  if (m == "EAP") return false;
  if (m == "MAP") return true;
  throw attune::UsageError("method '" + m + "' is unknown", {}, "\"EAP\" (the posterior mean) or \"MAP\" (the mode)");
}

NumericVector or_na(const std::vector<double>& v) {
  NumericVector out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[static_cast<R_xlen_t>(i)] = std::isnan(v[i]) ? NA_REAL : v[i];
  return out;
}

// One row per item: the parameters in the usual metric (after the reverse keys), their SEs and S-X2.
DataFrame item_frame(const irt::Calibration& c) {
  const std::size_t K = static_cast<std::size_t>(c.response_scale.max - c.response_scale.min);
  CharacterVector scale, id;
  LogicalVector reversed;
  std::vector<double> a, a_se, answered, sx2, sx2_df, sx2_p;
  std::vector<std::vector<double>> b(K), b_se(K);
  for (const irt::ScaleCalibration& s : c.scales) {
    for (const irt::ItemParameters& it : s.items) {
      scale.push_back(s.id);
      id.push_back(it.id);
      reversed.push_back(it.reversed);
      a.push_back(it.a), a_se.push_back(it.a_se), answered.push_back(static_cast<double>(it.answered));
      sx2.push_back(it.sx2), sx2_df.push_back(it.sx2_df), sx2_p.push_back(it.sx2_p);
      for (std::size_t k = 0; k < K; ++k) {
        b[k].push_back(k < it.b.size() ? it.b[k] : std::nan(""));
        b_se[k].push_back(k < it.b_se.size() ? it.b_se[k] : std::nan(""));
      }
    }
  }
  List cols = List::create(_["scale"] = scale, _["item"] = id, _["reversed"] = reversed, _["a"] = or_na(a));
  CharacterVector names = {"scale", "item", "reversed", "a"};
  for (std::size_t k = 0; k < K; ++k) cols.push_back(or_na(b[k])), names.push_back("b" + std::to_string(k + 1));
  cols.push_back(or_na(a_se)), names.push_back("a_se");
  for (std::size_t k = 0; k < K; ++k) cols.push_back(or_na(b_se[k])), names.push_back("b" + std::to_string(k + 1) + "_se");
  cols.push_back(or_na(answered)), cols.push_back(or_na(sx2)), cols.push_back(or_na(sx2_df)), cols.push_back(or_na(sx2_p));
  for (const char* n : {"answered", "s_x2", "s_x2_df", "s_x2_p"}) names.push_back(n);
  cols.attr("names") = names;
  return DataFrame(cols);
}

DataFrame scale_frame(const irt::Calibration& c) {
  CharacterVector id;
  LogicalVector converged;
  std::vector<double> rows, loglik, params, aic, bic, iterations, change, marginal, empirical;
  for (const irt::ScaleCalibration& s : c.scales) {
    id.push_back(s.id);
    converged.push_back(s.converged);
    rows.push_back(static_cast<double>(s.rows_used)), loglik.push_back(s.log_likelihood), params.push_back(s.parameters);
    aic.push_back(s.aic), bic.push_back(s.bic), iterations.push_back(s.iterations), change.push_back(s.max_change);
    marginal.push_back(s.marginal_reliability), empirical.push_back(s.empirical_reliability);
  }
  return DataFrame::create(_["scale"] = id, _["rows_used"] = or_na(rows), _["log_likelihood"] = or_na(loglik),
                           _["parameters"] = or_na(params), _["aic"] = or_na(aic), _["bic"] = or_na(bic),
                           _["iterations"] = or_na(iterations), _["converged"] = converged,
                           _["max_change"] = or_na(change), _["marginal_reliability"] = or_na(marginal),
                           _["empirical_reliability"] = or_na(empirical), _["stringsAsFactors"] = false);
}

List calibration_list(const irt::Calibration& c) {
  return List::create(_["items"] = item_frame(c), _["scales"] = scale_frame(c), _["json"] = c.to_json(),
                      _["instrument"] = c.provenance.instrument_id,
                      _["response_scale"] = IntegerVector::create(c.response_scale.min, c.response_scale.max));
}

}  // namespace

extern "C" {

SEXP attune_r_calibration_info(SEXP calibration, SEXP from_json) {
  return guarded([&]() -> SEXP { return calibration_list(load(calibration, from_json)); });
}

// Theta and SE per calibrated scale and row (NA: a row with an invalid answer, or no answer to the
// scale's items: the prior's 0 and 1 would not describe the person), and the items each used.
SEXP attune_r_theta(SEXP instrument, SEXP data_scale, SEXP answers, SEXP calibration, SEXP from_json, SEXP method) {
  return guarded([&]() -> SEXP {
    const attune::ScoringPlan plan = attune_r::make_plan(instrument, data_scale);
    const bool map = is_map(method);
    const irt::Calibration c = load(calibration, from_json);
    check_instrument(plan, c, label(calibration, from_json));
    const irt::ThetaScorer scorer(c, item_ids(plan), plan.data_scale());
    NumericMatrix x(answers);
    attune_r::check_width(plan, x);
    const std::size_t n = static_cast<std::size_t>(x.nrow()), k = plan.item_count(), T = scorer.scale_count();
    const std::vector<double> a = attune_r::row_major(x);
    attune::BlockScores bs;
    attune::score_block(plan, a.data(), n, bs);
    NumericMatrix theta(static_cast<int>(n), static_cast<int>(T)), se(static_cast<int>(n), static_cast<int>(T));
    IntegerMatrix answered(static_cast<int>(n), static_cast<int>(T));
    std::fill(theta.begin(), theta.end(), NA_REAL);
    std::fill(se.begin(), se.end(), NA_REAL);
    CharacterVector scales;
    for (std::size_t s = 0; s < T; ++s) scales.push_back(scorer.scale_id(s));
    for (std::size_t r = 0; r < n; ++r) {
      if (bs.bad_item[r] >= 0) continue;
      for (std::size_t s = 0; s < T; ++s) {
        const irt::ThetaEstimate e = map ? scorer.map(s, a.data() + r * k) : scorer.eap(s, a.data() + r * k);
        const int i = static_cast<int>(r), j = static_cast<int>(s);
        answered(i, j) = e.answered;
        if (e.answered == 0) continue;
        theta(i, j) = e.theta;
        se(i, j) = e.se;
      }
    }
    return List::create(_["scales"] = scales, _["theta"] = theta, _["se"] = se, _["answered"] = answered);
  });
}

// As `attune calibrate` (src/cli/cmd_calibrate.cpp) on the rows without an invalid answer
// (complete_only: and with every item answered); the provenance's input is the R data.
SEXP attune_r_calibrate(SEXP instrument, SEXP data_scale, SEXP answers, SEXP options) {
  return guarded([&]() -> SEXP {
    const attune::ScoringPlan plan = attune_r::make_plan(instrument, data_scale);
    NumericMatrix x(answers);
    attune_r::check_width(plan, x);
    List opt(options);
    const bool complete_only = as<bool>(opt["complete_only"]);
    const std::size_t n = static_cast<std::size_t>(x.nrow()), k = plan.item_count();
    const std::vector<double> a = attune_r::row_major(x);
    attune::BlockScores bs;
    attune::score_block(plan, a.data(), n, bs);
    std::vector<double> used;
    for (std::size_t r = 0; r < n; ++r) {
      const double* row = a.data() + r * k;
      if (bs.bad_item[r] >= 0 || (complete_only && std::any_of(row, row + k, [](double v) { return std::isnan(v); }))) continue;
      used.insert(used.end(), row, row + k);
    }
    irt::CalibrationOptions o;
    o.max_iterations = as<int>(opt["max_iterations"]);
    o.tolerance = as<double>(opt["tolerance"]);
    if (!(o.tolerance > 0) || o.max_iterations < 1) {
      throw attune::UsageError("max_iterations and tolerance must be positive", {}, "e.g. 500 and 1e-4");
    }
    irt::Calibration c = irt::calibrate(plan.instrument(), plan.data_scale(), used.data(), used.size() / k, o);
    char how[160];
    std::snprintf(how, sizeof how, "; at most %d EM cycles, stopping when no parameter moves more than %g in one",
                  o.max_iterations, o.tolerance);
    c.provenance.method = "Graded response model (Samejima 1969), marginal maximum likelihood by EM (Bock & Aitkin 1981) "
                          "as attune calibrate (docs/irt.md), from R" + std::string(how) + ".";
    c.provenance.description = as<std::string>(opt["description"]);
    c.provenance.source = as<std::string>(opt["source"]);
    c.provenance.date = as<std::string>(opt["date"]);
    c.provenance.attune_version = attune::version();
    c.provenance.input_name = "an R data frame";
    c.provenance.rows_in = n;
    c.provenance.complete_only = complete_only;
    return calibration_list(c);
  });
}

}  // extern "C"
