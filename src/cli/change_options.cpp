// --sd SCALE=SD and --reliability SCALE=R, shared by `attune compare` and `attune couple`.
#include "change_options.hpp"

#include <attune/error.hpp>

#include <tuple>

namespace attune::cli {

namespace {

double change_number(const std::string& s, const std::string& option, const std::string& expected) {
  std::size_t used = 0;
  double x = 0;
  try {
    x = std::stod(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != s.size() || s.empty()) {
    Location where;
    where.value = s;
    throw UsageError(option + " needs a number", where, expected);
  }
  return x;
}

}  // namespace

// --sd SCALE=X and --reliability SCALE=R, paired by scale; --sd baseline (long files only) is kept aside.
std::map<std::string, SuppliedError> supplied_errors(const std::vector<std::string>& sd_args, const std::vector<std::string>& rel_args,
                                                     bool* baseline) {
  bool sd_baseline = false;
  std::map<std::string, double> sd, rel;
  for (const auto& [list, into, name] : {std::make_tuple(&sd_args, &sd, "--sd"), std::make_tuple(&rel_args, &rel, "--reliability")}) {
    for (const std::string& v : *list) {
      if (v == "baseline" && into == &sd && baseline) { sd_baseline = true; continue; }
      const std::size_t eq = v.find('=');
      if (eq == std::string::npos || eq == 0) {
        Location where;
        where.value = v;
        throw UsageError(std::string(name) + " takes SCALE=VALUE", where, "e.g. anxiety=1.1");
      }
      (*into)[v.substr(0, eq)] = change_number(v.substr(eq + 1), name, "a number after '='");
    }
  }
  std::map<std::string, SuppliedError> out;
  for (const auto& [scale, r] : rel) {
    if (!(r >= 0 && r < 1)) throw UsageError("--reliability for '" + scale + "' must be at least 0 and below 1", {}, "e.g. 0.9");
    if (sd_baseline) continue;
    auto s = sd.find(scale);
    if (s == sd.end()) throw UsageError("--reliability " + scale + " needs --sd " + scale + "=SD as well", {}, "both, for each scale");
    if (!(s->second > 0)) throw UsageError("--sd for '" + scale + "' must be above 0", {}, "a positive SD");
    out[scale] = {s->second, r};
  }
  for (const auto& [scale, x] : sd) {
    if (!rel.count(scale)) throw UsageError("--sd " + scale + " needs --reliability " + scale + "=R as well", {}, "both, for each scale");
  }
  if (sd_baseline) for (const auto& [scale, r] : rel) out[scale] = {0, r};
  if (baseline) *baseline = sd_baseline;
  return out;
}

}  // namespace attune::cli
