#pragma once
// The parts of attune._core that live in their own files: each adds its functions to the module.
#include <attune/quality.hpp>

#include <pybind11/pybind11.h>

namespace attune_py {

void register_quality(pybind11::module_& m);  // quality.cpp: the --quality columns
void register_audit(pybind11::module_& m);    // audit.cpp: attune audit
void register_job(pybind11::module_& m);      // job.cpp: the research job on a file, the output table's names

// The --quality-* thresholds by name without the prefix (quality.cpp); UsageError for an unknown one.
attune::QualityThresholds thresholds_from(const pybind11::dict& d);

}  // namespace attune_py
