#include "file_guard.hpp"

#include <algorithm>
#include <attune/error.hpp>

#include <csignal>
#include <cstring>
#include <vector>
#include <sys/stat.h>
#include <unistd.h>

namespace attune::cli {

namespace {

// A file's identity: its device and inode when it exists; for a name not yet created, its folder's
// device and inode plus the last path component (two spellings of one new file then compare equal).
struct FileKey {
  dev_t dev = 0;
  ino_t ino = 0;
  std::string leaf;
  bool operator==(const FileKey& o) const { return dev == o.dev && ino == o.ino && leaf == o.leaf; }
};

struct Claim {
  FileKey key;
  std::string path, role;
};

std::vector<Claim>& claims() {
  static std::vector<Claim> c;
  return c;
}

// False for standard input/output, devices, FIFOs and names whose folder does not exist either.
bool key_of(const std::string& path, FileKey& k) {
  if (path.empty() || path == "-") return false;
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode)) return false;
    k.dev = st.st_dev;
    k.ino = st.st_ino;
    return true;
  }
  const std::size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  if (::stat(dir.c_str(), &st) != 0) return false;
  k.dev = st.st_dev;
  k.ino = st.st_ino;
  k.leaf = path.substr(slash == std::string::npos ? 0 : slash + 1);
  return !k.leaf.empty();
}

// The signal handler reads these, so they are plain arrays written before their flag is set.
constexpr int kSlots = 8;
char g_paths[kSlots][4096];
volatile std::sig_atomic_t g_live[kSlots];
pid_t g_owner = 0;  // a forked helper must not remove its parent's files

extern "C" void remove_temporaries(int sig) {
  if (::getpid() == g_owner) {
    for (int i = 0; i < kSlots; ++i)
      if (g_live[i]) ::unlink(g_paths[i]);
  }
  // SA_RESETHAND restored the default action; the signal stays blocked until the handler returns,
  // then it ends the process as it would have without the handler.
  ::raise(sig);
}

}  // namespace

void claim_input(const std::string& path, const std::string& option) {
  FileKey k;
  if (key_of(path, k) && k.leaf.empty()) claims().push_back({k, path, option});
}

void claim_output(const std::string& path) {
  FileKey k;
  if (!key_of(path, k)) return;
  for (const Claim& c : claims()) {
    if (!(c.key == k)) continue;
    if (c.role == "output")
      throw UsageError("two outputs name the same file: '" + c.path + "' and '" + path + "'", {}, "a different file for each output");
    throw UsageError("the output '" + path + "' is the same file as the input of " + c.role + " ('" + c.path +
                         "'); writing it would replace what is read",
                     {}, "an output file other than the input");
  }
  claims().push_back({k, path, "output"});
}

void release_output(const std::string& path) {
  FileKey k;
  const bool keyed = key_of(path, k);
  auto& all = claims();
  all.erase(std::remove_if(all.begin(), all.end(),
                           [&](const Claim& c) { return c.role == "output" && (c.path == path || (keyed && c.key == k)); }),
            all.end());
}

int register_temporary(const std::string& path) {
  if (path.size() >= sizeof g_paths[0]) return -1;
  for (int i = 0; i < kSlots; ++i) {
    if (g_live[i]) continue;
    std::memcpy(g_paths[i], path.c_str(), path.size() + 1);
    g_live[i] = 1;
    return i;
  }
  return -1;
}

void unregister_temporary(int slot) {
  if (slot >= 0 && slot < kSlots) g_live[slot] = 0;
}

void install_cleanup_handlers() {
  g_owner = ::getpid();
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = remove_temporaries;
  sa.sa_flags = SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) {
    struct sigaction old;
    // A signal ignored by whoever started us (nohup, a shell's trap '') stays ignored.
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    ::sigaction(sig, &sa, nullptr);
  }
}

}  // namespace attune::cli
