#pragma once
// The compiled form of a guidance pack: rules with names resolved to indices, so recommend() only
// does arithmetic and set tests. Internal to the library.
#include <attune/guidance.hpp>
#include <attune/result.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace attune::detail {

// Rule inputs, in the order of rules.json "profile.dimensions".
enum GuidanceDim : int { kSecure = 0, kAnxious, kAvoidant, kFearful, kAnxietyZ, kAvoidanceZ, kDimCount };
constexpr std::array<const char*, kDimCount> kDimNames{"secure", "anxious", "avoidant", "fearful", "anxiety_z", "avoidance_z"};

constexpr std::array<const char*, 5> kStageNames{"single", "dating", "long_term", "parenting", "separating"};
int stage_index(const std::string& name);  // -1 when unknown
// Stage single or separating: the person has no partner to do a practice for two with.
inline bool without_partner(int stage) {
  if (stage < 0) return false;
  const std::string_view name = kStageNames[static_cast<std::size_t>(stage)];
  return name == "single" || name == "separating";
}

struct Condition {
  bool always = false;
  std::uint8_t categories = 0;  // bit per Category; 0 = no category test
  std::uint8_t stages = 0;      // bit per stage; 0 = no stage test
  std::optional<bool> parent;
  std::vector<std::pair<int, double>> min, below;
  std::optional<double> confidence_below;
  std::vector<std::string> selected;
  std::optional<bool> care;
  std::vector<Condition> any;  // empty: no "any" test
  bool has_any = false;
};

struct RelevanceRule {
  std::string target;
  bool roadmap = false;  // else self-help
  bool needs_partner = false;  // its target is a practice for two (ContentEntry::needs_partner)
  int order = 0;         // roadmap order, or file order for self-help (tie-break)
  double base = 0;
  std::vector<std::pair<int, double>> weights;
  std::array<double, kStageNames.size()> stage_bonus{};
  std::array<bool, kStageNames.size()> has_stage{};
  std::optional<double> parent_bonus;
  std::vector<std::string> scripts;
  std::string reason;
  std::map<std::string, std::string> reason_by_driver;
};

struct IncludeRule {
  std::string target;
  int slot = 0;
  Condition when;
  std::string reason;
};

struct Lean {
  std::string id;
  Condition when;
  std::string reason;
};

struct Selection {
  int max = 3;
  double min_relevance = 0.3;
  int at_least = 2;
};

struct GuidanceData {
  std::string lang;
  std::string folder;
  std::vector<ContentEntry> entries;
  std::unordered_map<std::string, std::size_t> entry_by_id;
  std::vector<Article> articles;
  std::map<std::string, std::string> ui;
  std::vector<std::string> forbidden, allowed;

  std::vector<RelevanceRule> relevance;  // file order
  std::vector<IncludeRule> include;      // file order
  std::vector<std::string> slots;
  std::vector<Lean> leans;
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> weeks;  // week id -> lean -> text id
  std::vector<std::string> care_shows;
  std::string care_slot = "care";
  Selection roadmap_sel{3, 0.3, 2}, selfhelp_sel{2, 0.3, 1};
};

int slot_index(const GuidanceData& g, const std::string& slot);

// ---------------------------------------------------------------------------------------------
// The decision part of recommend(), shared with PlanColumns so the batch columns and the full plan
// cannot drift apart. It works on plain numbers and rule indices and, once a PlanDecision's buffers
// have grown, allocates nothing.

// The numbers a plan is decided from: read from a Result (recommend) or from a row of a scored block
// (PlanColumns).
struct PlanInputs {
  bool prototype = false;
  bool available = false;                 // a profile exists and its four dimensions are numbers
  std::array<double, 4> dims{};           // by Category
  double anxiety = 0, avoidance = 0;      // the profile's plane (two-dimension methods)
  std::uint8_t categories = 0;            // bit per Category
  double confidence = kMissing;
  double anxiety_z = kMissing, avoidance_z = kMissing;  // z of the method's anxiety / avoidance scales
  // Percentiles in a norm set's empirical tables (docs/norms.md), when norms apply: they win over z.
  double anxiety_pct = kMissing, avoidance_pct = kMissing;
};

struct RankedRule {
  int rule = 0;          // index into GuidanceData::relevance
  int order = 0;         // its tie-break order
  double relevance = 0;
};

struct FocusPick {
  int rule = 0;
  int neighbour = -1;    // between patterns: the Category this step was brought in for, else -1
  int order = 0;
  double relevance = 0;
};

struct PlanDecision {
  std::array<double, kDimCount> x{};      // rule inputs
  double a = 0, v = 0;                    // plane coordinates used by the rules
  bool near = false, mix = false;
  std::uint8_t own = 0, neighbours = 0, cats = 0;
  // Care: which test fired, and the numbers it compared.
  bool care_anxiety = false, care_avoidance = false, care_fearful = false;
  bool care_uses_z = false;
  bool care_uses_pct = false;  // the norm set's percentiles decided (care_za / care_zv hold them)
  double care_za = 0, care_zv = 0;
  bool care() const { return care_anxiety || care_avoidance || care_fearful; }
  std::vector<FocusPick> road, self;      // the focus: roadmap steps, then self-help, in plan order
  // Scratch, kept for its capacity.
  std::vector<RankedRule> ranked;
  std::vector<FocusPick> picked, wanted;
  // The leading roadmap rule at each pattern's prototype point depends only on the pack and the
  // context, so it is worked out once per (pack, stage, parent) and reused across rows.
  const GuidanceData* proto_for = nullptr;
  int proto_stage = -2;
  std::optional<bool> proto_parent;
  std::array<int, 4> proto_top{};
};

inline std::uint8_t category_bit(Category c) { return static_cast<std::uint8_t>(1u << static_cast<int>(c)); }

// decide.cpp. Checks a context and fills what follows from it (partnered = false means stage
// "single"); UsageError for an unknown stage or a contradiction.
void normalize_context(Context& context);
PlanInputs plan_inputs(const ScoringPlan& scoring, const Result& result);
void decide(const GuidanceData& g, const PlanInputs& in, int stage, const std::optional<bool>& parent, PlanDecision& out);
// The Why of a chosen relevance rule: its terms and the reason text of the largest term.
Why explain_relevance(const RelevanceRule& r, const std::array<double, kDimCount>& x, int stage, const std::optional<bool>& parent);

// plan_date.cpp: days since 1970-01-01 of a proleptic Gregorian date.
long day_number(const Date& date);

}  // namespace attune::detail
