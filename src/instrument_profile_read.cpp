// The profile section of an instrument file: each method's type and fields, the scales and
// citation it names, and the default method.
#include "instrument_read.hpp"

#include <set>

namespace attune::detail {

namespace {

Category parse_category(const JsonNode& n, const std::string& key) {
  for (Category c : kCategories) {
    if (key == to_string(c)) return c;
  }
  n.fail("unknown category '" + key + "'", "one of secure, anxious, avoidant, fearful");
}

void read_quadrant(const JsonNode& n, ProfileMethod& m) {
  n.allow_only({"type", "anxiety", "avoidance", "center", "citation"});
  m.type = ProfileMethodType::quadrant;
  m.anxiety_scale = n.at("anxiety").str();
  m.avoidance_scale = n.at("avoidance").str();
  if (!n.has("center")) return;
  JsonNode c = n.at("center");
  if (c.raw().is_string()) {
    if (c.str() != "norms") c.fail("unknown center '" + c.str() + "'", "\"norms\" or {\"anxiety\": x, \"avoidance\": y}");
  } else {
    c.allow_only({"anxiety", "avoidance"});
    m.center_anxiety = c.at("anxiety").number();
    m.center_avoidance = c.at("avoidance").number();
  }
}

void read_fisher(const JsonNode& n, ProfileMethod& m) {
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
}

void read_prototype(const JsonNode& n, ProfileMethod& m) {
  n.allow_only({"type", "secure", "anxious", "avoidant", "fearful", "citation"});
  m.type = ProfileMethodType::prototype;
  for (Category c : kCategories) m.prototype_scales[static_cast<int>(c)] = n.at(to_string(c)).str();
}

ProfileMethod parse_method(const JsonNode& n, const std::string& name) {
  ProfileMethod m;
  m.name = name;
  std::string type = n.at("type").str();
  if (type == "quadrant") read_quadrant(n, m);
  else if (type == "fisher") read_fisher(n, m);
  else if (type == "prototype") read_prototype(n, m);
  else n.at("type").fail("unknown profile method type '" + type + "'", "quadrant, fisher or prototype");
  if (n.has("citation")) m.citation = n.at("citation").str();
  return m;
}

// The scales and citation a method names must be in the file: checked here, not when scoring.
void check_method_names(const JsonNode& mn, const ProfileMethod& m, const Instrument& ins) {
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
}

}  // namespace

void read_profile(const JsonNode& pn, Instrument& ins) {
  pn.allow_only({"default", "methods"});
  JsonNode ms = pn.at("methods");
  ms.require_object();
  if (ms.size() == 0) ms.fail("no profile methods", "at least one method");
  for (auto it = ms.raw().begin(); it != ms.raw().end(); ++it) {
    JsonNode mn = ms.child(it.key());
    ProfileMethod m = parse_method(mn, it.key());
    check_method_names(mn, m, ins);
    ins.methods.push_back(std::move(m));
  }
  ins.default_method = pn.at("default").str();
  if (!ins.find_method(ins.default_method)) pn.at("default").fail("unknown default method '" + ins.default_method + "'", "the name of an entry in /profile/methods");
}

}  // namespace attune::detail
