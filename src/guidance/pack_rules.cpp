// rules.json of a guidance pack: the care texts and slots, the selection, the relevance rules, the
// include rules with their conditions and the 30-day plan's leans and weeks. Names are resolved to
// indices here so recommend() only does arithmetic and set tests (guidance_data.hpp). Every check
// names the file and the JSON path (pack_loader.hpp).
#include "pack_loader.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

namespace fs = std::filesystem;

namespace attune::detail {

namespace {

int rule_dim(const JsonNode& n, const std::string& name) {
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
    out.emplace_back(rule_dim(v, it.key()), v.number());
  }
  return out;
}

// "always" and "care" can only be true: false would be a rule that never holds.
bool only_true(const JsonNode& n, const char* message) {
  if (!n.boolean()) n.fail(message, "true");
  return true;
}

std::uint8_t category_bits(const JsonNode& l) {
  l.require_array();
  std::uint8_t bits = 0;
  for (std::size_t i = 0; i < l.size(); ++i) {
    std::string s = l.at(i).str();
    int bit = -1;
    for (Category k : kCategories) {
      if (s == to_string(k)) bit = static_cast<int>(k);
    }
    if (bit < 0) l.at(i).fail("unknown category", "secure, anxious, avoidant or fearful");
    bits |= static_cast<std::uint8_t>(1u << bit);
  }
  return bits;
}

std::uint8_t stage_bits(const JsonNode& l) {
  l.require_array();
  std::uint8_t bits = 0;
  for (std::size_t i = 0; i < l.size(); ++i) {
    int s = stage_index(l.at(i).str());
    if (s < 0) l.at(i).fail("unknown stage", "single, dating, long_term, parenting or separating");
    bits |= static_cast<std::uint8_t>(1u << s);
  }
  return bits;
}

void read_selection(const JsonNode& n, Selection& s) {
  n.allow_only({"max", "min_relevance", "at_least"});
  s.max = static_cast<int>(n.at("max").integer(1, 8));
  s.min_relevance = n.at("min_relevance").number();
  s.at_least = static_cast<int>(n.at("at_least").integer(0, s.max));
}

// A relevance rule's context bonuses: they only ever add (context never takes anything away).
void read_context_bonus(const JsonNode& ctx, RelevanceRule& rr) {
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

void read_reasons_by_driver(const JsonNode& rbd, RelevanceRule& rr) {
  rbd.require_object();
  for (auto it = rbd.raw().begin(); it != rbd.raw().end(); ++it) {
    JsonNode v = rbd.child(it.key());
    if (it.key() != "stage" && it.key() != "parent") rule_dim(v, it.key());
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
}

}  // namespace

Condition PackLoader::condition(const JsonNode& n) {
  n.allow_only({"always", "category", "stage", "parent", "min", "below", "confidence_below", "selected", "care", "any"});
  if (n.size() == 0) n.fail("empty condition", "at least one condition key");
  Condition c;
  if (n.has("always")) c.always = only_true(n.at("always"), "always must be true");
  if (n.has("category")) c.categories = category_bits(n.at("category"));
  if (n.has("stage")) c.stages = stage_bits(n.at("stage"));
  if (n.has("parent")) c.parent = n.at("parent").boolean();
  if (n.has("min")) c.min = dim_map(n.at("min"));
  if (n.has("below")) c.below = dim_map(n.at("below"));
  if (n.has("confidence_below")) c.confidence_below = n.at("confidence_below").number();
  if (n.has("selected")) {
    JsonNode l = n.at("selected");
    c.selected = nonempty_strings(l);
    pending_selected.emplace_back(l.path(), c.selected);
  }
  if (n.has("care")) c.care = only_true(n.at("care"), "care must be true");
  if (n.has("any")) {
    JsonNode l = n.at("any");
    l.require_array();
    if (l.size() == 0) l.fail("empty 'any'", "at least one condition");
    for (std::size_t i = 0; i < l.size(); ++i) c.any.push_back(condition(l.at(i)));
    c.has_any = true;
  }
  return c;
}

void PackLoader::require_entry(const JsonNode& n, const std::string& id, const char* what) {
  if (g.entry_by_id.count(id) == 0) n.fail(std::string(what) + " '" + id + "' is not an entry of the pack", "the id of a top-level content entry");
}

ContentEntry PackLoader::care_text(const JsonNode& t, const std::string& file) {
  t.allow_only({"id", "title", "text", "source", "also_from"});
  ContentEntry c;
  c.file = "rules";
  c.kind = "care";
  JsonNode idn = t.at("id");
  c.id = idn.nonempty_str();
  claim_id(idn, c.id, "care", file);
  // A care text is shown as an item of the care block, so it needs a title (a title alone is
  // the block's heading); care.reason is the block's "why" line and needs its text.
  if (t.has("title")) c.title = t.at("title").nonempty_str();
  if (t.has("text")) c.texts.emplace_back("text", t.at("text").nonempty_str());
  else if (c.title.empty() || c.id == "care.reason")
    t.fail("care text '" + c.id + "' has no text", c.id == "care.reason" ? "a \"text\" (the care block's why line)" : "a \"text\", or a \"title\" for a heading");
  c.source = source(t.at("source"));
  read_also_from(t, c);
  return c;
}

// Care texts first: they are entries that rules may refer to. Then the slots, and what the care
// block shows in which slot.
void PackLoader::load_care(const JsonNode& root, const std::string& file) {
  JsonNode care = root.at("care");
  care.allow_only({"trigger", "slot", "shows", "texts"});
  JsonNode texts = care.at("texts");
  texts.require_array();
  for (std::size_t i = 0; i < texts.size(); ++i) g.entries.push_back(care_text(texts.at(i), file));
  for (std::size_t i = 0; i < g.entries.size(); ++i) g.entry_by_id[g.entries[i].id] = i;

  g.slots = nonempty_strings(root.at("slots"));
  g.care_slot = care.has("slot") ? care.at("slot").nonempty_str() : "care";
  if (slot_index(g, g.care_slot) < 0) care.at("slot").fail("care slot not in slots", "one of the names in /slots");
  JsonNode shows = care.at("shows");
  shows.require_array();
  for (std::size_t i = 0; i < shows.size(); ++i) {
    std::string id = shows.at(i).nonempty_str();
    require_entry(shows.at(i), id, "care item");
    g.care_shows.push_back(id);
  }
}

void PackLoader::relevance_scripts(const JsonNode& sc, RelevanceRule& rr) {
  sc.require_array();
  for (std::size_t k = 0; k < sc.size(); ++k) {
    std::string id = sc.at(k).nonempty_str();
    require_entry(sc.at(k), id, "script");
    if (g.entries[g.entry_by_id[id]].kind != "script") sc.at(k).fail("'" + id + "' is not a script", "an entry of scripts.json");
    rr.scripts.push_back(id);
  }
}

// Which step or strategy a rule ranks, once each; self-help ties break by the order of the rules.
RelevanceRule PackLoader::relevance_rule(const JsonNode& r, int& selfhelp_order, std::set<std::string>& ranked) {
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
  return rr;
}

std::set<std::string> PackLoader::load_relevance(const JsonNode& rel) {
  rel.require_array();
  std::set<std::string> ranked;
  int selfhelp_order = 0;
  for (std::size_t i = 0; i < rel.size(); ++i) {
    JsonNode r = rel.at(i);
    RelevanceRule rr = relevance_rule(r, selfhelp_order, ranked);
    rr.base = r.at("base").number();
    rr.weights = dim_map(r.at("weights"));
    if (r.has("context")) read_context_bonus(r.at("context"), rr);
    if (r.has("scripts")) relevance_scripts(r.at("scripts"), rr);
    rr.reason = r.at("reason").nonempty_str();
    read_reasons_by_driver(r.at("reason_by_driver"), rr);
    g.relevance.push_back(std::move(rr));
  }
  return ranked;
}

void PackLoader::load_include(const JsonNode& inc) {
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
}

void PackLoader::load_plan30(const JsonNode& p30) {
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
}

void PackLoader::check_selected(const std::set<std::string>& ranked, const std::string& file) const {
  for (const auto& ps : pending_selected) {
    for (const auto& id : ps.second) {
      if (!ranked.count(id)) {
        Location where;
        where.file = file;
        where.json_path = ps.first;
        where.value = id;
        throw Error(kPackErrorKind, "'selected' names '" + id + "', which no relevance rule ranks", where, "a roadmap step or strategy with a relevance rule");
      }
    }
  }
}

void PackLoader::load_rules(const fs::path& p) {
  const PackFile file(p, {"format", "lang", "file", "profile", "formula", "drivers", "selection", "conditions", "relevance",
                          "include", "slots", "plan30", "care"});
  const JsonNode& root = file.root;
  JsonNode fmt = root.at("format");
  if (fmt.str() != "attune-guidance-rules/1") fmt.fail("unsupported format '" + fmt.str() + "'", "\"attune-guidance-rules/1\"");
  load_care(root, file.name);
  if (root.has("selection")) {
    JsonNode sel = root.at("selection");
    sel.allow_only({"roadmap", "selfhelp", "order", "scripts"});
    if (sel.has("roadmap")) read_selection(sel.at("roadmap"), g.roadmap_sel);
    if (sel.has("selfhelp")) read_selection(sel.at("selfhelp"), g.selfhelp_sel);
  }
  const std::set<std::string> ranked = load_relevance(root.at("relevance"));
  load_include(root.at("include"));
  load_plan30(root.at("plan30"));
  check_selected(ranked, file.name);
}

}  // namespace attune::detail
