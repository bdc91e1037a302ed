#include "commands.hpp"
#include "file_guard.hpp"

#include <attune/attune.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <utility>

int main(int argc, char** argv) {
  // A file-size limit (ulimit -f) should fail the write (exit 5, temporary file removed), not kill us.
  std::signal(SIGXFSZ, SIG_IGN);
  attune::cli::install_cleanup_handlers();
  using namespace attune::cli;
  CLI::App app{"attune: score adult-attachment questionnaires (not a diagnosis; see docs/cli.md)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("attune ") + attune::version());
  // One line per command: its name and what runs it.
  const std::pair<const char*, Runner> commands[] = {
      {"score", add_score(app)},
      {"instruments", add_instruments(app)},
      {"validate", add_validate(app)},
      {"reliability", add_reliability(app)},
      {"report", add_report(app)},
      {"plan", add_plan(app)},
      {"take", add_take(app)},
      {"calibrate", add_calibrate(app)},
      {"audit", add_audit(app)},
      {"cat", add_cat(app)},
      {"compare", add_compare(app)},
      {"couple", add_couple(app)},
  };
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
    for (const auto& [name, run] : commands) {
      if (app.got_subcommand(name)) return run();
    }
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
