#pragma once
// attune._core's functions for calibrating by partitions (attune.dask.calibrate_scale).
#include <pybind11/pybind11.h>

namespace attune::python {

void add_irt_partition(pybind11::module_& m);

}  // namespace attune::python
