#pragma once
// Reliability and item statistics per scale, as R's psych::alpha and psych::omega define them,
// from sums gathered in one streaming pass.
//
// Answers are whole numbers, so every sum kept here (counts, sum x, sum x^2, sum x_i x_j, answer
// frequencies) is an integer held exactly in a double (exact while each sum stays below 2^53, i.e.
// for any realistic file). Chunks can therefore be summed in any grouping and merged in any order
// with bit-identical results: chunk size and thread count cannot change a single digit.
#include <attune/chunk_accumulator.hpp>
#include <attune/export.hpp>
#include <attune/scoring_plan.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace attune {

// Sums for one block of items: an item scale on its KEYED items (reverse-keyed items enter as
// (min + max) - x on the data's response scale), or all of the instrument's items unkeyed (the
// "all items" block used by the response-quality flags).
//
// Rows that answer every item of the block go to the complete-case sums (one n for all); rows that
// answer some but not all go to the per-pair sums. Pairwise sums are complete + partial, listwise
// sums are the complete-case ones alone, so both definitions come from the same pass.
struct ATTUNE_API ReliabilitySums {
  std::string scale;                // scale id; empty for the all-items block
  std::vector<int> items;           // item indices (plan order) of the block's members, k of them
  std::vector<std::uint8_t> reversed;  // per member: keyed as (min + max) - x
  int value_min = 0, value_max = 0;    // the data's response scale (frequencies are kept per value)
  double rows = 0;                  // rows seen (scored rows of the file)
  double rows_any = 0;              // rows with at least one member answered (psych's n)
  double n_complete = 0;            // rows with every member answered
  std::vector<double> c_sum;        // k: sum x over complete rows
  std::vector<double> c_cross;      // k x k (upper triangle used): sum x_i x_j over complete rows
  std::vector<double> p_n;          // k x k: partial rows with both i and j answered
  std::vector<double> p_sx;         // k x k: sum x_i over partial rows with i and j answered
  std::vector<double> p_sxx;        // k x k: sum x_i^2 over partial rows with i and j answered
  std::vector<double> p_sxy;        // k x k (upper triangle used): sum x_i x_j over those rows
  std::vector<double> c_freq;       // k x (max - min + 1): answer counts in complete rows
  std::vector<double> p_freq;       // k x (max - min + 1): answer counts in partial rows

  std::size_t k() const { return items.size(); }
  int values() const { return value_max - value_min + 1; }
  void reset(std::size_t k, int vmin, int vmax);
  // Adds one row's values for this block (NaN = missing), already keyed.
  void add_row(const double* keyed);
  // Adds n_rows rows (row-major, k values each), with the same sums as add_row row by row. With
  // `complete`, complete[r] is set to whether row r answers every one of the k values.
  void add_rows(const double* keyed, std::size_t n_rows, std::uint8_t* complete = nullptr);
  void merge(const ReliabilitySums& o);
};

// Gathers ReliabilitySums for every item scale of a plan (and, optionally, the all-items block)
// while a file is scored: pass it in BatchOptions::accumulators, or call add_rows yourself.
//
// Only the all-items block is summed row by row. A scale's sums are its keyed sub-block: reverse
// keying is affine, so sum((R - x_i) x_j) = R sum(x_j) - sum(x_i x_j) and so on, exactly. What the
// all-items block cannot tell apart is the scale's own complete rows among the rows that miss some
// other item; those rows are summed per scale on the side, and scales() puts the two together.
class ATTUNE_API ReliabilityAccumulator : public ChunkAccumulator {
 public:
  explicit ReliabilityAccumulator(const ScoringPlan& plan, bool all_items_block = false);
  ~ReliabilityAccumulator() override;
  ReliabilityAccumulator(const ReliabilityAccumulator& o);
  ReliabilityAccumulator& operator=(const ReliabilityAccumulator& o);
  ReliabilityAccumulator(ReliabilityAccumulator&&) noexcept;
  ReliabilityAccumulator& operator=(ReliabilityAccumulator&&) noexcept;
  std::unique_ptr<ChunkAccumulator> fresh() const override;
  void add(const double* answers, std::size_t rows, std::size_t items, const std::uint8_t* scored,
           const BlockScores& scores) override;
  void merge(ChunkAccumulator& chunk) override;

  // answers: rows x item_count (plan order), NaN = missing; scored may be null (all rows count).
  void add_rows(const double* answers, std::size_t rows, const std::uint8_t* scored = nullptr);
  // Item scales, plan order: built from the sums when first asked for after rows were added.
  const std::vector<ReliabilitySums>& scales() const;
  const ReliabilitySums* all_items() const;
  const ScoringPlan& plan() const;
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  detail::ByteAccumulator* byte_accumulator() override;
};

enum class MissingHandling {
  pairwise,  // psych's default (use = "pairwise"): each covariance over the rows answering both items
  listwise,  // complete cases of the scale only (psych::alpha on na.omit(x))
};

struct ReliabilityOptions {
  MissingHandling missing = MissingHandling::pairwise;
  // An item is reported as possibly miskeyed when its corrected item-total r (r.drop, on keyed
  // items) is below this value. 0: any negative r.drop.
  double miskey_below = 0.0;
  double ci_level = 0.95;  // Feldt and Duhachek intervals
};

struct Interval {
  double lower = 0;
  double upper = 0;
};

struct ItemStatistics {
  std::string id;
  bool reversed = false;       // reverse-keyed on this scale
  double n = 0;                // rows answering the item (in the analysed rows)
  double missing = 0;          // analysed rows not answering it
  double mean = 0;             // keyed item mean
  double sd = 0;               // keyed item SD (n - 1)
  double r_drop = 0;           // corrected item-total correlation: item vs the sum of the others
  double r_cor = 0;            // item-total r corrected for overlap and reliability (SMC diagonal)
  double std_r = 0;            // item-total r from the correlation matrix (psych's std.r)
  double alpha_if_deleted = 0; // raw alpha of the other items
  double std_alpha_if_deleted = 0;
  std::map<int, double> frequencies;  // answer (on the data scale, unkeyed) -> share of answers
  double missing_share = 0;    // psych's "miss": missing / analysed rows
};

struct MiskeyWarning {
  std::string scale;
  std::string item;
  bool reversed = false;  // how the instrument keys it on this scale
  double r_drop = 0;
  std::string message;
};

struct ScaleReliability {
  std::string id;
  std::size_t k = 0;            // items
  double n = 0;                 // analysed rows (pairwise: rows with any item answered; listwise: complete)
  double n_complete = 0;
  double alpha = 0;             // Cronbach's raw alpha
  double std_alpha = 0;         // from the correlation matrix
  double lambda6 = 0;           // Guttman's lambda 6 from squared multiple correlations (psych's G6(smc))
  double average_r = 0;
  double median_r = 0;
  double signal_noise = 0;      // psych's S/N
  double ase = 0;               // asymptotic SE of alpha (Duhachek & Iacobucci)
  Interval alpha_ci_feldt;
  Interval alpha_ci_duhachek;
  double omega_total = 0;       // McDonald's omega total, one-factor minres model
  int omega_iterations = 0;
  bool omega_converged = false;
  std::vector<ItemStatistics> items;
  std::vector<MiskeyWarning> warnings;
  std::string note;             // why a statistic is missing (e.g. fewer than 2 items, no variance)
};

// The response scale the answers were read on, and whether they fit it (attune/audit.hpp): set by
// the caller that checked it, written as "response_scale" in the JSON and a line in the text.
struct ResponseScaleStatus {
  std::string declared;      // "1..7": the data's scale as declared
  std::string instrument;    // the instrument's scale
  bool rescaled = false;     // declared != instrument: norms and classifiers see rescaled answers
  bool confirmed = false;    // the caller confirmed the declared scale (check not run)
  bool checked = false;
  bool judged = false;       // enough rows to judge
  bool fits = true;
  std::string observed;      // "1..5": lowest..highest answer seen ("" when none or not checked)
  double rows = 0;
  bool rows_counted = true;  // false: counting stopped once both ends were seen; rows is then not reported
  std::string warning;       // evidence and fix, when !fits
  std::string rescale_note;  // when rescaled
};

struct ReliabilityReport {
  std::string instrument_id;
  std::string instrument_version;
  MissingHandling missing = MissingHandling::pairwise;
  double ci_level = 0.95;
  std::vector<ScaleReliability> scales;
  std::vector<MiskeyWarning> warnings;  // all scales
  bool has_response_scale = false;      // response_scale was set (JSON field written only then)
  ResponseScaleStatus response_scale;
};

// Computes the report from accumulated sums (any plan whose item scales the accumulator covers).
ATTUNE_API ReliabilityReport reliability(const ReliabilityAccumulator& sums, const ReliabilityOptions& options = {});
// One scale's statistics from its sums.
ATTUNE_API ScaleReliability scale_reliability(const ReliabilitySums& sums, const std::vector<std::string>& item_ids,
                                              const ReliabilityOptions& options = {});

// JSON keyed by scale id (see docs/formulas-reliability.md) and a plain-text table.
ATTUNE_API std::string to_json(const ReliabilityReport& report, int indent = 2);
ATTUNE_API std::string to_text(const ReliabilityReport& report);

// Pearson correlations, covariances and means of a sums block, pairwise-complete as R's
// cor(x, use = "pairwise") and cov(x, use = "pairwise") compute them. Row-major k x k.
struct PairwiseMoments {
  std::size_t k = 0;
  std::vector<double> n;     // pair counts
  std::vector<double> cov;   // pairwise covariance (n - 1), diagonal = item variance
  std::vector<double> cor;   // pairwise Pearson r (each pair's own means and SDs)
  std::vector<double> mean;  // k: item means over all answers
};
ATTUNE_API PairwiseMoments pairwise_moments(const ReliabilitySums& sums);

}  // namespace attune
