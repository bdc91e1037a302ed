#pragma once
// What keeps the program's outputs from destroying data: no output may be the same file as one of
// the command's inputs or as another of its outputs, and the temporary files that outputs are
// written to are removed when the program is killed by a signal (SIGINT, SIGTERM, SIGHUP, SIGPIPE).
#include <string>

namespace attune::cli {

// A file the command reads (data, instrument, answers, norms, text pack). "-", names that are not
// files (a built-in instrument id) and devices are ignored: only a regular file can be destroyed
// by replacing it.
void claim_input(const std::string& path, const std::string& option);

// Called for every output before it is created: UsageError naming both options when `path` is the
// same file (device and inode, not the spelling) as a claimed input or an earlier output.
void claim_output(const std::string& path);
// Ends an output's claim once it is written and closed, for a file the command rewrites as it goes
// (`take --save`): each rewrite claims it again, and is checked again against the inputs.
void release_output(const std::string& path);

// Temporary output files removed by the signal handler. register_temporary returns a slot (or -1
// when all slots are taken: the file is then only removed by the normal paths).
int register_temporary(const std::string& path);
void unregister_temporary(int slot);

// Installs the handlers (once, from main): each removes the registered temporaries, then the signal
// is raised again with its default action, so the exit status still says "killed by signal".
void install_cleanup_handlers();

}  // namespace attune::cli
