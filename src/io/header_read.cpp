#include "header_read.hpp"

#include <attune/error.hpp>

#include "csv.hpp"
#include "../batch/tuning.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace attune::io {

namespace {

// Where the search for the end of the current record stopped, so that bytes already looked at are
// not looked at again when more are read (searching from the record's start each time made an
// 8/16/32 MB header take 0.34/0.74/2.8 s).
struct Scan {
  std::size_t at = 0;
  bool quoted = false;
  std::size_t delimiters = 0;  // outside quotes: the record has one more column than this
};

// Just past the first line feed outside quotes from s.at on, or 0 when the buffer has none yet.
// Quote parity is exact for well-formed CSV ("" escapes come in pairs), as in last_record_end.
std::size_t next_record_end(const std::string& buf, Scan& s, char delimiter) {
  const char* b = buf.data();
  for (std::size_t i = s.at; i < buf.size(); ++i) {
    const char c = b[i];
    if (c == '"') {
      s.quoted = !s.quoted;
    } else if (!s.quoted) {
      if (c == '\n') {
        s.at = i + 1;
        return i + 1;
      }
      if (c == delimiter) ++s.delimiters;
    }
  }
  s.at = buf.size();
  return 0;
}

bool read_block(std::FILE* in, const std::string& file, std::string& buf, std::size_t want, std::uint64_t& bytes) {
  const std::size_t old = buf.size();
  buf.resize(old + want);
  const std::size_t got = std::fread(&buf[old], 1, want, in);
  buf.resize(old + got);
  bytes += got;
  if (got < want && std::ferror(in)) throw IoError(std::string("read failed: ") + std::strerror(errno), Location::in_file(file));
  return got > 0;
}

Location at_line(const std::string& file, std::uint64_t lines) {
  Location where;
  where.file = file;
  where.line = static_cast<std::int64_t>(lines) + 1;
  return where;
}

void check_first_bytes(const std::string& buf, const std::string& file) {
  if (!looks_like_utf16(buf.data(), buf.size())) return;
  throw DataError("the file looks like UTF-16 (a UTF-16 byte order mark, or a NUL byte every other byte)", Location::in_file(file),
                  "UTF-8 text: save the file as UTF-8 (\"CSV UTF-8\" in Excel)");
}

// Checked while the header is still being searched for, so a header of millions of empty columns
// is refused before a field of it is stored.
void check_columns(const Scan& s, const std::string& file, std::uint64_t lines) {
  if (s.delimiters < kMaxColumns) return;
  throw LimitError("header has more than " + std::to_string(kMaxColumns) + " columns", at_line(file, lines),
                   "at most " + std::to_string(kMaxColumns) + " columns");
}

}  // namespace

bool header_looks_like_answers(const std::vector<std::string>& header) {
  std::size_t numbers = 0;
  for (const auto& h : header) {
    bool digit = false, other = false;
    for (char c : h) {
      if (c >= '0' && c <= '9') digit = true;
      else if (c != '.' && c != '-' && c != '+' && c != ' ') other = true;
    }
    numbers += digit && !other;
  }
  return header.size() >= 2 && 2 * numbers >= header.size();
}

bool first_line_over_column_limit(const char* p, const char* end, char delimiter) {
  const void* lf = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
  const char* stop = lf ? static_cast<const char*>(lf) : end;
  return static_cast<std::size_t>(std::count(p, stop, delimiter)) >= kMaxColumns;
}

bool looks_like_utf16(const char* p, std::size_t n) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) return true;
  // ASCII text in UTF-16: one side of every byte pair NUL, the other not (which /dev/zero is not).
  const std::size_t pairs = std::min<std::size_t>(n / 2, 32);
  if (pairs < 2) return false;
  int low = 0, high = 0;
  for (std::size_t i = 0; i < pairs; ++i) {
    const bool a = u[2 * i] == 0, b = u[2 * i + 1] == 0;
    low += !a && b;
    high += a && !b;
  }
  return static_cast<std::size_t>(low) == pairs || static_cast<std::size_t>(high) == pairs;
}

namespace {

// Reads records until the header and the skipped rows are parsed, reading blocks only as far as
// needed; what was read beyond them is handed on (HeaderRead::rest) to the chunk reader.
class HeaderReader {
 public:
  HeaderReader(std::FILE* in, const std::string& file, const BatchOptions& opt)
      : in_(in), file_(file), opt_(opt), need_(1 + opt.skip_rows), parser_(opt.delimiter) {}
  HeaderRead run();

 private:
  void read_more();
  void parse_records(std::size_t stop);
  void take_record(const char*& p, const char* end, const char* base);

  std::FILE* in_;
  const std::string& file_;
  const BatchOptions& opt_;
  const std::size_t need_;  // the header and the skipped rows
  RecordParser parser_;
  HeaderRead h_;
  std::string buf_;
  std::size_t pos_ = 0, records_ = 0;
  Scan scan_;
  bool first_ = true;
};

HeaderRead HeaderReader::run() {
  while (records_ < need_) {
    const std::size_t cut = next_record_end(buf_, scan_, opt_.delimiter);
    if (records_ == 0) check_columns(scan_, file_, h_.lines);
    if (cut == 0 && !h_.eof) {
      read_more();
      continue;
    }
    const std::size_t stop = cut == 0 ? buf_.size() : cut;
    if (stop <= pos_) break;  // the end of the input
    parse_records(stop);
    if (h_.eof && pos_ >= buf_.size()) break;
  }
  if (h_.header.empty()) throw DataError("empty file: no header row", Location::in_file(file_), "a header row naming the columns, then one row per person");
  h_.rest = buf_.substr(pos_);
  return std::move(h_);
}

// No whole record in the buffer yet: one more block, unless the record is already over the limit.
void HeaderReader::read_more() {
  if (buf_.size() - pos_ > opt_.max_record_bytes)
    throw LimitError("header or record longer than " + std::to_string(opt_.max_record_bytes) + " bytes without a line end",
                     at_line(file_, h_.lines), "records shorter than the limit (lone CR line endings also cause this)");
  if (pos_ > 0 && pos_ >= buf_.size() / 2) {  // skipped rows read: drop them (amortised linear)
    buf_.erase(0, pos_);
    scan_.at -= pos_;
    pos_ = 0;
  }
  if (!read_block(in_, file_, buf_, batch::chunk_bytes(opt_), h_.bytes)) h_.eof = true;
  if (first_ && !buf_.empty()) {
    first_ = false;
    check_first_bytes(buf_, file_);
    // A UTF-8 byte order mark at the very start is not part of the first column's name.
    if (buf_.size() >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
  }
}

// The whole records in buf_[pos_, stop), as many as are still needed.
void HeaderReader::parse_records(std::size_t stop) {
  const char* base = buf_.data();
  const char* p = base + pos_;
  const char* end = base + stop;
  parser_.set_base(base);
  while (p < end && records_ < need_) {
    if (*p == '\n') {
      ++p;
      ++h_.lines;
      continue;
    }
    take_record(p, end, base);
  }
  pos_ = static_cast<std::size_t>(p - base);
  scan_ = Scan{pos_, false, 0};
}

void HeaderReader::take_record(const char*& p, const char* end, const char* base) {
  int nl = 0;
  const RecordStatus st = parser_.parse(p, end, nl);
  if (st != RecordStatus::ok) {
    Location where = at_line(file_, h_.lines);
    where.column = static_cast<std::int64_t>(parser_.error_field());
    throw DataError(std::string(records_ == 0 ? "header: " : "skipped row: ") + describe(st), where, "RFC 4180 CSV");
  }
  h_.lines += static_cast<std::uint64_t>(nl);
  if (records_ == 0) {
    h_.header.reserve(parser_.field_count());
    for (std::size_t i = 0; i < parser_.field_count(); ++i) h_.header.emplace_back(parser_.field(i, base));
  } else {
    ++h_.skipped;
  }
  ++records_;
}

}  // namespace

HeaderRead read_header(std::FILE* in, const std::string& file, const BatchOptions& opt) {
  return HeaderReader(in, file, opt).run();
}

}  // namespace attune::io
