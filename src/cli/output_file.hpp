#pragma once
// An output file that appears under its final name only when complete: written to a temporary name
// beside it (NAME.tmp-RANDOM, created exclusively) and renamed on commit; removed if the work fails
// or a signal ends the program (file_guard.hpp). Every write error names the file (the final name,
// or <stdout>), since "write failed: No space left on device" alone does not say which of a
// command's outputs it was.
#include <attune/error.hpp>
#include "file_guard.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/types.h>
#endif

namespace attune::cli {

class OutputFile {
 public:
  explicit OutputFile(const std::string& path) : path_(path) {
    if (path == "-" || path.empty()) {
      f_ = stdout;
      name_ = "<stdout>";
      return;
    }
    name_ = path;
    claim_output(path);
    // A device or pipe (/dev/null, /dev/stdout, a FIFO) is written as it is: a temporary beside it
    // would be renamed over the device node itself.
    struct stat st;
    const bool exists = ::stat(path.c_str(), &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) {
      f_ = std::fopen(path.c_str(), "wb");
      if (!f_) throw IoError(std::string("cannot write output: ") + std::strerror(errno), Location::in_file(path));
      direct_ = true;
      return;
    }
    open_temporary(exists ? static_cast<int>(st.st_mode & 0777) : -1);
  }
  ~OutputFile() {
    if (f_ && f_ != stdout) {
      std::fclose(f_);
      if (!direct_) std::remove(tmp_.c_str());
    }
    unregister_temporary(slot_);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::FILE* get() const { return f_; }
  // The name write errors give: the final path, or "<stdout>".
  const std::string& name() const { return name_; }

  void write(const std::string& text) {
    if (!text.empty() && std::fwrite(text.data(), 1, text.size(), f_) != text.size()) fail("write failed", errno);
  }

  // Flushes without renaming: a command with two outputs flushes both before committing either, so
  // a full disk on the second leaves neither under its final name. No fsync: the rename already
  // guarantees that a failed or killed run leaves nothing under the final name; forcing the data
  // to disk would add the device's write time to every run (0.1 s and more for a million rows)
  // for a guarantee against power loss that no peer tool gives either.
  void flush() {
    if (flushed_) return;
    // A failed buffered write sets the error flag even when the final fflush succeeds (the lost
    // bytes are not retried), so the flag is checked too.
    if (std::fflush(f_) != 0) fail("write failed", errno);
    if (std::ferror(f_)) throw IoError("write failed: an earlier write to it failed", Location::in_file(name_));
    flushed_ = true;
  }

  void commit() {
    flush();
    if (f_ == stdout) return;
    const bool closed = std::fclose(f_) == 0;
    const int err = errno;
    f_ = nullptr;
    if (direct_) {
      if (!closed) fail("write failed", err);
      return;
    }
    if (!closed) {
      std::remove(tmp_.c_str());
      fail("write failed", err);
    }
#if defined(__linux__) && defined(RENAME_EXCHANGE)
    // Replacing an existing file: swap the two names atomically, then remove the old contents.
    // A plain rename over an existing file makes ext4 (auto_da_alloc) allocate and start writing
    // the new file's blocks inside the rename, which took 40-170 ms for an 84 MB output on this
    // machine against 8 ms for the swap; the path still holds either the old or the new complete
    // file at every moment. Anything but an existing regular file (or no support for the swap): a
    // plain rename, which keeps rename's own rules (it refuses to replace a directory).
    struct stat st;
    if (::lstat(path_.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::renameat2(AT_FDCWD, tmp_.c_str(), AT_FDCWD, path_.c_str(), RENAME_EXCHANGE) == 0) {
      remove_old(tmp_, st.st_size);
      unregister_temporary(slot_);
      slot_ = -1;
      return;
    }
#endif
    if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
      const int e = errno;
      std::remove(tmp_.c_str());
      fail("cannot rename output into place", e);
    }
    unregister_temporary(slot_);
    slot_ = -1;
  }

 private:
  // The temporary beside the target: a fresh name created exclusively and never through a link, so
  // a file or symlink planted under a guessable name cannot be written through. A replaced file's
  // permissions carry over (a 0600 file stays 0600); a new one gets the usual 0666 less the umask.
  void open_temporary(int keep_mode) {
    int fd = -1;
    for (int attempt = 0; fd < 0 && attempt < 100; ++attempt) {
      tmp_ = path_ + ".tmp-" + random_suffix();
      fd = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
      if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) throw IoError(std::string("cannot write output: ") + std::strerror(errno), Location::in_file(path_));
    slot_ = register_temporary(tmp_);
    if (keep_mode >= 0 && ::fchmod(fd, static_cast<mode_t>(keep_mode)) != 0) {
      const int e = errno;
      ::close(fd);
      std::remove(tmp_.c_str());
      throw IoError(std::string("cannot keep the permissions of the replaced output: ") + std::strerror(e), Location::in_file(path_));
    }
    f_ = ::fdopen(fd, "wb");
    if (!f_) {
      const int e = errno;
      ::close(fd);
      std::remove(tmp_.c_str());
      throw IoError(std::string("cannot write output: ") + std::strerror(e), Location::in_file(path_));
    }
  }
  static std::string random_suffix() {
    static std::random_device rd;
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string s;
    for (int i = 0; i < 12; ++i) s.push_back(digits[rd() % 36]);
    return s;
  }

#if defined(__linux__) && defined(RENAME_EXCHANGE)
  // Removes the replaced contents (now under the temporary name). Freeing a large file's blocks and
  // cached pages is the slowest part of replacing it (about 0.1 s for the 130 MB of a million rows
  // with quality columns, most of a run's write time), and nobody waits for it: the name goes at
  // once, and the file stays open in a child process that closes it, and so frees it, only when
  // this process has exited (the end of a pipe that only this process holds). Small files, or no
  // child: removed here.
  static void remove_old(const std::string& name, off_t size) {
    constexpr off_t kLarge = 8 << 20;
    const int fd = size >= kLarge ? ::open(name.c_str(), O_RDONLY | O_CLOEXEC) : -1;
    int gate[2] = {-1, -1};
    if (fd < 0 || ::pipe2(gate, O_CLOEXEC) != 0) {
      if (fd >= 0) ::close(fd);
      std::remove(name.c_str());
      return;
    }
    ::unlink(name.c_str());  // the inode lives on while a descriptor holds it
    const pid_t child = ::fork();
    if (child == 0) {
      // Only async-signal-safe calls after fork in a program that has had threads. The standard
      // streams go first, so that a reader of this program's output (a pipe) is not kept waiting.
      for (int k = 0; k <= 2; ++k)
        if (k != fd && k != gate[0]) ::close(k);
      ::close(gate[1]);
      char c;
      while (::read(gate[0], &c, 1) < 0 && errno == EINTR) {
      }
      ::close(fd);
      ::_exit(0);
    }
    ::close(gate[0]);
    ::close(fd);  // with no child (fork failed) this frees the file here, as a plain remove would
    if (child < 0) ::close(gate[1]);
    // Otherwise gate[1] stays open until this process exits, which is what lets the child go on.
  }
#endif

  [[noreturn]] void fail(const char* what, int err) const {
    throw IoError(std::string(what) + ": " + std::strerror(err ? err : EIO), Location::in_file(name_));
  }
  std::string path_;
  std::string name_;
  std::string tmp_;
  std::FILE* f_ = nullptr;
  bool direct_ = false;
  bool flushed_ = false;
  int slot_ = -1;  // in the signal handler's list of temporaries
};

}  // namespace attune::cli
