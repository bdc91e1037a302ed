// Reliability report as JSON (keyed by scale id) and as a plain-text table.
#include <attune/reliability.hpp>

#include "scale_json.hpp"
#include <attune/limits.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace attune {

using nlohmann::ordered_json;

namespace {
ordered_json num(double x) { return std::isfinite(x) ? ordered_json(x) : ordered_json(nullptr); }
ordered_json interval(const Interval& i) { return {{"lower", num(i.lower)}, {"upper", num(i.upper)}}; }
ordered_json count(double x) { return ordered_json(static_cast<long long>(std::llround(x))); }
}  // namespace

namespace detail {
ordered_json response_scale_json(const ResponseScaleStatus& r) {
  ordered_json j;
  j["declared"] = r.declared;
  j["instrument"] = r.instrument;
  j["rescaled"] = r.rescaled;
  if (r.rescaled) j["rescale_note"] = r.rescale_note;
  j["confirmed"] = r.confirmed;
  j["checked"] = r.checked;
  if (r.checked) {
    j["judged"] = r.judged;
    // Once both ends are seen the check is settled and each chunk stops counting, so a partial count
    // would depend on how the file was cut into chunks (threads, chunk size, binding): not reported.
    j["rows"] = r.rows_counted ? ordered_json(count(r.rows)) : ordered_json(nullptr);
    j["observed"] = r.observed.empty() ? ordered_json(nullptr) : ordered_json(r.observed);
    j["fits"] = r.fits;
    if (!r.fits) j["warning"] = r.warning;
  }
  return j;
}

std::string response_scale_text(const ResponseScaleStatus& r) {
  std::string o;
  if (r.rescaled) o += "Note: " + r.rescale_note + "\n";
  if (r.checked && !r.fits) o += "Warning: " + r.warning + "\n";
  return o;
}
}  // namespace detail

std::string to_json(const ReliabilityReport& rep, int indent) {
  check_json_indent(indent);
  ordered_json root;
  root["instrument"] = rep.instrument_id;
  root["instrument_version"] = rep.instrument_version;
  root["missing"] = rep.missing == MissingHandling::pairwise ? "pairwise" : "listwise";
  root["ci_level"] = rep.ci_level;
  root["method"] =
      "Keyed items (reverse-keyed as min + max - x on the data's scale). Statistics as R psych 2.2.9's alpha() "
      "(covariances pairwise-complete unless listwise), Feldt CI as psych::alpha.ci, Duhachek CI = alpha -/+ 1.96 ASE, "
      "lambda6 = G6(smc), omega_total from a one-factor minres model as psych::omega(nfactors = 1). "
      "See docs/formulas-reliability.md.";
  ordered_json scales = ordered_json::object();
  for (const auto& s : rep.scales) {
    ordered_json j;
    j["k"] = s.k;
    j["n"] = count(s.n);
    j["n_complete"] = count(s.n_complete);
    j["alpha"] = num(s.alpha);
    j["std_alpha"] = num(s.std_alpha);
    j["lambda6"] = num(s.lambda6);
    j["average_r"] = num(s.average_r);
    j["median_r"] = num(s.median_r);
    j["signal_noise"] = num(s.signal_noise);
    j["ase"] = num(s.ase);
    j["alpha_ci_feldt"] = interval(s.alpha_ci_feldt);
    j["alpha_ci_duhachek"] = interval(s.alpha_ci_duhachek);
    j["omega_total"] = num(s.omega_total);
    j["omega_iterations"] = s.omega_iterations;
    if (!s.note.empty()) j["note"] = s.note;
    ordered_json items = ordered_json::object();
    for (const auto& it : s.items) {
      ordered_json ij;
      ij["reversed"] = it.reversed;
      ij["n"] = count(it.n);
      ij["missing"] = count(it.missing);
      ij["mean"] = num(it.mean);
      ij["sd"] = num(it.sd);
      ij["r_drop"] = num(it.r_drop);
      ij["r_cor"] = num(it.r_cor);
      ij["std_r"] = num(it.std_r);
      ij["alpha_if_deleted"] = num(it.alpha_if_deleted);
      ij["std_alpha_if_deleted"] = num(it.std_alpha_if_deleted);
      ordered_json f = ordered_json::object();
      for (const auto& [v, share] : it.frequencies) f[std::to_string(v)] = num(share);
      ij["frequencies"] = f;
      ij["missing_share"] = num(it.missing_share);
      items[it.id] = ij;
    }
    j["items"] = items;
    ordered_json w = ordered_json::array();
    for (const auto& m : s.warnings) w.push_back({{"item", m.item}, {"reversed", m.reversed}, {"r_drop", num(m.r_drop)}, {"message", m.message}});
    j["miskeyed"] = w;
    scales[s.id] = j;
  }
  root["scales"] = scales;
  ordered_json w = ordered_json::array();
  for (const auto& m : rep.warnings)
    w.push_back({{"scale", m.scale}, {"item", m.item}, {"reversed", m.reversed}, {"r_drop", num(m.r_drop)}, {"message", m.message}});
  root["warnings"] = w;
  if (rep.has_response_scale) root["response_scale"] = detail::response_scale_json(rep.response_scale);
  return root.dump(indent) + "\n";
}

std::string to_text(const ReliabilityReport& rep) {
  std::string o;
  char b[512];
  auto f = [](double x) {
    char t[32];
    if (std::isfinite(x)) std::snprintf(t, sizeof t, "%.3f", x); else std::snprintf(t, sizeof t, "NA");
    return std::string(t);
  };
  std::snprintf(b, sizeof b, "Reliability: %s %s, %s missing data, %.0f%% intervals\n", rep.instrument_id.c_str(),
                rep.instrument_version.c_str(), rep.missing == MissingHandling::pairwise ? "pairwise-complete" : "listwise", rep.ci_level * 100);
  o += b;
  if (rep.has_response_scale) o += detail::response_scale_text(rep.response_scale);
  for (const auto& s : rep.scales) {
    std::snprintf(b, sizeof b,
                  "\n%s (%zu items, n = %.0f, complete = %.0f)\n  alpha %s [Feldt %s, %s; Duhachek %s, %s]  std alpha %s  "
                  "lambda6 %s  omega_t %s  average r %s  median r %s\n",
                  s.id.c_str(), s.k, s.n, s.n_complete, f(s.alpha).c_str(), f(s.alpha_ci_feldt.lower).c_str(),
                  f(s.alpha_ci_feldt.upper).c_str(), f(s.alpha_ci_duhachek.lower).c_str(), f(s.alpha_ci_duhachek.upper).c_str(),
                  f(s.std_alpha).c_str(), f(s.lambda6).c_str(), f(s.omega_total).c_str(), f(s.average_r).c_str(), f(s.median_r).c_str());
    o += b;
    if (!s.note.empty()) o += "  note: " + s.note + "\n";
    std::snprintf(b, sizeof b, "  %-10s %3s %8s %7s %6s %7s %7s %9s %7s\n", "item", "rev", "n", "mean", "sd", "r.drop", "r.cor",
                  "a.if.del", "miss");
    o += b;
    for (const auto& it : s.items) {
      std::snprintf(b, sizeof b, "  %-10s %3s %8.0f %7s %6s %7s %7s %9s %7.0f%s\n", it.id.c_str(), it.reversed ? "R" : "", it.n,
                    f(it.mean).c_str(), f(it.sd).c_str(), f(it.r_drop).c_str(), f(it.r_cor).c_str(), f(it.alpha_if_deleted).c_str(),
                    it.missing, it.r_drop < 0 ? "  <- check key" : "");
      o += b;
    }
  }
  if (!rep.warnings.empty()) {
    o += "\nPossibly miskeyed items:\n";
    for (const auto& w : rep.warnings) o += "  " + w.message + "\n";
  }
  return o;
}

}  // namespace attune
