// Readers for .sav (ReadStat) and JSON Lines that produce CSV text for the batch pipeline, and the
// Qualtrics extra-header check. See include/attune/formats.hpp for why formats become CSV text.
#include <attune/error.hpp>
#include <attune/formats.hpp>

#include "column_map.hpp"
#include "csv.hpp"
#include "header_read.hpp"

#include <readstat.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

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

// Blocks of CSV text from the converter thread to the FILE* reader. At most kMaxBlocks blocks of
// about kBlockBytes wait, so memory stays bounded whatever the file's size.
constexpr std::size_t kBlockBytes = 1u << 16;
constexpr std::size_t kMaxBlocks = 32;  // 2 MB: room to go on while the pipeline writes output

struct Channel {
  std::mutex m;
  std::condition_variable cv;
  std::deque<std::string> blocks;
  std::size_t front_pos = 0;
  bool done = false;
  bool cancelled = false;

  // Producer side: false when the reader side has gone away (stop converting).
  bool push(std::string&& block) {
    std::unique_lock<std::mutex> lk(m);
    cv.wait(lk, [&] { return blocks.size() < kMaxBlocks || cancelled; });
    if (cancelled) return false;
    blocks.push_back(std::move(block));
    cv.notify_all();
    return true;
  }
  void close() {
    std::lock_guard<std::mutex> lk(m);
    done = true;
    cv.notify_all();
  }
  void cancel() {
    std::lock_guard<std::mutex> lk(m);
    cancelled = true;
    cv.notify_all();
  }
  std::size_t read(char* buf, std::size_t n) {
    std::unique_lock<std::mutex> lk(m);
    cv.wait(lk, [&] { return !blocks.empty() || done; });
    std::size_t got = 0;
    while (got < n && !blocks.empty()) {
      std::string& b = blocks.front();
      const std::size_t take = std::min(n - got, b.size() - front_pos);
      std::memcpy(buf + got, b.data() + front_pos, take);
      got += take;
      front_pos += take;
      if (front_pos == b.size()) {
        blocks.pop_front();
        front_pos = 0;
      }
    }
    cv.notify_all();
    return got;
  }
};

// Writes rows of CSV text into blocks for a Channel.
struct CsvOut {
  Channel* ch;
  char delim;
  std::string buf;
  bool ok = true;
  void cell(std::string_view v, bool first) {
    if (!first) buf.push_back(delim);
    io::append_csv_field(buf, v, delim);
  }
  void number(double v, bool first) {
    if (!first) buf.push_back(delim);
    char tmp[40];
    // Integers (the usual answer codes) print as integers; anything else with up to 17 significant
    // digits (the shortest text that reads back as the same double). to_chars, not printf: this
    // runs once per cell.
    std::to_chars_result r;
    if (v == std::floor(v) && std::fabs(v) < 1e15) r = std::to_chars(tmp, tmp + sizeof tmp, static_cast<long long>(v));
    else r = std::to_chars(tmp, tmp + sizeof tmp, v);
    buf.append(tmp, static_cast<std::size_t>(r.ptr - tmp));
  }
  // Ends a row; hands the block over once it is big enough.
  bool end_row() {
    buf.push_back('\n');
    if (buf.size() >= kBlockBytes) return flush();
    return ok;
  }
  bool flush() {
    if (!buf.empty() && ok) {
      ok = ch->push(std::move(buf));
      buf = std::string();
      buf.reserve(kBlockBytes + 1024);
    }
    return ok;
  }
};

// ---- JSON Lines -------------------------------------------------------------------------------

// A flat JSON object on one line: keys to scalar values. Writes the cells into `cells` (by header
// position) and throws DataError naming the line and key for anything else.
struct JsonLineParser {
  const std::string* file;
  std::int64_t line = 0;
  std::string key, scratch;

  [[noreturn]] void fail(const std::string& what, const std::string& k, const std::string& expected) const {
    Location where;
    where.file = *file;
    where.line = line;
    if (!k.empty()) {
      where.column_name = k;
      where.json_path = "/" + k;
    }
    throw DataError(what, where, expected);
  }
  static void skip_ws(const char*& p, const char* e) {
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) ++p;
  }
  static void put_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) out.push_back(static_cast<char>(cp));
    else if (cp < 0x800) { out.push_back(static_cast<char>(0xC0 | (cp >> 6))); out.push_back(static_cast<char>(0x80 | (cp & 0x3F))); }
    else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  unsigned hex4(const char*& p, const char* e, const std::string& k) const {
    if (e - p < 4) fail("bad \\u escape in a string", k, "\\uXXXX");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i, ++p) {
      const char c = *p;
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
      else fail("bad \\u escape in a string", k, "\\uXXXX");
    }
    return v;
  }
  // p at the opening quote; out gets the unescaped text.
  void string(const char*& p, const char* e, std::string& out, const std::string& k) const {
    out.clear();
    ++p;
    for (;;) {
      const char* q = p;
      while (q < e && *q != '"' && *q != '\\' && static_cast<unsigned char>(*q) >= 0x20) ++q;
      out.append(p, static_cast<std::size_t>(q - p));
      p = q;
      if (p >= e) fail("unterminated string", k, "a closing \"");
      if (*p == '"') { ++p; return; }
      if (static_cast<unsigned char>(*p) < 0x20) fail("control character in a string", k, "escaped as \\n, \\t, ...");
      ++p;  // backslash
      if (p >= e) fail("unterminated string", k, "a closing \"");
      const char c = *p++;
      switch (c) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          unsigned cp = hex4(p, e, k);
          if (cp >= 0xD800 && cp < 0xDC00 && e - p >= 6 && p[0] == '\\' && p[1] == 'u') {
            p += 2;
            const unsigned lo = hex4(p, e, k);
            if (lo < 0xDC00 || lo > 0xDFFF) fail("unpaired surrogate in a string", k, "a valid \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xD800 && cp < 0xE000) {
            fail("unpaired surrogate in a string", k, "a valid \\u escape");
          }
          put_utf8(out, cp);
          break;
        }
        default: fail(std::string("bad escape \\") + c + " in a string", k, "a JSON escape");
      }
    }
  }
  // A JSON number per RFC 8259; returns its text.
  std::string_view number(const char*& p, const char* e, const std::string& k) const {
    const char* b = p;
    if (p < e && *p == '-') ++p;
    const char* d = p;
    while (p < e && *p >= '0' && *p <= '9') ++p;
    if (p == d || (p - d > 1 && *d == '0')) fail("bad number", k, "a JSON number");
    if (p < e && *p == '.') {
      ++p;
      const char* f = p;
      while (p < e && *p >= '0' && *p <= '9') ++p;
      if (p == f) fail("bad number", k, "a JSON number");
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
      ++p;
      if (p < e && (*p == '+' || *p == '-')) ++p;
      const char* f = p;
      while (p < e && *p >= '0' && *p <= '9') ++p;
      if (p == f) fail("bad number", k, "a JSON number");
    }
    return std::string_view(b, static_cast<std::size_t>(p - b));
  }
  // Calls on_pair(key, kind, text) for each member; kind: 'n' number, 's' string, '0' null, 'b' bool.
  template <class F>
  void object(const char* p, const char* e, F&& on_pair) {
    skip_ws(p, e);
    if (p >= e || *p != '{') fail("line is not a JSON object", {}, "one JSON object per line, e.g. {\"id\": 1, \"Q1\": 5}");
    ++p;
    skip_ws(p, e);
    if (p < e && *p == '}') { ++p; goto tail; }
    for (;;) {
      skip_ws(p, e);
      if (p >= e || *p != '"') fail("expected a key", key, "a quoted key");
      string(p, e, key, key);
      skip_ws(p, e);
      if (p >= e || *p != ':') fail("expected ':' after the key", key, "\"key\": value");
      ++p;
      skip_ws(p, e);
      if (p >= e) fail("missing value", key, "a number, string, null, true or false");
      if (*p == '"') {
        string(p, e, scratch, key);
        on_pair(key, 's', std::string_view(scratch));
      } else if (*p == '-' || (*p >= '0' && *p <= '9')) {
        on_pair(key, 'n', number(p, e, key));
      } else if (e - p >= 4 && std::memcmp(p, "null", 4) == 0) {
        p += 4;
        on_pair(key, '0', std::string_view());
      } else if (e - p >= 4 && std::memcmp(p, "true", 4) == 0) {
        p += 4;
        on_pair(key, 'b', std::string_view("true"));
      } else if (e - p >= 5 && std::memcmp(p, "false", 5) == 0) {
        p += 5;
        on_pair(key, 'b', std::string_view("false"));
      } else if (*p == '{' || *p == '[') {
        fail("nested objects and arrays are not supported", key, "a number, string, null, true or false");
      } else {
        fail("not a JSON value", key, "a number, string, null, true or false");
      }
      skip_ws(p, e);
      if (p < e && *p == ',') { ++p; continue; }
      if (p < e && *p == '}') { ++p; break; }
      fail("expected ',' or '}'", key, "members separated by commas");
    }
  tail:
    skip_ws(p, e);
    if (p != e) fail("text after the object", {}, "one JSON object per line");
  }
};

// Lines of a stream, each at most `max` bytes: getline would grow its buffer without bound on a
// file with no line feed (a 10 GB line would be read whole before anything could refuse it). A line
// inside the read buffer is returned in place; only a line that spans reads is copied.
class LineReader {
 public:
  LineReader(std::FILE* in, std::size_t max, const std::string& file) : in_(in), max_(max), file_(file), buf_(kRead) {}
  // The next line (with its '\n' if it has one) in [b, e); false at the end of the input.
  bool next(const char*& b, const char*& e, std::int64_t lineno) {
    carry_.clear();
    for (;;) {
      if (pos_ < end_) {
        const char* s = buf_.data() + pos_;
        const auto* nl = static_cast<const char*>(std::memchr(s, '\n', end_ - pos_));
        const std::size_t n = nl ? static_cast<std::size_t>(nl - s) + 1 : end_ - pos_;
        if (carry_.size() + n - (nl ? 1 : 0) > max_) too_long(lineno);
        if (nl && carry_.empty()) {
          b = s;
          e = s + n;
          pos_ += n;
          return true;
        }
        carry_.append(s, n);
        pos_ += n;
        if (nl) break;
      }
      if (eof_) break;
      end_ = std::fread(buf_.data(), 1, buf_.size(), in_);
      pos_ = 0;
      if (end_ == 0) {
        if (std::ferror(in_)) throw IoError(std::string("read failed: ") + std::strerror(errno), Location::in_file(file_));
        eof_ = true;
      }
    }
    if (carry_.empty()) return false;
    b = carry_.data();
    e = b + carry_.size();
    return true;
  }

 private:
  static constexpr std::size_t kRead = 1u << 16;
  [[noreturn]] void too_long(std::int64_t lineno) const {
    Location where;
    where.file = file_;
    where.line = lineno;
    throw LimitError("line longer than " + std::to_string(max_) + " bytes", where,
                     "one JSON object per line, each at most " + std::to_string(max_) + " bytes");
  }
  std::FILE* in_;
  std::size_t max_;
  const std::string& file_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  std::string carry_;
};

bool blank(const char* p, const char* e) {
  for (; p < e; ++p)
    if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') return false;
  return true;
}

// JSON Lines to CSV: the first object's keys, in order, make the header; later objects may leave
// keys out (missing) but not add new ones. One CSV line per input line (blank lines stay blank), so
// CSV line = JSONL line + 1 and row numbers are object numbers.
void convert_jsonl(std::FILE* in, const std::string& file, std::size_t max_line, CsvOut& out) {
  JsonLineParser jp;
  jp.file = &file;
  std::vector<std::string> header;
  std::unordered_map<std::string, std::size_t> index;
  std::vector<std::string> cells;
  std::vector<std::uint8_t> set;
  std::deque<std::int64_t> pending_blank;  // blank lines before the first object
  LineReader lines(in, max_line, file);
  std::int64_t lineno = 0;
  bool have_header = false;
  const char* b = nullptr;
  const char* e = nullptr;
  while (lines.next(b, e, lineno + 1)) {
    ++lineno;
    jp.line = lineno;
    if (lineno == 1 && e - b >= 3 && std::memcmp(b, "\xEF\xBB\xBF", 3) == 0) b += 3;
    if (blank(b, e)) {
      if (!have_header) pending_blank.push_back(lineno);
      else if (!out.end_row()) return;
      continue;
    }
    if (!have_header) {
      jp.object(b, e, [&](const std::string& k, char, std::string_view) {
        if (index.count(k)) jp.fail("duplicate key", k, "each key once per object");
        index.emplace(k, header.size());
        header.push_back(k);
      });
      if (header.empty()) jp.fail("the first object has no keys", {}, "the item columns as keys");
      for (std::size_t i = 0; i < header.size(); ++i) out.cell(header[i], i == 0);
      if (!out.end_row()) return;
      for (std::size_t i = 0; i < pending_blank.size(); ++i)
        if (!out.end_row()) return;
      cells.assign(header.size(), std::string());
      set.assign(header.size(), 0);
      have_header = true;
    }
    std::fill(set.begin(), set.end(), 0);
    std::size_t pos = 0;
    jp.object(b, e, [&](const std::string& k, char kind, std::string_view v) {
      // Objects usually repeat the first line's key order: check the expected position first and
      // fall back to the index only when the order differs.
      std::size_t c;
      if (pos < header.size() && header[pos] == k) c = pos;
      else {
        auto it = index.find(k);
        if (it == index.end())
          jp.fail("key not in the first line", k, "the keys of the first object (" + std::to_string(header.size()) + " keys); missing keys are fine");
        c = it->second;
      }
      if (set[c]) jp.fail("duplicate key", k, "each key once per object");
      set[c] = 1;
      pos = c + 1;
      (void)kind;
      cells[c].assign(v.data(), v.size());
    });
    for (std::size_t i = 0; i < header.size(); ++i) out.cell(set[i] ? std::string_view(cells[i]) : std::string_view(), i == 0);
    if (!out.end_row()) return;
  }
  if (!have_header) {
    Location where;
    where.file = file;
    throw DataError("no JSON object in the file", where, "one JSON object per line, e.g. {\"id\": 1, \"Q1\": 5}");
  }
}

// ---- SPSS .sav --------------------------------------------------------------------------------

struct SavState {
  CsvOut* out = nullptr;
  const std::string* file = nullptr;
  std::vector<std::string> value_label_columns;
  std::vector<SavVariable> vars;
  std::vector<std::string> set_name;  // per variable: its value label set ("" if none)
  std::vector<std::uint8_t> use_labels;
  std::map<std::string, std::map<double, std::string>> num_sets;
  std::map<std::string, std::map<std::string, std::string>> str_sets;
  std::vector<const std::map<double, std::string>*> var_num_labels;
  std::vector<const std::map<std::string, std::string>*> var_str_labels;
  long row_count = -1;
  long rows = 0;
  int nvars = 0;
  bool header_done = false;
  bool aborted = false;  // the reader side went away
  std::string error_text;
  std::mutex* meta_mutex = nullptr;
  std::vector<SavVariable>* meta_out = nullptr;

  bool write_header() {
    // Labels are resolved once, so cells need no lookups by name.
    var_num_labels.assign(vars.size(), nullptr);
    var_str_labels.assign(vars.size(), nullptr);
    for (std::size_t i = 0; i < vars.size(); ++i) {
      if (!set_name[i].empty()) {
        auto a = num_sets.find(set_name[i]);
        if (a != num_sets.end()) {
          for (const auto& kv : a->second) vars[i].value_labels.emplace_back(kv.first, kv.second);
          if (use_labels[i]) var_num_labels[i] = &a->second;
        }
        auto b = str_sets.find(set_name[i]);
        if (b != str_sets.end()) {
          for (const auto& kv : b->second) vars[i].string_labels.emplace_back(kv.first, kv.second);
          if (use_labels[i]) var_str_labels[i] = &b->second;
        }
      }
      out->cell(vars[i].name, i == 0);
    }
    {
      std::lock_guard<std::mutex> lk(*meta_mutex);
      *meta_out = vars;
    }
    header_done = true;
    return out->end_row();
  }
};

int sav_metadata(readstat_metadata_t* m, void* ctx) {
  auto* s = static_cast<SavState*>(ctx);
  s->row_count = readstat_get_row_count(m);
  s->nvars = readstat_get_var_count(m);
  return READSTAT_HANDLER_OK;
}

int sav_variable(int index, readstat_variable_t* v, const char* val_labels, void* ctx) {
  auto* s = static_cast<SavState*>(ctx);
  if (index != static_cast<int>(s->vars.size())) return READSTAT_HANDLER_ABORT;
  SavVariable sv;
  // A damaged dictionary can give a variable no name (ReadStat returns NULL; found by fuzz_sav).
  const char* name = readstat_variable_get_name(v);
  if (!name || !*name) {
    s->error_text = "variable " + std::to_string(index + 1) + " has no name";
    return READSTAT_HANDLER_ABORT;
  }
  sv.name = name;
  const char* label = readstat_variable_get_label(v);
  if (label) sv.label = label;
  sv.is_string = readstat_variable_get_type_class(v) == READSTAT_TYPE_CLASS_STRING;
  s->vars.push_back(std::move(sv));
  s->set_name.emplace_back(val_labels ? val_labels : "");
  bool use = false;
  for (const auto& c : s->value_label_columns) use = use || c == s->vars.back().name;
  s->use_labels.push_back(use ? 1 : 0);
  return READSTAT_HANDLER_OK;
}

int sav_value_label(const char* set, readstat_value_t value, const char* label, void* ctx) {
  auto* s = static_cast<SavState*>(ctx);
  if (!set) return READSTAT_HANDLER_OK;  // a damaged label set without a name labels nothing
  if (readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING) {
    const char* sv = readstat_string_value(value);
    s->str_sets[set][sv ? sv : ""] = label ? label : "";
  } else if (!readstat_value_is_system_missing(value)) {
    s->num_sets[set][readstat_double_value(value)] = label ? label : "";
  }
  return READSTAT_HANDLER_OK;
}

double numeric_value(readstat_value_t value) {
  switch (readstat_value_type(value)) {
    case READSTAT_TYPE_INT8: return readstat_int8_value(value);
    case READSTAT_TYPE_INT16: return readstat_int16_value(value);
    case READSTAT_TYPE_INT32: return readstat_int32_value(value);
    case READSTAT_TYPE_FLOAT: return static_cast<double>(readstat_float_value(value));
    default: return readstat_double_value(value);
  }
}

int sav_value(int obs, readstat_variable_t* v, readstat_value_t value, void* ctx) {
  auto* s = static_cast<SavState*>(ctx);
  if (!s->header_done && !s->write_header()) { s->aborted = true; return READSTAT_HANDLER_ABORT; }
  const int i = readstat_variable_get_index(v);
  const bool first = i == 0;
  const auto ui = static_cast<std::size_t>(i);
  if (readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING) {
    const char* sv = readstat_string_value(value);
    std::string_view text = sv ? sv : "";
    if (readstat_value_is_missing(value, v)) text = {};
    else if (s->var_str_labels[ui]) {
      auto it = s->var_str_labels[ui]->find(std::string(text));
      if (it != s->var_str_labels[ui]->end()) text = it->second;
    }
    s->out->cell(text, first);
  } else if (readstat_value_is_missing(value, v)) {
    // System-missing and the variable's user-missing codes are both "not answered".
    s->out->cell({}, first);
  } else {
    const double x = numeric_value(value);
    const std::string* lab = nullptr;
    if (s->var_num_labels[ui]) {
      auto it = s->var_num_labels[ui]->find(x);
      if (it != s->var_num_labels[ui]->end()) lab = &it->second;
    }
    if (lab) s->out->cell(*lab, first);
    else s->out->number(x, first);
  }
  if (ui + 1 == s->vars.size()) {
    s->rows = obs + 1;
    if (!s->out->end_row()) { s->aborted = true; return READSTAT_HANDLER_ABORT; }
  }
  return READSTAT_HANDLER_OK;
}

void sav_error(const char* msg, void* ctx) {
  auto* s = static_cast<SavState*>(ctx);
  if (msg) {
    if (!s->error_text.empty()) s->error_text += "; ";
    s->error_text += msg;
    while (!s->error_text.empty() && (s->error_text.back() == '\n' || s->error_text.back() == ' ')) s->error_text.pop_back();
  }
}

// ReadStat's default I/O issues one read() per case; stdio with a 1 MB buffer makes that a few
// hundred system calls per 100,000 cases.
//
// The file header's case count (int32 at byte 80) is taken out of ReadStat's hands: it stops reading
// an uncompressed file after that many cases, so a header saying 0, -5 or 50 for a file of 100
// cases read 0 or 50 of them and ended in success. ReadStat is shown -1 ("unknown", which the
// format allows) and a row limit of LONG_MAX, so it reads every case there is; the count is
// compared with the cases read after. In an uncompressed file (one read per case) a last read that
// ends inside a case marks a cut file, whatever the header says.
struct SavIo {
  std::FILE* f = nullptr;
  std::vector<char> vbuf;
  long long pos = 0;
  unsigned char header[84] = {};
  std::size_t header_seen = 0;  // bytes of header[] read
  bool cut = false;             // the last read ended inside what was asked for
  bool header_count_valid() const { return header_seen >= sizeof header; }
  std::int32_t header_int(std::size_t at) const {
    std::int32_t layout = 0, v = 0;
    std::memcpy(&layout, header + 64, 4);
    std::memcpy(&v, header + at, 4);
    return layout == 2 || layout == 3 ? v : static_cast<std::int32_t>(__builtin_bswap32(static_cast<std::uint32_t>(v)));
  }
  // The header's case count, in the byte order its layout code (int32 at byte 64: 2 or 3) shows.
  long long header_count() const { return header_int(80); }
  bool uncompressed() const { return header_int(72) == 0; }
  void hide_case_count(char* buf, std::size_t got) {
    if (pos >= static_cast<long long>(sizeof header)) return;
    const std::size_t from = static_cast<std::size_t>(pos);
    const std::size_t n = std::min(got, sizeof header - from);
    std::memcpy(header + from, buf, n);
    header_seen = std::max(header_seen, from + n);
    for (std::size_t i = 80; i < 84; ++i)
      if (i >= from && i < from + n) buf[i - from] = static_cast<char>(0xFF);  // -1 in either byte order
  }
};
int sav_open(const char* path, void* ctx) {
  auto* io = static_cast<SavIo*>(ctx);
  io->f = std::fopen(path, "rb");
  if (!io->f) return -1;
  io->vbuf.resize(1u << 20);
  std::setvbuf(io->f, io->vbuf.data(), _IOFBF, io->vbuf.size());
  return 0;
}
int sav_close(void* ctx) {
  auto* io = static_cast<SavIo*>(ctx);
  const int rc = io->f ? std::fclose(io->f) : 0;
  io->f = nullptr;
  return rc;
}
readstat_off_t sav_seek(readstat_off_t offset, readstat_io_flags_t whence, void* ctx) {
  auto* io = static_cast<SavIo*>(ctx);
  const int w = whence == READSTAT_SEEK_SET ? SEEK_SET : whence == READSTAT_SEEK_CUR ? SEEK_CUR : SEEK_END;
  if (::fseeko(io->f, static_cast<off_t>(offset), w) != 0) return -1;
  io->pos = static_cast<long long>(::ftello(io->f));
  return static_cast<readstat_off_t>(io->pos);
}
ssize_t sav_read(void* buf, size_t n, void* ctx) {
  auto* io = static_cast<SavIo*>(ctx);
  const std::size_t got = std::fread(buf, 1, n, io->f);
  if (got < n && std::ferror(io->f)) return -1;
  io->hide_case_count(static_cast<char*>(buf), got);
  io->cut = got > 0 && got < n;
  io->pos += static_cast<long long>(got);
  return static_cast<ssize_t>(got);
}
readstat_error_t sav_update(long, readstat_progress_handler, void*, void*) { return READSTAT_OK; }

// -1 is "unknown"; any other count must be the number of cases the file holds.
void check_case_count(const SavIo& io, long rows, Location where) {
  if (!io.header_count_valid()) return;
  const long long announced = io.header_count();
  if (io.cut && io.uncompressed()) {
    where.row = rows + 1;
    throw DataError("SPSS file ends in the middle of case " + std::to_string(rows + 1) + " (truncated?)", where,
                    "a complete SPSS .sav file");
  }
  if (announced == -1 || announced == rows) return;
  if (announced > rows) {
    where.row = rows + 1;
    throw DataError("SPSS file ends after " + std::to_string(rows) + " of the " + std::to_string(announced) +
                        " cases its header announces (truncated?)",
                    where, "a complete SPSS .sav file");
  }
  throw DataError("SPSS file holds " + std::to_string(rows) + " cases but its header announces " + std::to_string(announced) +
                      " (a damaged header or a file written by a faulty program)",
                  where, "a header case count that matches the file, or -1 (unknown)");
}

void convert_sav(const std::string& path, CsvOut& out, const InputOptions& opt, std::mutex& meta_mutex,
                 std::vector<SavVariable>& meta) {
  SavState s;
  s.out = &out;
  s.file = &path;
  s.value_label_columns = opt.value_label_columns;
  s.meta_mutex = &meta_mutex;
  s.meta_out = &meta;
  readstat_parser_t* parser = readstat_parser_init();
  struct Free { readstat_parser_t* p; ~Free() { readstat_parser_free(p); } } guard{parser};
  readstat_set_metadata_handler(parser, sav_metadata);
  readstat_set_variable_handler(parser, sav_variable);
  readstat_set_value_label_handler(parser, sav_value_label);
  readstat_set_value_handler(parser, sav_value);
  readstat_set_error_handler(parser, sav_error);
  SavIo io;
  readstat_set_open_handler(parser, sav_open);
  readstat_set_close_handler(parser, sav_close);
  readstat_set_seek_handler(parser, sav_seek);
  readstat_set_read_handler(parser, sav_read);
  readstat_set_update_handler(parser, sav_update);
  readstat_set_io_ctx(parser, &io);
  // With the count hidden (-1), ReadStat reads an uncompressed file up to this limit or its end.
  readstat_set_row_limit(parser, std::numeric_limits<long>::max());
  const readstat_error_t rc = readstat_parse_sav(parser, path.c_str(), &s);
  if (s.aborted) return;  // the reader side stopped early; nothing to report
  Location where = Location::in_file(path);
  if (rc == READSTAT_ERROR_OPEN) throw IoError(std::string("cannot open SPSS file: ") + std::strerror(errno), where);
  if (rc != READSTAT_OK) {
    if (s.header_done) where.row = s.rows + 1;
    std::string msg = std::string("cannot read SPSS .sav file: ") + readstat_error_message(rc);
    if (!s.error_text.empty()) msg += " (" + s.error_text + ")";
    if (s.header_done) msg += "; " + std::to_string(s.rows) + " complete cases before the problem";
    throw DataError(msg, where, "a complete SPSS .sav file (truncated or damaged files cannot be read)");
  }
  if (!s.header_done) {
    if (s.vars.empty()) throw DataError("SPSS file has no variables", where, "a .sav file with the item variables");
    if (!s.write_header()) return;
  }
  check_case_count(io, s.rows, where);
}

// ---- the FILE* over the channel ----------------------------------------------------------------

}  // namespace

struct TabularInput::Impl {
  std::string path;
  std::string name;
  InputOptions opt;
  std::FILE* raw = nullptr;   // csv/jsonl: the opened file
  bool owns_raw = false;
  std::FILE* cookie = nullptr;
  std::unique_ptr<Channel> ch;
  std::thread worker;
  std::mutex err_mutex;
  std::exception_ptr error;   // sticky: the first reader error
  std::uint64_t offset = 0;  // bytes delivered through the cookie
  mutable std::mutex meta_mutex;
  std::vector<SavVariable> meta;
  int runs = 0;
  bool rewindable = true;

  void stop() {
    if (ch) ch->cancel();
    if (worker.joinable()) worker.join();
    ch.reset();
  }
  void start() {
    ch = std::make_unique<Channel>();
    ++runs;
    if (opt.format == InputFormat::jsonl && runs > 1) {
      if (std::fseek(raw, 0, SEEK_SET) != 0) throw IoError("cannot rewind input for a second pass", Location::in_file(name));
    }
    Channel* c = ch.get();
    worker = std::thread([this, c] {
      CsvOut out{c, opt.delimiter, std::string()};
      out.buf.reserve(kBlockBytes + 1024);
      try {
        if (opt.format == InputFormat::sav) convert_sav(path, out, opt, meta_mutex, meta);
        else convert_jsonl(raw, name, opt.max_record_bytes, out);
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
    if (!self->rewindable) {  // JSON Lines from a pipe: behave like the pipe (ftell fails)
      errno = ESPIPE;
      return -1;
    }
    if ((whence == SEEK_CUR && *pos == 0) || (whence == SEEK_SET && static_cast<std::uint64_t>(*pos) == self->offset)) {
      *pos = static_cast<off64_t>(self->offset);
      return 0;
    }
    if (whence == SEEK_SET && *pos == 0) {
      // A second pass: convert the file again from the start.
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
    if (options.format == InputFormat::csv) return;
    m.rewindable = std::ftell(m.raw) >= 0;
  }
  cookie_io_functions_t fns{};
  fns.read = &Impl::cookie_read;
  fns.seek = &Impl::cookie_seek;
  m.start();
  m.cookie = ::fopencookie(&m, "r", fns);
  if (!m.cookie) {
    m.stop();
    if (m.owns_raw) std::fclose(m.raw);
    throw IoError("cannot create a stream for the converted input", Location::in_file(m.name));
  }
}

TabularInput::~TabularInput() {
  Impl& m = *impl_;
  m.stop();
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
  if (impl_->opt.format == InputFormat::jsonl && e.line > 0) e.line -= 1;
  else if (impl_->opt.format == InputFormat::sav) e.line = -1;
}

void TabularInput::rethrow_located(const Error& e) const {
  Location w = e.where();
  if (w.file == impl_->name && w.row > 0) {
    if (impl_->opt.format == InputFormat::jsonl && w.line > 0) w.line -= 1;
    else if (impl_->opt.format == InputFormat::sav) w.line = -1;
  }
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

// ---- Qualtrics-style extra header rows ---------------------------------------------------------

void check_extra_header_rows(const ScoringPlan& plan, std::FILE* in, const std::string& file, const BatchOptions& opt) {
  if (opt.skip_rows != 0) return;
  const long start = std::ftell(in);
  if (start < 0) return;  // not seekable: cannot look ahead without consuming the stream
  // Qualtrics' question-text row can be long; 4 MB covers the three records of any real export.
  // The look-ahead starts at 64 KB and grows only when the three records do not fit: zero-filling
  // and reading 4 MB for every file cost a few milliseconds before the first row was scored.
  constexpr std::size_t kMaxLook = 4u << 20;
  std::string buf;
  std::vector<std::vector<std::string>> recs;
  std::vector<std::int64_t> rec_line;
  for (std::size_t look = 64u << 10;; look *= 4) {
    buf.resize(std::min(look, kMaxLook));
    const std::size_t got = std::fread(&buf[0], 1, buf.size(), in);
    std::clearerr(in);
    if (std::fseek(in, start, SEEK_SET) != 0) throw IoError("cannot rewind input after looking at its header", Location::in_file(file));
    const bool whole = got < buf.size();  // the look-ahead holds the rest of the input
    buf.resize(got);
    const char* base = buf.data();
    const char* p = base;
    const char* end = base + got;
    if (got >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    // A header over the column limit is the pipeline's to refuse: parsed here, 4 MB of commas
    // became four million stored fields (160 MB).
    if (io::first_line_over_column_limit(p, end, opt.delimiter)) return;
    io::RecordParser parser(opt.delimiter);
    parser.set_base(base);
    recs.clear();
    rec_line.clear();
    std::int64_t line = 0;
    bool cut = false;  // a record may run past the look-ahead
    while (p < end && recs.size() < 3) {
      if (*p == '\n') { ++p; ++line; continue; }
      const std::int64_t at = line + 1;
      int nl = 0;
      const io::RecordStatus st = parser.parse(p, end, nl);
      // A record that reaches the end of a partial look-ahead, or breaks there (a quoted field
      // cut short), may be whole further on.
      if (!whole && (p >= end || st != io::RecordStatus::ok)) { cut = true; break; }
      if (st != io::RecordStatus::ok) return;  // the pipeline reports syntax errors
      line += nl;
      std::vector<std::string> r;
      for (std::size_t i = 0; i < parser.field_count(); ++i) r.emplace_back(parser.field(i, base));
      recs.push_back(std::move(r));
      rec_line.push_back(at);
    }
    if (!cut) break;
    if (look >= kMaxLook) return;  // three records longer than 4 MB: not an export to warn about
  }
  if (recs.size() < 3) return;
  std::vector<int> item_col;
  try {
    item_col = io::map_item_columns(plan, recs[0], opt.mapping, file);
  } catch (const Error&) {
    return;  // the pipeline reports the mapping problem with its own message
  }
  auto is_missing_code = [&](const std::string& v) {
    for (const auto& c : opt.missing_codes) if (v == c) return true;
    return false;
  };
  // A row "is text" when every non-empty item cell is neither a number nor a declared missing code.
  auto text_row = [&](const std::vector<std::string>& r, bool& import_id, int& first_col) {
    if (r.size() != recs[0].size()) return false;
    int text = 0;
    for (int c : item_col) {
      std::string v = r[static_cast<std::size_t>(c)];
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
      std::size_t b = v.find_first_not_of(" \t");
      v = b == std::string::npos ? std::string() : v.substr(b);
      if (v.empty() || is_missing_code(v)) continue;
      double d = 0;
      auto res = std::from_chars(v.data() + (v[0] == '+'), v.data() + v.size(), d);
      if (res.ec == std::errc() && res.ptr == v.data() + v.size()) return false;
      if (v.rfind("{\"ImportId\"", 0) == 0) import_id = true;
      if (first_col < 0) first_col = c;
      ++text;
    }
    return text > 0;
  };
  bool id1 = false, id2 = false;
  int col1 = -1, col2 = -1;
  if (!text_row(recs[1], id1, col1) || !text_row(recs[2], id2, col2)) return;
  Location where;
  where.file = file;
  where.row = 1;
  where.line = rec_line[1];
  where.column = col1 + 1;
  where.column_name = recs[0][static_cast<std::size_t>(col1)];
  std::string v = recs[1][static_cast<std::size_t>(col1)];
  if (v.size() > 80) v = v.substr(0, 80) + "...";
  where.value = v;
  throw DataError(std::string("rows 1 and 2 under the header hold text, not answers") +
                      (id2 ? " (row 2 has ImportId tags): this looks like a Qualtrics export with two extra header rows"
                           : ": this looks like an export with extra header rows (e.g. Qualtrics)"),
                  where, "answers from row 1 on; if these are header rows, pass --skip-rows 2");
}

}  // namespace attune
