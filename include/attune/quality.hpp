#pragma once
// Response-quality indices per row (careless or insufficient-effort responding). They describe a
// response pattern; they never drop a row, and a flag is a prompt to look, not a verdict.
// Definitions, default thresholds and citations: docs/formulas-reliability.md#response-quality.
#include <attune/export.hpp>
#include <attune/reliability.hpp>
#include <attune/scoring_plan.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace attune {

enum class QualityFlag : int {
  longstring = 0,   // longest run of identical answers (in item position order) is too long
  irv,              // intra-individual response variability (SD of the person's answers) too low
  even_odd,         // even-odd consistency too low
  synonyms,         // psychometric-synonym consistency too low
  mahalanobis,      // Mahalanobis distance improbably large (chi-square p too small)
  share_answered,   // too few items answered
  out_of_range,     // invalid answer cells (out of range, not whole, not a number)
};
constexpr int kQualityFlags = 7;
ATTUNE_API const char* to_string(QualityFlag f) noexcept;

struct QualityThresholds {
  // Flag when longstring >= ceil(longstring_share * items): half the items (Curran 2016's rule of thumb).
  double longstring_share = 0.5;
  // Flag when IRV <= irv_at_most (0: every answer identical). No published universal cutoff
  // (Dunn et al. 2018 advise inspecting the low tail); raise it to screen more strictly.
  double irv_at_most = 0.0;
  // Flag when even-odd consistency (Spearman-Brown corrected) < this (Johnson 2005: .30).
  double even_odd_below = 0.30;
  // Item pairs whose sample correlation exceeds this are psychometric synonyms (Meade & Craig 2012: .60).
  double synonym_pair_r = 0.60;
  // Flag when the within-person synonym correlation is below this (0: negative; a convention).
  double synonyms_below = 0.0;
  // Flag when the Mahalanobis distance's chi-square p < this (.001, Tabachnick & Fidell's convention).
  double mahalanobis_p_below = 0.001;
  // Flag when the share of items answered < this (a convention; the scales' own minimum still applies).
  double share_answered_below = 0.5;
  // Flag when more than this many answer cells are invalid.
  int out_of_range_above = 0;
};

// Sample statistics the two distribution-based indices need (item means and covariances for
// Mahalanobis, item correlations for synonyms), from a first pass over the file: the all-items
// block of a ReliabilityAccumulator (pairwise-complete, raw answers).
struct ATTUNE_API QualityModel {
  std::size_t items = 0;
  std::vector<double> mean;                 // per item
  std::vector<double> cov;                  // items x items, pairwise-complete
  std::vector<double> cov_inverse;          // items x items; empty when cov is not positive definite
  std::vector<std::pair<int, int>> synonym_pairs;  // item index pairs with r > synonym_pair_r
  double rows = 0;
  static QualityModel from_sums(const ReliabilitySums& all_items, const QualityThresholds& t = {});
};

// One row's indices. NaN / -1 where an index cannot be computed (e.g. too few answers).
struct QualityValues {
  int longstring = -1;
  double irv = 0;
  double even_odd = 0;
  double synonyms = 0;
  double mahalanobis = 0;    // D^2
  double mahalanobis_p = 0;  // upper-tail chi-square p with df = answered items
  double share_answered = 0;
  int out_of_range = -1;
  std::uint8_t flags = 0;    // bit f set: QualityFlag f caught this row
};

class ATTUNE_API QualityScorer {
 public:
  // model may be null: synonyms and Mahalanobis are then not computed (NaN).
  QualityScorer(const ScoringPlan& plan, const QualityThresholds& thresholds, std::shared_ptr<const QualityModel> model);
  ~QualityScorer();
  QualityScorer(const QualityScorer&);
  QualityScorer& operator=(const QualityScorer&);
  QualityScorer(QualityScorer&&) noexcept;
  QualityScorer& operator=(QualityScorer&&) noexcept;

  // Scratch space for one thread; sized once, reused for every row (no allocation per row).
  class ATTUNE_API Workspace {
   public:
    Workspace();
    ~Workspace();
    Workspace(const Workspace&);
    Workspace& operator=(const Workspace&);
    Workspace(Workspace&&) noexcept;
    Workspace& operator=(Workspace&&) noexcept;
    struct Buffers;

   private:
    friend class QualityScorer;
    std::unique_ptr<Buffers> buffers_;
  };
  void prepare(Workspace& ws) const;
  // x: one row, item_count answers (plan order), NaN = missing. invalid_cells: the row's invalid
  // answer cells, or -1 when unknown (a row that could not be parsed).
  void score(const double* x, int invalid_cells, QualityValues& out, Workspace& ws) const;
  // The same for `rows` rows (row-major, item_count answers each), 32 at a time: the sample-based
  // indices run across rows in vector registers. Every row gets exactly what score() gives it.
  void score_rows(const double* x, std::size_t rows, const int* invalid_cells, QualityValues* out, Workspace& ws) const;
  // A row reported as an error: only out_of_range is known.
  void score_error_row(int invalid_cells, QualityValues& out) const;

  const QualityThresholds& thresholds() const;
  const QualityModel* model() const;
  int longstring_limit() const;
  bool even_odd_available() const;
  struct Impl;

 private:
  std::shared_ptr<const Impl> impl_;  // immutable once built: copies share it
};

// Counts of rows caught by each flag.
struct QualitySummary {
  std::uint64_t rows = 0;
  std::array<std::uint64_t, kQualityFlags> flagged{};
  std::uint64_t any = 0;
};

}  // namespace attune
