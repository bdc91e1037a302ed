#pragma once
// The response-scale status as JSON and text, shared by the reliability and audit reports.
#include <attune/reliability.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace attune::detail {
nlohmann::ordered_json response_scale_json(const ResponseScaleStatus& r);
std::string response_scale_text(const ResponseScaleStatus& r);
}  // namespace attune::detail
