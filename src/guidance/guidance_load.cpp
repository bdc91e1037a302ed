// Loading and validating a guidance pack. Every check names the file and the JSON path, because a
// translator editing guidance/<lang>/ must be able to find a mistake without reading C++.
#include "../data_dirs.hpp"
#include "guidance_data.hpp"

#include "../json_walk.hpp"

#include <attune/error.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace attune {

namespace detail {

int stage_index(const std::string& name) {
  for (std::size_t i = 0; i < kStageNames.size(); ++i) {
    if (name == kStageNames[i]) return static_cast<int>(i);
  }
  return -1;
}

int slot_index(const GuidanceData& g, const std::string& slot) {
  for (std::size_t i = 0; i < g.slots.size(); ++i) {
    if (g.slots[i] == slot) return static_cast<int>(i);
  }
  return -1;
}

namespace {

const ErrorKind kKind = ErrorKind::usage;  // a broken pack is a configuration error of the caller

std::string read_file(const fs::path& p) { return read_document(p.string(), "guidance file"); }

bool valid_id(const std::string& id) {
  // <file>.<key>[.<sub>...]: lowercase letters, digits and '_' between dots.
  if (id.empty() || id.front() == '.' || id.back() == '.') return false;
  bool dot = false;
  char prev = 0;
  for (char c : id) {
    if (c == '.') {
      if (prev == '.') return false;
      dot = true;
    } else if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
    prev = c;
  }
  return dot;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

struct Loader {
  GuidanceData& g;
  std::map<std::string, std::string> id_file;  // every id (entries and items) -> file, for uniqueness

  void claim_id(const JsonNode& node, const std::string& id, const std::string& prefix, const std::string& file) {
    if (!valid_id(id)) node.fail("malformed id '" + id + "'", "lowercase letters, digits and '_' separated by dots, e.g. roadmap.step1");
    if (!starts_with(id, prefix + ".")) node.fail("id '" + id + "' does not start with '" + prefix + ".'", "an id under " + prefix);
    auto [it, fresh] = id_file.emplace(id, file);
    if (!fresh) node.fail("duplicate id '" + id + "' (also in " + it->second + ")", "ids unique across the pack");
  }

  SourceRef source(const JsonNode& n) {
    n.allow_only({"article", "section"});
    SourceRef s;
    JsonNode a = n.at("article");
    s.article = a.nonempty_str();
    const Article* art = nullptr;
    for (const auto& x : g.articles) {
      if (x.id == s.article) art = &x;
    }
    if (!art) a.fail("unknown article '" + s.article + "'", "an article id from sources.json");
    JsonNode sec = n.at("section");
    s.section = sec.nonempty_str();
    if (std::find(art->sections.begin(), art->sections.end(), s.section) == art->sections.end()) {
      sec.fail("'" + s.section + "' is not a section of " + s.article, "a heading listed for that article in sources.json");
    }
    return s;
  }

  void load_sources(const fs::path& p) {
    std::string name = p.string();
    json doc = parse_json(read_file(p), name, kKind);
    JsonNode root(doc, "", name, kKind);
    root.allow_only({"format", "lang", "file", "articles"});
    JsonNode arts = root.at("articles");
    arts.require_array();
    for (std::size_t i = 0; i < arts.size(); ++i) {
      JsonNode a = arts.at(i);
      // title_note is for maintainers (why a title is descriptive) and never reaches a plan.
      a.allow_only({"id", "title", "title_note", "publisher", "seed_file", "sections", "section_notes", "left_out", "author"});
      Article art;
      art.id = a.at("id").nonempty_str();
      art.title = a.at("title").nonempty_str();
      if (a.has("publisher")) art.publisher = a.at("publisher").str();
      JsonNode secs = a.at("sections");
      secs.require_array();
      for (std::size_t k = 0; k < secs.size(); ++k) art.sections.push_back(secs.at(k).nonempty_str());
      g.articles.push_back(std::move(art));
    }
  }

  void load_forbidden(const fs::path& p) {
    std::string name = p.string();
    json doc = parse_json(read_file(p), name, kKind);
    JsonNode root(doc, "", name, kKind);
    root.allow_only({"words", "allowed_phrases", "why"});
    JsonNode w = root.at("words");
    w.require_array();
    for (std::size_t i = 0; i < w.size(); ++i) g.forbidden.push_back(w.at(i).nonempty_str());
    if (root.has("allowed_phrases")) {
      JsonNode a = root.at("allowed_phrases");
      a.require_array();
      for (std::size_t i = 0; i < a.size(); ++i) g.allowed.push_back(a.at(i).nonempty_str());
    }
  }

  void load_ui(const fs::path& p) {
    std::string name = p.string();
    json doc = parse_json(read_file(p), name, kKind);
    JsonNode root(doc, "", name, kKind);
    root.allow_only({"format", "lang", "file", "strings"});
    JsonNode s = root.at("strings");
    s.require_object();
    for (auto it = s.raw().begin(); it != s.raw().end(); ++it) {
      JsonNode v = s.child(it.key());
      if (!starts_with(it.key(), "ui.")) v.fail("ui string id '" + it.key() + "' does not start with 'ui.'", "ids like ui.section.focus");
      g.ui[it.key()] = v.nonempty_str();
    }
  }

  std::vector<ContentItem> items(const JsonNode& list, const std::string& owner, const std::string& file) {
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

  // A practice for two worded per stage: only stages with a partner, and only on a practice for two
  // (a single or separating person never sees the practice, so a wording for them would be dead text).
  void for_stage(const JsonNode& n, ContentEntry& c) {
    n.require_object();
    if (!c.needs_partner) n.fail("for_stage on an entry that is not a practice for two", "\"needs_partner\": true on the entry");
    for (auto it = n.raw().begin(); it != n.raw().end(); ++it) {
      const int stage = stage_index(it.key());
      JsonNode v = n.child(it.key());
      if (stage < 0 || without_partner(stage)) v.fail("for_stage has stage '" + it.key() + "'", "dating, long_term or parenting");
      c.for_stage[it.key()] = v.nonempty_str();
    }
  }

  // What the 30-day schedule and the context read: weeks and their days, practices for two.
  void schedule_fields(const JsonNode& e, ContentEntry& c) {
    if (e.has("needs_partner")) c.needs_partner = e.at("needs_partner").boolean();
    if (e.has("daily_practice_alone")) c.daily_practice_alone = e.at("daily_practice_alone").nonempty_str();
    if (e.has("for_stage")) for_stage(e.at("for_stage"), c);
    if (e.has("week")) {
      JsonNode w = e.at("week");
      if (w.raw().is_number_integer()) c.week = static_cast<int>(w.integer(1, 5));
      else w.nonempty_str();  // emphasis: the week it belongs to, checked against rules.json
    }
    if (e.has("days")) {
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
    if (e.has("lean")) e.at("lean").nonempty_str();
  }

  void load_content(const fs::path& p) {
    std::string name = p.string();
    const std::string stem = p.stem().string();
    json doc = parse_json(read_file(p), name, kKind);
    JsonNode root(doc, "", name, kKind);
    root.allow_only({"format", "lang", "file", "entries"});
    JsonNode fmt = root.at("format");
    if (fmt.str() != "attune-guidance/1") fmt.fail("unsupported format '" + fmt.str() + "'", "\"attune-guidance/1\"");
    JsonNode lang = root.at("lang");
    if (lang.str() != g.lang) lang.fail("language '" + lang.str() + "' in a '" + g.lang + "' pack", "\"" + g.lang + "\"");
    JsonNode file = root.at("file");
    if (file.str() != stem) file.fail("file field '" + file.str() + "' does not match the file name", "\"" + stem + "\"");
    JsonNode entries = root.at("entries");
    entries.require_array();
    static const char* kTextFields[] = {"summary", "text", "myth", "fact", "when", "daily_practice", "template", "outcome", "note"};
    static const char* kListFields[] = {"feels_like", "often_comes_from", "practices", "items", "steps", "phases", "day_practices"};
    for (std::size_t i = 0; i < entries.size(); ++i) {
      JsonNode e = entries.at(i);
      e.allow_only({"id", "kind", "title", "summary", "text", "myth", "fact", "when", "daily_practice", "template", "outcome",
                    "feels_like", "often_comes_from", "practices", "items", "steps", "phases", "day_practices", "example", "also_called",
                    "category", "order", "key", "week", "days", "lean", "stage", "source", "also_from", "needs_partner",
                    "daily_practice_alone", "for_stage"});
      ContentEntry c;
      c.file = stem;
      JsonNode idn = e.at("id");
      c.id = idn.nonempty_str();
      claim_id(idn, c.id, stem, name);
      c.kind = e.has("kind") ? e.at("kind").nonempty_str() : stem;
      if (e.has("title")) c.title = e.at("title").nonempty_str();
      for (const char* f : kTextFields) {
        if (!e.has(f)) continue;
        // A plan30 emphasis names its week by id; every other "when" or text field is prose.
        c.texts.emplace_back(f, e.at(f).nonempty_str());
      }
      for (const char* f : kListFields) {
        if (e.has(f)) c.lists.push_back({f, items(e.at(f), c.id, name)});
      }
      if (e.has("example")) {
        JsonNode ex = e.at("example");
        if (ex.raw().is_array()) {
          for (std::size_t k = 0; k < ex.size(); ++k) c.examples.push_back(ex.at(k).nonempty_str());
        } else {
          c.examples.push_back(ex.nonempty_str());
        }
      }
      if (e.has("also_called")) {
        JsonNode a = e.at("also_called");
        a.require_array();
        for (std::size_t k = 0; k < a.size(); ++k) a.at(k).nonempty_str();
      }
      if (e.has("category")) {
        JsonNode cat = e.at("category");
        c.category = cat.str();
        bool ok = false;
        for (Category k : kCategories) ok = ok || c.category == to_string(k);
        if (!ok) cat.fail("unknown category '" + c.category + "'", "secure, anxious, avoidant or fearful");
      }
      if (e.has("order")) c.order = static_cast<int>(e.at("order").integer(1, 100));
      if (e.has("key")) e.at("key").nonempty_str();
      schedule_fields(e, c);
      if (e.has("stage")) {
        JsonNode st = e.at("stage");
        st.require_array();
        for (std::size_t k = 0; k < st.size(); ++k) {
          if (stage_index(st.at(k).str()) < 0) st.at(k).fail("unknown stage", "single, dating, long_term, parenting or separating");
        }
      }
      c.source = source(e.at("source"));
      if (e.has("also_from")) {
        JsonNode af = e.at("also_from");
        af.require_array();
        for (std::size_t k = 0; k < af.size(); ++k) c.also_from.push_back(source(af.at(k)));
      }
      if (c.texts.empty() && c.lists.empty()) e.fail("entry has no text", "text, summary, items or another text field");
      g.entries.push_back(std::move(c));
    }
  }

  // ---- rules ----

  int dim(const JsonNode& n, const std::string& name) {
    for (std::size_t i = 0; i < kDimNames.size(); ++i) {
      if (name == kDimNames[i]) return static_cast<int>(i);
    }
    n.fail("unknown dimension '" + name + "'", "secure, anxious, avoidant, fearful, anxiety_z or avoidance_z");
  }

  std::vector<std::pair<int, double>> dim_map(const JsonNode& n) {
    n.require_object();
    std::vector<std::pair<int, double>> out;
    for (auto it = n.raw().begin(); it != n.raw().end(); ++it) {
      JsonNode v = n.child(it.key());
      out.emplace_back(dim(v, it.key()), v.number());
    }
    return out;
  }

  Condition condition(const JsonNode& n) {
    n.allow_only({"always", "category", "stage", "parent", "min", "below", "confidence_below", "selected", "care", "any"});
    if (n.size() == 0) n.fail("empty condition", "at least one condition key");
    Condition c;
    if (n.has("always")) {
      if (!n.at("always").boolean()) n.at("always").fail("always must be true", "true");
      c.always = true;
    }
    if (n.has("category")) {
      JsonNode l = n.at("category");
      l.require_array();
      for (std::size_t i = 0; i < l.size(); ++i) {
        std::string s = l.at(i).str();
        int bit = -1;
        for (Category k : kCategories) {
          if (s == to_string(k)) bit = static_cast<int>(k);
        }
        if (bit < 0) l.at(i).fail("unknown category", "secure, anxious, avoidant or fearful");
        c.categories |= static_cast<std::uint8_t>(1u << bit);
      }
    }
    if (n.has("stage")) {
      JsonNode l = n.at("stage");
      l.require_array();
      for (std::size_t i = 0; i < l.size(); ++i) {
        int s = stage_index(l.at(i).str());
        if (s < 0) l.at(i).fail("unknown stage", "single, dating, long_term, parenting or separating");
        c.stages |= static_cast<std::uint8_t>(1u << s);
      }
    }
    if (n.has("parent")) c.parent = n.at("parent").boolean();
    if (n.has("min")) c.min = dim_map(n.at("min"));
    if (n.has("below")) c.below = dim_map(n.at("below"));
    if (n.has("confidence_below")) c.confidence_below = n.at("confidence_below").number();
    if (n.has("selected")) {
      JsonNode l = n.at("selected");
      l.require_array();
      for (std::size_t i = 0; i < l.size(); ++i) c.selected.push_back(l.at(i).nonempty_str());
      pending_selected.emplace_back(l.path(), c.selected);
    }
    if (n.has("care")) {
      if (!n.at("care").boolean()) n.at("care").fail("care must be true", "true");
      c.care = true;
    }
    if (n.has("any")) {
      JsonNode l = n.at("any");
      l.require_array();
      if (l.size() == 0) l.fail("empty 'any'", "at least one condition");
      for (std::size_t i = 0; i < l.size(); ++i) c.any.push_back(condition(l.at(i)));
      c.has_any = true;
    }
    return c;
  }

  std::vector<std::pair<std::string, std::vector<std::string>>> pending_selected;

  void require_entry(const JsonNode& n, const std::string& id, const char* what) {
    if (g.entry_by_id.count(id) == 0) n.fail(std::string(what) + " '" + id + "' is not an entry of the pack", "the id of a top-level content entry");
  }

  void load_rules(const fs::path& p) {
    std::string name = p.string();
    json doc = parse_json(read_file(p), name, kKind);
    JsonNode root(doc, "", name, kKind);
    root.allow_only({"format", "lang", "file", "profile", "formula", "drivers", "selection", "conditions", "relevance",
                     "include", "slots", "plan30", "care"});
    JsonNode fmt = root.at("format");
    if (fmt.str() != "attune-guidance-rules/1") fmt.fail("unsupported format '" + fmt.str() + "'", "\"attune-guidance-rules/1\"");

    // Care texts first: they are entries that rules may refer to.
    JsonNode care = root.at("care");
    care.allow_only({"trigger", "slot", "shows", "texts"});
    JsonNode texts = care.at("texts");
    texts.require_array();
    for (std::size_t i = 0; i < texts.size(); ++i) {
      JsonNode t = texts.at(i);
      t.allow_only({"id", "title", "text", "source", "also_from"});
      ContentEntry c;
      c.file = "rules";
      c.kind = "care";
      JsonNode idn = t.at("id");
      c.id = idn.nonempty_str();
      claim_id(idn, c.id, "care", name);
      // A care text is shown as an item of the care block, so it needs a title (a title alone is
      // the block's heading); care.reason is the block's "why" line and needs its text.
      if (t.has("title")) c.title = t.at("title").nonempty_str();
      if (t.has("text")) c.texts.emplace_back("text", t.at("text").nonempty_str());
      else if (c.title.empty() || c.id == "care.reason")
        t.fail("care text '" + c.id + "' has no text", c.id == "care.reason" ? "a \"text\" (the care block's why line)" : "a \"text\", or a \"title\" for a heading");
      c.source = source(t.at("source"));
      if (t.has("also_from")) {
        JsonNode af = t.at("also_from");
        af.require_array();
        for (std::size_t k = 0; k < af.size(); ++k) c.also_from.push_back(source(af.at(k)));
      }
      g.entries.push_back(std::move(c));
    }
    for (std::size_t i = 0; i < g.entries.size(); ++i) g.entry_by_id[g.entries[i].id] = i;

    JsonNode slots = root.at("slots");
    slots.require_array();
    for (std::size_t i = 0; i < slots.size(); ++i) g.slots.push_back(slots.at(i).nonempty_str());
    g.care_slot = care.has("slot") ? care.at("slot").nonempty_str() : "care";
    if (slot_index(g, g.care_slot) < 0) care.at("slot").fail("care slot not in slots", "one of the names in /slots");
    JsonNode shows = care.at("shows");
    shows.require_array();
    for (std::size_t i = 0; i < shows.size(); ++i) {
      std::string id = shows.at(i).nonempty_str();
      require_entry(shows.at(i), id, "care item");
      g.care_shows.push_back(id);
    }

    if (root.has("selection")) {
      JsonNode sel = root.at("selection");
      sel.allow_only({"roadmap", "selfhelp", "order", "scripts"});
      auto read_sel = [](const JsonNode& n, Selection& s) {
        n.allow_only({"max", "min_relevance", "at_least"});
        s.max = static_cast<int>(n.at("max").integer(1, 8));
        s.min_relevance = n.at("min_relevance").number();
        s.at_least = static_cast<int>(n.at("at_least").integer(0, s.max));
      };
      if (sel.has("roadmap")) read_sel(sel.at("roadmap"), g.roadmap_sel);
      if (sel.has("selfhelp")) read_sel(sel.at("selfhelp"), g.selfhelp_sel);
    }

    JsonNode rel = root.at("relevance");
    rel.require_array();
    std::set<std::string> ranked;
    int selfhelp_order = 0;
    for (std::size_t i = 0; i < rel.size(); ++i) {
      JsonNode r = rel.at(i);
      r.allow_only({"target", "base", "weights", "context", "scripts", "reason", "reason_by_driver"});
      RelevanceRule rr;
      JsonNode t = r.at("target");
      rr.target = t.nonempty_str();
      require_entry(t, rr.target, "target");
      const ContentEntry& target = g.entries[g.entry_by_id[rr.target]];
      if (target.kind == "step") {
        rr.roadmap = true;
        rr.order = target.order;
      } else if (target.kind == "strategy") {
        rr.order = ++selfhelp_order;
      } else {
        t.fail("a relevance rule must rank a roadmap step or a self-help strategy", "an entry of kind step or strategy");
      }
      if (!ranked.insert(rr.target).second) t.fail("second relevance rule for '" + rr.target + "'", "one rule per step");
      rr.needs_partner = target.needs_partner;
      rr.base = r.at("base").number();
      rr.weights = dim_map(r.at("weights"));
      if (r.has("context")) {
        JsonNode ctx = r.at("context");
        ctx.allow_only({"stage", "parent"});
        if (ctx.has("stage")) {
          JsonNode st = ctx.at("stage");
          st.require_object();
          for (auto it = st.raw().begin(); it != st.raw().end(); ++it) {
            JsonNode v = st.child(it.key());
            int s = stage_index(it.key());
            if (s < 0) v.fail("unknown stage '" + it.key() + "'", "single, dating, long_term, parenting or separating");
            double b = v.number();
            if (b < 0) v.fail("negative context bonus", "a bonus >= 0 (context never takes anything away)");
            rr.stage_bonus[static_cast<std::size_t>(s)] = b;
            rr.has_stage[static_cast<std::size_t>(s)] = true;
          }
        }
        if (ctx.has("parent")) {
          double b = ctx.at("parent").number();
          if (b < 0) ctx.at("parent").fail("negative context bonus", "a bonus >= 0");
          rr.parent_bonus = b;
        }
      }
      if (r.has("scripts")) {
        JsonNode sc = r.at("scripts");
        sc.require_array();
        for (std::size_t k = 0; k < sc.size(); ++k) {
          std::string id = sc.at(k).nonempty_str();
          require_entry(sc.at(k), id, "script");
          if (g.entries[g.entry_by_id[id]].kind != "script") sc.at(k).fail("'" + id + "' is not a script", "an entry of scripts.json");
          rr.scripts.push_back(id);
        }
      }
      rr.reason = r.at("reason").nonempty_str();
      JsonNode rbd = r.at("reason_by_driver");
      rbd.require_object();
      for (auto it = rbd.raw().begin(); it != rbd.raw().end(); ++it) {
        JsonNode v = rbd.child(it.key());
        if (it.key() != "stage" && it.key() != "parent") dim(v, it.key());
        rr.reason_by_driver[it.key()] = v.nonempty_str();
      }
      // Every term that can add to the score must have its own reason, so "why" never misattributes.
      for (const auto& w : rr.weights) {
        if (!rr.reason_by_driver.count(kDimNames[static_cast<std::size_t>(w.first)])) {
          rbd.fail(std::string("no reason for weighted dimension '") + kDimNames[static_cast<std::size_t>(w.first)] + "'", "a reason_by_driver entry per weight");
        }
      }
      bool any_stage = std::any_of(rr.has_stage.begin(), rr.has_stage.end(), [](bool b) { return b; });
      if (any_stage && !rr.reason_by_driver.count("stage")) rbd.fail("no reason for the stage bonus", "a \"stage\" entry");
      if (rr.parent_bonus && !rr.reason_by_driver.count("parent")) rbd.fail("no reason for the parent bonus", "a \"parent\" entry");
      g.relevance.push_back(std::move(rr));
    }

    JsonNode inc = root.at("include");
    inc.require_array();
    for (std::size_t i = 0; i < inc.size(); ++i) {
      JsonNode r = inc.at(i);
      r.allow_only({"target", "slot", "when", "reason"});
      IncludeRule ir;
      JsonNode t = r.at("target");
      ir.target = t.nonempty_str();
      require_entry(t, ir.target, "target");
      JsonNode s = r.at("slot");
      ir.slot = slot_index(g, s.str());
      if (ir.slot < 0) s.fail("unknown slot '" + s.str() + "'", "one of the names in /slots");
      ir.when = condition(r.at("when"));
      ir.reason = r.at("reason").nonempty_str();
      g.include.push_back(std::move(ir));
    }

    JsonNode p30 = root.at("plan30");
    p30.allow_only({"leans", "weeks"});
    JsonNode leans = p30.at("leans");
    leans.require_array();
    std::set<std::string> lean_ids;
    for (std::size_t i = 0; i < leans.size(); ++i) {
      JsonNode l = leans.at(i);
      l.allow_only({"id", "when", "reason"});
      Lean ln;
      ln.id = l.at("id").nonempty_str();
      ln.when = condition(l.at("when"));
      ln.reason = l.at("reason").nonempty_str();
      lean_ids.insert(ln.id);
      g.leans.push_back(std::move(ln));
    }
    JsonNode weeks = p30.at("weeks");
    weeks.require_array();
    for (std::size_t i = 0; i < weeks.size(); ++i) {
      JsonNode w = weeks.at(i);
      w.allow_only({"week", "add"});
      JsonNode wid = w.at("week");
      std::string week = wid.nonempty_str();
      require_entry(wid, week, "week");
      if (g.entries[g.entry_by_id[week]].kind != "week") wid.fail("'" + week + "' is not a week", "a plan30 week entry");
      std::map<std::string, std::string> add;
      JsonNode a = w.at("add");
      a.require_object();
      for (auto it = a.raw().begin(); it != a.raw().end(); ++it) {
        JsonNode v = a.child(it.key());
        if (!lean_ids.count(it.key())) v.fail("unknown lean '" + it.key() + "'", "an id from /plan30/leans");
        std::string tid = v.nonempty_str();
        require_entry(v, tid, "emphasis");
        add[it.key()] = tid;
      }
      g.weeks.emplace_back(week, std::move(add));
    }

    for (const auto& ps : pending_selected) {
      for (const auto& id : ps.second) {
        if (!ranked.count(id)) {
          Location where;
          where.file = name;
          where.json_path = ps.first;
          where.value = id;
          throw Error(kKind, "'selected' names '" + id + "', which no relevance rule ranks", where, "a roadmap step or strategy with a relevance rule");
        }
      }
    }
  }

  // Every string in every file goes through the word check, so a translation cannot slip a shaming
  // or diagnostic word past the tests by adding a new field.
  void scan_words(const json& v, const std::string& path, const std::string& file) {
    if (v.is_string()) {
      std::string hit = find_forbidden_in(v.get<std::string>());
      if (!hit.empty()) {
        Location where;
        where.file = file;
        where.json_path = path.empty() ? "/" : path;
        where.value = hit;
        throw Error(kKind, "text uses the forbidden word '" + hit + "'", where, "wording without the words in forbidden-words.json (speak of patterns and tendencies)");
      }
    } else if (v.is_array()) {
      for (std::size_t i = 0; i < v.size(); ++i) scan_words(v[i], path + "/" + std::to_string(i), file);
    } else if (v.is_object()) {
      for (auto it = v.begin(); it != v.end(); ++it) scan_words(*it, path + "/" + it.key(), file);
    }
  }

  std::string find_forbidden_in(const std::string& text) const;
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (static_cast<unsigned char>(c) & 0x80); }

std::string find_forbidden(const std::vector<std::string>& words, const std::vector<std::string>& allowed, const std::string& text) {
  std::string t = lower(text);
  for (const auto& a : allowed) {
    std::string la = lower(a);
    for (std::size_t pos; (pos = t.find(la)) != std::string::npos;) t.replace(pos, la.size(), " ");
  }
  for (const auto& w : words) {
    std::string lw = lower(w);
    for (std::size_t pos = t.find(lw); pos != std::string::npos; pos = t.find(lw, pos + 1)) {
      bool left = pos == 0 || !word_char(t[pos - 1]);
      bool right = pos + lw.size() >= t.size() || !word_char(t[pos + lw.size()]);
      if (left && right) return w;
    }
  }
  return {};
}

std::string Loader::find_forbidden_in(const std::string& text) const { return find_forbidden(g.forbidden, g.allowed, text); }

std::vector<fs::path> search_dirs() { return detail::data_search_dirs("ATTUNE_GUIDANCE_PATH", "guidance", ATTUNE_INSTALLED_GUIDANCE, ATTUNE_SOURCE_GUIDANCE); }

}  // namespace
}  // namespace detail

const std::string* ContentEntry::text_field(const std::string& name) const {
  for (const auto& t : texts) {
    if (t.first == name) return &t.second;
  }
  return nullptr;
}

// The JSON walker throws the base Error with kind usage; callers catch UsageError.
Guidance Guidance::from_directory(const std::string& folder) {
  try {
    return load_folder(folder);
  } catch (const UsageError&) {
    throw;
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::usage) throw;
    throw UsageError(e.message(), e.where(), e.expected());
  }
}

Guidance Guidance::load_folder(const std::string& folder) {
  using namespace detail;
  auto data = std::make_shared<GuidanceData>();
  std::error_code ec;
  fs::path dir(folder);
  if (!fs::is_directory(dir, ec)) {
    Location where;
    where.file = folder;
    throw IoError("guidance folder not found", where);
  }
  data->folder = fs::absolute(dir, ec).lexically_normal().string();
  data->lang = dir.lexically_normal().filename().string();
  if (data->lang.empty()) data->lang = dir.lexically_normal().parent_path().filename().string();
  Loader L{*data, {}, {}};
  auto need = [&](const char* f) {
    fs::path p = dir / f;
    if (!fs::is_regular_file(p, ec)) {
      Location where;
      where.file = p.string();
      throw IoError(std::string("guidance pack is missing ") + f, where);
    }
    return p;
  };
  L.load_sources(need("sources.json"));
  L.load_forbidden(need("forbidden-words.json"));
  L.load_ui(need("ui.json"));
  std::vector<fs::path> content;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".json") continue;
    std::string f = e.path().filename().string();
    if (f == "sources.json" || f == "forbidden-words.json" || f == "ui.json" || f == "rules.json") continue;
    content.push_back(e.path());
  }
  std::sort(content.begin(), content.end());  // directory order is not stable across file systems
  for (const auto& p : content) L.load_content(p);
  L.load_rules(need("rules.json"));
  for (const auto& p : content) L.scan_words(parse_json(read_file(p), p.string(), ErrorKind::usage), "", p.string());
  for (const char* f : {"ui.json", "rules.json"}) {
    fs::path p = dir / f;
    L.scan_words(parse_json(read_file(p), p.string(), ErrorKind::usage), "", p.string());
  }
  Guidance gd;
  gd.data_ = std::move(data);
  return gd;
}

Guidance Guidance::load(const std::string& lang) {
  for (const auto& dir : detail::search_dirs()) {
    std::error_code ec;
    fs::path p = dir / lang;
    if (fs::is_regular_file(p / "rules.json", ec)) return from_directory(p.string());
  }
  std::string known;
  for (const auto& l : guidance_languages()) known += (known.empty() ? "" : ", ") + l;
  Location where;
  where.value = lang;
  throw UsageError("no guidance pack for language '" + lang + "'", where,
                   "one of: " + (known.empty() ? std::string("none found; set ATTUNE_GUIDANCE_PATH") : known));
}

std::vector<std::string> guidance_languages() {
  std::set<std::string> langs;
  for (const auto& dir : detail::search_dirs()) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (fs::is_regular_file(e.path() / "rules.json", ec)) langs.insert(e.path().filename().string());
    }
  }
  return {langs.begin(), langs.end()};
}

const std::string& Guidance::lang() const { return data_->lang; }
const std::string& Guidance::folder() const { return data_->folder; }
const std::vector<ContentEntry>& Guidance::entries() const { return data_->entries; }
const ContentEntry* Guidance::find(const std::string& id) const {
  auto it = data_->entry_by_id.find(id);
  return it == data_->entry_by_id.end() ? nullptr : &data_->entries[it->second];
}
const Article* Guidance::article(const std::string& id) const {
  for (const auto& a : data_->articles) {
    if (a.id == id) return &a;
  }
  return nullptr;
}
std::string Guidance::ui(const std::string& id) const {
  auto it = data_->ui.find(id);
  return it == data_->ui.end() ? id : it->second;
}
const std::vector<std::string>& Guidance::forbidden_words() const { return data_->forbidden; }
const std::vector<std::string>& Guidance::allowed_phrases() const { return data_->allowed; }
std::string Guidance::find_forbidden(const std::string& text) const {
  return detail::find_forbidden(data_->forbidden, data_->allowed, text);
}

}  // namespace attune
