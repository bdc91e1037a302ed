#pragma once
// The parts of attune._core that live in their own files: each adds its functions to the module.
#include <pybind11/pybind11.h>

namespace attune_py {

void register_quality(pybind11::module_& m);  // quality.cpp: the --quality columns
void register_audit(pybind11::module_& m);    // audit.cpp: attune audit

}  // namespace attune_py
