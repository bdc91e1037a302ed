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

}  // namespace attune::cli
