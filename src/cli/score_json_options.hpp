#pragma once
// `attune score --json` scores one person's answers; the options that only shape a batch run.
#include <CLI/CLI.hpp>

#include <string>

namespace attune::cli {

// UsageError naming the first option given that `score --json` would otherwise ignore silently
// (--keep, --errors, --quality, --format, -o FILE.sav, ...).
void refuse_batch_options_with_json(const CLI::App& score, const std::string& output);

}  // namespace attune::cli
