// libFuzzer target: the adaptive step's JSON request (irt::cat_step_json: answers, rules) and one
// person's theta answers (irt::Bank::theta_json) on the shipped ECR calibration. Any reply must be
// JSON that parses; a bad request must be an attune::Error with a printable message.
#include "fuzz_common.hpp"

#include <attune/irt_json.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const attune::irt::Bank bank(
      attune::irt::Calibration::from_file(std::string(ATTUNE_FUZZ_INSTRUMENTS) + "/calibrations/ecr-openpsychometrics-1to5.json"));
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    if (!nlohmann::json::accept(bank.cat_step_json(text))) attune_fuzz::fail("CAT step reply does not parse");
  } catch (const attune::Error& e) {
    attune_fuzz::check_message(e);
  }
  try {
    if (!nlohmann::json::accept(bank.theta_json(text, "eap"))) attune_fuzz::fail("theta reply does not parse");
  } catch (const attune::Error& e) {
    attune_fuzz::check_message(e);
  }
  return 0;
}
