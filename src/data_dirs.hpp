#pragma once
// Where shipped data (instruments, guidance packs) is looked for: the folders in an environment
// variable (colon-separated) first, so a user can override a file without rebuilding; then the
// installed copy; then the source tree, so a build works without installing.
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace attune::detail {

inline std::vector<std::filesystem::path> data_search_dirs(const char* env_var, const char* installed, const char* source) {
  std::vector<std::filesystem::path> dirs;
  if (const char* env = std::getenv(env_var)) {
    const std::string s(env);
    std::size_t start = 0;
    while (start <= s.size()) {
      std::size_t end = s.find(':', start);
      if (end == std::string::npos) end = s.size();
      if (end > start) dirs.emplace_back(s.substr(start, end - start));
      start = end + 1;
    }
  }
  dirs.emplace_back(installed);
  dirs.emplace_back(source);
  return dirs;
}

}  // namespace attune::detail
