// Reading back a saved result (the JSON that `attune score --json` and to_json(plan, result) write),
// so a plan can be made later from the scores alone. Only what recommend() needs is required.
#include "../json_walk.hpp"

#include <attune/guidance.hpp>

namespace attune {

namespace {

double opt_num(const detail::JsonNode& n, const char* key) {
  if (!n.has(key) || n.raw().at(key).is_null()) return kMissing;
  return n.at(key).number();
}

}  // namespace

Result result_from_json(const std::string& text, const std::string& source_name) {
  using detail::JsonNode;
  detail::json doc = detail::parse_json(text, source_name, ErrorKind::data);
  JsonNode root(doc, "", source_name, ErrorKind::data);
  root.require_object();
  Result r;
  r.instrument_id = root.at("instrument").at("id").nonempty_str();
  if (root.at("instrument").has("version")) r.instrument_version = root.at("instrument").at("version").str();
  JsonNode scales = root.at("scales");
  scales.require_array();
  for (std::size_t i = 0; i < scales.size(); ++i) {
    JsonNode s = scales.at(i);
    ScaleScore sc;
    sc.id = s.at("id").nonempty_str();
    if (s.has("label")) sc.label = s.at("label").str();
    sc.raw = opt_num(s, "raw");
    sc.z = opt_num(s, "z");
    sc.percentile = opt_num(s, "percentile");
    sc.sem = opt_num(s, "sem");
    if (s.has("answered")) sc.answered = static_cast<int>(s.at("answered").integer(0, 1000000));
    if (s.has("members")) sc.members = static_cast<int>(s.at("members").integer(0, 1000000));
    r.scales.push_back(std::move(sc));
  }
  JsonNode p = root.at("profile");
  Profile& pr = r.profile;
  pr.method = p.at("method").str();
  pr.type = p.has("posterior") ? ProfileMethodType::fisher : p.has("plane") ? ProfileMethodType::quadrant : ProfileMethodType::prototype;
  JsonNode dims = p.at("dimensions");
  for (Category c : kCategories) pr.dimensions[static_cast<std::size_t>(c)] = opt_num(dims, to_string(c));
  if (p.has("plane")) {
    pr.anxiety = opt_num(p.at("plane"), "anxiety");
    pr.avoidance = opt_num(p.at("plane"), "avoidance");
  }
  pr.confidence = opt_num(p, "confidence");
  if (p.has("confidence_basis")) pr.confidence_basis = p.at("confidence_basis").str();
  if (p.has("category") && !p.raw().at("category").is_null()) {
    std::string cat = p.at("category").str();
    std::size_t start = 0;
    while (start <= cat.size()) {
      std::size_t end = cat.find('|', start);
      if (end == std::string::npos) end = cat.size();
      std::string name = cat.substr(start, end - start);
      bool ok = false;
      for (Category c : kCategories) {
        if (name == to_string(c)) { pr.categories.push_back(c); ok = true; }
      }
      if (!ok) p.at("category").fail("unknown category '" + name + "'", "secure, anxious, avoidant, fearful, or a tie joined by '|'");
      start = end + 1;
    }
  }
  return r;
}

}  // namespace attune
