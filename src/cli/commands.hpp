#pragma once
// The `attune` program: a thin layer over the library. Each subcommand registers its options and
// returns an exit code; errors are turned into codes in one place (main.cpp).
#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace attune::cli {

// Documented exit codes (docs/cli.md). Never renumber.
enum Exit : int {
  ok = 0,
  rows_reported = 1,  // finished, but some rows could not be scored (see --errors)
  usage = 2,
  instrument_invalid = 3,
  data_invalid = 4,   // input data: a bad answer (stop mode or one person), a missing column, CSV syntax
  io_failed = 5,
  text_pack_invalid = 6,
  limit_exceeded = 7,
  cancelled = 8,      // `attune take`: the person quit (q) before the end; nothing scored
  scale_unconfirmed = 9,  // finished, but the answers do not fit the declared response scale as used (see the warning)
  internal = 70,
};

using Runner = std::function<int()>;

Runner add_score(CLI::App& app);
Runner add_instruments(CLI::App& app);
Runner add_validate(CLI::App& app);
Runner add_reliability(CLI::App& app);
Runner add_report(CLI::App& app);
Runner add_plan(CLI::App& app);
Runner add_take(CLI::App& app);
Runner add_calibrate(CLI::App& app);
Runner add_audit(CLI::App& app);
Runner add_cat(CLI::App& app);
Runner add_compare(CLI::App& app);
Runner add_couple(CLI::App& app);

}  // namespace attune::cli
