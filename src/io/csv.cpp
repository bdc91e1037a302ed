#include "csv.hpp"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace attune::io {

const char* describe(RecordStatus s) {
  switch (s) {
    case RecordStatus::ok: return "ok";
    case RecordStatus::unterminated_quote: return "unterminated quoted field";
    case RecordStatus::text_after_quote: return "text between a closing quote and the next delimiter";
    case RecordStatus::quote_in_unquoted: return "quote character inside an unquoted field";
    case RecordStatus::lone_cr: return "carriage return without a line feed (lone CR line endings are not supported)";
  }
  return "?";
}

namespace {

// What follows a field just read: the delimiter (another field follows: true, p past it) or the
// record's end (false, p past the terminator, status ok or why the record is broken: a lone CR, or
// `stray` for any other byte).
bool another_field(const char*& p, const char* end, char d, int& newlines, RecordStatus stray, RecordStatus& status) {
  status = RecordStatus::ok;
  if (p >= end) return false;
  const char c = *p;
  if (c == d) {
    ++p;
    return true;
  }
  if (c == '\n') {
    ++p;
    ++newlines;
    return false;
  }
  if (c == '\r') {
    if (p + 1 < end && p[1] == '\n') {
      p += 2;
      ++newlines;
      return false;
    }
    status = RecordStatus::lone_cr;
    return false;
  }
  status = stray;
  return false;
}

// A quoted field at p, pushed onto fields (its text in scratch), p past the closing quote: false when
// there is none.
bool read_quoted(const char*& p, const char* end, int& newlines, std::vector<FieldRef>& fields,
                 std::string& scratch) {
  // Copy segments between quotes into scratch, undoing "" escapes.
  ++p;
  FieldRef f;
  f.in_scratch = true;
  f.begin = static_cast<std::uint32_t>(scratch.size());
  for (;;) {
    const char* q = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
    if (!q) {
      fields.push_back(f);
      return false;
    }
    for (const char* c = p; c < q; ++c) newlines += (*c == '\n');
    scratch.append(p, static_cast<std::size_t>(q - p));
    p = q + 1;
    if (p < end && *p == '"') {
      scratch.push_back('"');
      ++p;
      continue;
    }
    break;
  }
  f.size = static_cast<std::uint32_t>(scratch.size() - f.begin);
  fields.push_back(f);
  return true;
}

// An unquoted field at p (its text stays in the input, at an offset from base), pushed onto fields;
// p stops at the delimiter, a line end, a quote or the end.
void read_unquoted(const char*& p, const char* end, char d, const char* base, std::vector<FieldRef>& fields) {
  const char* s = p;
  while (p < end) {
    const char c = *p;
    if (c == d || c == '\n' || c == '\r' || c == '"') break;
    ++p;
  }
  FieldRef f;
  f.begin = static_cast<std::uint32_t>(s - base);
  f.size = static_cast<std::uint32_t>(p - s);
  fields.push_back(f);
}

}  // namespace

RecordStatus RecordParser::parse(const char*& p, const char* end, int& newlines) {
  fields_.clear();
  scratch_.clear();
  newlines = 0;
  RecordStatus status = RecordStatus::ok;
  for (;;) {
    const bool quoted = p < end && *p == '"';
    if (quoted) {
      if (!read_quoted(p, end, newlines, fields_, scratch_)) return RecordStatus::unterminated_quote;
    } else {
      read_unquoted(p, end, delim_, base_, fields_);
    }
    const RecordStatus stray = quoted ? RecordStatus::text_after_quote : RecordStatus::quote_in_unquoted;
    if (!another_field(p, end, delim_, newlines, stray, status)) return status;
  }
}

std::size_t last_record_end(const char* buf, std::size_t n) {
  // A line feed ends a record when an even number of quotes precede it (escaped quotes come in
  // pairs, so parity is exact for well-formed input).
  if (!std::memchr(buf, '"', n)) {
    for (std::size_t i = n; i > 0; --i) if (buf[i - 1] == '\n') return i;
    return 0;
  }
  bool in_quotes = false;
  std::size_t last = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = buf[i];
    if (c == '"') in_quotes = !in_quotes;
    else if (c == '\n' && !in_quotes) last = i + 1;
  }
  return last;
}

const char* split_line(const char* p, const char* end, char delimiter, std::string_view* fields, std::size_t cap,
                       std::size_t& nfields) {
  nfields = 0;
  return for_each_field(p, end, delimiter, [&](const char* f, const char* sep) {
    if (nfields < cap) fields[nfields] = std::string_view(f, static_cast<std::size_t>(sep - f));
    ++nfields;
  });
}

void append_csv_field(std::string& out, std::string_view v, char delimiter) {
  bool needs = false;
  for (char c : v) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') { needs = true; break; }
  }
  if (!needs) { out.append(v.data(), v.size()); return; }
  out.push_back('"');
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace attune::io
