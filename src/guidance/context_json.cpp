// A plan's context from JSON (the C ABI's context_json): strict, so a misspelt key or value does not
// silently give a plan for a different situation; parsed with the shared guard (depth, duplicate keys).
#include <attune/error.hpp>
#include <attune/guidance.hpp>

#include "../json_walk.hpp"

namespace attune {

namespace {

constexpr const char* kShape = "{\"stage\": ..., \"parent\": ..., \"partnered\": ..., \"start\": ...}";

void context_member(Context& c, const std::string& key, const detail::JsonNode& v) {
  const detail::json& raw = v.raw();
  if (key == "stage") {
    static const char* const stages[] = {"single", "dating", "long_term", "parenting", "separating"};
    bool ok = raw.is_string();
    if (ok) {
      ok = false;
      for (const char* st : stages) ok = ok || raw.get<std::string>() == st;
    }
    if (!ok) v.fail("unknown stage", "one of: single, dating, long_term, parenting, separating");
    c.stage = raw.get<std::string>();
  } else if (key == "parent" || key == "partnered") {
    if (raw.is_null()) return;
    if (!raw.is_boolean()) v.fail(key + " is not a boolean", "true or false");
    (key == "parent" ? c.parent : c.partnered) = raw.get<bool>();
  } else if (key == "start") {
    if (raw.is_null()) return;
    if (!raw.is_string()) v.fail("start is not a date string", "YYYY-MM-DD");
    c.start = Date::parse(raw.get<std::string>());
  } else {
    v.fail("unknown context key '" + key + "'", "stage, parent, partnered or start");
  }
}

}  // namespace

Context context_from_json(const std::string& text, const std::string& source) {
  Context c;
  if (text.empty()) return c;
  const detail::json doc = detail::parse_json(text, source, ErrorKind::usage);
  const detail::JsonNode root(doc, "", source, ErrorKind::usage);
  if (!doc.is_object()) root.fail("context is not a JSON object", kShape);
  for (auto it = doc.begin(); it != doc.end(); ++it) context_member(c, it.key(), root.child(it.key()));
  return c;
}

}  // namespace attune
