// The IRT section of the report, for a run with a calibration (--irt): each row's theta per
// calibrated scale (EAP, as `attune score --json --irt`), their distribution in this sample, and the
// calibration's test information and standard error curves (Samejima's graded response model).
#include "report_parts.hpp"

#include <algorithm>
#include <cmath>

namespace attune::report {

ThetaAccumulator::ThetaAccumulator(std::shared_ptr<const irt::ThetaScorer> s) : scorer(std::move(s)) {
  const std::size_t S = scorer->scale_count();
  hist.assign(S * kThetaBins, 0);
  n.assign(S, 0);
  sum.assign(S, 0);
  sum2.assign(S, 0);
  se2.assign(S, 0);
}

std::unique_ptr<ChunkAccumulator> ThetaAccumulator::fresh() const { return std::make_unique<ThetaAccumulator>(scorer); }

void ThetaAccumulator::add(const double* x, std::size_t rows, std::size_t items, const std::uint8_t* scored, const BlockScores&) {
  const std::size_t S = scorer->scale_count();
  for (std::size_t r = 0; r < rows; ++r) {
    if (!scored[r]) continue;
    for (std::size_t s = 0; s < S; ++s) {
      const irt::ThetaEstimate e = scorer->eap(s, x + r * items);
      if (e.answered == 0) continue;  // the prior alone says nothing about this row
      n[s] += 1;
      sum[s] += e.theta;
      sum2[s] += e.theta * e.theta;
      se2[s] += e.se * e.se;
      const int bin = std::clamp(static_cast<int>(std::floor((e.theta + 4) / 8 * kThetaBins)), 0, kThetaBins - 1);
      hist[s * kThetaBins + static_cast<std::size_t>(bin)] += 1;
    }
  }
}

void ThetaAccumulator::merge(ChunkAccumulator& chunk) {
  auto& o = static_cast<ThetaAccumulator&>(chunk);
  auto add = [](std::vector<double>& a, const std::vector<double>& b) {
    for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
  };
  add(hist, o.hist); add(n, o.n); add(sum, o.sum); add(sum2, o.sum2); add(se2, o.se2);
}

namespace {

constexpr const char* kColors[] = {"#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#4a5568"};

// Test information on [-4, 4] from the calibration's item parameters, and the SE it implies.
void information_curves(const irt::Calibration& cal, std::vector<Series>& info, std::vector<Series>& se) {
  for (std::size_t s = 0; s < cal.scales.size(); ++s) {
    const char* color = kColors[s % 6];
    Series a{cal.scales[s].id, color, {}, {}}, b{cal.scales[s].id, color, {}, {}};
    for (int k = 0; k <= 80; ++k) {
      const double t = -4 + 0.1 * k;
      const double i = irt::test_information(cal.scales[s], t);
      a.x.push_back(t); a.y.push_back(i);
      b.x.push_back(t); b.y.push_back(i > 0 ? 1 / std::sqrt(i) : std::nan(""));
    }
    info.push_back(std::move(a));
    se.push_back(std::move(b));
  }
}

void write_theta_table(std::ostringstream& h, const irt::Calibration& cal, const ThetaAccumulator& acc) {
  h << "<table id=\"irt-scales\"><tr><th>scale</th><th>items</th><th>rows with theta</th><th>mean theta</th><th>SD theta</th>"
       "<th>mean SE</th><th>marginal reliability (calibration)</th><th>empirical reliability (calibration)</th></tr>\n";
  for (std::size_t s = 0; s < acc.scorer->scale_count(); ++s) {
    const std::string& id = acc.scorer->scale_id(s);
    const irt::ScaleCalibration* c = cal.find_scale(id);
    const double n = acc.n[s], mean = n > 0 ? acc.sum[s] / n : std::nan("");
    const double sd = n > 1 ? std::sqrt(std::max(0.0, (acc.sum2[s] - n * mean * mean) / (n - 1))) : std::nan("");
    const double se = n > 0 ? std::sqrt(acc.se2[s] / n) : std::nan("");
    const std::string k = "irt." + id + ".";
    h << "<tr><td>" << esc(id) << "</td><td>" << (c ? c->items.size() : 0) << "</td>" << td(k + "n", n, 0) << td(k + "theta_mean", mean)
      << td(k + "theta_sd", sd) << td(k + "se_rms", se) << td(k + "marginal_reliability", c ? c->marginal_reliability : std::nan(""))
      << td(k + "empirical_reliability", c ? c->empirical_reliability : std::nan("")) << "</tr>\n";
  }
  h << "</table>\n";
}

// Test information and SE per scale at theta = -4, -3.5, ..., 4, as numbers for a paper's table.
void write_information_table(std::ostringstream& h, const irt::Calibration& cal) {
  h << "<table id=\"irt-information\"><tr><th>theta</th>";
  for (const auto& sc : cal.scales) h << "<th>" << esc(sc.id) << " information</th><th>" << esc(sc.id) << " SE</th>";
  h << "</tr>\n";
  for (int k = 0; k <= 16; ++k) {
    const double t = -4 + 0.5 * k;
    h << "<tr>" << td("irt.theta." + std::to_string(k), t, 1);
    for (const auto& sc : cal.scales) {
      const double i = irt::test_information(sc, t);
      h << td("irt." + sc.id + ".information." + std::to_string(k), i) << td("irt." + sc.id + ".se." + std::to_string(k), 1 / std::sqrt(i));
    }
    h << "</tr>\n";
  }
  h << "</table>\n";
}

}  // namespace

void write_irt_section(std::ostringstream& h, const irt::Calibration& cal, const std::string& name, const ThetaAccumulator& acc) {
  h << "<h2 id=\"irt\">Item response theory</h2>\n<p class=\"small\">Theta per calibrated scale from the calibration <code>" << esc(name)
    << "</code>. Its sample: " << esc(cal.provenance.description) << "</p>\n<p class=\"small\">Model: Samejima's (1969) graded "
       "response model, item parameters estimated by "
       "marginal maximum likelihood (Bock &amp; Aitkin, 1981), each row's theta the posterior mean (EAP; Bock &amp; Mislevy, 1982) "
       "under a standard normal prior, its SE the posterior SD. Theta is in the calibration sample's standard deviations (0 = its "
       "middle); rows answering no item of a scale have no theta there. The mean SE is the root mean square of the rows' SEs; the "
       "marginal reliability (Green, Bock, Humphreys, Linn &amp; Reckase, 1984) and the empirical reliability of the EAPs are the "
       "calibration's, from its own sample. Test information is the sum of Samejima's item information over a scale's items, "
       "and SE = 1 / &radic;information.</p>\n";
  write_theta_table(h, cal, acc);
  h << "<div class=\"figs\">\n";
  for (std::size_t s = 0; s < acc.scorer->scale_count(); ++s) {
    const std::string& id = acc.scorer->scale_id(s);
    std::vector<double> c(acc.hist.begin() + static_cast<long>(s * kThetaBins), acc.hist.begin() + static_cast<long>((s + 1) * kThetaBins));
    HistogramFigure fig{"Theta (EAP): " + id, "theta (calibration sample SD units)", "rows",
                        "rows per bin (n = " + fixed(acc.n[s], 0) + ")", kColors[s % 6]};
    h << "<figure class=\"fig\" id=\"theta-" << esc(id) << "\">" << histogram_svg(c, -4, 4, fig) << "</figure>\n";
  }
  std::vector<Series> info, se;
  information_curves(cal, info, se);
  h << "<figure class=\"fig\" id=\"test-information\">" << line_svg(info, "Test information", "theta", "information") << "</figure>\n";
  h << "<figure class=\"fig\" id=\"test-se\">" << line_svg(se, "Standard error of theta", "theta", "SE = 1 / sqrt(information)")
    << "</figure>\n</div>\n";
  write_information_table(h, cal);
}

}  // namespace attune::report
