#pragma once
// An output file that appears under its final name only when complete: written to a temporary name
// beside it and renamed on commit; removed if the work fails.
#include <attune/error.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace attune::cli {

class OutputFile {
 public:
  explicit OutputFile(const std::string& path) : path_(path) {
    if (path == "-" || path.empty()) {
      f_ = stdout;
      return;
    }
    // A device or pipe (/dev/null, /dev/stdout, a FIFO) is written as it is: a temporary beside it
    // would be renamed over the device node itself.
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
      f_ = std::fopen(path.c_str(), "wb");
      if (!f_) {
        Location where;
        where.file = path;
        throw IoError(std::string("cannot write output: ") + std::strerror(errno), where);
      }
      direct_ = true;
      return;
    }
    tmp_ = path + ".tmp-" + std::to_string(::getpid());
    f_ = std::fopen(tmp_.c_str(), "wb");
    if (!f_) {
      Location where;
      where.file = path;
      throw IoError(std::string("cannot write output: ") + std::strerror(errno), where);
    }
  }
  ~OutputFile() {
    if (f_ && f_ != stdout) {
      std::fclose(f_);
      if (!direct_) std::remove(tmp_.c_str());
    }
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::FILE* get() const { return f_; }

  void commit() {
    Location where;
    where.file = path_;
    if (f_ == stdout) {
      if (std::fflush(stdout) != 0) throw IoError(std::string("write failed: ") + std::strerror(errno), where);
      return;
    }
    if (direct_) {
      const bool ok = std::fclose(f_) == 0;
      f_ = nullptr;
      if (!ok) throw IoError(std::string("write failed: ") + std::strerror(errno), where);
      return;
    }
    bool ok = std::fflush(f_) == 0 && ::fsync(::fileno(f_)) == 0;
    int err = errno;
    ok = (std::fclose(f_) == 0) && ok;
    if (!ok && err == 0) err = errno;
    f_ = nullptr;
    if (!ok) {
      std::remove(tmp_.c_str());
      throw IoError(std::string("write failed: ") + std::strerror(err), where);
    }
    if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
      err = errno;
      std::remove(tmp_.c_str());
      throw IoError(std::string("cannot rename output into place: ") + std::strerror(err), where);
    }
  }

 private:
  std::string path_;
  std::string tmp_;
  std::FILE* f_ = nullptr;
  bool direct_ = false;
};

}  // namespace attune::cli
