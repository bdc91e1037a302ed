#pragma once
// The parts of attune._core that live in their own files: each adds its functions to the module.
#include <attune/responses.hpp>
#include <attune/scoring_plan.hpp>

#include <pybind11/pybind11.h>

namespace attune_py {

void register_quality(pybind11::module_& m);  // quality.cpp: the --quality columns
void register_audit(pybind11::module_& m);    // audit.cpp: attune audit
void register_norms(pybind11::module_& m);    // norms.cpp: one person's norms member

// One person's answers from a dict of item id (or position) -> number or None (core.cpp).
attune::Responses responses_of(const attune::ScoringPlan& plan, const pybind11::dict& answers);

}  // namespace attune_py
