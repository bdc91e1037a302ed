// attune._core.norms_json: one person's "norms" object, as `attune score --json` writes it (the
// library's person_norms_json, so the CLI, the C ABI and Python give the same set, cell and numbers).
#include <attune/attune.hpp>
#include <attune/person_norms.hpp>

#include "extras.hpp"

namespace py = pybind11;

namespace attune_py {

namespace {

std::string norms_json(const attune::ScoringPlan& plan, const py::object& answers, const std::string& set,
                       const std::string& group, bool convert_linear) {
  const attune::Responses r = py::isinstance<py::str>(answers)
                                  ? attune::responses_from_json(plan, answers.cast<std::string>(), "<answers>")
                                  : responses_of(plan, answers.cast<py::dict>());
  attune::norms::Choice choice;
  choice.set = set;
  choice.group = group;
  choice.convert_linear = convert_linear;
  return attune::norms::person_norms_json(plan, attune::score(plan, r), choice);
}

}  // namespace

void register_norms(py::module_& m) {
  m.def("norms_json", &norms_json, py::arg("plan"), py::arg("answers"), py::arg("set") = "", py::arg("group") = "",
        py::arg("convert_linear") = false);
}

}  // namespace attune_py
