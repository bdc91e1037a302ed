// Reading and validating an instrument file, one function per section in the order the file lists
// them (the profile in instrument_profile_read.cpp). Validation is strict and local: each check
// names the JSON path it looked at, so a researcher editing a file can fix it without reading our
// code. Later sections may name earlier ones (a scale its items, norms their scales), so the order
// of the reads is part of which problem is reported first.
#include <attune/instrument.hpp>
#include <attune/limits.hpp>
#include <attune/output_columns.hpp>

#include "instrument_read.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace attune {

using detail::json;
using detail::JsonNode;

namespace {

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

std::vector<std::string> string_list(const JsonNode& n, const char* what) {
  n.require_array();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n.size(); ++i) out.push_back(checked_id(n.at(i), what));
  return out;
}

std::string known_citation(const JsonNode& n, const Instrument& ins) {
  std::string id = n.str();
  if (!ins.find_citation(id)) n.fail("unknown citation '" + id + "'", "the id of an entry in /citations");
  return id;
}

void read_identity(const JsonNode& root, Instrument& ins) {
  if (root.at("format").str() != detail::kInstrumentFormat) {
    root.at("format").fail("unsupported format", std::string("\"") + detail::kInstrumentFormat + "\"");
  }
  ins.id = checked_id(root.at("id"), "instrument");
  ins.version = root.at("version").nonempty_str();
  ins.name = root.at("name").nonempty_str();
  ins.short_name = root.at("short_name").nonempty_str();
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

void read_citations(const JsonNode& cits, Instrument& ins) {
  cits.require_array();
  if (cits.size() == 0) cits.fail("no citations", "at least one citation");
  for (std::size_t i = 0; i < cits.size(); ++i) {
    Citation c = parse_citation(cits.at(i));
    if (ins.find_citation(c.id)) cits.at(i).at("id").fail("duplicate citation id '" + c.id + "'", "unique citation ids");
    ins.citations.push_back(std::move(c));
  }
}

void read_verified(const JsonNode& ver, Instrument& ins) {
  ver.allow_only({"status"});
  ins.verified = ver.at("status").boolean();
  if (ver.has("note")) ins.verified_note = ver.at("note").str();
  if (!ins.verified && ins.verified_note.empty()) ver.fail("unverified key without a note", "a note saying why it could not be verified");
}

// std::stoi alone would take "2x" as 2; the whole key must be the number.
int anchor_value(const JsonNode& an, const std::string& key) {
  try {
    std::size_t used = 0;
    const int value = std::stoi(key, &used);
    if (used != key.size()) throw std::invalid_argument("trailing");
    return value;
  } catch (const std::exception&) {
    an.fail("anchor key '" + key + "' is not an integer", "integer keys within the response scale");
  }
}

void read_anchors(const JsonNode& a, ResponseScale& scale) {
  a.require_object();
  for (auto it = a.raw().begin(); it != a.raw().end(); ++it) {
    JsonNode an = a.child(it.key());
    const int value = anchor_value(an, it.key());
    if (value < scale.min || value > scale.max) an.fail("anchor outside the response scale", "a value from min to max");
    scale.anchors[value] = an.str();
  }
}

void read_response_scale(const JsonNode& rs, ResponseScale& scale) {
  rs.allow_only({"min", "max", "anchors"});
  scale.min = static_cast<int>(rs.at("min").integer(-1000, 1000));
  scale.max = static_cast<int>(rs.at("max").integer(-1000, 1000));
  if (scale.min >= scale.max) rs.at("max").fail("max is not above min", "max > min");
  if (rs.has("anchors")) read_anchors(rs.at("anchors"), scale);
}

Item parse_item(const JsonNode& it) {
  it.allow_only({"id", "position", "label"});
  Item item;
  item.id = checked_id(it.at("id"), "item");
  item.position = static_cast<int>(it.at("position").integer(1, static_cast<long>(kMaxItems)));
  item.label = it.at("label").nonempty_str();
  return item;
}

void check_new_item(const JsonNode& it, const Item& item, const Instrument& ins, std::set<int>& positions) {
  if (ins.find_item(item.id)) it.at("id").fail("duplicate item id '" + item.id + "'", "unique item ids");
  // Columns are matched to item ids ignoring case, so two ids that differ only in case would be a guess.
  for (const auto& other : ins.items) {
    if (folded(other.id) == folded(item.id)) it.at("id").fail("item ids '" + other.id + "' and '" + item.id + "' differ only in case", "item ids that differ in more than case");
  }
  if (!positions.insert(item.position).second) it.at("position").fail("duplicate position", "unique positions");
}

void read_items(const JsonNode& items, Instrument& ins) {
  items.require_array();
  if (items.size() == 0) items.fail("no items", "at least one item");
  if (items.size() > kMaxItems) items.fail("too many items", "at most " + std::to_string(kMaxItems));
  std::set<int> positions;
  for (std::size_t i = 0; i < items.size(); ++i) {
    JsonNode it = items.at(i);
    Item item = parse_item(it);
    check_new_item(it, item, ins, positions);
    ins.items.push_back(std::move(item));
  }
  if (*positions.rbegin() != static_cast<int>(ins.items.size())) {
    items.fail("positions are not 1.." + std::to_string(ins.items.size()), "positions numbered 1 to the number of items");
  }
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

Aggregation parse_aggregation(const JsonNode& n) {
  std::string agg = n.str();
  if (agg == "mean") return Aggregation::mean;
  if (agg == "sum") return Aggregation::sum;
  n.fail("unknown aggregation '" + agg + "'", "\"mean\" or \"sum\"");
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

void read_reverse(const JsonNode& rn, const std::set<std::string>& on_scale, Scale& s) {
  s.reverse = string_list(rn, "item");
  for (std::size_t k = 0; k < s.reverse.size(); ++k) {
    if (!on_scale.count(s.reverse[k])) rn.at(k).fail("reverse-keyed item '" + s.reverse[k] + "' is not on this scale", "a subset of this scale's items");
  }
}

// An item scale: its items (each an item of /items, at most once) and the reverse-keyed among them.
void read_scale_items(const JsonNode& sn, const Instrument& ins, Scale& s) {
  JsonNode in = sn.at("items");
  s.items = string_list(in, "item");
  if (s.items.empty()) in.fail("scale has no items", "at least one item id");
  std::set<std::string> uniq;
  for (std::size_t k = 0; k < s.items.size(); ++k) {
    if (!ins.find_item(s.items[k])) in.at(k).fail("unknown item '" + s.items[k] + "'", "the id of an entry in /items");
    if (!uniq.insert(s.items[k]).second) in.at(k).fail("item listed twice on one scale", "each item at most once per scale");
  }
  if (sn.has("reverse")) read_reverse(sn.at("reverse"), uniq, s);
}

ScaleTerm parse_term(const JsonNode& t, const Instrument& ins) {
  t.allow_only({"id", "weight", "reverse"});
  ScaleTerm term;
  term.scale = t.at("id").str();
  if (!ins.find_scale(term.scale)) t.at("id").fail("unknown scale '" + term.scale + "'", "the id of a scale listed earlier");
  if (t.has("weight")) term.weight = t.at("weight").number();
  if (t.has("reverse")) term.reverse = t.at("reverse").boolean();
  if (term.reverse && ins.find_scale(term.scale)->aggregation != Aggregation::mean) {
    t.at("reverse").fail("only a mean scale can be reversed", "a term naming a scale with aggregation \"mean\"");
  }
  return term;
}

// A derived scale: terms naming scales listed before it.
void read_scale_terms(const JsonNode& sn, const Instrument& ins, Scale& s) {
  if (sn.has("reverse")) sn.at("reverse").fail("'reverse' on a derived scale", "reverse: true inside a term of 'scales'");
  JsonNode tn = sn.at("scales");
  tn.require_array();
  if (tn.size() == 0) tn.fail("derived scale has no terms", "at least one scale");
  for (std::size_t k = 0; k < tn.size(); ++k) s.terms.push_back(parse_term(tn.at(k), ins));
}

Scale parse_scale(const JsonNode& sn, const Instrument& ins) {
  sn.allow_only({"id", "label", "aggregation", "items", "reverse", "scales", "min_answered", "min_answered_source", "reliability"});
  Scale s;
  s.id = checked_id(sn.at("id"), "scale");
  if (ins.find_scale(s.id)) sn.at("id").fail("duplicate scale id '" + s.id + "'", "unique scale ids");
  check_not_reserved(sn.at("id"), s.id, ins);
  s.label = sn.at("label").nonempty_str();
  s.aggregation = parse_aggregation(sn.at("aggregation"));
  const bool has_items = sn.has("items"), has_scales = sn.has("scales");
  if (has_items == has_scales) sn.fail("a scale needs exactly one of 'items' or 'scales'", "either 'items' (an item scale) or 'scales' (a derived scale)");
  if (has_items) read_scale_items(sn, ins, s);
  else read_scale_terms(sn, ins, s);
  const std::size_t members = has_items ? s.items.size() : s.terms.size();
  s.min_answered = static_cast<int>(sn.at("min_answered").integer(1, static_cast<long>(kMaxItems)));
  if (static_cast<std::size_t>(s.min_answered) > members) {
    sn.at("min_answered").fail("min_answered exceeds the number of items or terms", "at most " + std::to_string(members));
  }
  if (sn.has("min_answered_source")) s.min_answered_source = sn.at("min_answered_source").str();
  if (sn.has("reliability")) s.reliability = parse_reliability(sn.at("reliability"));
  return s;
}

// Items on no scale are allowed: some instruments (the RSQ) ask items that no published scale scores.
// They are still read and range-checked; `attune validate` lists them.
void read_scales(const JsonNode& scales, Instrument& ins) {
  scales.require_array();
  if (scales.size() == 0) scales.fail("no scales", "at least one scale");
  if (scales.size() > kMaxScales) scales.fail("too many scales", "at most " + std::to_string(kMaxScales));
  for (std::size_t i = 0; i < scales.size(); ++i) ins.scales.push_back(parse_scale(scales.at(i), ins));
}

Norm parse_norm(const JsonNode& one) {
  one.allow_only({"mean", "sd", "n"});
  Norm norm;
  norm.mean = one.at("mean").number();
  norm.sd = one.at("sd").number();
  if (!(norm.sd > 0)) one.at("sd").fail("sd must be positive", "sd > 0");
  if (one.has("n")) norm.n = one.at("n").integer(1, 1000000000L);
  return norm;
}

void read_published_norms(const JsonNode& nn, Instrument& ins) {
  ins.norms.published = true;
  ins.norms.citation = known_citation(nn.at("citation"), ins);
  if (nn.has("sample")) ins.norms.sample = nn.at("sample").str();
  if (nn.has("verified")) ins.norms.verified = nn.at("verified").boolean();
  JsonNode ns = nn.at("scales");
  ns.require_object();
  if (ns.size() == 0) ns.fail("published norms with no scales", "at least one scale's mean and sd");
  for (auto it = ns.raw().begin(); it != ns.raw().end(); ++it) {
    JsonNode one = ns.child(it.key());
    if (!ins.find_scale(it.key())) one.fail("norms for unknown scale '" + it.key() + "'", "a scale id");
    ins.norms.scales[it.key()] = parse_norm(one);
  }
}

void read_norms(const JsonNode& nn, Instrument& ins) {
  nn.allow_only({"status", "sample", "n", "citation", "verified", "scales", "default_set"});
  std::string status = nn.at("status").str();
  if (status == "published") {
    read_published_norms(nn, ins);
  } else if (status == "none") {
    if (!nn.has("note")) nn.fail("norms marked none without a note", "a note saying that none are published (or why none are used)");
    if (nn.has("scales")) nn.at("scales").fail("norm values with status none", "no scales when status is \"none\"");
  } else {
    nn.at("status").fail("unknown norms status '" + status + "'", "\"published\" or \"none\"");
  }
  if (nn.has("note")) ins.norms.note = nn.at("note").str();
  if (nn.has("default_set")) ins.norms.default_set = checked_id(nn.at("default_set"), "norm set");
  if (nn.has("n") && ins.norms.published) (void)nn.at("n").integer(1, 1000000000L);
}

}  // namespace

Instrument Instrument::from_json_text(const std::string& text, const std::string& source_name) {
  const json doc = detail::parse_json(text, source_name, ErrorKind::instrument);
  JsonNode root(doc, "", source_name, ErrorKind::instrument);
  root.allow_only({"format", "id", "version", "name", "short_name", "citations", "key_source", "verified",
                   "response_scale", "items", "scales", "norms", "profile", "description"});
  Instrument ins;
  ins.source = source_name;
  read_identity(root, ins);
  read_citations(root.at("citations"), ins);
  ins.key_source = known_citation(root.at("key_source"), ins);
  read_verified(root.at("verified"), ins);
  read_response_scale(root.at("response_scale"), ins.response_scale);
  read_items(root.at("items"), ins);
  read_scales(root.at("scales"), ins);
  read_norms(root.at("norms"), ins);
  // No profile: a questionnaire that is not about attachment (psych's bfi) gets scales only.
  if (root.has("profile")) detail::read_profile(root.at("profile"), ins);
  return ins;
}

Instrument Instrument::from_file(const std::string& path) {
  return from_json_text(read_document(path, "instrument file"), path);
}

}  // namespace attune
