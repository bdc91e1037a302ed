// Loading and validating instrument files. Validation is strict and local: each check names the
// JSON path it looked at, so a researcher editing a file can fix it without reading our code.
#include <attune/instrument.hpp>
#include <attune/output_columns.hpp>

#include "json_walk.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace attune {

using detail::json;
using detail::JsonNode;

const char* to_string(Category c) noexcept {
  switch (c) {
    case Category::secure: return "secure";
    case Category::anxious: return "anxious";
    case Category::avoidant: return "avoidant";
    case Category::fearful: return "fearful";
  }
  return "?";
}

bool Scale::is_reversed(const std::string& item) const {
  return std::find(reverse.begin(), reverse.end(), item) != reverse.end();
}

namespace {

constexpr const char* kFormat = "attune-instrument/1";
constexpr std::size_t kMaxItems = 1000;
constexpr std::size_t kMaxScales = 200;

// Item ids may use capitals: they name data columns, which researchers spell as their data has them
// (psych's bfi: A1..O5). Other ids become output names and stay lower case.
bool item_kind(const char* what) { return std::string(what) == "item"; }

bool valid_id(const std::string& s, bool upper) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [upper](char c) {
    return (c >= 'a' && c <= 'z') || (upper && c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

std::string checked_id(const JsonNode& n, const char* what) {
  std::string s = n.nonempty_str();
  const bool upper = item_kind(what);
  if (!valid_id(s, upper)) {
    n.fail(std::string("invalid ") + what + " id",
           upper ? "letters, digits, '-', '_' or '.' (at most 64)" : "lowercase letters, digits, '-', '_' or '.' (at most 64)");
  }
  return s;
}

std::string folded(std::string s) {
  for (auto& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return s;
}

Citation parse_citation(const JsonNode& n) {
  n.allow_only({"id", "text", "doi", "url"});
  Citation c;
  c.id = checked_id(n.at("id"), "citation");
  c.text = n.at("text").nonempty_str();
  if (n.has("doi")) c.doi = n.at("doi").str();
  if (n.has("url")) c.url = n.at("url").str();
  return c;
}

Reliability parse_reliability(const JsonNode& n) {
  n.allow_only({"alpha", "citation", "verified"});
  Reliability r;
  r.alpha = n.at("alpha").number();
  if (!(r.alpha > 0 && r.alpha < 1)) n.at("alpha").fail("reliability out of range", "a number strictly between 0 and 1");
  if (n.has("citation")) r.citation = n.at("citation").str();
  if (n.has("verified")) r.verified = n.at("verified").boolean();
  if (n.has("note")) r.note = n.at("note").str();
  return r;
}

std::vector<std::string> string_list(const JsonNode& n, const char* what) {
  n.require_array();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n.size(); ++i) out.push_back(checked_id(n.at(i), what));
  return out;
}

Category parse_category(const JsonNode& n, const std::string& key) {
  for (Category c : kCategories) {
    if (key == to_string(c)) return c;
  }
  n.fail("unknown category '" + key + "'", "one of secure, anxious, avoidant, fearful");
}

ProfileMethod parse_method(const JsonNode& n, const std::string& name) {
  ProfileMethod m;
  m.name = name;
  std::string type = n.at("type").str();
  if (type == "quadrant") {
    n.allow_only({"type", "anxiety", "avoidance", "center", "citation"});
    m.type = ProfileMethodType::quadrant;
    m.anxiety_scale = n.at("anxiety").str();
    m.avoidance_scale = n.at("avoidance").str();
    if (n.has("center")) {
      JsonNode c = n.at("center");
      if (c.raw().is_string()) {
        if (c.str() != "norms") c.fail("unknown center '" + c.str() + "'", "\"norms\" or {\"anxiety\": x, \"avoidance\": y}");
      } else {
        c.allow_only({"anxiety", "avoidance"});
        m.center_anxiety = c.at("anxiety").number();
        m.center_avoidance = c.at("avoidance").number();
      }
    }
  } else if (type == "fisher") {
    n.allow_only({"type", "anxiety", "avoidance", "functions", "citation"});
    m.type = ProfileMethodType::fisher;
    m.anxiety_scale = n.at("anxiety").str();
    m.avoidance_scale = n.at("avoidance").str();
    JsonNode f = n.at("functions");
    f.require_object();
    std::set<int> seen;
    for (auto it = f.raw().begin(); it != f.raw().end(); ++it) {
      JsonNode fn = f.child(it.key());
      Category c = parse_category(fn, it.key());
      fn.allow_only({"avoidance", "anxiety", "constant"});
      m.functions[static_cast<int>(c)] = {fn.at("avoidance").number(), fn.at("anxiety").number(), fn.at("constant").number()};
      seen.insert(static_cast<int>(c));
    }
    if (seen.size() != 4) f.fail("classification functions incomplete", "one function for each of secure, anxious, avoidant, fearful");
  } else if (type == "prototype") {
    n.allow_only({"type", "secure", "anxious", "avoidant", "fearful", "citation"});
    m.type = ProfileMethodType::prototype;
    for (Category c : kCategories) m.prototype_scales[static_cast<int>(c)] = n.at(to_string(c)).str();
  } else {
    n.at("type").fail("unknown profile method type '" + type + "'", "quadrant, fisher or prototype");
  }
  if (n.has("citation")) m.citation = n.at("citation").str();
  return m;
}

// A scale id becomes an output column (and <id>_z, <id>_pct): one named like another column would
// make a second column of that name, and a JSON Lines reader keeps only one of the two.
void check_not_reserved(const JsonNode& n, const std::string& id, const Instrument& ins) {
  const auto& reserved = reserved_column_names();
  const bool plan_step = id.size() > 5 && id.compare(0, 5, "plan_") == 0 &&
                         std::all_of(id.begin() + 5, id.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (plan_step || std::find(reserved.begin(), reserved.end(), id) != reserved.end()) {
    n.fail("scale id '" + id + "' is the name of an output column", "a scale id other than id, row, category, confidence, method, notes, "
           "profile_*, the quality and plan columns");
  }
  for (const auto& other : ins.scales) {
    for (const char* suffix : {"_z", "_pct"}) {
      if (id == other.id + suffix) {
        n.fail("scale id '" + id + "' is the name of an output column of scale '" + other.id + "'", "no scale named like another's _z or _pct column");
      }
      if (other.id == id + suffix) {
        n.fail("scale '" + id + "' would write a column '" + other.id + "', the name of an earlier scale", "no scale named like another's _z or _pct column");
      }
    }
  }
}

void parse_profile(const JsonNode& pn, Instrument& ins) {
  pn.allow_only({"default", "methods"});
  JsonNode ms = pn.at("methods");
  ms.require_object();
  if (ms.size() == 0) ms.fail("no profile methods", "at least one method");
  for (auto it = ms.raw().begin(); it != ms.raw().end(); ++it) {
    JsonNode mn = ms.child(it.key());
    ProfileMethod m = parse_method(mn, it.key());
    auto need_scale = [&](const std::string& id, const char* field) {
      if (!ins.find_scale(id)) mn.at(field).fail("unknown scale '" + id + "'", "a scale id");
    };
    if (m.type == ProfileMethodType::prototype) {
      for (Category c : kCategories) need_scale(m.prototype_scales[static_cast<int>(c)], to_string(c));
    } else {
      need_scale(m.anxiety_scale, "anxiety");
      need_scale(m.avoidance_scale, "avoidance");
    }
    if (!m.citation.empty() && !ins.find_citation(m.citation)) mn.at("citation").fail("unknown citation '" + m.citation + "'", "the id of an entry in /citations");
    ins.methods.push_back(std::move(m));
  }
  ins.default_method = pn.at("default").str();
  if (!ins.find_method(ins.default_method)) pn.at("default").fail("unknown default method '" + ins.default_method + "'", "the name of an entry in /profile/methods");
}

}  // namespace

Instrument Instrument::from_json_text(const std::string& text, const std::string& source_name) {
  const json doc = detail::parse_json(text, source_name, ErrorKind::instrument);
  JsonNode root(doc, "", source_name, ErrorKind::instrument);
  root.allow_only({"format", "id", "version", "name", "short_name", "citations", "key_source", "verified",
                   "response_scale", "items", "scales", "norms", "profile", "description"});
  Instrument ins;
  ins.source = source_name;
  if (root.at("format").str() != kFormat) root.at("format").fail("unsupported format", std::string("\"") + kFormat + "\"");
  ins.id = checked_id(root.at("id"), "instrument");
  ins.version = root.at("version").nonempty_str();
  ins.name = root.at("name").nonempty_str();
  ins.short_name = root.at("short_name").nonempty_str();

  JsonNode cits = root.at("citations");
  cits.require_array();
  if (cits.size() == 0) cits.fail("no citations", "at least one citation");
  for (std::size_t i = 0; i < cits.size(); ++i) {
    Citation c = parse_citation(cits.at(i));
    if (ins.find_citation(c.id)) cits.at(i).at("id").fail("duplicate citation id '" + c.id + "'", "unique citation ids");
    ins.citations.push_back(std::move(c));
  }
  auto check_citation = [&](const JsonNode& n) {
    std::string id = n.str();
    if (!ins.find_citation(id)) n.fail("unknown citation '" + id + "'", "the id of an entry in /citations");
    return id;
  };
  ins.key_source = check_citation(root.at("key_source"));

  JsonNode ver = root.at("verified");
  ver.allow_only({"status"});
  ins.verified = ver.at("status").boolean();
  if (ver.has("note")) ins.verified_note = ver.at("note").str();
  if (!ins.verified && ins.verified_note.empty()) ver.fail("unverified key without a note", "a note saying why it could not be verified");

  JsonNode rs = root.at("response_scale");
  rs.allow_only({"min", "max", "anchors"});
  ins.response_scale.min = static_cast<int>(rs.at("min").integer(-1000, 1000));
  ins.response_scale.max = static_cast<int>(rs.at("max").integer(-1000, 1000));
  if (ins.response_scale.min >= ins.response_scale.max) rs.at("max").fail("max is not above min", "max > min");
  if (rs.has("anchors")) {
    JsonNode a = rs.at("anchors");
    a.require_object();
    for (auto it = a.raw().begin(); it != a.raw().end(); ++it) {
      JsonNode an = a.child(it.key());
      int value = 0;
      try {
        std::size_t used = 0;
        value = std::stoi(it.key(), &used);
        if (used != it.key().size()) throw std::invalid_argument("trailing");
      } catch (const std::exception&) {
        an.fail("anchor key '" + it.key() + "' is not an integer", "integer keys within the response scale");
      }
      if (value < ins.response_scale.min || value > ins.response_scale.max) an.fail("anchor outside the response scale", "a value from min to max");
      ins.response_scale.anchors[value] = an.str();
    }
  }

  JsonNode items = root.at("items");
  items.require_array();
  if (items.size() == 0) items.fail("no items", "at least one item");
  if (items.size() > kMaxItems) items.fail("too many items", "at most " + std::to_string(kMaxItems));
  std::set<int> positions;
  for (std::size_t i = 0; i < items.size(); ++i) {
    JsonNode it = items.at(i);
    it.allow_only({"id", "position", "label"});
    Item item;
    item.id = checked_id(it.at("id"), "item");
    item.position = static_cast<int>(it.at("position").integer(1, static_cast<long>(kMaxItems)));
    item.label = it.at("label").nonempty_str();
    if (ins.find_item(item.id)) it.at("id").fail("duplicate item id '" + item.id + "'", "unique item ids");
    // Columns are matched to item ids ignoring case, so two ids that differ only in case would be a guess.
    for (const auto& other : ins.items) {
      if (folded(other.id) == folded(item.id)) it.at("id").fail("item ids '" + other.id + "' and '" + item.id + "' differ only in case", "item ids that differ in more than case");
    }
    if (!positions.insert(item.position).second) it.at("position").fail("duplicate position", "unique positions");
    ins.items.push_back(std::move(item));
  }
  if (*positions.rbegin() != static_cast<int>(ins.items.size())) {
    items.fail("positions are not 1.." + std::to_string(ins.items.size()), "positions numbered 1 to the number of items");
  }

  JsonNode scales = root.at("scales");
  scales.require_array();
  if (scales.size() == 0) scales.fail("no scales", "at least one scale");
  if (scales.size() > kMaxScales) scales.fail("too many scales", "at most " + std::to_string(kMaxScales));
  for (std::size_t i = 0; i < scales.size(); ++i) {
    JsonNode sn = scales.at(i);
    sn.allow_only({"id", "label", "aggregation", "items", "reverse", "scales", "min_answered", "min_answered_source", "reliability"});
    Scale s;
    s.id = checked_id(sn.at("id"), "scale");
    if (ins.find_scale(s.id)) sn.at("id").fail("duplicate scale id '" + s.id + "'", "unique scale ids");
    check_not_reserved(sn.at("id"), s.id, ins);
    s.label = sn.at("label").nonempty_str();
    std::string agg = sn.at("aggregation").str();
    if (agg == "mean") s.aggregation = Aggregation::mean;
    else if (agg == "sum") s.aggregation = Aggregation::sum;
    else sn.at("aggregation").fail("unknown aggregation '" + agg + "'", "\"mean\" or \"sum\"");
    bool has_items = sn.has("items"), has_scales = sn.has("scales");
    if (has_items == has_scales) sn.fail("a scale needs exactly one of 'items' or 'scales'", "either 'items' (an item scale) or 'scales' (a derived scale)");
    std::size_t members = 0;
    if (has_items) {
      JsonNode in = sn.at("items");
      s.items = string_list(in, "item");
      if (s.items.empty()) in.fail("scale has no items", "at least one item id");
      std::set<std::string> uniq;
      for (std::size_t k = 0; k < s.items.size(); ++k) {
        if (!ins.find_item(s.items[k])) in.at(k).fail("unknown item '" + s.items[k] + "'", "the id of an entry in /items");
        if (!uniq.insert(s.items[k]).second) in.at(k).fail("item listed twice on one scale", "each item at most once per scale");
      }
      if (sn.has("reverse")) {
        JsonNode rn = sn.at("reverse");
        s.reverse = string_list(rn, "item");
        for (std::size_t k = 0; k < s.reverse.size(); ++k) {
          if (!uniq.count(s.reverse[k])) rn.at(k).fail("reverse-keyed item '" + s.reverse[k] + "' is not on this scale", "a subset of this scale's items");
        }
      }
      members = s.items.size();
    } else {
      if (sn.has("reverse")) sn.at("reverse").fail("'reverse' on a derived scale", "reverse: true inside a term of 'scales'");
      JsonNode tn = sn.at("scales");
      tn.require_array();
      if (tn.size() == 0) tn.fail("derived scale has no terms", "at least one scale");
      for (std::size_t k = 0; k < tn.size(); ++k) {
        JsonNode t = tn.at(k);
        t.allow_only({"id", "weight", "reverse"});
        ScaleTerm term;
        term.scale = t.at("id").str();
        if (!ins.find_scale(term.scale)) t.at("id").fail("unknown scale '" + term.scale + "'", "the id of a scale listed earlier");
        if (t.has("weight")) term.weight = t.at("weight").number();
        if (t.has("reverse")) term.reverse = t.at("reverse").boolean();
        if (term.reverse && ins.find_scale(term.scale)->aggregation != Aggregation::mean) {
          t.at("reverse").fail("only a mean scale can be reversed", "a term naming a scale with aggregation \"mean\"");
        }
        s.terms.push_back(term);
      }
      members = s.terms.size();
    }
    s.min_answered = static_cast<int>(sn.at("min_answered").integer(1, static_cast<long>(kMaxItems)));
    if (static_cast<std::size_t>(s.min_answered) > members) {
      sn.at("min_answered").fail("min_answered exceeds the number of items or terms", "at most " + std::to_string(members));
    }
    if (sn.has("min_answered_source")) s.min_answered_source = sn.at("min_answered_source").str();
    if (sn.has("reliability")) s.reliability = parse_reliability(sn.at("reliability"));
    ins.scales.push_back(std::move(s));
  }
  // Items on no scale are allowed: some instruments (the RSQ) ask items that no published scale scores.
  // They are still read and range-checked; `attune validate` lists them.

  JsonNode nn = root.at("norms");
  nn.allow_only({"status", "sample", "n", "citation", "verified", "scales", "default_set"});
  std::string status = nn.at("status").str();
  if (status == "published") {
    ins.norms.published = true;
    ins.norms.citation = check_citation(nn.at("citation"));
    if (nn.has("sample")) ins.norms.sample = nn.at("sample").str();
    if (nn.has("verified")) ins.norms.verified = nn.at("verified").boolean();
    JsonNode ns = nn.at("scales");
    ns.require_object();
    if (ns.size() == 0) ns.fail("published norms with no scales", "at least one scale's mean and sd");
    for (auto it = ns.raw().begin(); it != ns.raw().end(); ++it) {
      JsonNode one = ns.child(it.key());
      if (!ins.find_scale(it.key())) one.fail("norms for unknown scale '" + it.key() + "'", "a scale id");
      one.allow_only({"mean", "sd", "n"});
      Norm norm;
      norm.mean = one.at("mean").number();
      norm.sd = one.at("sd").number();
      if (!(norm.sd > 0)) one.at("sd").fail("sd must be positive", "sd > 0");
      if (one.has("n")) norm.n = one.at("n").integer(1, 1000000000L);
      ins.norms.scales[it.key()] = norm;
    }
  } else if (status == "none") {
    if (!nn.has("note")) nn.fail("norms marked none without a note", "a note saying that none are published (or why none are used)");
    if (nn.has("scales")) nn.at("scales").fail("norm values with status none", "no scales when status is \"none\"");
  } else {
    nn.at("status").fail("unknown norms status '" + status + "'", "\"published\" or \"none\"");
  }
  if (nn.has("note")) ins.norms.note = nn.at("note").str();
  if (nn.has("default_set")) ins.norms.default_set = checked_id(nn.at("default_set"), "norm set");
  if (nn.has("n") && ins.norms.published) (void)nn.at("n").integer(1, 1000000000L);

  // No profile: a questionnaire that is not about attachment (psych's bfi) gets scales only.
  if (root.has("profile")) parse_profile(root.at("profile"), ins);
  return ins;
}

Instrument Instrument::from_file(const std::string& path) {
  return from_json_text(read_document(path, "instrument file"), path);
}

const Item* Instrument::find_item(const std::string& item_id) const {
  for (const auto& it : items) if (it.id == item_id) return &it;
  return nullptr;
}
const Item* Instrument::item_at_position(int position) const {
  for (const auto& it : items) if (it.position == position) return &it;
  return nullptr;
}
const Scale* Instrument::find_scale(const std::string& scale_id) const {
  for (const auto& s : scales) if (s.id == scale_id) return &s;
  return nullptr;
}
const ProfileMethod* Instrument::find_method(const std::string& method_name) const {
  const std::string& want = method_name.empty() ? default_method : method_name;
  for (const auto& m : methods) if (m.name == want) return &m;
  return nullptr;
}
const Citation* Instrument::find_citation(const std::string& citation_id) const {
  for (const auto& c : citations) if (c.id == citation_id) return &c;
  return nullptr;
}

namespace {

json citation_to_json(const Citation& c) {
  json cj{{"id", c.id}, {"text", c.text}};
  if (!c.doi.empty()) cj["doi"] = c.doi;
  if (!c.url.empty()) cj["url"] = c.url;
  return cj;
}

json scale_to_json(const Scale& s) {
  json sj{{"id", s.id}, {"label", s.label}, {"aggregation", s.aggregation == Aggregation::mean ? "mean" : "sum"}};
  if (s.derived()) {
    sj["scales"] = json::array();
    for (const auto& t : s.terms) sj["scales"].push_back({{"id", t.scale}, {"weight", t.weight}, {"reverse", t.reverse}});
  } else {
    sj["items"] = s.items;
    if (!s.reverse.empty()) sj["reverse"] = s.reverse;
  }
  sj["min_answered"] = s.min_answered;
  if (!s.min_answered_source.empty()) sj["min_answered_source"] = s.min_answered_source;
  if (s.reliability) {
    sj["reliability"] = {{"alpha", s.reliability->alpha}, {"verified", s.reliability->verified}};
    if (!s.reliability->citation.empty()) sj["reliability"]["citation"] = s.reliability->citation;
    if (!s.reliability->note.empty()) sj["reliability"]["note"] = s.reliability->note;
  }
  return sj;
}

json norms_to_json(const Norms& norms) {
  json nj;
  if (norms.published) {
    nj = {{"status", "published"}, {"citation", norms.citation}, {"verified", norms.verified}, {"scales", json::object()}};
    if (!norms.sample.empty()) nj["sample"] = norms.sample;
    for (const auto& [sid, n] : norms.scales) {
      json one{{"mean", n.mean}, {"sd", n.sd}};
      if (n.n > 0) one["n"] = n.n;
      nj["scales"][sid] = one;
    }
  } else {
    nj = {{"status", "none"}};
  }
  if (!norms.note.empty()) nj["note"] = norms.note;
  if (!norms.default_set.empty()) nj["default_set"] = norms.default_set;
  return nj;
}

json method_to_json(const ProfileMethod& m) {
  json mj;
  switch (m.type) {
    case ProfileMethodType::quadrant:
      mj = {{"type", "quadrant"}, {"anxiety", m.anxiety_scale}, {"avoidance", m.avoidance_scale}};
      if (m.center_anxiety) mj["center"] = {{"anxiety", *m.center_anxiety}, {"avoidance", *m.center_avoidance}};
      else mj["center"] = "norms";
      break;
    case ProfileMethodType::fisher:
      mj = {{"type", "fisher"}, {"anxiety", m.anxiety_scale}, {"avoidance", m.avoidance_scale}, {"functions", json::object()}};
      for (Category c : kCategories) {
        const auto& f = m.functions[static_cast<int>(c)];
        mj["functions"][to_string(c)] = {{"avoidance", f.avoidance}, {"anxiety", f.anxiety}, {"constant", f.constant}};
      }
      break;
    case ProfileMethodType::prototype:
      mj = {{"type", "prototype"}};
      for (Category c : kCategories) mj[to_string(c)] = m.prototype_scales[static_cast<int>(c)];
      break;
  }
  if (!m.citation.empty()) mj["citation"] = m.citation;
  return mj;
}

}  // namespace

std::string Instrument::to_json() const {
  json j;
  j["format"] = kFormat;
  j["id"] = id;
  j["version"] = version;
  j["name"] = name;
  j["short_name"] = short_name;
  j["citations"] = json::array();
  for (const auto& c : citations) j["citations"].push_back(citation_to_json(c));
  j["key_source"] = key_source;
  j["verified"] = {{"status", verified}};
  if (!verified_note.empty()) j["verified"]["note"] = verified_note;
  j["response_scale"] = {{"min", response_scale.min}, {"max", response_scale.max}, {"anchors", json::object()}};
  for (const auto& [v, label] : response_scale.anchors) j["response_scale"]["anchors"][std::to_string(v)] = label;
  j["items"] = json::array();
  for (const auto& it : items) j["items"].push_back({{"id", it.id}, {"position", it.position}, {"label", it.label}});
  j["scales"] = json::array();
  for (const auto& s : scales) j["scales"].push_back(scale_to_json(s));
  j["norms"] = norms_to_json(norms);
  if (methods.empty()) return j.dump(2);
  j["profile"] = {{"default", default_method}, {"methods", json::object()}};
  for (const auto& m : methods) j["profile"]["methods"][m.name] = method_to_json(m);
  return j.dump(2);
}

}  // namespace attune
