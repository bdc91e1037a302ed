// Reading a saved result for a comparison: result_from_json() for the scores, plus what it leaves out
// (the date it was taken, the response scale, IRT theta and SE), from the same document.
#include "../json_walk.hpp"

#include <attune/retake.hpp>

namespace attune {

namespace {

void read_theta(const detail::JsonNode& irt, SavedResult& s) {
  irt.require_object();
  if (irt.has("calibration")) s.irt_calibration = irt.at("calibration").str();
  for (const auto& sc : s.result.scales) {
    const std::string t = sc.id + "_theta", se = t + "_se";
    if (!irt.has(t.c_str()) || !irt.has(se.c_str())) continue;
    s.theta[sc.id] = {irt.at(t.c_str()).number(), irt.at(se.c_str()).number()};
  }
}

}  // namespace

SavedResult read_saved_result(const std::string& text, const std::string& source_name) {
  using detail::JsonNode;
  detail::json doc = detail::parse_json(text, source_name, ErrorKind::data);
  SavedResult s;
  s.source = source_name;
  // `take --format json` wraps the result: {"result": ..., "plan": ..., "taken": ...}.
  const bool wrapped = doc.is_object() && doc.contains("result") && !doc.contains("scales");
  JsonNode outer(doc, "", source_name, ErrorKind::data);
  outer.require_object();
  JsonNode root = wrapped ? outer.at("result") : outer;
  s.result = result_from_json(root.raw().dump(), source_name);
  for (const JsonNode* n : {&outer, &root}) {
    if (n->has("taken")) {
      s.taken = n->at("taken").str();
      try {
        Date::parse(s.taken);
      } catch (const Error&) {
        n->at("taken").fail("not a calendar date", "YYYY-MM-DD, e.g. 2026-03-01");
      }
    }
  }
  JsonNode rs = root.at("response_scale");
  s.scale_min = static_cast<int>(rs.at("min").integer(-1000000, 1000000));
  s.scale_max = static_cast<int>(rs.at("max").integer(-1000000, 1000000));
  if (root.has("profile") && root.at("profile").has("standardization")) s.standardization = root.at("profile").at("standardization").str();
  if (root.has("irt")) read_theta(root.at("irt"), s);
  return s;
}

}  // namespace attune
