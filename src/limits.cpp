#include <attune/error.hpp>
#include <attune/limits.hpp>

#include "json_walk.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sys/stat.h>

namespace attune {

namespace detail {

[[noreturn]] void document_too_large(const std::string& file, const std::string& what, std::size_t max_bytes,
                                     std::uint64_t size, bool exact) {
  const std::string limit = std::to_string(max_bytes) + " bytes (" + std::to_string(max_bytes >> 20) + " MiB)";
  // A pipe's size is unknown: say where reading stopped (one byte past the limit).
  const std::string message = exact ? what + " is " + std::to_string(size) + " bytes, over the limit of " + limit
                                    : what + " is over the limit of " + limit + ": reading stopped at " + std::to_string(size) + " bytes";
  throw LimitError(message, Location::in_file(file), "a document of at most " + std::to_string(max_bytes) + " bytes");
}

void check_document_size(std::size_t size, const std::string& file, const char* what) {
  if (size > kMaxJsonDocumentBytes) document_too_large(file, what, kMaxJsonDocumentBytes, size, true);
}

}  // namespace detail

void check_json_indent(int indent) {
  if (indent >= -1 && indent <= kMaxJsonIndent) return;
  Location where;
  where.value = std::to_string(indent);
  throw UsageError("JSON indent " + std::to_string(indent) + " is out of range", where,
                   "-1 (compact) or 0.." + std::to_string(kMaxJsonIndent) + " spaces");
}

std::string read_document(const std::string& path, const std::string& what, std::size_t max_bytes) {
  const bool from_stdin = path == "-";
  const std::string name = from_stdin ? "<stdin>" : path;
  std::FILE* f = from_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) throw IoError("cannot open " + what + ": " + std::strerror(errno), Location::in_file(name));
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(from_stdin ? nullptr : f, std::fclose);
  std::string out;
  struct stat st {};
  if (::fstat(::fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > max_bytes) detail::document_too_large(name, what, max_bytes, size, true);
    out.reserve(static_cast<std::size_t>(size));
  }
  // Bounded reads even for a regular file: it may grow while we read it.
  constexpr std::size_t kBlock = 64 * 1024;
  for (;;) {
    const std::size_t room = max_bytes + 1 - out.size();
    const std::size_t want = room < kBlock ? room : kBlock;
    const std::size_t old = out.size();
    out.resize(old + want);
    const std::size_t got = std::fread(&out[old], 1, want, f);
    out.resize(old + got);
    if (out.size() > max_bytes) detail::document_too_large(name, what, max_bytes, out.size(), false);
    if (got < want) {
      if (std::ferror(f)) throw IoError("read failed: " + std::string(std::strerror(errno)), Location::in_file(name));
      break;
    }
  }
  return out;
}

}  // namespace attune
