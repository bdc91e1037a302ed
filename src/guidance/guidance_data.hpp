#pragma once
// The compiled form of a guidance pack: rules with names resolved to indices, so recommend() only
// does arithmetic and set tests. Internal to the library.
#include <attune/guidance.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace attune::detail {

// Rule inputs, in the order of rules.json "profile.dimensions".
enum GuidanceDim : int { kSecure = 0, kAnxious, kAvoidant, kFearful, kAnxietyZ, kAvoidanceZ, kDimCount };
constexpr std::array<const char*, kDimCount> kDimNames{"secure", "anxious", "avoidant", "fearful", "anxiety_z", "avoidance_z"};

constexpr std::array<const char*, 5> kStageNames{"single", "dating", "long_term", "parenting", "separating"};
int stage_index(const std::string& name);  // -1 when unknown

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

}  // namespace attune::detail
