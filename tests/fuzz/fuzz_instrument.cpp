// libFuzzer target: the instrument loader (attune::Instrument::from_json_text) and, for a file it
// accepts, compiling the scoring plan and scoring one all-missing and one all-minimum person, which
// must not fail with anything but attune::Error.
#include "fuzz_common.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    attune::Instrument ins = attune::Instrument::from_json_text(text, "fuzz.json");
    (void)ins.to_json();
    attune::ScoringPlan plan = attune::ScoringPlan::compile(ins);
    attune::Responses r(plan);
    (void)attune::score(plan, r);
    for (std::size_t p = 1; p <= plan.item_count(); ++p) r.set_position(static_cast<int>(p), ins.response_scale.min);
    (void)attune::score(plan, r);
  } catch (const attune::Error& e) {
    attune_fuzz::check_message(e);
    // expected: a malformed or inconsistent instrument
  }
  return 0;
}
