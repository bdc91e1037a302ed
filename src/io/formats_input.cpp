// TabularInput (formats.hpp): CSV and JSON Lines files are handed to the batch path as they are;
// a .sav file is decoded on a reader thread (sav_decode.hpp) into records of cells. The format for
// a path.
#include <attune/error.hpp>
#include <attune/formats.hpp>

#include "../batch/read/source.hpp"
#include "sav_decode.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <thread>

namespace attune {

namespace {

std::string lower_ext(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
  std::string e = path.substr(dot + 1);
  for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return e;
}


}  // namespace

struct TabularInput::Impl {
  std::string path;
  std::string name;
  InputOptions opt;
  std::FILE* raw = nullptr;   // csv/jsonl: the opened file
  bool owns_raw = false;
  std::FILE* cookie = nullptr;  // sav: the decoded cells
  std::unique_ptr<io::Channel> ch;
  std::thread worker;
  std::mutex err_mutex;
  std::exception_ptr error;   // sticky: the first reader error
  std::uint64_t offset = 0;  // bytes delivered through the cookie
  mutable std::mutex meta_mutex;
  std::vector<SavVariable> meta;

  void stop() {
    if (ch) ch->cancel();
    if (worker.joinable()) worker.join();
    ch.reset();
  }
  void start() {
    ch = std::make_unique<io::Channel>();
    io::Channel* c = ch.get();
    worker = std::thread([this, c] {
      io::CellOut out{c, std::string()};
      out.buf.reserve(io::kBlockBytes + 1024);
      try {
        io::decode_sav(path, out, opt.value_label_columns, meta_mutex, meta);
        out.flush();
      } catch (...) {
        std::lock_guard<std::mutex> lk(err_mutex);
        if (!error) error = std::current_exception();
      }
      c->close();
    });
  }

  static ssize_t cookie_read(void* cookie, char* buf, size_t n) {
    auto* self = static_cast<Impl*>(cookie);
    const std::size_t got = self->ch->read(buf, n);
    self->offset += got;
    return static_cast<ssize_t>(got);
  }
  static int cookie_seek(void* cookie, off64_t* pos, int whence) {
    auto* self = static_cast<Impl*>(cookie);
    if ((whence == SEEK_CUR && *pos == 0) || (whence == SEEK_SET && static_cast<std::uint64_t>(*pos) == self->offset)) {
      *pos = static_cast<off64_t>(self->offset);
      return 0;
    }
    if (whence == SEEK_SET && *pos == 0) {
      // A second pass: decode the file again from the start.
      try {
        self->stop();
        self->offset = 0;
        self->start();
      } catch (...) {
        errno = EIO;
        return -1;
      }
      return 0;
    }
    errno = ESPIPE;
    return -1;
  }
};

InputFormat input_format_for(const std::string& path, const std::string& declared) {
  if (!declared.empty()) {
    if (declared == "csv") return InputFormat::csv;
    if (declared == "sav") return InputFormat::sav;
    if (declared == "jsonl" || declared == "ndjson") return InputFormat::jsonl;
    throw UsageError("unknown input format '" + declared + "'", {}, "csv, sav or jsonl");
  }
  const std::string e = lower_ext(path);
  if (e == "sav") return InputFormat::sav;
  if (e == "jsonl" || e == "ndjson") return InputFormat::jsonl;
  return InputFormat::csv;
}

TabularInput::TabularInput(const std::string& path, const InputOptions& options) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.path = path;
  m.name = path == "-" ? "<stdin>" : path;
  m.opt = options;
  if (options.format == InputFormat::sav) {
    if (path == "-") throw UsageError("an SPSS .sav file cannot be read from standard input", {}, "a file path");
    // Open once here so a missing file is an IoError now, not later from the reader thread.
    std::FILE* probe = std::fopen(path.c_str(), "rb");
    if (!probe) throw IoError(std::string("cannot open input: ") + std::strerror(errno), Location::in_file(path));
    std::fclose(probe);
  } else {
    if (path == "-") {
      m.raw = stdin;
    } else {
      m.raw = std::fopen(path.c_str(), "rb");
      if (!m.raw) throw IoError(std::string("cannot open input: ") + std::strerror(errno), Location::in_file(path));
      m.owns_raw = true;
    }
    // JSON Lines is read as it is: the batch functions know it by its FILE* (src/batch/read/source.hpp).
    if (options.format == InputFormat::jsonl) batch::register_source(m.raw, {batch::SourceKind::jsonl, options.max_record_bytes});
    return;
  }
  cookie_io_functions_t fns{};
  fns.read = &Impl::cookie_read;
  fns.seek = &Impl::cookie_seek;
  m.start();
  m.cookie = ::fopencookie(&m, "r", fns);
  if (!m.cookie) {
    m.stop();
    throw IoError("cannot create a stream for the decoded input", Location::in_file(m.name));
  }
  batch::register_source(m.cookie, {batch::SourceKind::sav, 0});
}

TabularInput::~TabularInput() {
  Impl& m = *impl_;
  m.stop();
  batch::forget_source(m.cookie ? m.cookie : m.raw);
  if (m.cookie) std::fclose(m.cookie);
  if (m.owns_raw) std::fclose(m.raw);
}

std::FILE* TabularInput::csv() const { return impl_->cookie ? impl_->cookie : impl_->raw; }
const std::string& TabularInput::name() const { return impl_->name; }
InputFormat TabularInput::format() const { return impl_->opt.format; }

void TabularInput::finish() {
  std::exception_ptr e;
  {
    std::lock_guard<std::mutex> lk(impl_->err_mutex);
    e = impl_->error;
  }
  if (e) std::rethrow_exception(e);
}

void TabularInput::locate(RowError& e) const {
  if (impl_->opt.format == InputFormat::sav) e.line = -1;
}

void TabularInput::rethrow_located(const Error& e) const {
  Location w = e.where();
  if (w.file == impl_->name && w.row > 0 && impl_->opt.format == InputFormat::sav) w.line = -1;
  switch (e.kind()) {
    case ErrorKind::answer: throw AnswerError(e.message(), w, e.expected());
    case ErrorKind::data: throw DataError(e.message(), w, e.expected());
    case ErrorKind::io: throw IoError(e.message(), w);
    case ErrorKind::limit: throw LimitError(e.message(), w, e.expected());
    case ErrorKind::usage: throw UsageError(e.message(), w, e.expected());
    default: throw;
  }
}

std::vector<SavVariable> TabularInput::variables() const {
  std::lock_guard<std::mutex> lk(impl_->meta_mutex);
  return impl_->meta;
}

}  // namespace attune
