// attune._core's partition calibration: one partition's E-step sums as a plain dict of numpy arrays
// (picklable, so Dask can ship and add them), the start values and the M-step on their total.
#include "irt_partition.hpp"

#include <attune/error.hpp>
#include <attune/irt.hpp>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>

namespace py = pybind11;

namespace attune::python {

namespace {

using Answers = py::array_t<double, py::array::c_style | py::array::forcecast>;

py::array_t<double> to_array(const std::vector<double>& v) {
  py::array_t<double> out(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

std::vector<double> to_vector(const Answers& a) { return std::vector<double>(a.data(), a.data() + a.size()); }

irt::PartitionSums from_dict(const py::dict& s) {
  irt::PartitionSums out;
  out.items = s["items"].cast<int>();
  out.categories = s["categories"].cast<int>();
  out.nodes = s["nodes"].cast<int>();
  out.r = to_vector(s["r"].cast<Answers>());
  out.observed = to_vector(s["observed"].cast<Answers>());
  out.log_likelihood = s["log_likelihood"].cast<double>();
  out.rows = s["rows"].cast<std::uint64_t>();
  return out;
}

py::dict partition_sums(const std::vector<double>& a, const std::vector<double>& d, const std::vector<bool>& reversed,
                        int scale_min, int scale_max, const Answers& answers) {
  if (answers.ndim() != 2 || static_cast<std::size_t>(answers.shape(1)) != reversed.size()) {
    throw UsageError("answers must be a rows x items array", Location{}, std::to_string(reversed.size()) + " columns");
  }
  ResponseScale scale;
  scale.min = scale_min;
  scale.max = scale_max;
  irt::PartitionSums s;
  {
    py::gil_scoped_release release;
    s = irt::partition_sums(a, d, reversed, scale, irt::Grid{}, answers.data(), static_cast<std::size_t>(answers.shape(0)));
  }
  py::dict out;
  out["items"] = s.items;
  out["categories"] = s.categories;
  out["nodes"] = s.nodes;
  out["r"] = to_array(s.r);
  out["observed"] = to_array(s.observed);
  out["log_likelihood"] = s.log_likelihood;
  out["rows"] = s.rows;
  return out;
}

}  // namespace

void add_irt_partition(py::module_& m) {
  m.def("irt_partition_sums", &partition_sums, py::arg("a"), py::arg("d"), py::arg("reversed"), py::arg("scale_min"),
        py::arg("scale_max"), py::arg("answers"));
  m.def("irt_start_parameters", [](const py::dict& total) {
    std::vector<double> a, d;
    irt::start_parameters(from_dict(total), a, d);
    return py::make_tuple(a, d);
  });
  m.def("irt_m_step", [](const py::dict& total, std::vector<double> a, std::vector<double> d) {
    const double change = irt::m_step(from_dict(total), irt::Grid{}, a, d);
    return py::make_tuple(a, d, change);
  });
}

}  // namespace attune::python
