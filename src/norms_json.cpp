// Norms given as JSON (a norms file, the C ABI): parsed with the shared guard (depth, duplicate keys)
// and checked strictly, so a misspelt key or an impossible alpha is an error instead of a silent default.
#include <attune/error.hpp>
#include <attune/scoring_plan.hpp>

#include "json_walk.hpp"

namespace attune {

namespace {

constexpr const char* kShape = "{\"scale\": {\"mean\": m, \"sd\": s, \"n\": k, \"alpha\": a}} (n and alpha optional)";

Norm norm_entry(const detail::JsonNode& e) {
  e.require_object();
  e.allow_only({"mean", "sd", "n", "alpha"});
  Norm n;
  n.mean = e.at("mean").number();
  n.sd = e.at("sd").number();
  if (e.has("n")) n.n = static_cast<long>(e.at("n").integer(0, 2000000000));
  if (e.has("alpha")) {
    const detail::JsonNode a = e.at("alpha");
    n.alpha = a.number();
    // 0 would read as "no alpha" further on; a reliability of 0 or 1 gives no usable SEM either.
    if (!(n.alpha > 0 && n.alpha < 1)) a.fail("alpha outside (0, 1)", "a reliability strictly between 0 and 1");
  }
  return n;
}

}  // namespace

std::map<std::string, Norm> norms_from_json(const std::string& text, const std::string& source) {
  const detail::json doc = detail::parse_json(text, source, ErrorKind::usage);
  const detail::JsonNode root(doc, "", source, ErrorKind::usage);
  if (!doc.is_object()) root.fail("norms are not a JSON object", kShape);
  std::map<std::string, Norm> out;
  for (auto it = doc.begin(); it != doc.end(); ++it) out[it.key()] = norm_entry(root.child(it.key()));
  return out;
}

}  // namespace attune
