// An instrument once read: lookups and its JSON form (attune instruments show --json). Reading and
// validating a file is in instrument_read.cpp.
#include <attune/instrument.hpp>

#include "instrument_read.hpp"

#include <algorithm>

namespace attune {

using detail::json;

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
  j["format"] = detail::kInstrumentFormat;
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
