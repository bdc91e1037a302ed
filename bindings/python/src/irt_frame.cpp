// attune._core.theta_columns: theta and its SE per calibrated scale for every row of a frame, as
// `attune score FILE --irt` writes them (one shared ThetaScorer, its tables made once; rows with an
// answer off the scale, and scales a row answered none of, stay NaN as the CLI leaves them empty).
#include <attune/irt.hpp>

#include "columns.hpp"

#include <pybind11/stl.h>

namespace attune_py {

namespace {

py::dict theta_columns(const attune::ScoringPlan& plan, const std::string& calibration, const py::list& cols,
                       const std::vector<double>& missing, bool map, unsigned threads) {
  const std::unique_ptr<attune::irt::ThetaScorer> scorer = attune::irt::theta_scorer_for(plan, calibration);
  std::size_t rows = 0;
  std::vector<py::array> keep;
  const std::vector<Column> in = item_columns_of(plan, cols, rows, keep);
  const std::size_t K = plan.item_count(), T = scorer->scale_count();
  py::array_t<double> out({rows, 2 * T});
  double* o = out.mutable_data();
  {
    py::gil_scoped_release nogil;
    constexpr std::size_t kSlice = 4096;
    const unsigned workers = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::vector<double>> xs(workers);
    parallel_slices(rows, workers, kSlice, [&](std::size_t b, std::size_t n, unsigned w) {
      std::vector<double>& x = xs[w];
      x.resize(n * K);
      gather(in, b, n, missing, x.data());
      attune::irt::theta_rows(*scorer, plan.data_scale(), x.data(), n, K, map, o + b * 2 * T);
    });
  }
  py::list ids;
  for (std::size_t s = 0; s < T; ++s) ids.append(scorer->scale_id(s));
  py::dict d;
  d["values"] = out;
  d["scale_ids"] = ids;
  return d;
}

}  // namespace

void bind_irt_frame(py::module_& m) {
  m.def("theta_columns", &theta_columns, py::arg("plan"), py::arg("calibration"), py::arg("columns"),
        py::arg("missing") = std::vector<double>{}, py::arg("map") = false, py::arg("threads") = 0u);
}

}  // namespace attune_py
