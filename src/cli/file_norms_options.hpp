#pragma once
// `attune score FILE --norm-group gender=COLUMN,age=COLUMN`: the norm columns of a batch run
// (docs/norms.md), each row's cell chosen from its own gender and age values.
#include "norms_member.hpp"

#include <attune/norms.hpp>
#include <attune/scoring_plan.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace attune::cli {

// The gender and age columns named by --norm-group for a file (both required), or two empty names
// when it was not given. UsageError for another key, a missing part or an empty name.
std::pair<std::string, std::string> file_norm_columns(const NormChoice& choice);

// With --value-labels (SPSS input): the gender column is read as its labels (female, male), as a
// kept column is. Nothing without --norm-group or with one-person values (no '=' names a column).
void add_norm_label_column(const NormChoice& choice, std::vector<std::string>& value_label_columns);

// The norms of a file run, or null without --norm-group. --norm-set or --convert-response-scale
// without --norm-group is a UsageError (for a file they only shape the norm columns).
std::unique_ptr<norms::FileNorms> file_norms_for(const ScoringPlan& plan, const NormChoice& choice);

// "norms: SET, cells from columns G and A (SOURCE)", for the run's summary on standard error.
std::string file_norms_summary(const norms::FileNorms& n);

}  // namespace attune::cli
