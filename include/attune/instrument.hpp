#pragma once
// An Instrument is what a questionnaire file says, validated on load. It holds no published item
// wording: items carry short labels in our words, the wording comes from a user's text pack.
#include <attune/export.hpp>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace attune {

struct Citation {
  std::string id;
  std::string text;
  std::string doi;
  std::string url;
};

struct ResponseScale {
  int min = 1;
  int max = 7;
  std::map<int, std::string> anchors;  // value -> short label
  double midpoint() const { return 0.5 * (min + max); }
  int reverse_sum() const { return min + max; }  // a reversed answer is reverse_sum() - x
  bool operator==(const ResponseScale& o) const { return min == o.min && max == o.max; }
};

struct Item {
  std::string id;
  int position = 0;  // 1-based order in the published form
  std::string label; // our own short description, never the published wording
};

enum class Aggregation { mean, sum };

struct Reliability {
  double alpha = 0;
  std::string citation;
  bool verified = false;
  std::string note;
};

// A term of a derived scale: weight * (reverse ? (min + max) - s : s).
struct ScaleTerm {
  std::string scale;
  double weight = 1;
  bool reverse = false;
};

struct Scale {
  std::string id;
  std::string label;
  Aggregation aggregation = Aggregation::mean;
  std::vector<std::string> items;    // item scale: its items
  std::vector<std::string> reverse;  // subset of items scored (min + max) - x on this scale
  std::vector<ScaleTerm> terms;      // derived scale: earlier scales it combines
  int min_answered = 1;              // fewest answered items (or present terms) for a score
  std::string min_answered_source;
  std::optional<Reliability> reliability;
  bool derived() const { return !terms.empty(); }
  bool is_reversed(const std::string& item) const;
};

struct Norm {
  double mean = 0;
  double sd = 1;
  long n = 0;      // 0 when not reported
  double alpha = 0;  // reliability from the same sample (0: none); used when the scale has no published one
};

struct Norms {
  bool published = false;  // false: "none published", said explicitly in the file
  std::string sample;
  std::string citation;
  std::string note;
  bool verified = false;
  std::map<std::string, Norm> scales;  // scale id -> norm on the instrument's metric
  // A norm set (docs/norms.md) applied by default to data on that set's response scale; empty: none.
  std::string default_set;
};

enum class Category : int { secure = 0, anxious = 1, avoidant = 2, fearful = 3 };
constexpr std::array<Category, 4> kCategories{Category::secure, Category::anxious, Category::avoidant,
                                              Category::fearful};
ATTUNE_API const char* to_string(Category c) noexcept;

enum class ProfileMethodType { quadrant, fisher, prototype };

struct FisherFunction {
  double avoidance = 0;
  double anxiety = 0;
  double constant = 0;
};

struct ProfileMethod {
  std::string name;
  ProfileMethodType type = ProfileMethodType::quadrant;
  std::string citation;
  // quadrant and fisher: the two dimension scales
  std::string anxiety_scale;
  std::string avoidance_scale;
  // quadrant: cut points on the instrument metric; unset = the norm means (or the midpoint)
  std::optional<double> center_anxiety;
  std::optional<double> center_avoidance;
  // fisher: one function per category, indexed by Category
  std::array<FisherFunction, 4> functions{};
  // prototype: the scale that carries each category, indexed by Category
  std::array<std::string, 4> prototype_scales{};
};

class ATTUNE_API Instrument {
 public:
  std::string id;
  std::string version;
  std::string name;
  std::string short_name;
  std::vector<Citation> citations;
  std::string key_source;
  bool verified = false;
  std::string verified_note;
  ResponseScale response_scale;
  std::vector<Item> items;
  std::vector<Scale> scales;
  Norms norms;
  std::string default_method;
  std::vector<ProfileMethod> methods;  // empty: the file has no "profile" (no profile is scored or written)
  std::string source;  // file it was loaded from, for messages

  // Parses and validates; errors name `source_name`, the JSON path and what was expected.
  static Instrument from_json_text(const std::string& text, const std::string& source_name);
  static Instrument from_file(const std::string& path);

  const Item* find_item(const std::string& item_id) const;
  const Item* item_at_position(int position) const;
  const Scale* find_scale(const std::string& scale_id) const;
  const ProfileMethod* find_method(const std::string& name) const;  // empty name: the default
  const Citation* find_citation(const std::string& citation_id) const;
  bool has_profile() const { return !methods.empty(); }
  std::string to_json() const;  // the validated content, normalized
};

// Built-in instruments live in a folder of JSON files: $ATTUNE_INSTRUMENT_PATH (colon-separated),
// then the installed data folder, then the source tree's instruments/ folder.
ATTUNE_API std::vector<std::string> builtin_instrument_ids();
ATTUNE_API std::string builtin_instrument_path(const std::string& id);  // empty when unknown
// Anything a user may pass for --instrument: a built-in id or the path of an instrument file.
ATTUNE_API Instrument load_instrument(const std::string& id_or_path);

}  // namespace attune
