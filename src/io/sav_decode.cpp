// The .sav decoder (sav_decode.hpp): ReadStat's callbacks, the file's I/O, the case count check.
#include "sav_decode.hpp"

#include <attune/error.hpp>

#include <readstat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>

namespace attune::io {

namespace {

struct SavState {
  CellOut* out = nullptr;
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
    }
    out->begin_row();
    for (const auto& v : vars) batch::sav_cells::text(out->buf, v.name);
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
  const auto ui = static_cast<std::size_t>(i);
  std::string& buf = s->out->buf;
  if (i == 0) s->out->begin_row();
  if (readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING) {
    const char* sv = readstat_string_value(value);
    std::string_view text = sv ? sv : "";
    if (readstat_value_is_missing(value, v)) {
      text = {};
    } else if (s->var_str_labels[ui]) {
      auto it = s->var_str_labels[ui]->find(std::string(text));
      if (it != s->var_str_labels[ui]->end()) text = it->second;
    }
    // An empty string is an empty cell, as it always was in the CSV text: not answered.
    if (text.empty()) batch::sav_cells::missing(buf);
    else batch::sav_cells::text(buf, text);
  } else if (readstat_value_is_missing(value, v)) {
    // System-missing and the variable's user-missing codes are both "not answered".
    batch::sav_cells::missing(buf);
  } else {
    const double x = numeric_value(value);
    const std::string* lab = nullptr;
    if (s->var_num_labels[ui]) {
      auto it = s->var_num_labels[ui]->find(x);
      if (it != s->var_num_labels[ui]->end()) lab = &it->second;
    }
    if (lab) batch::sav_cells::text(buf, *lab);
    else batch::sav_cells::number(buf, x);
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

}  // namespace

void decode_sav(const std::string& path, CellOut& out, const std::vector<std::string>& value_label_columns,
                std::mutex& meta_mutex, std::vector<SavVariable>& meta) {
  SavState s;
  s.out = &out;
  s.file = &path;
  s.value_label_columns = value_label_columns;
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

}  // namespace attune::io
