#include "commands.hpp"
#include "file_guard.hpp"

#include <attune/attune.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>

int main(int argc, char** argv) {
  // A file-size limit (ulimit -f) should fail the write (exit 5, temporary file removed), not kill us.
  std::signal(SIGXFSZ, SIG_IGN);
  attune::cli::install_cleanup_handlers();
  using namespace attune::cli;
  CLI::App app{"attune: score adult-attachment questionnaires (not a diagnosis; see docs/cli.md)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("attune ") + attune::version());
  Runner score = add_score(app);
  Runner instruments = add_instruments(app);
  Runner validate = add_validate(app);
  Runner reliability = add_reliability(app);
  Runner report = add_report(app);
  Runner plan = add_plan(app);
  Runner take = add_take(app);
  Runner calibrate = add_calibrate(app);
  Runner audit = add_audit(app);
  Runner cat = add_cat(app);
  Runner compare = add_compare(app);
  Runner couple = add_couple(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return Exit::usage;
  }
  try {
    if (app.got_subcommand("score")) return score();
    if (app.got_subcommand("instruments")) return instruments();
    if (app.got_subcommand("validate")) return validate();
    if (app.got_subcommand("reliability")) return reliability();
    if (app.got_subcommand("report")) return report();
    if (app.got_subcommand("plan")) return plan();
    if (app.got_subcommand("take")) return take();
    if (app.got_subcommand("calibrate")) return calibrate();
    if (app.got_subcommand("audit")) return audit();
    if (app.got_subcommand("cat")) return cat();
    if (app.got_subcommand("compare")) return compare();
    if (app.got_subcommand("couple")) return couple();
    return Exit::usage;
  } catch (const attune::Error& e) {
    std::fprintf(stderr, "attune: %s error: %s\n", attune::to_string(e.kind()), e.what());
    switch (e.kind()) {
      case attune::ErrorKind::usage: return Exit::usage;
      case attune::ErrorKind::instrument: return Exit::instrument_invalid;
      case attune::ErrorKind::answer:
      case attune::ErrorKind::data: return Exit::data_invalid;
      case attune::ErrorKind::io: return Exit::io_failed;
      case attune::ErrorKind::text_pack: return Exit::text_pack_invalid;
      case attune::ErrorKind::limit: return Exit::limit_exceeded;
      case attune::ErrorKind::internal: return Exit::internal;
    }
    return Exit::internal;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "attune: out of memory\n");
    return Exit::limit_exceeded;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "attune: internal error: %s\n", attune::printable(e.what()).c_str());
    return Exit::internal;
  }
}
