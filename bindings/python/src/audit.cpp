// attune._core.audit_json: `attune audit --format json` over DataFrame columns, from one reading's
// reliability sums and response-scale usage, as the CLI's audit gathers them.
#include <attune/audit.hpp>

#include "columns.hpp"
#include "extras.hpp"

#include <pybind11/stl.h>

#include <string>

namespace attune_py {

namespace {

std::string audit_json(const attune::ScoringPlan& plan, const py::list& cols, const std::vector<double>& missing,
                       bool listwise) {
  attune::ReliabilityAccumulator sums(plan);
  attune::ScaleUsageAccumulator usage(plan);
  accumulate_columns(plan, cols, missing, {&sums, &usage});
  attune::AuditOptions ao;
  ao.missing = listwise ? attune::MissingHandling::listwise : attune::MissingHandling::pairwise;
  return attune::to_json(attune::audit(sums, usage, ao));
}

}  // namespace

void register_audit(py::module_& m) {
  m.def("audit_json", &audit_json, py::arg("plan"), py::arg("columns"), py::arg("missing") = std::vector<double>{},
        py::arg("listwise") = false);
}

}  // namespace attune_py
