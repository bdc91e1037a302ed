// The JSON Lines reader (jsonl_reader.hpp): the header from the first object, then each chunk's
// lines parsed straight into the workspace's cells, with no CSV text in between.
#include "jsonl_reader.hpp"

#include "json_line.hpp"
#include "row_cells.hpp"
#include "../tuning.hpp"

#include <cerrno>
#include <cstring>
#include <unordered_map>

namespace attune::batch {

namespace {

[[noreturn]] void line_too_long(const std::string& file, std::int64_t line, std::size_t max) {
  Location where;
  where.file = file;
  where.line = line;
  throw LimitError("line longer than " + std::to_string(max) + " bytes", where,
                   "one JSON object per line, each at most " + std::to_string(max) + " bytes");
}

bool blank(const char* p, const char* e) {
  for (; p < e; ++p)
    if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') return false;
  return true;
}

// The header's keys and where each is; a row's values go to their key's column.
class JsonColumns {
 public:
  explicit JsonColumns(const std::vector<std::string>& header) : header_(header), set_(header.size()) {
    for (std::size_t i = 0; i < header.size(); ++i) index_.emplace(header[i], i);
  }
  // The object in [b, e) into fields (by column; keys left out stay empty).
  void read(JsonLine& jl, const char* b, const char* e, std::string_view* fields) {
    std::fill(set_.begin(), set_.end(), 0);
    std::size_t pos = 0;
    jl.object(b, e, [&](const std::string& k, std::string_view v) {
      // Objects usually repeat the first line's key order: the expected position first, the index
      // only when the order differs.
      std::size_t c = pos;
      if (!(pos < header_.size() && header_[pos] == k)) {
        auto it = index_.find(k);
        if (it == index_.end())
          jl.fail("key not in the first line", k,
                  "the keys of the first object (" + std::to_string(header_.size()) + " keys); missing keys are fine");
        c = it->second;
      }
      if (set_[c]) jl.fail("duplicate key", k, "each key once per object");
      set_[c] = 1;
      pos = c + 1;
      fields[c] = v;
    });
  }

 private:
  const std::vector<std::string>& header_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::uint8_t> set_;
};

// The first lines of a JSON Lines input, each at most `max` bytes (a file with no line feed is
// refused after max bytes, not read whole). Everything read stays in buf, for HeaderRead::rest.
struct HeadLines {
  std::FILE* in;
  const std::string& file;
  std::size_t max, block;
  std::string buf;
  std::size_t pos = 0;
  std::uint64_t bytes = 0;
  bool eof = false;

  // The next line without its line feed in [b, e); false at the end of the input.
  bool next(std::size_t& b, std::size_t& e, std::int64_t lineno) {
    for (;;) {
      const std::size_t avail = buf.size() - pos;
      const auto* nl = static_cast<const char*>(std::memchr(buf.data() + pos, '\n', avail));
      const std::size_t n = nl ? static_cast<std::size_t>(nl - (buf.data() + pos)) : avail;
      if (n > max) line_too_long(file, lineno, max);
      if (nl || (eof && avail)) {
        b = pos;
        e = pos + n;
        pos += nl ? n + 1 : n;
        return true;
      }
      if (eof) return false;
      const std::size_t old = buf.size();
      buf.resize(old + block);
      const std::size_t got = std::fread(&buf[old], 1, block, in);
      buf.resize(old + got);
      bytes += got;
      if (got == 0) {
        if (std::ferror(in)) throw IoError(std::string("read failed: ") + std::strerror(errno), Location::in_file(file));
        eof = true;
      }
    }
  }
};

std::vector<std::string> first_object_keys(JsonLine& jl, const char* b, const char* e) {
  std::vector<std::string> keys;
  std::unordered_map<std::string, std::size_t> seen;
  jl.object(b, e, [&](const std::string& k, std::string_view) {
    if (!seen.emplace(k, keys.size()).second) jl.fail("duplicate key", k, "each key once per object");
    keys.push_back(k);
  });
  if (keys.empty()) jl.fail("the first object has no keys", {}, "the item columns as keys");
  return keys;
}

// The rows --skip-rows passes over, from the first object's line on (blank lines pass unnoticed).
void skip_rows(HeadLines& lines, JsonLine& jl, io::HeaderRead& h, std::size_t first_b, std::size_t first_e, std::size_t n) {
  JsonColumns cols(h.header);
  std::vector<std::string_view> fields(h.header.size());
  std::size_t b = first_b, e = first_e;
  for (;;) {
    ++h.lines;
    if (!blank(lines.buf.data() + b, lines.buf.data() + e)) {
      jl.line = static_cast<std::int64_t>(h.lines);
      cols.read(jl, lines.buf.data() + b, lines.buf.data() + e, fields.data());
      if (++h.skipped == n) return;
    }
    if (!lines.next(b, e, static_cast<std::int64_t>(h.lines) + 1)) return;
  }
}

}  // namespace

io::HeaderRead read_jsonl_header(std::FILE* in, const std::string& file, const BatchOptions& opt, std::size_t max_line) {
  io::HeaderRead h;
  HeadLines lines{in, file, max_line, batch::chunk_bytes(opt), {}};
  JsonLine jl(file);
  std::size_t b = 0, e = 0, start = 0, blanks = 0;
  for (;;) {
    if (!lines.next(b, e, static_cast<std::int64_t>(blanks) + 1))
      throw DataError("no JSON object in the file", Location::in_file(file), "one JSON object per line, e.g. {\"id\": 1, \"Q1\": 5}");
    // A UTF-8 byte order mark at the very start is not part of the first line.
    if (b == 0 && e >= 3 && std::memcmp(lines.buf.data(), "\xEF\xBB\xBF", 3) == 0) b = start = 3;
    if (!blank(lines.buf.data() + b, lines.buf.data() + e)) break;
    ++blanks;
  }
  jl.line = static_cast<std::int64_t>(blanks) + 1;
  h.header = first_object_keys(jl, lines.buf.data() + b, lines.buf.data() + e);
  if (opt.skip_rows == 0) {
    // The first object is also the first row, and blank lines before it count as blank lines.
    h.rest = lines.buf.substr(start);
  } else {
    h.lines = blanks;
    skip_rows(lines, jl, h, b, e, opt.skip_rows);
    h.rest = lines.buf.substr(lines.pos);
  }
  h.bytes = lines.bytes;
  h.eof = lines.eof;
  return h;
}

namespace {

// One row's cells, judged into the block (as parse_chunk does for a CSV record).
void read_json_row(const Job& job, Workspace& ws, ChunkResult& res, JsonLine& jl, JsonColumns& cols, const char* b,
                   const char* e, const double* one_char, std::int64_t line) {
  const auto& d = job.plan->data();
  const Layout& L = *job.layout;
  const std::size_t P = d.n_items, r = ws.error_of.size();
  std::fill(ws.fields.begin(), ws.fields.end(), std::string_view());
  cols.read(jl, b, e, ws.fields.data());
  ws.row_line.push_back(line);
  if (ws.x.size() < (r + 1) * P) ws.x.resize(2 * (r + 1) * P);
  double* xr = &ws.x[r * P];
  for (std::size_t i = 0; i < P; ++i) xr[i] = kNaN;
  const std::int32_t err = read_item_cells(job, res, ws.fields.data(), one_char, xr, r, line);
  if (err >= 0) for (std::size_t i = 0; i < P; ++i) xr[i] = kNaN;
  if (job.opt->quality || job.retain)
    ws.invalid.push_back(err < 0 ? 0 : count_invalid(ws.fields, L.item_col, *job.codes, d.data_min, d.data_max));
  ws.error_of.push_back(err);
  append_kept(L, ws, true, job.opt->format == OutputFormat::jsonl, false, job.opt->delimiter);
}

std::unique_ptr<ReaderStop> stop_of(const Error& e) {
  auto s = std::make_unique<ReaderStop>();
  s->kind = e.kind();
  s->message = e.message();
  s->expected = e.expected();
  s->where = e.where();
  return s;
}

}  // namespace

void parse_jsonl_chunk(const Job& job, Workspace& ws, ChunkResult& res, const char* data, std::size_t size) {
  const auto& d = job.plan->data();
  // The answer block is sized for rows as long as in CSV: a JSON Lines row is about four times that.
  reset_workspace(job, ws, size / 4);
  double one_char[kOneCharTable];
  fill_one_char_table(one_char, *job.codes, d.data_min, d.data_max);
  JsonColumns cols(job.layout->header);
  JsonLine jl(job.file);
  const std::size_t max = job.reader->max_record;
  const char* p = data;
  const char* end = data + size;
  std::int64_t line = 0;  // local, 0-based: report_chunk_errors makes it global
  try {
    while (p < end) {
      const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      const char* le = nl ? nl : end;
      if (static_cast<std::size_t>(le - p) > max) line_too_long(job.file, line, max);
      jl.line = line;
      if (blank(p, le)) ++res.blank;
      else read_json_row(job, ws, res, jl, cols, p, le, one_char, line);
      p = nl ? nl + 1 : end;
      if (nl) ++line;
    }
  } catch (const Error& e) {
    res.stop = stop_of(e);
  }
  ws.kept.append(kTextSlack, '\0');  // past the last row's text (PaddedText, copy_short)
  res.newlines = static_cast<std::uint64_t>(line);
  res.rows = ws.error_of.size();
}

std::size_t jsonl_lines_end(const char* buf, std::size_t n) {
  const void* nl = n ? ::memrchr(buf, '\n', n) : nullptr;
  return nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - buf) + 1 : 0;
}

}  // namespace attune::batch
