#pragma once
// Checks of the response scale and the key against the data (issue 18, section 1).
//
// - ScaleUsageAccumulator + check_scale: do the answers of a file fit the response scale declared
//   for them (the instrument's, or --response-scale)? A file where no answer ever reaches the top
//   (or the bottom) of the declared scale over enough rows, or whose reverse-keyed items correlate
//   negatively with the rest of their scale, was most likely collected on another scale (or
//   exported already keyed): every reverse-keyed item would be scored wrongly, silently.
// - audit: per scale and item, the key the data suggest (first principal component) beside the
//   instrument's key, and the items that look miskeyed. Rules and their error rates: docs/audit.md.
#include <attune/chunk_accumulator.hpp>
#include <attune/export.hpp>
#include <attune/reliability.hpp>
#include <attune/scoring_plan.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace attune {

// Over all items of a file: answers seen, and the lowest and highest answer, until both ends of the
// declared scale have turned up (then a chunk stops looking). Cheap enough to ride along with every
// scoring pass (BatchOptions::accumulators): on a file that fits, only each chunk's first rows are
// read; on one that does not, two answers per compare (docs/audit.md).
class ATTUNE_API ScaleUsageAccumulator : public ChunkAccumulator {
 public:
  explicit ScaleUsageAccumulator(const ScoringPlan& plan);
  ~ScaleUsageAccumulator() override;
  ScaleUsageAccumulator(const ScaleUsageAccumulator& o);
  ScaleUsageAccumulator& operator=(const ScaleUsageAccumulator& o);
  ScaleUsageAccumulator(ScaleUsageAccumulator&&) noexcept;
  ScaleUsageAccumulator& operator=(ScaleUsageAccumulator&&) noexcept;
  std::unique_ptr<ChunkAccumulator> fresh() const override;
  void add(const double* answers, std::size_t rows, std::size_t items, const std::uint8_t* scored,
           const BlockScores& scores) override;
  void merge(ChunkAccumulator& chunk) override;

  // `cells` answers in any order, NaN = missing.
  void add_cells(const double* answers, std::size_t cells);
  std::size_t items() const;
  // Answers counted: all of them unless some chunk stopped early (both ends seen there).
  double answers() const;
  bool stopped_early() const;
  bool both_ends_seen() const;
  // At least this many rows answer something: every row holds at most items() answers.
  double rows_answering() const;
  double lowest() const;   // +inf when nothing was answered
  double highest() const;  // -inf when nothing was answered
  const ScoringPlan& plan() const;
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  detail::ByteAccumulator* byte_accumulator() override;
};

struct ScaleCheckOptions {
  // Fewer answers than this on every item: the file is too small to judge (docs/audit.md).
  double min_rows = 200;
};

// A reverse-keyed item whose corrected item-total r, after keying, is negative.
struct ReversedNegative {
  std::string scale;
  std::string item;
  double r_drop = 0;
  double n = 0;
};

struct ScaleCheck {
  ResponseScale declared;            // the data's scale as declared (the plan's data scale)
  ResponseScale instrument;          // the instrument's own scale
  double rows = 0;                   // answers counted / items, rounded up: a lower bound on rows answering
  bool rows_counted = true;          // false: counting stopped once both ends were seen (rows depends on chunking)
  bool judged = false;               // both ends seen, or rows >= min_rows
  bool any_answer = false;
  int lowest = 0, highest = 0;       // answers seen, over all items (when any_answer)
  bool top_unused = false;           // judged, and no answer at declared.max in any item
  bool bottom_unused = false;        // judged, and no answer at declared.min in any item
  bool correlations_checked = false; // a reliability report was given
  std::vector<ReversedNegative> reversed_negative;
  bool fits() const { return !top_unused && !bottom_unused && reversed_negative.empty(); }
  // The evidence in one sentence (empty when fits()), and the warning: evidence plus the fix.
  std::string evidence() const;
  std::string warning() const;
  // For the reliability JSON and the report (reliability.hpp).
  ResponseScaleStatus status(bool confirmed = false) const;
};

// Judges the answers a ScaleUsageAccumulator saw; with `rel` (the same file's reliability), also
// the reverse-keyed items' item-rest r (scales with at least min_rows analysed rows).
ATTUNE_API ScaleCheck check_scale(const ScaleUsageAccumulator& usage, const ReliabilityReport* rel = nullptr,
                                  const ScaleCheckOptions& options = {});

// The status when the check was not run because the caller confirmed the declared scale.
ATTUNE_API ResponseScaleStatus confirmed_scale_status(const ScoringPlan& plan);

// rescale_note(plan), the note a rescaled run gives once, is in attune/scoring_plan.hpp.

// ---- attune audit ----

struct AuditOptions {
  // An item whose loading on its scale's first component is smaller than this in size gets no
  // suggestion of its own (suggested = the instrument's key): the data say too little about it.
  double min_loading = 0.10;
  MissingHandling missing = MissingHandling::pairwise;
};

struct ItemAudit {
  std::string id;
  bool reverse = false;            // the instrument's key on this scale
  bool suggested_reverse = false;  // the key the data suggest
  bool miskeyed = false;           // suggested_reverse != reverse
  double item_rest_r = 0;          // r.drop with the instrument's key (as psych::alpha)
  double loading = 0;              // first-component loading of the item as the instrument keys it,
                                   // oriented (see docs/audit.md); negative: the data disagree
  double n = 0;                    // rows answering the item
};

struct ScaleAudit {
  std::string id;
  double n = 0;                    // rows answering at least one item
  double first_share = 0;          // first component's share of the total variance of the correlations
  std::vector<ItemAudit> items;
  std::string note;                // why a figure is missing
};

struct AuditReport {
  std::string instrument_id;
  std::string instrument_version;
  std::vector<ScaleAudit> scales;
  ScaleCheck scale_check;
};

// From one reading's reliability sums and scale usage.
ATTUNE_API AuditReport audit(const ReliabilityAccumulator& sums, const ScaleUsageAccumulator& usage,
                             const AuditOptions& options = {});
ATTUNE_API std::string to_json(const AuditReport& report, int indent = 2);
ATTUNE_API std::string to_text(const AuditReport& report);

}  // namespace attune
