#pragma once
// A ScoringPlan is an Instrument compiled for scoring: index arrays instead of names, constants
// precomputed. Build it once; it is immutable, thread-safe and cheap to copy (shared state).
#include <attune/export.hpp>
#include <attune/instrument.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace attune {

// Where the centre and unit of the anxiety x avoidance plane (and the z scores) come from.
enum class NormsSource {
  instrument,  // the instrument's published norms; scale midpoint when it has none
  midpoint,    // always the scale midpoint (unit: half the response range), ignoring norms
  user,        // norms the caller supplies (ScoringOptions::norms)
  sample,      // norms computed from the data being scored (supplied the same way, labelled so)
};

struct ScoringOptions {
  // The scale the answers were collected on, when it differs from the instrument's (e.g. the ECR
  // given on 1..5). Keying uses it; norms and classifiers get a linear rescale to the instrument's.
  std::optional<ResponseScale> data_scale;
  std::string profile_method;  // empty: the instrument's default
  NormsSource norms_source = NormsSource::instrument;
  std::map<std::string, Norm> norms;  // for NormsSource::user / sample, on the instrument metric
  std::string norms_label;            // shown in output, e.g. the norms file name or "this sample"
  // A scale's SEM uses the instrument's published alpha when it has one, else the norms' alpha.
  // true: the norms' alpha wins where both exist (standardization() says which was used).
  bool prefer_norms_alpha = false;
};

// Norms from JSON text {"scale": {"mean": m, "sd": s, "n": k?, "alpha": a?}, ...}, as a norms file
// holds them (--norms FILE, the C ABI's norms_json). Strict: a duplicate or unknown key, a
// non-number, an alpha outside (0, 1) is a UsageError naming `source` and the JSON path. The values'
// ranges (finite mean, sd not tiny) are checked again by ScoringPlan::compile for every source.
ATTUNE_API std::map<std::string, Norm> norms_from_json(const std::string& text, const std::string& source);

namespace detail { struct PlanData; }

class ATTUNE_API ScoringPlan {
 public:
  static ScoringPlan compile(const Instrument& instrument, const ScoringOptions& options = {});

  const Instrument& instrument() const;
  const ScoringOptions& options() const;
  const ResponseScale& data_scale() const;
  const ProfileMethod& method() const;  // an empty method (no name) when !has_profile()
  bool has_profile() const;
  std::size_t item_count() const;
  std::size_t scale_count() const;
  int item_index(const std::string& item_id) const;  // -1 when unknown
  int scale_index(const std::string& scale_id) const;
  // How the plane and z scores are standardized, in words, for output.
  const std::string& standardization() const;
  bool has_norms(std::size_t scale) const;

  const detail::PlanData& data() const { return *data_; }

 private:
  std::shared_ptr<const detail::PlanData> data_;
};

// "answers rescaled from 1..5 to the instrument's 1..7 for norms and classifiers, ..." when the
// data's scale differs from the instrument's; empty otherwise. Said once per run (summary, JSON).
ATTUNE_API std::string rescale_note(const ResponseScale& data, const ResponseScale& instrument);
ATTUNE_API std::string rescale_note(const ScoringPlan& plan);

}  // namespace attune
