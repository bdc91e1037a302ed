// One-call forms of compare and couple for the bindings (C ABI, Python, WebAssembly): saved results
// and options as JSON text in, the same JSON as `attune compare --format json` / `attune couple
// --format json` out. The options reader is strict, like the plan's context reader.
#include "../json_walk.hpp"

#include <attune/couple.hpp>
#include <attune/retake.hpp>

namespace attune {

namespace {

// {"anxiety": 1.1, ...} into `field` of each scale's SuppliedError.
void read_per_scale(const detail::JsonNode& n, std::map<std::string, SuppliedError>& out, bool sd) {
  n.require_object();
  for (auto it = n.raw().begin(); it != n.raw().end(); ++it) {
    const double x = n.child(it.key()).number();
    (sd ? out[it.key()].sd : out[it.key()].reliability) = x;
  }
}

void check_pairs(const detail::JsonNode& root, const std::map<std::string, SuppliedError>& s) {
  for (const auto& [scale, e] : s) {
    if (!(e.sd > 0) || !(e.reliability >= 0 && e.reliability < 1) || e.reliability == 0) {
      root.fail("scale '" + scale + "' needs both an \"sd\" above 0 and a \"reliability\" above 0 and below 1",
                "{\"sd\": {\"" + scale + "\": 1.1}, \"reliability\": {\"" + scale + "\": 0.9}}");
    }
  }
}

}  // namespace

CompareOptions compare_options_from_json(const std::string& text, const std::string& source, std::array<std::string, 2>* names) {
  CompareOptions o;
  if (text.empty()) return o;
  detail::json doc = detail::parse_json(text, source, ErrorKind::usage);
  detail::JsonNode root(doc, "", source, ErrorKind::usage);
  if (names) root.allow_only({"sd", "reliability", "names"});
  else root.allow_only({"sd", "reliability", "before_date", "after_date"});
  if (root.has("sd")) read_per_scale(root.at("sd"), o.supplied, true);
  if (root.has("reliability")) read_per_scale(root.at("reliability"), o.supplied, false);
  check_pairs(root, o.supplied);
  if (root.has("before_date")) o.before_date = root.at("before_date").str();
  if (root.has("after_date")) o.after_date = root.at("after_date").str();
  if (names && root.has("names")) {
    detail::JsonNode n = root.at("names");
    n.require_array();
    if (n.size() != 2) n.fail("two names are needed", "[\"Sam\", \"Alex\"]");
    (*names)[0] = n.at(std::size_t{0}).nonempty_str();
    (*names)[1] = n.at(std::size_t{1}).nonempty_str();
  }
  return o;
}

std::string compare_json(const std::string& before_json, const std::string& after_json, const std::string& options_json,
                         const Guidance& g, int indent) {
  const CompareOptions o = compare_options_from_json(options_json, "<options>");
  const Comparison c = compare_results(read_saved_result(before_json, "<before>"), read_saved_result(after_json, "<after>"), o);
  return to_json(c, g, indent);
}

std::string couple_json(const std::string& a_json, const std::string& b_json, const std::string& options_json, const Guidance& g,
                        int indent) {
  std::array<std::string, 2> names;
  const CompareOptions o = compare_options_from_json(options_json, "<options>", &names);
  return to_json(couple_view(read_saved_result(a_json, "<a>"), read_saved_result(b_json, "<b>"), names, o, g), g, indent);
}

}  // namespace attune
