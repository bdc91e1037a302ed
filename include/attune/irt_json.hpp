#pragma once
// One person at a time over a calibration, JSON in and JSON out, for the C ABI, Python and
// WebAssembly: theta and SE per scale (issue 20 §3) and the adaptive step (attune/cat.hpp), each
// with the tables built once when the bank is made.
#include <attune/cat.hpp>
#include <attune/export.hpp>
#include <attune/irt.hpp>

#include <memory>
#include <string>

namespace attune::irt {

class ATTUNE_API Bank {
 public:
  explicit Bank(Calibration calibration);
  ~Bank();
  Bank(Bank&&) noexcept;
  Bank& operator=(Bank&&) noexcept;

  const Calibration& calibration() const;
  const CatEngine& cat() const;
  // answers: {"q1": 4, "q2": null, ...} by the calibration's item ids (absent or null = not
  // answered; raw values on the calibration's response scale); method "eap" (default) or "map".
  // Reply: {"scales": {"<id>": {"theta": t, "se": s, "answered": n}, ...}, "method": "eap"}.
  std::string theta_json(const std::string& answers, const std::string& method = "eap") const;
  // The adaptive step: request and reply as cat_step_json (attune/cat.hpp).
  std::string cat_step_json(const std::string& request) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace attune::irt
