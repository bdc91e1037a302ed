#pragma once
// Where shipped data (instruments, guidance packs) is looked for: the folders in an environment
// variable (colon-separated) first, so a user can override a file without rebuilding; then the copy
// installed beside the code that runs (found from the executable's or shared library's own path, so
// an install made with `cmake --install --prefix P`, or moved after, finds <P>/share/attune); then the
// prefix compiled in; then the source tree, so a build works without installing.
#include <filesystem>
#include <string>
#include <vector>

namespace attune::detail {

// subdir: "instruments" or "guidance"; installed and source: the compiled-in folders.
std::vector<std::filesystem::path> data_search_dirs(const char* env_var, const char* subdir, const char* installed,
                                                    const char* source);

}  // namespace attune::detail
