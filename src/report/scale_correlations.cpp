// Correlations between the scales, raw and corrected for unreliability: r / sqrt(alpha_s alpha_t),
// Spearman's (1904) correction for attenuation, with each scale's alpha from the report's reliability.
#include "report_parts.hpp"

#include <attune/instrument.hpp>
#include <attune/score.hpp>

#include <cmath>

namespace attune::report {

ScaleCorrelationAccumulator::ScaleCorrelationAccumulator(std::size_t scales, std::vector<double> centre)
    : S_(scales), centre_(std::move(centre)), sums_(scales * scales, std::array<double, 6>{}) {}

std::unique_ptr<ChunkAccumulator> ScaleCorrelationAccumulator::fresh() const {
  return std::make_unique<ScaleCorrelationAccumulator>(S_, centre_);
}

void ScaleCorrelationAccumulator::add(const double*, std::size_t rows, std::size_t, const std::uint8_t* scored, const BlockScores& b) {
  for (std::size_t r = 0; r < rows; ++r) {
    if (!scored[r]) continue;
    const double* raw = &b.raw[r * S_];
    for (std::size_t s = 0; s < S_; ++s) {
      if (std::isnan(raw[s])) continue;
      const double x = raw[s] - centre_[s];
      for (std::size_t t = s + 1; t < S_; ++t) {
        if (std::isnan(raw[t])) continue;
        const double y = raw[t] - centre_[t];
        std::array<double, 6>& a = sums_[at(s, t)];
        a[0] += 1; a[1] += x; a[2] += y; a[3] += x * x; a[4] += y * y; a[5] += x * y;
      }
    }
  }
}

void ScaleCorrelationAccumulator::merge(ChunkAccumulator& chunk) {
  auto& o = static_cast<ScaleCorrelationAccumulator&>(chunk);
  for (std::size_t i = 0; i < sums_.size(); ++i)
    for (std::size_t k = 0; k < 6; ++k) sums_[i][k] += o.sums_[i][k];
}

double ScaleCorrelationAccumulator::r(std::size_t s, std::size_t t) const {
  const std::array<double, 6>& a = sums_[s < t ? at(s, t) : at(t, s)];
  const double n = a[0];
  if (n < 3) return std::nan("");
  const double sxx = a[3] - a[1] * a[1] / n, syy = a[4] - a[2] * a[2] / n, sxy = a[5] - a[1] * a[2] / n;
  if (!(sxx > 0 && syy > 0)) return std::nan("");
  return sxy / std::sqrt(sxx * syy);
}

namespace {

double alpha_of(const ReliabilityReport& rel, const std::string& id) {
  for (const auto& s : rel.scales)
    if (s.id == id) return s.alpha;
  return std::nan("");  // a derived scale has no alpha of its own
}

}  // namespace

void write_correlation_section(std::ostringstream& h, const Instrument& ins, const ScaleCorrelationAccumulator& acc,
                               const ReliabilityReport& rel) {
  h << "<h2 id=\"correlations\">Correlations between the scales</h2>\n<p class=\"small\">Pearson correlations of the raw scale scores "
       "over the rows where both scales have a score, and the same corrected for unreliability: r / &radic;(&alpha;<sub>1</sub> "
       "&alpha;<sub>2</sub>) (Spearman, 1904), with Cronbach's alpha of each scale from the reliability table. The corrected value "
       "estimates the correlation between the scales' true scores; it can exceed 1 when the alphas understate reliability. A scale "
       "computed from other scales has no alpha of its own, so its correction is not given (NA).</p>\n";
  h << "<table id=\"scale-correlations\"><tr><th>scale</th><th class=\"l\">with scale</th><th>n</th><th>r</th><th>alpha 1</th><th>alpha 2</th>"
       "<th>r corrected for unreliability</th></tr>\n";
  const std::size_t S = acc.scales();
  for (std::size_t s = 0; s < S; ++s) {
    for (std::size_t t = s + 1; t < S; ++t) {
      const std::string& a = ins.scales[s].id;
      const std::string& b = ins.scales[t].id;
      const double r = acc.r(s, t), a1 = alpha_of(rel, a), a2 = alpha_of(rel, b);
      const double corrected = a1 > 0 && a2 > 0 ? r / std::sqrt(a1 * a2) : std::nan("");
      const std::string k = "cor." + a + "." + b + ".";
      h << "<tr><td>" << esc(a) << "</td><td class=\"l\">" << esc(b) << "</td>" << td(k + "n", acc.n(s, t), 0) << td(k + "r", r) << td(k + "alpha_1", a1)
        << td(k + "alpha_2", a2) << td(k + "r_disattenuated", corrected) << "</tr>\n";
    }
  }
  h << "</table>\n";
}

}  // namespace attune::report
