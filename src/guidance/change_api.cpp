// One-call forms of compare and couple for the bindings (C ABI, Python, WebAssembly): saved results
// and options as JSON text in, the same JSON as `attune compare --format json` / `attune couple
// --format json` out. The options reader is strict, like the plan's context reader.
#include "../json_walk.hpp"

#include <attune/couple.hpp>
#include <attune/retake.hpp>

#include <array>
#include <string>

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

namespace {

// The options, and the norm set a comparison was asked to use: the sets themselves are loaded once the
// two results say which they name.
struct ReadOptions {
  CompareOptions options;
  std::string norm_set;
  bool convert_linear = false;
};

ReadOptions read_options(const std::string& text, const std::string& source, std::array<std::string, 2>* names) {
  ReadOptions r;
  CompareOptions& o = r.options;
  if (text.empty()) return r;
  detail::json doc = detail::parse_json(text, source, ErrorKind::usage);
  detail::JsonNode root(doc, "", source, ErrorKind::usage);
  if (names) root.allow_only({"sd", "reliability", "names"});
  else root.allow_only({"sd", "reliability", "before_date", "after_date", "norm_set", "convert_response_scale"});
  if (root.has("sd")) read_per_scale(root.at("sd"), o.supplied, true);
  if (root.has("reliability")) read_per_scale(root.at("reliability"), o.supplied, false);
  check_pairs(root, o.supplied);
  if (root.has("before_date")) o.before_date = root.at("before_date").str();
  if (root.has("after_date")) o.after_date = root.at("after_date").str();
  if (root.has("norm_set")) r.norm_set = root.at("norm_set").nonempty_str();
  if (root.has("convert_response_scale")) {
    detail::JsonNode c = root.at("convert_response_scale");
    if (c.str() != "linear") c.fail("the only conversion is \"linear\"", "\"linear\"");
    r.convert_linear = true;
  }
  if (names && root.has("names")) {
    detail::JsonNode n = root.at("names");
    n.require_array();
    if (n.size() != 2) n.fail("two names are needed", "[\"Sam\", \"Alex\"]");
    (*names)[0] = n.at(std::size_t{0}).nonempty_str();
    (*names)[1] = n.at(std::size_t{1}).nonempty_str();
  }
  return r;
}

}  // namespace

CompareOptions compare_options_from_json(const std::string& text, const std::string& source, std::array<std::string, 2>* names) {
  ReadOptions r = read_options(text, source, names);
  // No results here to name sets: only the one asked for (compare_json adds the results' own).
  r.options.norms = load_change_norms({}, r.norm_set, r.convert_linear, "");
  return r.options;
}

std::string compare_json(const std::string& before_json, const std::string& after_json, const std::string& options_json,
                         const Guidance& g, int indent) {
  ReadOptions r = read_options(options_json, "<options>", nullptr);
  const SavedResult before = read_saved_result(before_json, "<before>"), after = read_saved_result(after_json, "<after>");
  // The sets the results name, as `attune compare` loads them.
  r.options.norms = load_change_norms({before.norm_set, after.norm_set}, r.norm_set, r.convert_linear, before.result.instrument_id);
  return to_json(compare_results(before, after, r.options), g, indent);
}

std::string couple_json(const std::string& a_json, const std::string& b_json, const std::string& options_json, const Guidance& g,
                        int indent) {
  std::array<std::string, 2> names;
  ReadOptions r = read_options(options_json, "<options>", &names);
  const SavedResult a = read_saved_result(a_json, "<a>"), b = read_saved_result(b_json, "<b>");
  r.options.norms = load_change_norms({a.norm_set, b.norm_set}, "", false, a.result.instrument_id);  // as `attune couple` does
  return to_json(couple_view(a, b, names, r.options, g), g, indent);
}

}  // namespace attune
