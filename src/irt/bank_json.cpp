// irt::Bank: a calibration with its theta tables and adaptive-test tables built once, answering one
// person at a time in JSON (the bindings' common path, so every binding gives the same numbers).
#include <attune/error.hpp>
#include <attune/irt_json.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

namespace attune::irt {

namespace {

std::vector<std::string> item_ids(const Calibration& c) {
  std::vector<std::string> ids;
  for (const ScaleCalibration& s : c.scales) {
    for (const ItemParameters& item : s.items) ids.push_back(item.id);
  }
  return ids;
}

}  // namespace

struct Bank::Impl {
  Calibration calibration;
  std::vector<std::string> ids;
  ThetaScorer scorer;
  CatEngine cat;
  explicit Impl(Calibration c)
      : calibration(std::move(c)),
        ids(item_ids(calibration)),
        scorer(calibration, ids, calibration.response_scale),
        cat(calibration) {}
};

Bank::Bank(Calibration calibration) : impl_(std::make_unique<Impl>(std::move(calibration))) {}
Bank::~Bank() = default;
Bank::Bank(Bank&&) noexcept = default;
Bank& Bank::operator=(Bank&&) noexcept = default;

const Calibration& Bank::calibration() const { return impl_->calibration; }
const CatEngine& Bank::cat() const { return impl_->cat; }

std::string Bank::theta_json(const std::string& answers, const std::string& method) const {
  if (method != "eap" && method != "map" && !method.empty()) {
    Location where;
    where.value = method;
    throw UsageError("unknown theta method", where, "eap or map");
  }
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(answers);
  } catch (const nlohmann::json::exception&) {
    throw DataError("the answers are not valid JSON", Location{}, "a JSON object of answers by item id");
  }
  if (!doc.is_object()) throw DataError("the answers are not a JSON object", Location{}, "{\"q1\": 4, \"q2\": null, ...}");
  std::vector<double> values(impl_->ids.size(), std::numeric_limits<double>::quiet_NaN());
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    Location where;
    where.item = it.key();
    where.json_path = "$." + it.key();
    const int j = impl_->cat.item_index(it.key());
    if (j < 0) throw UsageError("an answer names an item that is not in the calibration", where, "the calibration's item ids");
    if (it.value().is_null()) continue;
    if (!it.value().is_number()) throw DataError("an answer is neither a number nor null", where, "a number, or null when not answered");
    values[static_cast<std::size_t>(j)] = it.value().get<double>();
  }
  const bool map = method == "map";
  nlohmann::json scales = nlohmann::json::object();
  for (std::size_t s = 0; s < impl_->scorer.scale_count(); ++s) {
    const ThetaEstimate e = map ? impl_->scorer.map(s, values.data()) : impl_->scorer.eap(s, values.data());
    scales[impl_->scorer.scale_id(s)] = {{"theta", e.theta}, {"se", e.se}, {"answered", e.answered}};
  }
  return nlohmann::json{{"scales", scales}, {"method", map ? "map" : "eap"}}.dump();
}

std::string Bank::cat_step_json(const std::string& request) const { return irt::cat_step_json(impl_->cat, request); }

}  // namespace attune::irt
