#include "score_json_options.hpp"

#include <attune/error.hpp>

namespace attune::cli {

void refuse_batch_options_with_json(const CLI::App& score, const std::string& output) {
  // Every option of `score` that the one-person path does not read. --response-scale,
  // --profile-method, --norms (a file), --irt, --irt-map, -o and --quiet apply to both paths.
  static const char* const kBatchOnly[] = {
      "input", "--map", "--missing", "--format", "--input-format", "--value-labels", "--keep", "--errors",
      "--on-error", "--response-scale-confirmed", "--decimals", "--threads", "--skip-rows", "--delimiter", "--row-numbers", "--reliability",
      "--quality", "--quality-even-odd-below", "--quality-irv-at-most", "--quality-longstring-share",
      "--quality-mahalanobis-p", "--quality-out-of-range-above", "--quality-share-answered-below",
      "--quality-synonym-r", "--quality-synonyms-below"};
  for (const char* name : kBatchOnly) {
    const CLI::Option* o = score.get_option_no_throw(name);
    if (!o || o->count() == 0) continue;
    const std::string shown = name[0] == '-' ? name : "an input file";
    Location where;
    where.value = shown;
    throw UsageError(shown + " does not apply to --json (one person's answers, written as JSON)", where,
                     "--json without " + shown + ", or score a data file instead");
  }
  const std::string ext = ".sav";
  if (output.size() >= ext.size() && output.compare(output.size() - ext.size(), ext.size(), ext) == 0) {
    Location where;
    where.value = output;
    throw UsageError("-o " + output + ": --json writes one JSON result, not a .sav file", where, "-o FILE.json or standard output");
  }
}

}  // namespace attune::cli
