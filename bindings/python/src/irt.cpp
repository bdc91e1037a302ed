// attune._core's item response theory part: a calibration (irt::Bank) answering one person at a
// time, theta per scale and the adaptive step, through the same JSON path as the C ABI and
// WebAssembly, so every binding gives the same items and the same numbers.
#include <attune/irt_json.hpp>

#include <pybind11/pybind11.h>

namespace py = pybind11;

namespace attune_py {
void bind_irt_frame(py::module_& m);
}

void bind_irt(py::module_& m) {
  using attune::irt::Bank;
  py::class_<Bank>(m, "Calibration")
      .def_static("load", [](const std::string& id_or_path) { return Bank(attune::irt::load_calibration(id_or_path)); })
      .def_static("from_json", [](const std::string& text, const std::string& source) {
        return Bank(attune::irt::Calibration::from_json_text(text, source));
      })
      .def_property_readonly("item_ids", [](const Bank& b) {
        py::list out;
        for (std::size_t j = 0; j < b.cat().item_count(); ++j) out.append(b.cat().item_id(j));
        return out;
      })
      .def_property_readonly("scale_ids", [](const Bank& b) {
        py::list out;
        for (std::size_t d = 0; d < b.cat().dimension_count(); ++d) out.append(b.cat().dimension_id(d));
        return out;
      })
      .def("theta_json", [](const Bank& b, const std::string& answers, const std::string& method) {
        py::gil_scoped_release release;
        return b.theta_json(answers, method);
      }, py::arg("answers"), py::arg("method") = "eap")
      .def("cat_step_json", [](const Bank& b, const std::string& request) {
        py::gil_scoped_release release;
        return b.cat_step_json(request);
      }, py::arg("request"));
  attune_py::bind_irt_frame(m);
}
