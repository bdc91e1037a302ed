// The compiled half of the R package: whole matrices go to the C++ batch kernel (no per-row R),
// and every attune::Error comes back as a list of its fields, which R/core.R signals as a condition
// (attune_r.hpp). IRT is in attune_r_irt.cpp.
#include "attune_r.hpp"

#include <attune/quality.hpp>
#include <attune/reliability.hpp>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

using namespace Rcpp;
using attune_r::as_matrix;
using attune_r::check_width;
using attune_r::guarded;
using attune_r::make_plan;
using attune_r::row_major;

namespace attune_r {

List error_fields(const attune::Error& e) {
  const attune::Location& w = e.where();
  List out = List::create(
      _["kind"] = std::string(attune::to_string(e.kind())), _["code"] = static_cast<int>(e.kind()),
      _["message"] = e.message(), _["full_message"] = std::string(e.what()), _["expected"] = e.expected(),
      _["file"] = w.file, _["row"] = static_cast<double>(w.row), _["line"] = static_cast<double>(w.line),
      _["column"] = static_cast<double>(w.column), _["column_name"] = w.column_name, _["item"] = w.item,
      _["value"] = w.value, _["json_path"] = w.json_path);
  out.attr("class") = "attune_core_error";
  return out;
}

List internal_error(const std::string& what) {
  List out = List::create(_["kind"] = "internal", _["code"] = 99, _["message"] = what, _["full_message"] = what,
                          _["expected"] = "");
  out.attr("class") = "attune_core_error";
  return out;
}

attune::ScoringPlan make_plan(SEXP instrument, SEXP data_scale, const attune::ScoringOptions& base) {
  attune::ScoringOptions so = base;
  IntegerVector ds(data_scale);
  if (ds.size() == 2) {
    if (ds[0] >= ds[1]) {
      throw attune::UsageError("data_scale " + std::to_string(ds[0]) + ".." + std::to_string(ds[1]) + " is empty", {},
                               "c(min, max) with min < max");
    }
    so.data_scale = attune::ResponseScale{ds[0], ds[1], {}};
  }
  return attune::ScoringPlan::compile(attune::load_instrument(as<std::string>(instrument)), so);
}

// R's matrix is column-major; the kernel wants rows x items, row-major.
std::vector<double> row_major(const NumericMatrix& x) {
  const std::size_t n = static_cast<std::size_t>(x.nrow()), k = static_cast<std::size_t>(x.ncol());
  std::vector<double> out(n * k);
  for (std::size_t j = 0; j < k; ++j) {
    for (std::size_t r = 0; r < n; ++r) out[r * k + j] = x[static_cast<R_xlen_t>(j * n + r)];
  }
  return out;
}

void check_width(const attune::ScoringPlan& plan, const NumericMatrix& x) {
  if (static_cast<std::size_t>(x.ncol()) != plan.item_count()) {
    throw attune::UsageError(std::to_string(x.ncol()) + " columns for " + std::to_string(plan.item_count()) + " items",
                             {}, "one column per item, in the instrument's item order");
  }
}

}  // namespace attune_r

namespace {

List instrument_info(const attune::ScoringPlan& plan) {
  const attune::Instrument& ins = plan.instrument();
  CharacterVector items, scales;
  IntegerVector positions, members, min_answered;
  LogicalVector derived;
  for (const auto& it : ins.items) {
    items.push_back(it.id);
    positions.push_back(it.position);
  }
  for (std::size_t s = 0; s < ins.scales.size(); ++s) {
    scales.push_back(ins.scales[s].id);
    derived.push_back(ins.scales[s].derived());
    min_answered.push_back(ins.scales[s].min_answered);
    members.push_back(static_cast<int>(ins.scales[s].derived() ? ins.scales[s].terms.size() : ins.scales[s].items.size()));
  }
  return List::create(_["id"] = ins.id, _["version"] = ins.version, _["name"] = ins.name, _["item_ids"] = items,
                      _["item_positions"] = positions, _["scale_ids"] = scales, _["derived"] = derived,
                      _["members"] = members, _["min_answered"] = min_answered, _["method"] = plan.method().name,
                      _["response_scale"] = IntegerVector::create(ins.response_scale.min, ins.response_scale.max));
}

DataFrame scale_frame(const attune::ReliabilityReport& rep) {
  CharacterVector id, note;
  NumericVector k, n, n_complete, alpha, std_alpha, lambda6, average_r, median_r, sn, ase, f_lo, f_hi, d_lo, d_hi, omega;
  for (const auto& s : rep.scales) {
    id.push_back(s.id);
    k.push_back(static_cast<double>(s.k));
    n.push_back(s.n);
    n_complete.push_back(s.n_complete);
    alpha.push_back(s.alpha);
    std_alpha.push_back(s.std_alpha);
    lambda6.push_back(s.lambda6);
    average_r.push_back(s.average_r);
    median_r.push_back(s.median_r);
    sn.push_back(s.signal_noise);
    ase.push_back(s.ase);
    f_lo.push_back(s.alpha_ci_feldt.lower);
    f_hi.push_back(s.alpha_ci_feldt.upper);
    d_lo.push_back(s.alpha_ci_duhachek.lower);
    d_hi.push_back(s.alpha_ci_duhachek.upper);
    omega.push_back(s.omega_total);
    note.push_back(s.note);
  }
  return DataFrame::create(_["scale"] = id, _["k"] = k, _["n"] = n, _["n_complete"] = n_complete, _["alpha"] = alpha,
                           _["std_alpha"] = std_alpha, _["lambda6"] = lambda6, _["average_r"] = average_r,
                           _["median_r"] = median_r, _["signal_noise"] = sn, _["ase"] = ase,
                           _["alpha_ci_feldt_lower"] = f_lo, _["alpha_ci_feldt_upper"] = f_hi,
                           _["alpha_ci_duhachek_lower"] = d_lo, _["alpha_ci_duhachek_upper"] = d_hi,
                           _["omega_total"] = omega, _["note"] = note, _["stringsAsFactors"] = false);
}

DataFrame item_frame(const attune::ReliabilityReport& rep) {
  CharacterVector scale, id;
  LogicalVector reversed;
  NumericVector n, missing, mean, sd, r_drop, r_cor, std_r, aid, std_aid, miss;
  for (const auto& s : rep.scales) {
    for (const auto& it : s.items) {
      scale.push_back(s.id);
      id.push_back(it.id);
      reversed.push_back(it.reversed);
      n.push_back(it.n);
      missing.push_back(it.missing);
      mean.push_back(it.mean);
      sd.push_back(it.sd);
      r_drop.push_back(it.r_drop);
      r_cor.push_back(it.r_cor);
      std_r.push_back(it.std_r);
      aid.push_back(it.alpha_if_deleted);
      std_aid.push_back(it.std_alpha_if_deleted);
      miss.push_back(it.missing_share);
    }
  }
  return DataFrame::create(_["scale"] = scale, _["item"] = id, _["reversed"] = reversed, _["n"] = n,
                           _["missing"] = missing, _["mean"] = mean, _["sd"] = sd, _["r_drop"] = r_drop,
                           _["r_cor"] = r_cor, _["std_r"] = std_r, _["alpha_if_deleted"] = aid,
                           _["std_alpha_if_deleted"] = std_aid, _["missing_share"] = miss,
                           _["stringsAsFactors"] = false);
}

}  // namespace

extern "C" {

SEXP attune_r_list_instruments() {
  return guarded([] { return wrap(attune::builtin_instrument_ids()); });
}

SEXP attune_r_instrument(SEXP instrument, SEXP data_scale) {
  return guarded([&] { return wrap(instrument_info(make_plan(instrument, data_scale))); });
}

SEXP attune_r_score(SEXP instrument, SEXP data_scale, SEXP answers, SEXP norms) {
  return guarded([&]() -> SEXP {
    NumericMatrix x(answers);
    const attune::ScoringPlan plan = make_plan(instrument, data_scale, attune_r::norms_options(norms, instrument, data_scale, x));
    check_width(plan, x);
    const std::size_t n = static_cast<std::size_t>(x.nrow()), k = plan.item_count(), s = plan.scale_count();
    const std::vector<double> a = row_major(x);
    attune::BlockScores bs;
    attune::score_block(plan, a.data(), n, bs);
    // Why each bad row failed, in the CLI's words: the kernel gives only the item.
    CharacterVector reason(static_cast<int>(n), NA_STRING), value(static_cast<int>(n), NA_STRING);
    for (std::size_t r = 0; r < n; ++r) {
      if (bs.bad_item[r] < 0) continue;
      try {
        (void)attune::score(plan, a.data() + r * k);
      } catch (const attune::Error& e) {
        reason[static_cast<int>(r)] = e.message();
        value[static_cast<int>(r)] = e.where().value;
      }
    }
    return List::create(
        _["raw"] = as_matrix<double, NumericMatrix>(bs.raw, n, s), _["z"] = as_matrix<double, NumericMatrix>(bs.z, n, s),
        _["percentile"] = as_matrix<double, NumericMatrix>(bs.percentile, n, s),
        _["answered"] = as_matrix<std::uint16_t, IntegerMatrix>(bs.answered, n, s),
        _["dimensions"] = as_matrix<double, NumericMatrix>(bs.dimensions, n, 4),
        _["category"] = IntegerVector(bs.category.begin(), bs.category.end()), _["confidence"] = wrap(bs.confidence),
        _["bad_item"] = IntegerVector(bs.bad_item.begin(), bs.bad_item.end()), _["reason"] = reason, _["value"] = value,
        _["info"] = instrument_info(plan));
  });
}

// Rows with an invalid answer are left out, as in the CLI; the statistics are psych::alpha's.
SEXP attune_r_reliability(SEXP instrument, SEXP data_scale, SEXP answers, SEXP missing, SEXP ci_level) {
  return guarded([&]() -> SEXP {
    const attune::ScoringPlan plan = make_plan(instrument, data_scale);
    NumericMatrix x(answers);
    check_width(plan, x);
    attune::ReliabilityOptions opt;
    const std::string how = as<std::string>(missing);
    if (how == "pairwise") opt.missing = attune::MissingHandling::pairwise;
    else if (how == "listwise") opt.missing = attune::MissingHandling::listwise;
    else throw attune::UsageError("missing = '" + how + "' is unknown", {}, "'pairwise' or 'listwise'");
    opt.ci_level = as<double>(ci_level);
    const std::size_t n = static_cast<std::size_t>(x.nrow()), k = plan.item_count();
    std::vector<double> a = row_major(x);
    attune::BlockScores bs;
    attune::score_block(plan, a.data(), n, bs);
    std::vector<std::uint8_t> scored(n, 1);
    for (std::size_t r = 0; r < n; ++r) {
      if (bs.bad_item[r] < 0) continue;
      scored[r] = 0;
      std::fill_n(a.data() + r * k, k, std::nan(""));
    }
    attune::ReliabilityAccumulator acc(plan);
    acc.add_rows(a.data(), n, scored.data());
    const attune::ReliabilityReport rep = attune::reliability(acc, opt);
    CharacterVector warnings;
    for (const auto& w : rep.warnings) warnings.push_back(w.message);
    return List::create(_["scales"] = scale_frame(rep), _["items"] = item_frame(rep), _["warnings"] = warnings,
                        _["json"] = attune::to_json(rep, 2));
  });
}

// The plan for one person's answers (items in plan order, NaN = missing) as the JSON of
// `attune plan --json`; stage "" and NA for parent/partnered mean "not asked".
SEXP attune_r_plan(SEXP instrument, SEXP data_scale, SEXP answers, SEXP stage, SEXP parent, SEXP partnered,
                   SEXP start) {
  return guarded([&]() -> SEXP {
    const attune::ScoringPlan plan = make_plan(instrument, data_scale);
    NumericVector a(answers);
    if (static_cast<std::size_t>(a.size()) != plan.item_count()) {
      throw attune::UsageError(std::to_string(a.size()) + " answers for " + std::to_string(plan.item_count()) + " items",
                               {}, "one answer per item, in the instrument's item order");
    }
    const std::vector<double> x(a.begin(), a.end());
    const attune::Result result = attune::score(plan, x.data());
    attune::Context ctx;
    ctx.stage = as<std::string>(stage);
    const int p = LogicalVector(parent)[0], q = LogicalVector(partnered)[0];
    if (p != NA_LOGICAL) ctx.parent = p != 0;
    if (q != NA_LOGICAL) ctx.partnered = q != 0;
    const std::string day = as<std::string>(start);
    if (!day.empty()) ctx.start = attune::Date::parse(day);
    const attune::Guidance g = attune::Guidance::load("en");
    return wrap(attune::to_json(attune::recommend(plan, result, ctx, g), g, -1));
  });
}

// Response-quality indices per row, as `attune score --quality`: the sample model (synonyms,
// Mahalanobis) from the valid rows first, then every row; invalid: the row's invalid answer cells.
SEXP attune_r_quality(SEXP instrument, SEXP data_scale, SEXP answers, SEXP invalid) {
  return guarded([&]() -> SEXP {
    const attune::ScoringPlan plan = make_plan(instrument, data_scale);
    NumericMatrix x(answers);
    check_width(plan, x);
    IntegerVector bad_cells(invalid);
    const std::size_t n = static_cast<std::size_t>(x.nrow()), k = plan.item_count();
    std::vector<double> a = row_major(x);
    attune::BlockScores bs;
    attune::score_block(plan, a.data(), n, bs);
    std::vector<std::uint8_t> scored(n, 1);
    std::vector<int> cells(bad_cells.begin(), bad_cells.end());
    for (std::size_t r = 0; r < n; ++r) {
      if (bs.bad_item[r] < 0) continue;
      scored[r] = 0;
      std::fill_n(a.data() + r * k, k, std::nan(""));
    }
    attune::ReliabilityAccumulator acc(plan, true);
    acc.add_rows(a.data(), n, scored.data());
    const attune::QualityThresholds t;
    std::shared_ptr<const attune::QualityModel> model;
    if (acc.all_items()) model = std::make_shared<attune::QualityModel>(attune::QualityModel::from_sums(*acc.all_items(), t));
    const attune::QualityScorer scorer(plan, t, model);
    attune::QualityScorer::Workspace ws;
    scorer.prepare(ws);
    std::vector<attune::QualityValues> q(n);
    scorer.score_rows(a.data(), n, cells.data(), q.data(), ws);
    NumericVector longstring(n), irv(n), even_odd(n), synonyms(n), d2(n), p(n), share(n), oor(n);
    CharacterVector flags(n);
    for (std::size_t r = 0; r < n; ++r) {
      if (!scored[r]) scorer.score_error_row(cells[r], q[r]);
      const attune::QualityValues& v = q[r];
      longstring[r] = v.longstring < 0 ? NA_REAL : v.longstring;
      irv[r] = v.irv, even_odd[r] = v.even_odd, synonyms[r] = v.synonyms, d2[r] = v.mahalanobis;
      p[r] = v.mahalanobis_p, share[r] = v.share_answered;
      oor[r] = v.out_of_range < 0 ? NA_REAL : v.out_of_range;
      std::string f;
      for (int b = 0; b < attune::kQualityFlags; ++b) {
        if (!((v.flags >> b) & 1u)) continue;
        if (!f.empty()) f += '|';
        f += attune::to_string(static_cast<attune::QualityFlag>(b));
      }
      flags[r] = f;
    }
    return List::create(_["longstring"] = longstring, _["irv"] = irv, _["even_odd"] = even_odd, _["synonyms"] = synonyms,
                        _["mahalanobis"] = d2, _["mahalanobis_p"] = p, _["share_answered"] = share,
                        _["out_of_range"] = oor, _["quality_flags"] = flags);
  });
}

SEXP attune_r_calibration_info(SEXP calibration, SEXP from_json);  // attune_r_irt.cpp
SEXP attune_r_theta(SEXP instrument, SEXP data_scale, SEXP answers, SEXP calibration, SEXP from_json, SEXP method);
SEXP attune_r_calibrate(SEXP instrument, SEXP data_scale, SEXP answers, SEXP options);

static const R_CallMethodDef kCallMethods[] = {
    {"attune_r_calibration_info", reinterpret_cast<DL_FUNC>(&attune_r_calibration_info), 2},
    {"attune_r_theta", reinterpret_cast<DL_FUNC>(&attune_r_theta), 6},
    {"attune_r_calibrate", reinterpret_cast<DL_FUNC>(&attune_r_calibrate), 4},
    {"attune_r_quality", reinterpret_cast<DL_FUNC>(&attune_r_quality), 4},
    {"attune_r_plan", reinterpret_cast<DL_FUNC>(&attune_r_plan), 7},
    {"attune_r_list_instruments", reinterpret_cast<DL_FUNC>(&attune_r_list_instruments), 0},
    {"attune_r_instrument", reinterpret_cast<DL_FUNC>(&attune_r_instrument), 2},
    {"attune_r_score", reinterpret_cast<DL_FUNC>(&attune_r_score), 4},
    {"attune_r_reliability", reinterpret_cast<DL_FUNC>(&attune_r_reliability), 5},
    {nullptr, nullptr, 0}};

void R_init_attune(DllInfo* dll) {
  R_registerRoutines(dll, nullptr, kCallMethods, nullptr, nullptr);
  R_useDynamicSymbols(dll, FALSE);
}

}  // extern "C"
