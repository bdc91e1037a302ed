// libFuzzer target: one person's JSON answers (attune::responses_from_json, which has a flat-object
// fast path and a full parser for errors) on the ECR-R plan, then scoring and the result's JSON.
#include "fuzz_common.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const attune::ScoringPlan plan = [] {
    attune_fuzz::use_source_instruments();
    return attune::ScoringPlan::compile(attune::load_instrument("ecr-r"));
  }();
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    attune::Responses r = attune::responses_from_json(plan, text, "fuzz.json");
    attune::Result res = attune::score(plan, r);
    // The result JSON must always parse, whatever the answers were.
    if (!nlohmann::json::accept(attune::to_json(plan, res, 0))) attune_fuzz::fail("result JSON does not parse");
  } catch (const attune::Error& e) {
    attune_fuzz::check_message(e);
    // expected: not JSON, not an object, unknown item, bad value
  }
  return 0;
}
