#pragma once
// From a profile to a plan. The roadmap content and the rules that choose from it are data
// (guidance/<lang>/*.json, see docs/guidance.md); this header loads them (Guidance), picks and orders
// steps for one person (recommend -> Plan) and renders the plan for apps (JSON) and people (text,
// Markdown, an iCalendar file). Only the care thresholds live in code (CareThresholds): they decide
// when a plan leads with "consider more help", and a translation must not be able to loosen them.
#include <attune/export.hpp>
#include <attune/result.hpp>
#include <attune/scoring_plan.hpp>

#include <memory>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace attune {

// ---------------------------------------------------------------------------------------------
// Content

struct SourceRef {
  std::string article;  // id from sources.json, e.g. "healthy-attachment"
  std::string section;  // one of that article's section headings
};

// One thing a person reads inside an entry: a practice, a sign, a script step, a timeline phase.
struct ContentItem {
  std::string id;
  std::string title;  // "title" or "name" in the file; may be empty
  std::string when;   // timeline phases only
  std::string text;
};

struct ContentList {
  std::string field;  // practices, feels_like, often_comes_from, items, steps, phases, day_practices
  std::vector<ContentItem> items;
};

// A top-level entry of a content file, kept generic: every kind is rendered by the same code.
struct ContentEntry {
  std::string id;
  std::string file;   // content file stem, e.g. "roadmap"
  std::string kind;   // as in the file; the file stem when the file gives none
  std::string title;
  // Free text fields in reading order (summary, text, myth, fact, when, daily_practice, template,
  // outcome, note), only those present.
  std::vector<std::pair<std::string, std::string>> texts;
  std::vector<ContentList> lists;
  std::vector<std::string> examples;
  std::string category;          // patterns: the category it describes
  int order = 0;                 // roadmap steps
  int week = 0;                  // plan30 weeks
  int first_day = 0, last_day = 0;
  SourceRef source;
  std::vector<SourceRef> also_from;
  // A practice for two (a shared goal, a nightly thank-you to a partner): never chosen for a person
  // without a partner now (stage single or separating).
  bool needs_partner = false;
  // A practice for two, worded for where the couple is now: stage name (dating, long_term,
  // parenting) -> a sentence shown with the practice when the plan's context has that stage.
  std::map<std::string, std::string> for_stage;
  // plan30 weeks: the daily practice for a person without a partner, when the week's own is for two.
  std::string daily_practice_alone;
  const std::string* text_field(const std::string& name) const;
};

struct Article {
  std::string id;
  std::string title;
  std::string publisher;
  std::vector<std::string> sections;
};

namespace detail { struct GuidanceData; }

// A validated language pack. Immutable and cheap to copy (shared state), like ScoringPlan.
class ATTUNE_API Guidance {
 public:
  // The built-in pack for `lang`: $ATTUNE_GUIDANCE_PATH (colon-separated folders that hold <lang>/),
  // then the installed data folder, then the source tree's guidance/ folder.
  static Guidance load(const std::string& lang = "en");
  // A pack folder (e.g. guidance/en). Every error names the file and the JSON path.
  static Guidance from_directory(const std::string& folder);

  const std::string& lang() const;
  const std::string& folder() const;
  const std::vector<ContentEntry>& entries() const;  // content files, then the care texts
  const ContentEntry* find(const std::string& id) const;
  const Article* article(const std::string& id) const;
  // A short interface string from ui.json (headings, labels); the id itself if absent.
  std::string ui(const std::string& id) const;
  const std::vector<std::string>& forbidden_words() const;
  const std::vector<std::string>& allowed_phrases() const;
  // Whole-word, case-insensitive match of a forbidden word after removing the allowed phrases;
  // returns the word found, or empty.
  std::string find_forbidden(const std::string& text) const;

  const detail::GuidanceData& data() const { return *data_; }

 private:
  static Guidance load_folder(const std::string& folder);
  std::shared_ptr<const detail::GuidanceData> data_;
};

ATTUNE_API std::vector<std::string> guidance_languages();

// ---------------------------------------------------------------------------------------------
// Context and dates

struct ATTUNE_API Date {
  int year = 1970, month = 1, day = 1;
  static Date parse(const std::string& iso);  // YYYY-MM-DD, a real calendar day; UsageError otherwise
  Date plus_days(int days) const;
  std::string iso() const;                    // YYYY-MM-DD
  std::string compact() const;                // YYYYMMDD (iCalendar DATE)
  bool operator==(const Date& o) const { return year == o.year && month == o.month && day == o.day; }
};

struct Context {
  std::string stage;             // "", single, dating, long_term, parenting, separating
  std::optional<bool> parent;    // unset: not asked
  std::optional<bool> partnered; // false with no stage means stage "single"
  std::optional<Date> start;     // first day of the 30-day schedule; unset: days without dates
};

// A context from JSON {"stage": ..., "parent": ..., "partnered": ..., "start": "YYYY-MM-DD"} (null or
// absent: unset; empty text: no context). Strict: an unknown or duplicate key, a wrong type or an
// unknown stage is a UsageError naming `source` and the JSON path.
ATTUNE_API Context context_from_json(const std::string& text, const std::string& source);

// ---------------------------------------------------------------------------------------------
// Care thresholds (documented in docs/guidance.md, "Care rules"). Standardized units as in Profile.
struct CareThresholds {
  // With norms (the anxiety/avoidance scale has a z): the 95th percentile of the norm sample.
  static constexpr double z_high = 1.6448536269514722;
  // Without norms (centre = scale midpoint, unit = half the range): halfway from the midpoint to the
  // top of the scale, i.e. an average answer of 5.5 on 1..7 or 4.0 on 1..5.
  static constexpr double point_high = 0.5;
  // With a norm set's empirical tables (docs/norms.md): the same 95th percentile, read in the table
  // instead of through z (and the fearful rule's 84th, 100 x Phi(1)).
  static constexpr double percentile_high = 95.0;
  static constexpr double percentile_fearful = 84.13447460685429;
  // A clearly fearful-avoidant profile: category fearful, not near a boundary, and both coordinates
  // at least this far out (84th percentile with norms; one scale point above neutral without, 5.0 on
  // 1..7 or 3.67 on 1..5); prototype instruments: the fearful rating at least point_high.
  static constexpr double z_fearful = 1.0;
  static constexpr double point_fearful = 1.0 / 3.0;
  // Near a boundary: confidence below this (when it is known) ...
  static constexpr double low_confidence = 0.6;
  // ... or, when confidence is unknown, a coordinate (or the gap between the top two prototype
  // ratings) within this many standardized units of the boundary.
  static constexpr double boundary_margin = 0.25;
};

// ---------------------------------------------------------------------------------------------
// The plan

struct WhyTerm {
  std::string term;     // base, a dimension name, stage, parent
  double score = 0;     // dimension value (dimensions only)
  double weight = 0;    // rule weight (dimensions only)
  double contribution = 0;
  std::string value;    // stage name / "true" for context terms
};

struct Why {
  std::string rule;     // e.g. "relevance:roadmap.step5", "include:repair.intro", "care", "mix:neighbour"
  double relevance = 0; // relevance rules only
  std::string driver;   // the term that chose the reason text, empty for the neutral reason
  std::vector<WhyTerm> terms;
  std::vector<std::pair<std::string, std::string>> triggers;  // what made a condition hold
  std::string text;
};

struct PlanEntry {
  std::string id;
  std::string slot;
  Why why;
};

struct FocusStep {
  std::string id;
  std::string kind;  // "roadmap" or "selfhelp"
  std::string title;
  Why why;
  SourceRef source;
};

struct PlanScript {
  std::string id;
  std::string title;
  std::vector<std::string> for_steps;  // focus step ids that brought it in
  Why why;
  SourceRef source;
};

struct ScheduleDay {
  int day = 0;                  // 1..30
  std::optional<Date> date;
  std::string week;             // plan30.weekN
  std::string practice;         // the week's daily practice
  std::string today_id, today_title, today;  // this day's own practice (the week's day_practices), if any
  std::string emphasis;         // id of the lean text added to this week, or empty
};

struct MoreHelp {
  Why why;
  std::vector<std::string> items;  // ids, in the order the care section lists them
};

struct Plan {
  std::string lang;
  std::string instrument_id;
  std::string mode;        // "pattern", "mix" (between patterns), "unavailable" (no profile)
  bool care = false;       // the care rule fired: the plan leads with more_help
  std::string headline;
  std::vector<std::string> neighbours;  // pattern names the steps draw on when mode == "mix"
  std::string lean;        // the 30-day lean that applied, or empty
  Why lean_why;            // why that lean applied (rule "lean:<id>")
  double anxiety = 0, avoidance = 0;    // plane coordinates used by the rules
  std::string plane_basis; // how anxiety/avoidance were obtained
  double confidence = kMissing;
  std::string confidence_note;
  std::vector<std::pair<std::string, double>> dimensions;  // the rule inputs, by name
  Context context;
  std::vector<FocusStep> focus;
  std::vector<PlanScript> scripts;
  std::vector<ScheduleDay> schedule;
  std::optional<MoreHelp> more_help;
  std::vector<PlanEntry> sections;  // everything else, in slot order
  std::string disclaimer;
};

// Chooses and orders the steps for one scored person. Deterministic: same inputs, same plan.
ATTUNE_API Plan recommend(const ScoringPlan& scoring, const Result& result, const Context& context,
                          const Guidance& guidance);
// Where the person's anxiety and avoidance scores stand in a norm set that applies to them
// (the "norms" member of `attune score --json`): the care rule then reads its thresholds as percentiles.
struct NormPercentiles {
  double anxiety = kMissing;
  double avoidance = kMissing;
};
ATTUNE_API Plan recommend(const ScoringPlan& scoring, const Result& result, const Context& context,
                          const Guidance& guidance, const NormPercentiles& norms);

// Renderings. JSON is for apps (self-contained: titles and texts included); text and Markdown are
// for a person; iCalendar holds the 30 days (needs Context::start). dtstamp: UTC "YYYYMMDDTHHMMSSZ",
// empty = midnight UTC of the start date, which keeps the file reproducible.
ATTUNE_API std::string to_json(const Plan& plan, const Guidance& guidance, int indent = 2);
ATTUNE_API std::string to_text(const Plan& plan, const Guidance& guidance);
ATTUNE_API std::string to_markdown(const Plan& plan, const Guidance& guidance);
// The .ics has one event per day (that day's own practice), and a 31st-day event reminding the person
// to take the questionnaire again. reminder_minute (0..1439, minutes after local midnight; -1 none)
// adds a display alarm at that time of each day.
ATTUNE_API std::string to_ics(const Plan& plan, const Guidance& guidance, const std::string& dtstamp = {}, int reminder_minute = -1);

// A saved result (the JSON of `attune score --json`) read back, for planning later.
ATTUNE_API Result result_from_json(const std::string& json_text, const std::string& source_name);

}  // namespace attune
