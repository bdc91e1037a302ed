// The CAT step as JSON in and JSON out, for the C ABI, WebAssembly and anything else that speaks
// text: the same step as CatEngine::step, with items named by id (contract in attune/cat.hpp).
#include <attune/cat.hpp>
#include <attune/error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace attune::irt {

namespace {

using json = nlohmann::json;

[[noreturn]] void bad_request(const std::string& what, const std::string& path, const std::string& expected) {
  Location where;
  where.json_path = path;
  throw DataError("the adaptive step's request " + what, where, expected);
}

int int_rule(const json& r, const char* key, int fallback) {
  if (!r.contains(key)) return fallback;
  const json& v = r[key];
  if (!v.is_number_integer()) bad_request("has a rule that is not a whole number", std::string("$.rules.") + key, "a whole number");
  const long long x = v.get<long long>();
  if (x < -1000000 || x > 1000000) bad_request("has a rule out of range", std::string("$.rules.") + key, "a smaller number");
  return static_cast<int>(x);
}

double number_rule(const json& r, const char* key, double fallback) {
  if (!r.contains(key)) return fallback;
  const json& v = r[key];
  if (!v.is_number()) bad_request("has a rule that is not a number", std::string("$.rules.") + key, "a number");
  return v.get<double>();
}

CatRules rules_from(const json& r) {
  CatRules rules = CatRules::promis();
  if (r.is_null() || (r.is_string() && r.get<std::string>() == "promis")) return rules;
  if (!r.is_object()) bad_request("has rules that are neither an object nor \"promis\"", "$.rules", "an object or \"promis\"");
  static const char* known[] = {"se_target", "min_items", "max_items", "max_total", "min_se_change", "randomesque", "seed"};
  for (auto it = r.begin(); it != r.end(); ++it) {
    bool ok = false;
    for (const char* k : known) ok = ok || it.key() == k;
    if (!ok) bad_request("has an unknown rule '" + it.key() + "'", "$.rules", "se_target, min_items, max_items, max_total, min_se_change, randomesque, seed");
  }
  rules.se_target = number_rule(r, "se_target", rules.se_target);
  rules.min_items = int_rule(r, "min_items", rules.min_items);
  rules.max_items = int_rule(r, "max_items", rules.max_items);
  rules.max_total = int_rule(r, "max_total", rules.max_total);
  rules.min_se_change = number_rule(r, "min_se_change", rules.min_se_change);
  rules.randomesque = int_rule(r, "randomesque", rules.randomesque);
  if (r.contains("seed")) {
    if (!r["seed"].is_number_unsigned()) bad_request("has a seed that is not a whole number from 0", "$.rules.seed", "0 to 2^64 - 1");
    rules.seed = r["seed"].get<std::uint64_t>();
  }
  validate(rules);
  return rules;
}

CatAnswer answer_from(const CatEngine& engine, const json& a, std::size_t i) {
  const std::string path = "$.answers[" + std::to_string(i) + "]";
  const json* id = nullptr;
  const json* value = nullptr;
  if (a.is_array() && a.size() == 2) {
    id = &a[0];
    value = &a[1];
  } else if (a.is_object() && a.contains("item") && a.contains("response")) {
    id = &a["item"];
    value = &a["response"];
  } else {
    bad_request("has an answer in an unknown form", path, "[\"item id\", response] or {\"item\": id, \"response\": r}");
  }
  if (!id->is_string()) bad_request("has an item that is not an id", path, "an item id of the calibration");
  CatAnswer out;
  out.item = engine.item_index(id->get<std::string>());
  if (out.item < 0) {
    Location where;
    where.item = id->get<std::string>();
    where.json_path = path;
    throw UsageError("the adaptive step was given an item that is not in the item bank", where, "an item id of the calibration");
  }
  if (value->is_null()) {
    out.response = std::numeric_limits<double>::quiet_NaN();
  } else if (value->is_number()) {
    out.response = value->get<double>();
  } else {
    bad_request("has a response that is neither a number nor null", path, "a number, or null for a skipped item");
  }
  return out;
}


}  // namespace

CatRules cat_rules_from_json(const std::string& rules_json) {
  json r;
  try {
    r = json::parse(rules_json);
  } catch (const json::exception&) {
    bad_request("rules are not valid JSON", "$.rules", "a JSON object or \"promis\"");
  }
  return rules_from(r);
}

namespace {

// nlohmann's own number text (shortest round trip), so the reply reads as json::dump() would write it.
void append_number(std::string& out, double x) { out += json(x).dump(); }

// The reply, written directly: the same keys in the same (sorted) order as a json object's dump,
// without building the tree (a third of a step's time in WebAssembly went to building and freeing it).
std::string reply_text(const CatEngine& engine, const CatResult& r) {
  std::vector<std::size_t> order(r.dimensions.size());
  for (std::size_t d = 0; d < order.size(); ++d) order[d] = d;
  std::sort(order.begin(), order.end(), [&engine](std::size_t x, std::size_t y) { return engine.dimension_id(x) < engine.dimension_id(y); });
  auto text_or_null = [](bool present, const std::string& s) { return present ? json(s).dump() : std::string("null"); };
  std::string out = "{\"asked\":" + std::to_string(r.asked);
  out += ",\"next_item\":" + text_or_null(r.next_item >= 0, r.next_item >= 0 ? engine.item_id(static_cast<std::size_t>(r.next_item)) : "");
  out += ",\"next_scale\":" +
         text_or_null(r.next_dimension >= 0, r.next_dimension >= 0 ? engine.dimension_id(static_cast<std::size_t>(r.next_dimension)) : "");
  out += ",\"reason\":" + text_or_null(r.stop, to_string(r.reason));
  out += ",\"scales\":{";
  for (std::size_t k = 0; k < order.size(); ++k) {
    const CatDimension& dim = r.dimensions[order[k]];
    out += (k ? ",": "") + json(engine.dimension_id(order[k])).dump() + ":{\"answered\":" + std::to_string(dim.answered) +
           ",\"asked\":" + std::to_string(dim.asked) + ",\"se\":";
    append_number(out, dim.se);
    out += ",\"stopped\":" + text_or_null(dim.stopped != CatStop::none, to_string(dim.stopped)) + ",\"theta\":";
    append_number(out, dim.theta);
    out += "}";
  }
  return out + "},\"stop\":" + (r.stop ? "true" : "false") + "}";
}

}  // namespace

std::string cat_step_json(const CatEngine& engine, const std::string& request) {
  json doc;
  try {
    doc = json::parse(request);
  } catch (const json::exception&) {
    bad_request("is not valid JSON", "$", "a JSON object with answers and rules");
  }
  if (!doc.is_object()) bad_request("is not a JSON object", "$", "{\"answers\": [...], \"rules\": ...}");
  static const json none_given = json::array();
  auto found = doc.find("answers");
  const json& list = found != doc.end() ? *found : none_given;
  if (!list.is_array()) bad_request("has answers that are not a list", "$.answers", "a list of answers");
  if (list.size() > engine.item_count()) bad_request("has more answers than the bank has items", "$.answers", "each item at most once");
  static const json no_rules = nullptr;
  auto rules_at = doc.find("rules");
  const CatRules rules = rules_from(rules_at != doc.end() ? *rules_at : no_rules);
  std::vector<CatAnswer> answers;
  answers.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) answers.push_back(answer_from(engine, list[i], i));
  CatResult r;
  engine.step(answers.data(), answers.size(), rules, r);
  return reply_text(engine, r);
}

}  // namespace attune::irt
