#pragma once
// The parts of attune._core that live in their own files: each adds its functions to the module.
#include <attune/quality.hpp>
#include <attune/responses.hpp>
#include <attune/scoring_plan.hpp>

#include <pybind11/pybind11.h>

namespace attune_py {

void register_quality(pybind11::module_& m);  // quality.cpp: the --quality columns
void register_audit(pybind11::module_& m);    // audit.cpp: attune audit
void register_job(pybind11::module_& m);      // job.cpp: the research job on a file, the output table's names
void register_norms(pybind11::module_& m);    // norms.cpp: one person's norms member

// The --quality-* thresholds by name without the prefix (quality.cpp); UsageError for an unknown one.
attune::QualityThresholds thresholds_from(const pybind11::dict& d);

// One person's answers from a dict of item id (or position) -> number or None (core.cpp).
attune::Responses responses_of(const attune::ScoringPlan& plan, const pybind11::dict& answers);

}  // namespace attune_py
