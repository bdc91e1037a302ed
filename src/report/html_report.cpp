// The HTML report: three passes' worth of statistics gathered in two reads of the file (moments for
// the quality model; then scores, histograms, plane density and quality flags), written as one
// self-contained page with inline SVG. Exact values sit in data-value attributes so tools (and our
// tests) can read the numbers back without parsing rounded text.
#include <attune/report.hpp>
#include <attune/audit.hpp>
#include <attune/error.hpp>
#include <attune/irt.hpp>
#include <attune/score.hpp>
#include <attune/version.hpp>

#include "../plan_data.hpp"
#include "report_parts.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <memory>
#include <sstream>

namespace attune {

namespace {

constexpr int kScaleBins = 24;
constexpr int kPlaneBins = 30;       // per axis, over [-3, 3] standardized units
constexpr int kConfidenceBins = 20;  // over [0, 1]

// The bin of a raw score: bins are [lo + k w, lo + (k + 1) w) with the last one closed at hi.
// (v - lo) / (hi - lo) * bins put 2.0 on 1..5 at 3.9999999999999996, one bin too low. A score is a
// mean S/n (or a sum) of whole answers, so off an edge it lies at least 1 / (n (hi - lo)) >= 5e-7 bin
// widths away (n <= 1000 items, a range <= 2000); a position within 1e-9 of a whole number is the edge.
int scale_bin(double v, double lo, double hi) {
  if (!(hi > lo)) return 0;
  const double x = (v - lo) * kScaleBins / (hi - lo);
  double k = std::floor(x);
  if (x - k > 1 - 1e-9) k += 1;
  return std::clamp(static_cast<int>(k), 0, kScaleBins - 1);
}

// Histograms, plane density, categories and quality flags: all counts, so merging is exact.
class ReportAccumulator : public ChunkAccumulator {
 public:
  ReportAccumulator(const ScoringPlan& plan, const QualityScorer* quality, std::vector<double> lo, std::vector<double> hi, double half)
      : plan_(plan), quality_(quality), lo_(std::move(lo)), hi_(std::move(hi)), half_(half) {
    const std::size_t S = plan.scale_count();
    hist_.assign(S * kScaleBins, 0);
    scored_.assign(S, 0);
    sum_.assign(S, 0);
    sum2_.assign(S, 0);
    plane_.assign(kPlaneBins * kPlaneBins, 0);
  }
  std::unique_ptr<ChunkAccumulator> fresh() const override {
    return std::make_unique<ReportAccumulator>(plan_, quality_, lo_, hi_, half_);
  }
  void add(const double* x, std::size_t rows, std::size_t items, const std::uint8_t* scored, const BlockScores& b) override {
    const std::size_t S = plan_.scale_count();
    if (quality_) quality_->prepare(ws_);
    for (std::size_t r = 0; r < rows; ++r) {
      if (!scored[r]) continue;
      rows_ += 1;
      bool any_missing_scale = false;
      for (std::size_t i = 0; i < items; ++i) {
        if (std::isnan(x[r * items + i])) missing_cells_ += 1;
      }
      bool complete = true;
      for (std::size_t i = 0; i < items; ++i) complete = complete && !std::isnan(x[r * items + i]);
      complete_rows_ += complete ? 1 : 0;
      for (std::size_t s = 0; s < S; ++s) {
        const double v = b.raw[r * S + s];
        if (std::isnan(v)) { any_missing_scale = true; continue; }
        scored_[s] += 1;
        sum_[s] += v;
        sum2_[s] += v * v;
        hist_[s * kScaleBins + static_cast<std::size_t>(scale_bin(v, lo_[s], hi_[s]))] += 1;
      }
      noted_ += any_missing_scale ? 1 : 0;
      const std::uint8_t cat = b.category[r];
      if (cat == 0) categories_[4] += 1;
      else if (cat & (cat - 1)) categories_[5] += 1;  // a tie
      else categories_[static_cast<std::size_t>(__builtin_ctz(cat))] += 1;
      const double ax = b.plane[r * 2], av = b.plane[r * 2 + 1];
      if (!std::isnan(ax) && !std::isnan(av)) {
        auto cell = [this](double z) {
          return std::clamp(static_cast<int>((z + half_) / (2 * half_) * kPlaneBins), 0, kPlaneBins - 1);
        };
        // x: avoidance, y: anxiety (the usual drawing of the two-dimensional space).
        plane_[static_cast<std::size_t>(cell(ax) * kPlaneBins + cell(av))] += 1;
        plane_n_ += 1;
      }
      const double c = b.confidence[r];
      if (!std::isnan(c)) confidence_[static_cast<std::size_t>(std::clamp(static_cast<int>(c * kConfidenceBins), 0, kConfidenceBins - 1))] += 1;
      if (quality_) {
        QualityValues q;
        quality_->score(x + r * items, 0, q, ws_);
        for (int f = 0; f < kQualityFlags; ++f) flagged_[static_cast<std::size_t>(f)] += (q.flags >> f) & 1u;
        any_flag_ += q.flags ? 1 : 0;
      }
    }
  }
  void merge(ChunkAccumulator& chunk) override {
    auto& o = static_cast<ReportAccumulator&>(chunk);
    auto add = [](auto& a, const auto& b) { for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i]; };
    add(hist_, o.hist_); add(scored_, o.scored_); add(sum_, o.sum_); add(sum2_, o.sum2_); add(plane_, o.plane_);
    add(categories_, o.categories_); add(confidence_, o.confidence_); add(flagged_, o.flagged_);
    rows_ += o.rows_; missing_cells_ += o.missing_cells_; complete_rows_ += o.complete_rows_; noted_ += o.noted_;
    plane_n_ += o.plane_n_; any_flag_ += o.any_flag_;
  }

  ScoringPlan plan_;
  const QualityScorer* quality_;
  QualityScorer::Workspace ws_;
  std::vector<double> lo_, hi_;
  double half_;  // the plane is drawn over [-half_, half_] on both axes
  std::vector<double> hist_, scored_, sum_, sum2_, plane_;
  std::array<double, 6> categories_{};  // 4 categories, none, tie
  std::array<double, kConfidenceBins> confidence_{};
  std::array<double, kQualityFlags> flagged_{};
  double rows_ = 0, missing_cells_ = 0, complete_rows_ = 0, noted_ = 0, plane_n_ = 0, any_flag_ = 0;
};

using report::esc;
using report::full;
using report::td;
std::string f(double x, int d = 3) { return report::fixed(x, d); }
std::string count(double x) { return report::fixed(x, 0); }
std::string pct(double part, double whole) { return whole > 0 ? f(100 * part / whole, 1) + "%" : "NA"; }

const char* flag_citation(QualityFlag fl) {
  switch (fl) {
    case QualityFlag::longstring: return "Johnson (2005); rule of thumb: Curran (2016)";
    case QualityFlag::irv: return "Dunn, Heggestad, Shanock &amp; Theilgard (2018); cutoff: convention";
    case QualityFlag::even_odd: return "Jackson (1976); cutoff: Johnson (2005)";
    case QualityFlag::synonyms: return "Meade &amp; Craig (2012); cutoff: convention";
    case QualityFlag::mahalanobis: return "Mahalanobis (1936); p cutoff: Tabachnick &amp; Fidell (2013)";
    case QualityFlag::share_answered: return "convention";
    case QualityFlag::out_of_range: return "the instrument's response scale";
  }
  return "";
}

// Whether a flag could be computed on this sample at all (the notes under the table say why not).
bool flag_computed(QualityFlag fl, const QualityScorer& q, const QualityModel& model) {
  switch (fl) {
    case QualityFlag::even_odd: return q.even_odd_available();
    case QualityFlag::synonyms: return model.synonym_pairs.size() >= 3;
    case QualityFlag::mahalanobis: return !model.cov_inverse.empty();
    default: return true;
  }
}

std::string flag_rule(QualityFlag fl, const QualityScorer& q) {
  const QualityThresholds& t = q.thresholds();
  switch (fl) {
    case QualityFlag::longstring: return "longest run of identical answers &ge; " + std::to_string(q.longstring_limit());
    case QualityFlag::irv: return "SD of a person's answers &le; " + f(t.irv_at_most, 2);
    case QualityFlag::even_odd: return "Spearman-Brown (Spearman, 1910; Brown, 1910) even-odd r &lt; " + f(t.even_odd_below, 2);
    case QualityFlag::synonyms: return "within-person r over item pairs with sample r &gt; " + f(t.synonym_pair_r, 2) + " is &lt; " + f(t.synonyms_below, 2);
    case QualityFlag::mahalanobis: return "chi-square p of D&sup2; &lt; " + f(t.mahalanobis_p_below, 3);
    case QualityFlag::share_answered: return "share of items answered &lt; " + f(t.share_answered_below, 2);
    case QualityFlag::out_of_range: return "more than " + std::to_string(t.out_of_range_above) + " invalid answers";
  }
  return "";
}

}  // namespace

// Each scale's possible range on the data's metric, for the histograms: item scales from the data's
// scale, derived scales from their terms' ranges and weights.
void score_ranges(const detail::PlanData& d, std::vector<double>& lo, std::vector<double>& hi) {
  for (std::size_t s = 0; s < d.n_scales; ++s) {
    const std::uint32_t b = d.member_begin[s], e = d.member_begin[s + 1];
    const double k = e - b;
    if (!d.derived[s]) {
      lo[s] = d.sum_aggregation[s] ? k * d.data_min : d.data_min;
      hi[s] = d.sum_aggregation[s] ? k * d.data_max : d.data_max;
    } else {
      double l = 0, h = 0;
      for (std::uint32_t m = b; m < e; ++m) {
        const double w = d.member_weight[m];
        const double a = w * lo[d.member_index[m]], c = w * hi[d.member_index[m]];
        l += std::min(a, c);
        h += std::max(a, c);
      }
      lo[s] = d.sum_aggregation[s] ? l : l / k;
      hi[s] = d.sum_aggregation[s] ? h : h / k;
    }
  }
}

// The response-quality table: each flag's rule, source and count, or "not computed" with why.
void write_quality_section(std::ostringstream& h, const ReportAccumulator& acc, const QualityScorer& quality, const QualityModel& model,
                           const ReportOptions& ro, const std::string& instrument_id) {
  h << "<h2 id=\"quality\">Response quality</h2>\n<p class=\"small\">Indices of careless or insufficient-effort responding, computed for "
       "every scored row. A flag is a prompt to look at a row, not a reason to drop it; no row was removed. Counts are rows caught out of "
    << count(acc.rows_) << " scored rows (rows reported as errors are counted above).</p>\n";
  h << "<table id=\"quality-table\"><tr><th>index</th><th class=\"l\">flag when</th><th class=\"l\">source</th><th>rows flagged</th><th>share</th></tr>\n";
  for (int fl = 0; fl < kQualityFlags; ++fl) {
    const auto q = static_cast<QualityFlag>(fl);
    h << "<tr><td>" << to_string(q) << "</td><td style=\"text-align:left\">" << flag_rule(q, quality) << "</td><td style=\"text-align:left\">"
      << flag_citation(q) << "</td>";
    if (!flag_computed(q, quality, model)) {
      // "0 / 0.0%" would read as "checked, nobody flagged"; the note below says why it is not computed.
      h << "<td data-key=\"flag_" << to_string(q) << "\" data-value=\"NaN\">not computed</td><td></td></tr>\n";
      continue;
    }
    h << td(std::string("flag_") + to_string(q), acc.flagged_[static_cast<std::size_t>(fl)], 0) << "<td>"
      << pct(acc.flagged_[static_cast<std::size_t>(fl)], acc.rows_) << "</td></tr>\n";
  }
  h << "<tr><td>any flag</td><td></td><td></td>" << td("flag_any", acc.any_flag_, 0) << "<td>" << pct(acc.any_flag_, acc.rows_) << "</td></tr></table>\n";
  std::string qnotes;
  if (!quality.even_odd_available()) qnotes += "Even-odd consistency needs at least three item scales; " + instrument_id + " has fewer, so it is not computed. ";
  if (model.synonym_pairs.size() < 3) qnotes += "Fewer than three item pairs correlate above " + f(ro.quality.synonym_pair_r, 2) + ", so psychometric synonyms are not computed. ";
  else qnotes += std::to_string(model.synonym_pairs.size()) + " item pairs correlate above " + f(ro.quality.synonym_pair_r, 2) + " and serve as psychometric synonyms. ";
  if (model.cov_inverse.empty()) qnotes += "The item covariance matrix is not positive definite, so Mahalanobis distances are not computed. ";
  h << "<p class=\"small\">" << esc(qnotes) << "</p>\n";

}

// The anxiety x avoidance plane (or the method's own rule), the category shares and the confidence.
void write_profile_sections(std::ostringstream& h, const ScoringPlan& plan, const ReportAccumulator& acc) {
  const auto& d = plan.data();
  const double n_cat = acc.categories_[0] + acc.categories_[1] + acc.categories_[2] + acc.categories_[3] + acc.categories_[5];
  h << "<h2 id=\"plane\">Anxiety and avoidance</h2>\n";
  if (d.anxiety >= 0 && d.avoidance >= 0) {
    const bool quadrants = d.method.type == ProfileMethodType::quadrant;
    h << "<p class=\"small\">Density of rows in the standardized plane (" << esc(plan.standardization()) << "); darker cells hold more rows. "
      << (quadrants ? "The lines at 0 split the four quadrants; the shares are of rows with a profile."
                    : "The dashed lines at 0 are only axes: " + esc(d.method.name) +
                          " assigns the patterns by its own rule, not by quadrant, so its shares are in the table, not in the corners.")
      << "</p>\n";
    h << "<div class=\"figs\"><figure class=\"fig\">"
      << report::plane_svg(acc.plane_, kPlaneBins, acc.half_, acc.categories_, quadrants) << "</figure>\n";
  } else {
    h << "<p class=\"small\">This instrument's profile method (" << esc(d.method.name)
      << ") has no anxiety x avoidance plane; the category shares below come from its own rule.</p><div class=\"figs\">\n";
  }
  h << "<table id=\"categories\"><tr><th>pattern (" << esc(d.method.name) << ")</th><th>rows</th><th>share</th></tr>\n";
  static const char* names[6] = {"secure", "anxious", "avoidant", "fearful", "no profile", "tie"};
  for (int c : {0, 1, 2, 3, 5, 4}) {
    h << "<tr><td>" << names[c] << "</td>" << td(std::string("category_") + names[c], acc.categories_[static_cast<std::size_t>(c)], 0)
      << "<td>" << (c == 4 ? "" : pct(acc.categories_[static_cast<std::size_t>(c)], n_cat)) << "</td></tr>\n";
  }
  h << "</table></div>\n<p class=\"small\">Attachment is dimensional; the four patterns are a simplification of where a row falls in this "
       "plane, and a row near a line is between patterns.</p>\n";

  // Confidence.
  h << "<h2 id=\"confidence\">Profile confidence</h2>\n";
  double nconf = 0;
  for (double c : acc.confidence_) nconf += c;
  if (nconf > 0) {
    std::vector<double> c(acc.confidence_.begin(), acc.confidence_.end());
    const report::HistogramFigure fig{"Profile confidence", "confidence (0 to 1)", "rows", "rows per bin (n = " + count(nconf) + ")", "#6b8e23"};
    h << "<figure class=\"fig\">" << report::histogram_svg(c, 0, 1, fig) << "<figcaption>" << esc(d.confidence_basis)
      << " (n = " << count(nconf) << ")</figcaption></figure>\n";
  } else {
    h << "<p class=\"small\">No confidence values: " << esc(d.confidence_basis.empty() ? std::string("not available for this method") : d.confidence_basis) << "</p>\n";
  }

}

// The reliability table: per scale, alpha with both intervals, standardized alpha, lambda 6, omega.
void write_reliability_table(std::ostringstream& h, const ReliabilityReport& R) {
  const int ci = static_cast<int>(std::lround(R.ci_level * 100));
  h << "<h2 id=\"reliability\">Reliability</h2>\n<table id=\"reliability-table\"><tr><th>scale</th><th>items</th><th>n</th><th>alpha</th><th>"
    << ci << "% CI Feldt, lower</th><th>" << ci << "% CI Feldt, upper</th><th>" << ci << "% CI Duhachek, lower</th><th>" << ci
    << "% CI Duhachek, upper</th><th>std. alpha</th><th>lambda 6</th><th>omega total</th><th>average r</th></tr>\n";
  for (const auto& s : R.scales) {
    const std::string k = s.id + ".";
    h << "<tr><td>" << esc(s.id) << "</td><td>" << s.k << "</td>" << td(k + "n", s.n, 0) << td(k + "alpha", s.alpha)
      << td(k + "alpha_ci_feldt.lower", s.alpha_ci_feldt.lower) << td(k + "alpha_ci_feldt.upper", s.alpha_ci_feldt.upper)
      << td(k + "alpha_ci_duhachek.lower", s.alpha_ci_duhachek.lower) << td(k + "alpha_ci_duhachek.upper", s.alpha_ci_duhachek.upper)
      << td(k + "std_alpha", s.std_alpha) << td(k + "lambda6", s.lambda6) << td(k + "omega_total", s.omega_total)
      << td(k + "average_r", s.average_r) << "</tr>\n";
  }
  h << "</table>\n";

}

// How every number was computed, with the citations the reference list resolves.
void write_methods_section(std::ostringstream& h, const ScoringPlan& plan, const ReliabilityReport& R) {
  const auto& d = plan.data();
  const Instrument& ins = plan.instrument();
  h << "<h2 id=\"methods\">Methods</h2>\n<p>Scores: " << esc(ins.name) << "; each scale is the "
    << "mean (or sum, where the instrument says so) of its answered items after reverse keying as (min + max) - x on the data's "
    << "response scale (" << d.data_scale.min << " to " << d.data_scale.max << "), and is left empty when fewer items than the instrument's "
    << "minimum were answered. Profile: " << esc(d.method.name) << " (" << esc(plan.standardization()) << "). "
    << "Reliability, per scale on the keyed items, with " << (R.missing == MissingHandling::pairwise ? "pairwise-complete covariances" : "complete cases only")
    << ", as R psych 2.2.9 computes them (Revelle, 2022): Cronbach's (1951) alpha and its standardized form, Guttman's (1945) lambda 6 from squared "
       "multiple correlations, the average inter-item correlation, the interval of Feldt, Woodruff and Salih (1987) from the F distribution, the Duhachek and "
       "Iacobucci (2004) interval alpha &plusmn; 1.96 ASE, and McDonald's (1999) omega total from a one-factor minimum-residual model. "
       "Corrected item-total correlations (r.drop) correlate each item with the sum of the other items; r.cor corrects for item overlap "
       "and reliability; an item with a negative r.drop is reported as possibly miskeyed. Response-quality indices follow Curran (2016): "
       "longstring, intra-individual response variability, even-odd consistency, psychometric synonyms (Meade &amp; Craig, 2012) and "
       "Mahalanobis (1936) distance against the sample's item means and pairwise covariances over the answered items, with its "
       "chi-square p (p &lt; .001 flagged: Tabachnick &amp; Fidell, 2013). Correlations between the scales are Pearson "
       "correlations of the scale scores over the rows where both have one, corrected for unreliability by Spearman's (1904) "
       "formula with each scale's alpha. The reliability and quality sums are exact, so those numbers do not depend on how the "
       "file was split across threads. Formulas: docs/formulas-reliability.md.</p>\n";
}

// The instrument's own citations, the methods' references and the closing disclaimer.
void write_citations(std::ostringstream& h, const Instrument& ins, bool irt) {
  h << "<h2 id=\"citation\">Instrument</h2>\n<ul>";
  for (const auto& c : ins.citations) {
    h << "<li>" << esc(c.text);
    if (!c.doi.empty()) h << " doi:" << esc(c.doi);
    h << "</li>";
  }
  h << "</ul>\n";
  report::write_references(h, irt);
  h << "<p class=\"note\">" << esc(disclaimer()) << "</p>\n</body></html>\n";
}

// The calibration named by --irt, checked against the plan, and the accumulator of the rows' thetas.
std::unique_ptr<report::ThetaAccumulator> theta_accumulator(const ScoringPlan& plan, const std::string& name,
                                                            std::unique_ptr<irt::Calibration>& calibration) {
  calibration = std::make_unique<irt::Calibration>(irt::load_calibration(name));
  if (calibration->provenance.instrument_id != plan.instrument().id) {
    throw UsageError("the calibration is for instrument '" + calibration->provenance.instrument_id + "', not '" + plan.instrument().id + "'",
                     Location::in_file(name), "a calibration of the instrument being reported on");
  }
  std::vector<std::string> ids;
  for (const Item& item : plan.instrument().items) ids.push_back(item.id);
  return std::make_unique<report::ThetaAccumulator>(std::make_shared<irt::ThetaScorer>(*calibration, ids, plan.data_scale()));
}

namespace {

// The plane spans the scores' possible range in standardized units (at most 4 each way); without
// an anxiety x avoidance pair there is no plane and the width is unused.
double plane_half_width(const detail::PlanData& d, const std::vector<double>& lo, const std::vector<double>& hi) {
  if (d.anxiety < 0 || d.avoidance < 0) return 1;
  double half = 0;
  const std::pair<int, double> dims[2] = {{d.anxiety, d.center_anxiety}, {d.avoidance, d.center_avoidance}};
  const double units[2] = {d.unit_anxiety, d.unit_avoidance};
  for (int k = 0; k < 2; ++k) {
    const auto sc = static_cast<std::size_t>(dims[k].first);
    for (double v : {lo[sc], hi[sc]}) {
      const double z = (d.metric_k * v + d.metric_b[sc] - dims[k].second) / units[k];
      if (std::isfinite(z)) half = std::max(half, std::abs(z));
    }
  }
  return std::clamp(half, 1.0, 4.0);
}

std::string report_title(const ReportOptions& ro, const Instrument& ins, const std::string& in_name) {
  if (!ro.title.empty()) return ro.title;
  const std::string base = in_name.substr(in_name.find_last_of('/') == std::string::npos ? 0 : in_name.find_last_of('/') + 1);
  return (ins.short_name.empty() ? ins.name : ins.short_name) + ": " + base;
}

// The page up to its first section: title, style, heading, the response-scale warning, the disclaimer.
void write_page_head(std::ostringstream& h, const std::string& title, const Instrument& ins, const ResponseScaleStatus& scale) {
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << esc(title) << "</title>\n<style>\n"
    << "body{font-family:Georgia,'DejaVu Serif',serif;max-width:1000px;margin:24px auto;padding:0 16px;color:#222;line-height:1.45}\n"
    << "h1{font-size:26px;margin-bottom:4px}h2{font-size:20px;border-bottom:1px solid #ccc;padding-bottom:3px;margin-top:32px}\n"
    << "table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}td,th{border:1px solid #ddd;padding:3px 7px;text-align:right;vertical-align:top}\n"
    << "th{background:#f1f1f1}td:first-child,th:first-child{text-align:left}.note{background:#fff8e1;border-left:4px solid #e0a800;padding:8px 12px}\n"
    << ".warn{background:#fdecea}.figs{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}th.l,td.l{text-align:left}.fig{margin:0}.fig figcaption{font-size:13px;color:#444}\n"
    << ".small{font-size:13px;color:#555}.csv{margin:-10px 0 16px;font-size:12px}.figs>.csv{flex-basis:100%;margin-top:-12px}\n</style></head><body>\n";
  h << "<h1>" << esc(title) << "</h1>\n<p class=\"small\">" << esc(ins.name) << " (" << esc(ins.id) << " " << esc(ins.version)
    << "), attune " << version() << ".</p>\n";
  // Before anything else is read: every number below depends on the scale the answers were read on.
  if (scale.checked && !scale.fits)
    h << "<div class=\"note warn\" id=\"response-scale\"><b>The answers may not be on the declared response scale</b><p>"
      << esc(scale.warning) << "</p></div>\n";
  h << "<p class=\"note\" id=\"disclaimer\">" << esc(disclaimer())
    << " This report describes a sample; no person in it should be labelled by a category.</p>\n";
}

void write_sample_section(std::ostringstream& h, const BatchSummary& sum, const ReportAccumulator& acc, std::size_t n_items) {
  const double P = static_cast<double>(n_items);
  h << "<h2 id=\"sample\">Sample and missing answers</h2>\n<table id=\"sample-table\"><tr><th>quantity</th><th>value</th></tr>\n";
  h << "<tr><td>rows in the file</td>" << td("rows_in", static_cast<double>(sum.rows_in), 0) << "</tr>\n";
  h << "<tr><td>rows scored</td>" << td("rows_scored", static_cast<double>(sum.rows_scored), 0) << "</tr>\n";
  h << "<tr><td>rows reported as errors (invalid answers or CSV problems; not used)</td>" << td("rows_reported", static_cast<double>(sum.rows_reported), 0) << "</tr>\n";
  h << "<tr><td>rows answering every item</td>" << td("rows_complete", acc.complete_rows_, 0) << "</tr>\n";
  h << "<tr><td>rows with a scale below its minimum answered (that scale left empty)</td>" << td("rows_scale_missing", acc.noted_, 0) << "</tr>\n";
  h << "<tr><td>missing answers (cells) in scored rows</td>" << td("missing_cells", acc.missing_cells_, 0) << "</tr>\n";
  h << "<tr><td>share of answers missing</td>" << td("missing_share", acc.rows_ > 0 ? acc.missing_cells_ / (acc.rows_ * P) : std::nan(""), 4) << "</tr>\n";
  h << "</table>\n";
}

// One histogram per scale over its possible range, with n, mean and SD from the exact sums.
void write_distributions(std::ostringstream& h, const ScoringPlan& plan, const ReportAccumulator& acc) {
  const auto& d = plan.data();
  const Instrument& ins = plan.instrument();
  h << "<h2 id=\"distributions\">Scale distributions</h2>\n<p class=\"small\">Raw scores on the data's response scale ("
    << d.data_scale.min << " to " << d.data_scale.max << "), " << kScaleBins << " equal bins over the possible range.</p>\n<div class=\"figs\">\n";
  for (std::size_t s = 0; s < d.n_scales; ++s) {
    const double n = acc.scored_[s];
    const double mean = n > 0 ? acc.sum_[s] / n : std::nan("");
    const double sd = n > 1 ? std::sqrt(std::max(0.0, (acc.sum2_[s] - n * mean * mean) / (n - 1))) : std::nan("");
    std::vector<double> c(acc.hist_.begin() + static_cast<long>(s * kScaleBins), acc.hist_.begin() + static_cast<long>((s + 1) * kScaleBins));
    const report::HistogramFigure fig{"Distribution of " + ins.scales[s].id, ins.scales[s].id + " raw score", "rows",
                                      "rows per bin (n = " + count(n) + ")", "#4a7ab5"};
    h << "<figure class=\"fig\" id=\"hist-" << esc(ins.scales[s].id) << "\">" << report::histogram_svg(c, acc.lo_[s], acc.hi_[s], fig)
      << "<figcaption><b>" << esc(ins.scales[s].id) << "</b> (" << esc(ins.scales[s].label) << "): n = " << count(n) << ", mean "
      << f(mean, 2) << ", SD " << f(sd, 2) << "</figcaption></figure>\n";
  }
  h << "</div>\n";
}

// Possibly miskeyed items first, then each scale's item table.
void write_items_section(std::ostringstream& h, const Instrument& ins, const ReliabilityReport& R, double miskey_below) {
  h << "<h2 id=\"items\">Items</h2>\n";
  if (R.warnings.empty()) {
    h << "<p>No item has a negative corrected item-total correlation: every item, as keyed, runs with the rest of its scale.</p>\n";
  } else {
    h << "<div class=\"note warn\" id=\"miskeyed\"><b>Possibly miskeyed items</b><ul>";
    for (const auto& w : R.warnings) h << "<li>" << esc(w.message) << "</li>";
    h << "</ul></div>\n";
  }
  for (const auto& s : R.scales) {
    h << "<h3>" << esc(s.id) << "</h3>\n<table class=\"items\" id=\"items-" << esc(s.id)
      << "\"><tr><th>item</th><th class=\"l\">content (our words)</th><th>keyed</th><th>n</th><th>missing</th><th>mean</th><th>SD</th><th>r.drop</th><th>r.cor</th><th>alpha if deleted</th></tr>\n";
    for (const auto& it : s.items) {
      const Item* item = ins.find_item(it.id);
      const bool bad = it.r_drop < miskey_below;
      const std::string k = s.id + ".items." + it.id + ".";
      h << "<tr" << (bad ? " class=\"warn\"" : "") << "><td>" << esc(it.id) << "</td><td style=\"text-align:left\">" << esc(item ? item->label : "")
        << "</td><td>" << (it.reversed ? "reversed" : "") << "</td>" << td(k + "n", it.n, 0) << td(k + "missing", it.missing, 0)
        << td(k + "mean", it.mean, 2) << td(k + "sd", it.sd, 2) << td(k + "r_drop", it.r_drop) << td(k + "r_cor", it.r_cor)
        << td(k + "alpha_if_deleted", it.alpha_if_deleted) << "</tr>\n";
    }
    h << "</table>\n";
  }
}

// Centred on each scale's midpoint, which keeps the correlation sums' cancellation small.
std::unique_ptr<report::ScaleCorrelationAccumulator> scale_correlations(const std::vector<double>& lo, const std::vector<double>& hi) {
  std::vector<double> centre(lo.size());
  for (std::size_t s = 0; s < lo.size(); ++s) centre[s] = (lo[s] + hi[s]) / 2;
  return std::make_unique<report::ScaleCorrelationAccumulator>(lo.size(), centre);
}

}  // namespace

ReportResult html_report(const ScoringPlan& plan, std::FILE* in, const std::string& in_name, const BatchOptions& bo,
                         const ReportOptions& ro, const std::function<void(const RowError&)>& on_error) {
  const auto& d = plan.data();
  const Instrument& ins = plan.instrument();
  if (std::ftell(in) < 0) throw UsageError("the report reads the file twice; it cannot read standard input or a pipe", Location::in_file(in_name), "a file path");

  // Pass 1: reliability sums and the moments for the quality model.
  ReliabilityAccumulator rel(plan, true);
  auto model = std::make_shared<QualityModel>(read_quality_model(plan, in, in_name, bo, rel, ro.quality));
  QualityScorer quality(plan, ro.quality, model);

  // Score ranges for the histograms, on the data's metric (derived scales from their terms).
  std::vector<double> lo(d.n_scales), hi(d.n_scales);
  score_ranges(d, lo, hi);
  // Pass 2: scores, histograms, plane, confidence and quality flags.
  ReportAccumulator acc(plan, &quality, lo, hi, plane_half_width(d, lo, hi));
  ScaleUsageAccumulator usage(plan);
  auto corr = scale_correlations(lo, hi);
  std::unique_ptr<irt::Calibration> calibration;
  std::unique_ptr<report::ThetaAccumulator> theta;
  if (!ro.irt_calibration.empty()) theta = theta_accumulator(plan, ro.irt_calibration, calibration);
  BatchOptions second = bo;
  second.accumulators = {&acc, corr.get()};
  if (theta) second.accumulators.push_back(theta.get());
  if (!ro.response_scale_confirmed) second.accumulators.push_back(&usage);
  ReportResult res;
  res.summary = accumulate_csv(plan, in, in_name, second, on_error);
  res.reliability = reliability(rel, ro.reliability);
  res.response_scale = ro.response_scale_confirmed ? confirmed_scale_status(plan) : check_scale(usage, &res.reliability).status();
  const ReliabilityReport& R = res.reliability;

  std::ostringstream h;
  write_page_head(h, report_title(ro, ins, in_name), ins, res.response_scale);
  write_sample_section(h, res.summary, acc, d.n_items);
  write_distributions(h, plan, acc);
  // Plane, categories and confidence: only for an instrument that defines a profile.
  if (plan.has_profile()) {
    write_profile_sections(h, plan, acc);
  } else {
    h << "<h2 id=\"plane\">Profile</h2>\n<p class=\"small\">" << esc(ins.id)
      << " defines no profile (no anxiety x avoidance plane, no patterns), so this report has scales, reliability, items and "
         "response quality only.</p>\n";
  }
  write_reliability_table(h, R);
  report::write_correlation_section(h, ins, *corr, R);
  write_items_section(h, ins, R, ro.reliability.miskey_below);
  write_quality_section(h, acc, quality, *model, ro, ins.id);
  write_methods_section(h, plan, R);
  if (theta) report::write_irt_section(h, *calibration, ro.irt_calibration, *theta);
  write_citations(h, ins, theta != nullptr);
  res.html = report::add_csv_downloads(h.str());
  return res;
}

}  // namespace attune
