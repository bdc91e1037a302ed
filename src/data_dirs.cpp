#include "data_dirs.hpp"

#include <algorithm>
#include <cstdlib>
#if defined(__GLIBC__)
#include <dlfcn.h>
#include <link.h>
#endif

// CMake passes both (CMakeLists.txt); other builds (bindings/wasm/build.sh) get the usual layout.
#ifndef ATTUNE_BINDIR_TO_DATA
#define ATTUNE_BINDIR_TO_DATA "../share/attune"
#endif
#ifndef ATTUNE_LIBDIR_TO_DATA
#define ATTUNE_LIBDIR_TO_DATA "../share/attune"
#endif

namespace fs = std::filesystem;

namespace attune::detail {

namespace {

// The file holding this code: the executable when the library is linked in statically (its link
// map entry has an empty name), else the shared library (libattune.so, libattune_c.so, _core.so).
#if defined(__GLIBC__)
const char kAnchor = 0;  // any object of this module: its address names the module to dladdr1

fs::path own_module() {
  Dl_info info{};
  link_map* map = nullptr;
  if (::dladdr1(&kAnchor, &info, reinterpret_cast<void**>(&map), RTLD_DL_LINKMAP) == 0) return {};
  std::error_code ec;
  if (map && map->l_name && *map->l_name) return fs::weakly_canonical(map->l_name, ec);
  return fs::read_symlink("/proc/self/exe", ec);
}
#else
// No dladdr1 (WebAssembly, other C libraries): the compiled-in folders and the variables only.
fs::path own_module() { return {}; }
#endif

}  // namespace

std::vector<fs::path> data_search_dirs(const char* env_var, const char* subdir, const char* installed, const char* source) {
  std::vector<fs::path> dirs;
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
  // The installed layout relative to bin/ and to lib/ (both computed by CMake from GNUInstallDirs).
  const fs::path module = own_module();
  if (!module.empty()) {
    for (const char* rel : {ATTUNE_BINDIR_TO_DATA, ATTUNE_LIBDIR_TO_DATA}) {
      fs::path p = (module.parent_path() / rel / subdir).lexically_normal();
      if (std::find(dirs.begin(), dirs.end(), p) == dirs.end()) dirs.push_back(std::move(p));
    }
  }
  dirs.emplace_back(installed);
  dirs.emplace_back(source);
  return dirs;
}

}  // namespace attune::detail
