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

// The "norms" member that score --json and take write: which set and cell, and per scale the cell's
// SD and alpha (absent for results scored before the set carried alphas, or converted ones).
void read_norms(const detail::JsonNode& norms, SavedResult& s) {
  norms.require_object();
  s.norm_set = norms.at("set").nonempty_str();
  if (norms.has("name")) s.norm_name = norms.at("name").str();
  const detail::JsonNode cell = norms.at("cell");
  s.norm_cell = cell.at("label").str() + ", N = " + std::to_string(cell.at("n").integer(1, 4000000000L));
  if (cell.has("id")) s.norm_cell_id = cell.at("id").str();
  const detail::JsonNode scales = norms.at("scales");
  for (const auto& sc : s.result.scales) {
    if (!scales.has(sc.id.c_str())) continue;
    const detail::JsonNode one = scales.at(sc.id.c_str());
    if (!one.has("norm_sd") || !one.has("norm_alpha")) continue;
    const double sd = one.at("norm_sd").number(), alpha = one.at("norm_alpha").number();
    if (!(sd > 0)) one.at("norm_sd").fail("a norm SD must be positive", "a number above 0");
    if (!(alpha >= 0 && alpha < 1)) one.at("norm_alpha").fail("alpha must be from 0 to below 1", "a number in [0, 1)");
    s.norm_error[sc.id] = {sd, alpha};
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
  if (root.has("norms")) read_norms(root.at("norms"), s);
  return s;
}

}  // namespace attune
