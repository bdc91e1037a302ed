// Scores CSV -> SPSS .sav through ReadStat's writer. A .sav header states the number of cases and
// each string variable's width before the first case, so the scores are first written as CSV (to a
// temporary file: disk, not memory) and read here twice: once for counts, types and widths, once
// to write the cases.
#include <attune/error.hpp>
#include <attune/formats.hpp>
#include <attune/instrument.hpp>
#include <attune/output_columns.hpp>
#include <attune/scoring_plan.hpp>

#include "../batch/columns.hpp"
#include "csv.hpp"

#include <readstat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <set>

namespace attune {

namespace {

// Whole CSV records from a FILE*, in blocks; field views are valid until the next call.
struct CsvRecords {
  std::FILE* f;
  std::string name;
  io::RecordParser parser;
  std::string buf;
  std::size_t pos = 0, limit = 0;
  bool eof = false;
  std::vector<std::string_view> fields;
  CsvRecords(std::FILE* file, char delim, std::string n) : f(file), name(std::move(n)), parser(delim) {}
  bool next() {
    for (;;) {
      while (pos < limit && buf[pos] == '\n') ++pos;
      if (pos < limit) {
        const char* base = buf.data();
        const char* p = base + pos;
        parser.set_base(base);
        int nl = 0;
        if (parser.parse(p, base + limit, nl) != io::RecordStatus::ok)
          throw DataError("scores CSV could not be parsed for the .sav writer", Location::in_file(name), "CSV as written by score_csv");
        pos = static_cast<std::size_t>(p - base);
        fields.resize(parser.field_count());
        for (std::size_t i = 0; i < fields.size(); ++i) fields[i] = parser.field(i, base);
        return true;
      }
      if (eof) return false;
      buf.erase(0, pos);
      pos = 0;
      const std::size_t old = buf.size();
      buf.resize(old + (1u << 20));
      const std::size_t got = std::fread(&buf[old], 1, 1u << 20, f);
      buf.resize(old + got);
      if (got == 0) {
        if (std::ferror(f)) throw IoError(std::string("read failed: ") + std::strerror(errno), Location::in_file(name));
        eof = true;
        limit = buf.size();
      } else {
        limit = io::last_record_end(buf.data(), buf.size());
      }
    }
  }
};

bool parse_double(std::string_view v, double& out) {
  if (v.empty()) return false;
  const char* b = v.data() + (v[0] == '+' ? 1 : 0);
  auto r = std::from_chars(b, v.data() + v.size(), out);
  return r.ec == std::errc() && r.ptr == v.data() + v.size() && std::isfinite(out);
}

// SPSS variable names: start with a letter (or @ # $), then letters, digits, . _ $ # @; at most 64
// bytes; not a reserved word; unique without regard to case.
std::string spss_name(const std::string& in, std::set<std::string>& used) {
  std::string s;
  for (char c : in) {
    const unsigned char u = static_cast<unsigned char>(c);
    s.push_back((std::isalnum(u) || c == '_' || c == '.' || c == '$' || c == '#' || c == '@' || u >= 0x80) ? c : '_');
  }
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '@' || static_cast<unsigned char>(s[0]) >= 0x80))
    s = "v" + s;
  while (!s.empty() && s.back() == '.') s.back() = '_';
  if (s.size() > 60) s.resize(60);
  auto upper = [](std::string x) {
    for (char& c : x) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return x;
  };
  static const std::set<std::string> reserved = {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"};
  if (reserved.count(upper(s))) s += "_";
  std::string base = s;
  for (int k = 2; used.count(upper(s)); ++k) s = base + "_" + std::to_string(k);
  used.insert(upper(s));
  return s;
}

// The labels of the output's columns, from the table of columns (src/batch/columns.hpp).
std::map<std::string, std::string> column_labels(const ScoringPlan& plan, const SavOutputOptions& options) {
  std::map<std::string, std::string> m;
  for (const auto& c : batch::every_column(plan, options.theta, options.theta_map, options.norms))
    if (!c.label.empty()) m[c.name] = c.label;
  return m;
}

// The output's text columns (the rest are numbers, or whatever their cells are for kept columns).
std::set<std::string> text_column_names(const ScoringPlan& plan, const SavOutputOptions& options) {
  std::set<std::string> t;
  for (const auto& c : batch::every_column(plan, nullptr, false, options.norms))
    if (c.type == batch::ColumnType::text) t.insert(c.name);
  return t;
}

struct Column {
  std::string name;        // as in the CSV
  bool numeric = true;
  std::size_t width = 1;   // string bytes
  int decimals = 0;
};

ssize_t write_bytes(const void* data, size_t len, void* ctx) {
  std::FILE* f = static_cast<std::FILE*>(ctx);
  return std::fwrite(data, 1, len, f) == len ? static_cast<ssize_t>(len) : -1;
}

}  // namespace

std::uint64_t write_sav_from_csv(const ScoringPlan& plan, std::FILE* csv, char delimiter, std::FILE* out, const std::string& out_name,
                                 const SavOutputOptions& options) {
  const long start = std::ftell(csv);
  if (start < 0) throw IoError("the scores must be in a seekable file for the .sav writer", Location::in_file(out_name));
  const std::set<std::string> text_columns = text_column_names(plan, options);
  // Pass 1: columns, types, widths, cases.
  std::vector<Column> cols;
  std::uint64_t cases = 0;
  {
    CsvRecords rec(csv, delimiter, out_name);
    if (!rec.next()) throw DataError("no scores to write", Location::in_file(out_name), "a header row");
    for (auto f : rec.fields) {
      Column c;
      c.name = std::string(f);
      c.numeric = !text_columns.count(c.name);
      cols.push_back(c);
    }
    while (rec.next()) {
      if (rec.fields.size() != cols.size())
        throw DataError("scores CSV row " + std::to_string(cases + 1) + " has " + std::to_string(rec.fields.size()) + " fields",
                        Location::in_file(out_name), std::to_string(cols.size()) + " fields");
      for (std::size_t i = 0; i < cols.size(); ++i) {
        const std::string_view v = rec.fields[i];
        cols[i].width = std::max(cols[i].width, v.size());
        if (v.empty() || !cols[i].numeric) continue;
        double d;
        if (!parse_double(v, d)) { cols[i].numeric = false; continue; }
        const auto dot = v.find('.');
        if (dot != std::string_view::npos && v.find_first_of("eE") == std::string_view::npos)
          cols[i].decimals = std::max(cols[i].decimals, static_cast<int>(v.size() - dot - 1));
      }
      ++cases;
    }
  }
  if (std::fseek(csv, start, SEEK_SET) != 0) throw IoError("cannot rewind the scores for the .sav writer", Location::in_file(out_name));

  readstat_writer_t* w = readstat_writer_init();
  struct Free { readstat_writer_t* w; ~Free() { readstat_writer_free(w); } } guard{w};
  auto check = [&](readstat_error_t rc, const char* what) {
    if (rc != READSTAT_OK) {
      if (rc == READSTAT_ERROR_WRITE) throw IoError(std::string("write failed: ") + std::strerror(errno), Location::in_file(out_name));
      throw DataError(std::string("cannot write SPSS .sav: ") + what + ": " + readstat_error_message(rc), Location::in_file(out_name),
                      "values ReadStat can store");
    }
  };
  check(readstat_set_data_writer(w, write_bytes), "data writer");
  check(readstat_writer_set_file_label(w, options.file_label.c_str()), "file label");
  const auto labels = column_labels(plan, options);
  std::set<std::string> used;
  std::vector<readstat_variable_t*> vars;
  int set_no = 0;
  for (auto& c : cols) {
    const std::string name = spss_name(c.name, used);
    std::string label;
    const SavVariable* from = nullptr;
    for (const auto& k : options.kept_variables) if (k.name == c.name) from = &k;
    auto it = labels.find(c.name);
    if (from && !from->label.empty()) label = from->label;
    else if (it != labels.end() && !from) label = it->second;
    if (name != c.name) label = c.name + (label.empty() ? "" : ": " + label);
    readstat_variable_t* v;
    if (c.numeric) {
      v = readstat_add_variable(w, name.c_str(), READSTAT_TYPE_DOUBLE, 0);
      const int d = std::min(c.decimals, 16);
      const std::string fmt = "F" + std::to_string(std::min(40, std::max(8, static_cast<int>(c.width) + 2))) + "." + std::to_string(d);
      readstat_variable_set_format(v, fmt.c_str());
      readstat_variable_set_measure(v, READSTAT_MEASURE_SCALE);
      if (from && !from->value_labels.empty()) {
        readstat_label_set_t* ls = readstat_add_label_set(w, READSTAT_TYPE_DOUBLE, ("labels" + std::to_string(set_no++)).c_str());
        for (const auto& vl : from->value_labels) readstat_label_double_value(ls, vl.first, vl.second.c_str());
        readstat_variable_set_label_set(v, ls);
        readstat_variable_set_measure(v, READSTAT_MEASURE_NOMINAL);
      }
    } else {
      c.width = std::min<std::size_t>(c.width, 32767);
      v = readstat_add_variable(w, name.c_str(), READSTAT_TYPE_STRING, c.width);
      readstat_variable_set_measure(v, READSTAT_MEASURE_NOMINAL);
      if (from && !from->string_labels.empty()) {
        readstat_label_set_t* ls = readstat_add_label_set(w, READSTAT_TYPE_STRING, ("labels" + std::to_string(set_no++)).c_str());
        for (const auto& vl : from->string_labels) readstat_label_string_value(ls, vl.first.c_str(), vl.second.c_str());
        readstat_variable_set_label_set(v, ls);
      }
    }
    if (!v) throw DataError("cannot add variable '" + name + "'", Location::in_file(out_name), "a valid SPSS variable");
    if (!label.empty()) readstat_variable_set_label(v, label.c_str());
    vars.push_back(v);
  }
  check(readstat_begin_writing_sav(w, out, static_cast<long>(cases)), "header");

  // Pass 2: the cases.
  CsvRecords rec(csv, delimiter, out_name);
  rec.next();  // header
  std::string text;
  std::uint64_t written = 0;
  while (rec.next()) {
    check(readstat_begin_row(w), "row");
    for (std::size_t i = 0; i < cols.size(); ++i) {
      const std::string_view v = rec.fields[i];
      if (cols[i].numeric) {
        double d;
        if (v.empty() || !parse_double(v, d)) check(readstat_insert_missing_value(w, vars[i]), "missing value");
        else check(readstat_insert_double_value(w, vars[i], d), "number");
      } else {
        text.assign(v.data(), std::min(v.size(), cols[i].width));
        check(readstat_insert_string_value(w, vars[i], text.c_str()), "string");
      }
    }
    check(readstat_end_row(w), "row");
    ++written;
  }
  check(readstat_end_writing(w), "end");
  if (std::fflush(out) != 0) throw IoError(std::string("write failed: ") + std::strerror(errno), Location::in_file(out_name));
  return written;
}

}  // namespace attune
