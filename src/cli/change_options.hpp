#pragma once
// --sd SCALE=SD and --reliability SCALE=R, paired by scale, for `attune compare` and `attune couple`.
#include <attune/retake.hpp>

#include <map>
#include <string>
#include <vector>

namespace attune::cli {

// Every --reliability needs an --sd for the same scale and the reverse; 0 <= R < 1, SD > 0. With
// `baseline` non-null, `--sd baseline` is accepted (long files: the SD of the first occasions) and
// reported there; the reliabilities then come back with SD 0.
std::map<std::string, SuppliedError> supplied_errors(const std::vector<std::string>& sd, const std::vector<std::string>& reliability,
                                                     bool* baseline = nullptr);

// The norm sets a comparison may draw on (ChangeNorms): each set a result names that attune ships
// (one it does not have is left out, and the comparison says so), the --norm-set one (an id or a file),
// and with --convert-response-scale linear and no --norm-set, the instrument's default set, which then
// serves the results that name none. `instrument` is an id or a file; one that cannot be read gives no default.
ChangeNorms change_norms(const std::vector<std::string>& named_sets, const std::string& norm_set, const std::string& conversion,
                         const std::string& instrument);

}  // namespace attune::cli
