#pragma once
// Item response theory: Samejima's (1969) graded response model, calibrated per scale by marginal
// maximum likelihood (Bock & Aitkin 1981, EM over a fixed quadrature grid), and a person's theta as
// the posterior mean (EAP, Bock & Mislevy 1982) with the posterior SD as its standard error.
// Formulas, grid, prior and citations: docs/irt.md. No file I/O here except Calibration::from_file.
#include <attune/export.hpp>
#include <attune/instrument.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace attune {
class ScoringPlan;
}

namespace attune::irt {

// The quadrature grid and prior: `nodes` equally spaced points on [lo, hi], standard normal weights
// normalized to sum to 1. The default (61 nodes on [-6, 6], step 0.2) is used for calibration and scoring.
struct Grid {
  int nodes = 61;
  double lo = -6;
  double hi = 6;
  std::vector<double> points() const;
  std::vector<double> prior() const;  // N(0, 1) density at the points, normalized
};

// One item in the usual metric: P(X >= k) = 1 / (1 + exp(-a (theta - b[k-1]))), k = 1..K-1, where X
// is the answer after the instrument's reverse key, counted from 0 (X = answer - min of the scale).
struct ItemParameters {
  std::string id;
  bool reversed = false;  // the answer is reverse-keyed (min + max - x) before the model sees it
  double a = 1;
  std::vector<double> b;  // K - 1 increasing thresholds
  double a_se = std::numeric_limits<double>::quiet_NaN();  // NaN: not estimated
  std::vector<double> b_se;                                 // empty: not estimated
  std::uint64_t answered = 0;  // rows that answered the item in the calibration data
  // Orlando & Thissen (2000) S-X2 (NaN when not computed), its degrees of freedom and p value.
  double sx2 = std::numeric_limits<double>::quiet_NaN(), sx2_p = std::numeric_limits<double>::quiet_NaN();
  int sx2_df = 0;
};

struct ScaleCalibration {
  std::string id;
  std::vector<ItemParameters> items;
  std::uint64_t rows_used = 0;  // rows with at least one answered item of the scale
  double log_likelihood = 0;    // marginal, at the estimates, on the grid
  int parameters = 0;
  double aic = 0, bic = 0;
  int iterations = 0;
  bool converged = false;
  double max_change = 0;  // largest parameter change (a or intercept) in the last EM cycle
  // Green et al. (1984): 1 / (1 + E[1 / I(theta)]) under the N(0, 1) prior, on the grid.
  double marginal_reliability = 0;
  // Var(EAP) / (Var(EAP) + mean posterior variance) over the calibration rows.
  double empirical_reliability = 0;
  std::vector<double> info_theta, info;  // test information on a coarse grid of theta
};

struct Provenance {
  std::string instrument_id;
  std::string instrument_version;
  std::string description;  // what the data are (sample, source, terms)
  std::string source;       // where the data come from (citation or address)
  std::string date;         // UTC, ISO 8601
  std::string attune_version;
  std::string input_sha256;
  std::string input_name;
  std::uint64_t rows_in = 0;
  std::uint64_t rows_used = 0;
  bool complete_only = false;
  std::string method;  // estimation, grid, prior and standard errors in words
};

struct Calibration {
  int format = 1;
  std::string model = "graded";
  ResponseScale response_scale;  // the scale the answers were given on; scoring others is refused
  Grid grid;
  Provenance provenance;
  std::vector<ScaleCalibration> scales;

  const ScaleCalibration* find_scale(const std::string& id) const;
  std::string to_json() const;
  // Validates the parameters; an unusable file is an InstrumentError naming the JSON path.
  static Calibration from_json_text(const std::string& text, const std::string& source_name);
  static Calibration from_file(const std::string& path);
};

// A calibration file's path, or the id of a shipped one (instruments/calibrations/ID.json).
ATTUNE_API Calibration load_calibration(const std::string& id_or_path);

struct CalibrationOptions {
  Grid grid;
  int max_iterations = 500;
  double tolerance = 1e-4;  // stop when no a or intercept moves more than this in one EM cycle
  bool standard_errors = true;
  bool item_fit = true;  // S-X2 (complete rows of each scale only)
  unsigned threads = 0;  // E-step workers, 0: all cores; the result is the same for any number
};

// The answers of a data set in memory: rows x items in the instrument's item order, raw values on
// `scale` (before reverse keys), NaN = not answered. Fits every item scale of the instrument (derived
// scales have no items of their own). Provenance is left for the caller, except rows and method.
ATTUNE_API Calibration calibrate(const Instrument& instrument, const ResponseScale& scale, const double* answers,
                                 std::size_t rows, const CalibrationOptions& options = {});

// One scale: answers rows x items in the scale's calibrated item order (items[i]), raw, NaN missing.
ATTUNE_API ScaleCalibration calibrate_scale(const std::vector<ItemParameters>& start, const ResponseScale& scale,
                                            const double* answers, std::size_t rows, std::size_t stride,
                                            const CalibrationOptions& options);

struct ThetaEstimate {
  double theta = 0;
  double se = 0;         // posterior SD (EAP) or 1 / sqrt(information + 1) at the mode (MAP)
  int answered = 0;      // items that contributed; 0 gives the prior: theta 0, se 1
};

// Precomputed log-probability tables per item, category and grid node for every scale of a
// calibration, with the answers' positions resolved once. Thread-safe after construction.
class ATTUNE_API ThetaScorer {
 public:
  // `item_ids`: the order of the answers passed to eap()/map() (e.g. the instrument's items).
  // `data_scale` must equal the calibration's response scale (UsageError otherwise).
  ThetaScorer(const Calibration& calibration, const std::vector<std::string>& item_ids,
              const ResponseScale& data_scale);
  ~ThetaScorer();
  ThetaScorer(ThetaScorer&&) noexcept;
  ThetaScorer& operator=(ThetaScorer&&) noexcept;

  std::size_t scale_count() const;
  const std::string& scale_id(std::size_t scale) const;
  int scale_index(const std::string& id) const;  // -1 when unknown
  // Raw answers in item_ids order, NaN = not answered; a value off the scale throws AnswerError.
  ThetaEstimate eap(std::size_t scale, const double* answers) const;
  ThetaEstimate map(std::size_t scale, const double* answers) const;
  // Test information at theta from the scale's items the person answered (all items if answers is null).
  double information(std::size_t scale, double theta, const double* answers = nullptr) const;
  // The posterior over the grid's points (points()), normalized, into out (one value per node);
  // returns the number of items answered. The same prior and likelihood as eap().
  int posterior(std::size_t scale, const double* answers, double* out) const;
  const std::vector<double>& points() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The scorer of a plan's rows (answers in the instrument's item order, on the plan's data scale)
// from a calibration file or shipped id: UsageError for another instrument's calibration or, from
// the constructor, another response scale. Shared by `attune score FILE --irt` and the bindings' frames.
ATTUNE_API std::unique_ptr<ThetaScorer> theta_scorer_for(const ScoringPlan& plan, const std::string& calibration);
ATTUNE_API std::unique_ptr<ThetaScorer> theta_scorer_for(const ScoringPlan& plan, const Calibration& calibration);

// Theta and its SE per scale of `scorer` for rows x items answers (the scorer's item order, raw on
// `scale`, NaN = not answered) into out, rows x 2 x scales (theta, SE). NaN where `attune score FILE
// --irt` leaves a cell empty: a row with an answer that is no whole number on `scale` (reported there
// as an error), a scale with none of its items answered. The frames' and the C ABI's many-rows theta.
ATTUNE_API void theta_rows(const ThetaScorer& scorer, const ResponseScale& scale, const double* answers, std::size_t rows,
                           std::size_t items, bool map, double* out);

// One scale, answers in the calibration's item order for that scale (raw, NaN = not answered).
ATTUNE_API ThetaEstimate theta_eap(const Calibration& calibration, const std::string& scale,
                                   const std::vector<double>& answers);

// Item and test information (Samejima 1969) at theta.
ATTUNE_API double item_information(const ItemParameters& item, double theta);
ATTUNE_API double test_information(const ScaleCalibration& scale, double theta);

// Categories with an honest probability (docs/irt.md, "Quadrant probabilities and classification
// consistency"). Cuts are on the theta metric of the calibration.

// P(theta > cut) under a posterior on equally spaced points, each node's mass spread evenly over its
// cell [point - h/2, point + h/2] (the midpoint rule the grid stands for), so it moves smoothly with cut.
ATTUNE_API double share_above(const std::vector<double>& points, const double* posterior, double cut);

// P(secure), P(anxious), P(avoidant), P(fearful) (indexed by Category): each scale above or below its
// cut, the two posteriors taken as independent given the answers.
ATTUNE_API std::array<double, 4> quadrant_probabilities(const std::vector<double>& points, const double* anxiety_posterior,
                                                        const double* avoidance_posterior, double anxiety_cut,
                                                        double avoidance_cut);

// The theta at which the expected mean score (after reverse keys, on `scale`) equals `mean_score`
// (the test characteristic curve inverted by bisection): a cut on the score metric moved to theta.
ATTUNE_API double theta_for_mean_score(const ScaleCalibration& calibration, const ResponseScale& scale, double mean_score);

// Rudner (2001): over the population N(0, 1) on the grid, with a retest's estimate normal around the
// true theta with SE 1 / sqrt(I(theta)): accuracy = expected share classified on the true theta's side of
// the cut, consistency = expected share classified on the same side twice (Lee 2010's definition).
struct ClassificationAgreement {
  double accuracy = 0;
  double consistency = 0;
};
ATTUNE_API ClassificationAgreement classification_agreement(const ScaleCalibration& calibration, const Grid& grid, double cut);

// Calibration by partitions (e.g. Dask, bindings/python/attune/dask.py): the EM's E-step gives sums,
// so each partition's sums can be computed apart and added; the M-step then needs only the total.
// Parameters in slope-intercept form: P(X >= k) = logistic(a[j] theta + d[j (K - 1) + k - 1]).
struct PartitionSums {
  int items = 0, categories = 0, nodes = 0;
  std::vector<double> r;         // expected counts [item][category][node] (empty before the first cycle)
  std::vector<double> observed;  // answers given [item][category] (start values)
  double log_likelihood = 0;     // marginal, at the parameters the sums were made with
  std::uint64_t rows = 0;        // rows with at least one answer
  void add(const PartitionSums& other);  // UsageError when the shapes differ
};
// One partition: raw answers rows x items (NaN = not answered) on `scale`, reversed per item. With
// `a` empty only the observed counts are made (for the start values).
ATTUNE_API PartitionSums partition_sums(const std::vector<double>& a, const std::vector<double>& d,
                                        const std::vector<bool>& reversed, const ResponseScale& scale, const Grid& grid,
                                        const double* answers, std::size_t rows);
// The same start values as calibrate(): a = 1, d = logits of the cumulative answer shares.
ATTUNE_API void start_parameters(const PartitionSums& total, std::vector<double>& a, std::vector<double>& d);
// The same M-step as calibrate() (Newton-Raphson per item from the current values); returns the largest
// change of any a or d.
ATTUNE_API double m_step(const PartitionSums& total, const Grid& grid, std::vector<double>& a, std::vector<double>& d);

// SHA-256 (FIPS 180-4) of a byte stream, fed in pieces; hex() gives the 64-character lower-case digest.
class ATTUNE_API Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t size);
  std::string hex();  // finishes; call once
 private:
  void block(const unsigned char* p);
  std::uint32_t h_[8];
  unsigned char buf_[64];
  std::size_t used_ = 0;
  std::uint64_t length_ = 0;
};

}  // namespace attune::irt
