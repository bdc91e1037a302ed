// The content files of a guidance pack (roadmap.json, selfhelp.json, ...): their entries and the
// items of their lists. Every check names the file and the JSON path (pack_loader.hpp).
#include "pack_loader.hpp"

#include <cstddef>
#include <string>

namespace fs = std::filesystem;

namespace attune::detail {

namespace {

// A practice for two worded per stage: only stages with a partner, and only on a practice for two
// (a single or separating person never sees the practice, so a wording for them would be dead text).
void read_for_stage(const JsonNode& n, ContentEntry& c) {
  n.require_object();
  if (!c.needs_partner) n.fail("for_stage on an entry that is not a practice for two", "\"needs_partner\": true on the entry");
  for (auto it = n.raw().begin(); it != n.raw().end(); ++it) {
    const int stage = stage_index(it.key());
    JsonNode v = n.child(it.key());
    if (stage < 0 || without_partner(stage)) v.fail("for_stage has stage '" + it.key() + "'", "dating, long_term or parenting");
    c.for_stage[it.key()] = v.nonempty_str();
  }
}

void read_days(const JsonNode& e, ContentEntry& c) {
  JsonNode d = e.at("days");
  d.require_array();
  if (d.size() != 2) d.fail("days must be [first, last]", "two day numbers from 1 to 30");
  c.first_day = static_cast<int>(d.at(std::size_t{0}).integer(1, 30));
  c.last_day = static_cast<int>(d.at(std::size_t{1}).integer(c.first_day, 30));
  // One practice per day of the week, so no day of a calendar repeats the day before.
  const auto days = static_cast<std::size_t>(c.last_day - c.first_day + 1);
  if (e.has("day_practices") && e.at("day_practices").size() != days)
    e.at("day_practices").fail("day_practices must hold one practice per day of 'days'", std::to_string(days) + " practices");
}

// What the 30-day schedule and the context read: weeks and their days, practices for two.
void read_schedule_fields(const JsonNode& e, ContentEntry& c) {
  if (e.has("needs_partner")) c.needs_partner = e.at("needs_partner").boolean();
  if (e.has("daily_practice_alone")) c.daily_practice_alone = e.at("daily_practice_alone").nonempty_str();
  if (e.has("for_stage")) read_for_stage(e.at("for_stage"), c);
  if (e.has("week")) {
    JsonNode w = e.at("week");
    if (w.raw().is_number_integer()) c.week = static_cast<int>(w.integer(1, 5));
    else w.nonempty_str();  // emphasis: the week it belongs to, checked against rules.json
  }
  if (e.has("days")) read_days(e, c);
  if (e.has("lean")) e.at("lean").nonempty_str();
}

// "example": one text or a list of texts.
void read_examples(const JsonNode& e, ContentEntry& c) {
  if (!e.has("example")) return;
  JsonNode ex = e.at("example");
  if (ex.raw().is_array()) {
    for (std::size_t k = 0; k < ex.size(); ++k) c.examples.push_back(ex.at(k).nonempty_str());
  } else {
    c.examples.push_back(ex.nonempty_str());
  }
}

void read_category(const JsonNode& e, ContentEntry& c) {
  if (!e.has("category")) return;
  JsonNode cat = e.at("category");
  c.category = cat.str();
  bool ok = false;
  for (Category k : kCategories) ok = ok || c.category == to_string(k);
  if (!ok) cat.fail("unknown category '" + c.category + "'", "secure, anxious, avoidant or fearful");
}

// The stages an entry is about: checked, not kept (the include rules decide where it shows).
void check_entry_stages(const JsonNode& e) {
  if (!e.has("stage")) return;
  JsonNode st = e.at("stage");
  st.require_array();
  for (std::size_t k = 0; k < st.size(); ++k) {
    if (stage_index(st.at(k).str()) < 0) st.at(k).fail("unknown stage", "single, dating, long_term, parenting or separating");
  }
}

}  // namespace

std::vector<ContentItem> PackLoader::items(const JsonNode& list, const std::string& owner, const std::string& file) {
  std::vector<ContentItem> out;
  list.require_array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    JsonNode n = list.at(i);
    n.allow_only({"id", "title", "name", "when", "text", "source"});
    ContentItem it;
    JsonNode idn = n.at("id");
    it.id = idn.nonempty_str();
    claim_id(idn, it.id, owner, file);
    if (n.has("title")) it.title = n.at("title").nonempty_str();
    if (n.has("name")) it.title = n.at("name").nonempty_str();
    if (n.has("when")) it.when = n.at("when").nonempty_str();
    it.text = n.at("text").nonempty_str();
    if (n.has("source")) source(n.at("source"));
    out.push_back(std::move(it));
  }
  return out;
}

ContentEntry PackLoader::content_entry(const JsonNode& e, const std::string& stem, const std::string& file) {
  static const char* kTextFields[] = {"summary", "text", "myth", "fact", "when", "daily_practice", "template", "outcome", "note"};
  static const char* kListFields[] = {"feels_like", "often_comes_from", "practices", "items", "steps", "phases", "day_practices"};
  e.allow_only({"id", "kind", "title", "summary", "text", "myth", "fact", "when", "daily_practice", "template", "outcome",
                "feels_like", "often_comes_from", "practices", "items", "steps", "phases", "day_practices", "example", "also_called",
                "category", "order", "key", "week", "days", "lean", "stage", "source", "also_from", "needs_partner",
                "daily_practice_alone", "for_stage"});
  ContentEntry c;
  c.file = stem;
  JsonNode idn = e.at("id");
  c.id = idn.nonempty_str();
  claim_id(idn, c.id, stem, file);
  c.kind = e.has("kind") ? e.at("kind").nonempty_str() : stem;
  if (e.has("title")) c.title = e.at("title").nonempty_str();
  for (const char* f : kTextFields) {
    if (!e.has(f)) continue;
    // A plan30 emphasis names its week by id; every other "when" or text field is prose.
    c.texts.emplace_back(f, e.at(f).nonempty_str());
  }
  for (const char* f : kListFields) {
    if (e.has(f)) c.lists.push_back({f, items(e.at(f), c.id, file)});
  }
  read_examples(e, c);
  if (e.has("also_called")) nonempty_strings(e.at("also_called"));
  read_category(e, c);
  if (e.has("order")) c.order = static_cast<int>(e.at("order").integer(1, 100));
  if (e.has("key")) e.at("key").nonempty_str();
  read_schedule_fields(e, c);
  check_entry_stages(e);
  c.source = source(e.at("source"));
  read_also_from(e, c);
  if (c.texts.empty() && c.lists.empty()) e.fail("entry has no text", "text, summary, items or another text field");
  return c;
}

void PackLoader::load_content(const fs::path& p) {
  const PackFile pack_file(p, {"format", "lang", "file", "entries"});
  const JsonNode& root = pack_file.root;
  const std::string stem = p.stem().string();
  JsonNode fmt = root.at("format");
  if (fmt.str() != "attune-guidance/1") fmt.fail("unsupported format '" + fmt.str() + "'", "\"attune-guidance/1\"");
  JsonNode lang = root.at("lang");
  if (lang.str() != g.lang) lang.fail("language '" + lang.str() + "' in a '" + g.lang + "' pack", "\"" + g.lang + "\"");
  JsonNode file = root.at("file");
  if (file.str() != stem) file.fail("file field '" + file.str() + "' does not match the file name", "\"" + stem + "\"");
  JsonNode entries = root.at("entries");
  entries.require_array();
  for (std::size_t i = 0; i < entries.size(); ++i) g.entries.push_back(content_entry(entries.at(i), stem, pack_file.name));
}

}  // namespace attune::detail
