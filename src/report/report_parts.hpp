#pragma once
// The parts of the HTML report that live outside html_report.cpp: figures with axes, titles and
// legends (svg_plots.cpp), the correlations between scales (scale_correlations.cpp), the IRT section
// (irt_section.cpp), the reference list (references.cpp) and the tables' CSV downloads
// (csv_downloads.cpp). Private to the report layer.
#include <attune/batch.hpp>
#include <attune/irt.hpp>
#include <attune/reliability.hpp>
#include <attune/scoring_plan.hpp>

#include "../stats/byte_accumulator.hpp"

#include <array>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace attune::report {

// ---- text helpers (html_text.cpp) ----
std::string esc(const std::string& s);
std::string fixed(double x, int decimals = 3);  // "NA" when not finite
std::string full(double x);                     // %.17g, "NaN" when not finite
// A table cell whose exact value can be read back from data-value (and from the table's CSV).
std::string td(const std::string& key, double x, int decimals = 3);

// ---- figures (svg_plots.cpp) ----
// Tick positions at 1, 2 or 5 times a power of ten, covering [lo, hi] with about `target` ticks.
std::vector<double> nice_ticks(double lo, double hi, int target = 6);

struct HistogramFigure {
  std::string title;    // drawn above the plot
  std::string x_title;  // under the x axis
  std::string y_title = "rows";
  std::string legend;   // what a bar is, drawn as a swatch and this text
  const char* color = "#4a7ab5";
};
std::string histogram_svg(const std::vector<double>& counts, double lo, double hi, const HistogramFigure& fig);

// The anxiety x avoidance density: plane[i * bins + j] counts rows in anxiety bin i, avoidance bin j
// over [-half, half]; categories: secure, anxious, avoidant, fearful, none, tie.
std::string plane_svg(const std::vector<double>& plane, int bins, double half, const std::array<double, 6>& categories,
                      bool quadrants);

struct Series {
  std::string name;
  const char* color;
  std::vector<double> x, y;
};
std::string line_svg(const std::vector<Series>& series, const std::string& title, const std::string& x_title,
                     const std::string& y_title);

// ---- correlations between scales (scale_correlations.cpp) ----
// Pairwise-complete Pearson correlations of the scale scores over the scored rows; values are
// centred on each scale's midpoint before they are summed, to keep the sums' cancellation small.
class ScaleCorrelationAccumulator : public attune::detail::InternalAccumulator {
 public:
  ScaleCorrelationAccumulator(std::size_t scales, std::vector<double> centre);
  std::unique_ptr<ChunkAccumulator> fresh() const override;
  void add(const double* answers, std::size_t rows, std::size_t items, const std::uint8_t* scored,
           const BlockScores& scores) override;
  void merge(ChunkAccumulator& chunk) override;
  bool reads_bytes() const override { return false; }
  std::size_t scales() const { return S_; }
  double n(std::size_t s, std::size_t t) const { return sums_[at(s, t)][0]; }
  double r(std::size_t s, std::size_t t) const;  // NaN with fewer than 3 rows or no variance

 private:
  std::size_t S_;
  std::vector<double> centre_;
  std::vector<std::array<double, 6>> sums_;  // per pair: n, sx, sy, sxx, syy, sxy
  std::size_t at(std::size_t s, std::size_t t) const { return s * S_ + t; }
};

// The section: raw r, both alphas, and r / sqrt(alpha_s alpha_t) (Spearman 1904) per pair of scales.
void write_correlation_section(std::ostringstream& h, const Instrument& ins, const ScaleCorrelationAccumulator& acc,
                               const ReliabilityReport& rel);

// ---- IRT (irt_section.cpp) ----
constexpr int kThetaBins = 32;  // over [-4, 4]
class ThetaAccumulator : public attune::detail::InternalAccumulator {
 public:
  explicit ThetaAccumulator(std::shared_ptr<const irt::ThetaScorer> scorer);
  std::unique_ptr<ChunkAccumulator> fresh() const override;
  void add(const double* answers, std::size_t rows, std::size_t items, const std::uint8_t* scored,
           const BlockScores& scores) override;
  void merge(ChunkAccumulator& chunk) override;
  bool reads_scores() const override { return false; }
  bool reads_bytes() const override { return false; }

  std::shared_ptr<const irt::ThetaScorer> scorer;
  std::vector<double> hist;               // per scale, kThetaBins
  std::vector<double> n, sum, sum2, se2;  // per scale: rows with an answer, sums of theta, theta^2, SE^2
};

void write_irt_section(std::ostringstream& h, const irt::Calibration& cal, const std::string& calibration_name,
                       const ThetaAccumulator& acc);

// ---- references (references.cpp) ----
// The reference list of every method the report cites (with IRT's when the run has a calibration).
void write_references(std::ostringstream& h, bool irt);

// ---- CSV downloads (csv_downloads.cpp) ----
// After each <table id="..."> of `html`, a link that downloads that table as CSV from a data: URI
// (no script, no network). Cells with data-value give their exact value; others their text.
std::string add_csv_downloads(const std::string& html);

}  // namespace attune::report
