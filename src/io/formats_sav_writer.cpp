// Scores -> SPSS .sav through ReadStat's writer (formats_sav_writer.hpp). A .sav header states the
// number of cases and each variable's type, width and format before the first case, so the input
// goes through the pipeline twice (write/sav_rows.hpp walks the table of output columns in both):
// once to measure the columns, once to hand each row's values to ReadStat. Memory stays that of one
// reading: nothing is spooled, neither to disk nor in memory.
#include "formats_sav_writer.hpp"

#include <attune/error.hpp>
#include <attune/instrument.hpp>
#include <attune/scoring_plan.hpp>

#include "../batch/columns.hpp"
#include "../batch/job/pipeline.hpp"
#include "../batch/write/sav_rows.hpp"
#include "../number_format.hpp"

#include <readstat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <map>
#include <set>

namespace attune {

namespace {

using batch::ChunkResult;
using batch::OutputColumn;
using batch::SavShape;

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
std::map<std::string, std::string> column_labels(const ScoringPlan& plan, const BatchOptions& opt) {
  std::map<std::string, std::string> m;
  for (const auto& c : batch::every_column(plan, opt.theta, opt.theta_map, opt.norms))
    if (!c.label.empty()) m[c.name] = c.label;
  return m;
}

ssize_t write_bytes(const void* data, size_t len, void* ctx) {
  std::FILE* f = static_cast<std::FILE*>(ctx);
  return std::fwrite(data, 1, len, f) == len ? static_cast<ssize_t>(len) : -1;
}

struct SavColumn {
  std::string name;
  SavShape shape;
  bool number_values = true;  // sav_value_rows hands over a double (else a text)
  int decimals = 0;           // a number's decimals in the CSV output
  bool row_number = false;    // numbered by the writer (the values have none)
};

// The pipeline's reading of `in` from where it stands, each chunk's result to use(result, rows before
// it); the kept columns' names in `kept`.
template <class Use>
BatchSummary read_through(const ScoringPlan& plan, std::FILE* in, const std::string& file, const BatchOptions& opt,
                          const std::function<void(const RowError&)>& on_error, void (*format)(const batch::Job&, batch::Workspace&, ChunkResult&),
                          std::vector<std::string>& kept, const Use& use) {
  BatchSummary sum;
  batch::Head head = batch::read_head(plan, in, file, opt, true);
  sum.rows_skipped = head.skipped;
  kept.clear();
  for (int c : head.layout.keep_col) kept.push_back(head.layout.header[static_cast<std::size_t>(c)]);
  std::uint64_t line_base = head.lines, row_base = 0;
  batch::run_pipeline(plan, in, file, opt, head, false, [&](ChunkResult& r, std::uint64_t bytes) {
    batch::report_chunk_errors(r, row_base, line_base, file, opt.on_error, on_error);
    use(r, row_base);
    batch::merge_accumulated(r, opt);
    row_base += r.rows;
    line_base += r.newlines;  // blank lines included
    batch::add_counts(r, sum);
    sum.bytes_in = bytes;
    if (opt.progress) opt.progress(sum.rows_in, bytes);
  }, false, nullptr, format);
  return sum;
}

// The first reading: every column's shape, and the number of rows. Row errors are reported by the
// second reading (in stop mode the first one already stops at the first).
std::vector<SavColumn> measure_columns(const ScoringPlan& plan, std::FILE* in, const std::string& file, const BatchOptions& opt,
                                       std::uint64_t& rows) {
  BatchOptions first = opt;
  first.accumulators.clear();
  std::vector<SavShape> merged;
  std::vector<std::string> kept;
  const BatchSummary sum = read_through(plan, in, file, first, [](const RowError&) {}, batch::measure_sav_rows, kept,
                                        [&](ChunkResult& r, std::uint64_t) {
    std::vector<SavShape> shapes(r.text_len / sizeof(SavShape));
    if (!shapes.empty()) std::memcpy(shapes.data(), r.text.data(), shapes.size() * sizeof(SavShape));
    if (merged.empty()) merged.resize(shapes.size());
    for (std::size_t i = 0; i < shapes.size(); ++i) merged[i].merge(shapes[i]);
  });
  rows = sum.rows_in;
  const std::vector<OutputColumn> table = batch::output_table(plan, opt, kept);
  std::vector<SavColumn> cols(table.size());
  for (std::size_t i = 0; i < table.size(); ++i) {
    const OutputColumn& t = table[i];
    SavColumn& c = cols[i];
    c.name = t.name;
    if (i < merged.size()) c.shape = merged[i];
    c.shape.numeric = c.shape.numeric && !batch::sav_always_text(t);
    c.number_values = batch::sav_number_column(t);
    c.decimals = t.type == batch::ColumnType::number ? opt.decimals : 0;
    c.row_number = t.group == batch::ColumnGroup::row_number;
    if (c.row_number && rows > 0) c.shape.width = static_cast<std::uint32_t>(std::to_string(rows).size());
  }
  return cols;
}

// A reading that only reports its rows' errors (and stops where the input stops).
void report_rows(const ScoringPlan& plan, std::FILE* in, const std::string& file, const BatchOptions& opt,
                 const std::function<void(const RowError&)>& on_error) {
  BatchOptions o = opt;
  o.accumulators.clear();
  std::vector<std::string> kept;
  read_through(plan, in, file, o, on_error, batch::measure_sav_rows, kept, [](ChunkResult&, std::uint64_t) {});
}

// ReadStat's writer, its errors turned into attune's.
class SavFile {
 public:
  SavFile(std::FILE* out, std::string name) : w_(readstat_writer_init()), out_(out), name_(std::move(name)) {}
  ~SavFile() { readstat_writer_free(w_); }
  SavFile(const SavFile&) = delete;
  SavFile& operator=(const SavFile&) = delete;
  readstat_writer_t* get() const { return w_; }
  std::FILE* out() const { return out_; }
  const std::string& name() const { return name_; }
  void check(readstat_error_t rc, const char* what) const {
    if (rc == READSTAT_OK) return;
    if (rc == READSTAT_ERROR_WRITE) throw IoError(std::string("write failed: ") + std::strerror(errno), Location::in_file(name_));
    throw DataError(std::string("cannot write SPSS .sav: ") + what + ": " + readstat_error_message(rc), Location::in_file(name_),
                    "values ReadStat can store");
  }

 private:
  readstat_writer_t* w_;
  std::FILE* out_;
  std::string name_;
};

// One variable of the header: its SPSS name, label, type, format and value labels.
readstat_variable_t* add_variable(SavFile& f, SavColumn& c, const std::string& name, const std::string& label, const SavVariable* from,
                                  int& set_no) {
  readstat_writer_t* w = f.get();
  readstat_variable_t* v;
  if (c.shape.numeric) {
    v = readstat_add_variable(w, name.c_str(), READSTAT_TYPE_DOUBLE, 0);
    const int d = std::min<int>(c.shape.decimals, 16);
    const std::string fmt = "F" + std::to_string(std::min(40, std::max(8, static_cast<int>(c.shape.width) + 2))) + "." + std::to_string(d);
    readstat_variable_set_format(v, fmt.c_str());
    readstat_variable_set_measure(v, READSTAT_MEASURE_SCALE);
    if (from && !from->value_labels.empty()) {
      readstat_label_set_t* ls = readstat_add_label_set(w, READSTAT_TYPE_DOUBLE, ("labels" + std::to_string(set_no++)).c_str());
      for (const auto& vl : from->value_labels) readstat_label_double_value(ls, vl.first, vl.second.c_str());
      readstat_variable_set_label_set(v, ls);
      readstat_variable_set_measure(v, READSTAT_MEASURE_NOMINAL);
    }
  } else {
    c.shape.width = std::min<std::uint32_t>(c.shape.width, 32767);
    v = readstat_add_variable(w, name.c_str(), READSTAT_TYPE_STRING, c.shape.width);
    readstat_variable_set_measure(v, READSTAT_MEASURE_NOMINAL);
    if (from && !from->string_labels.empty()) {
      readstat_label_set_t* ls = readstat_add_label_set(w, READSTAT_TYPE_STRING, ("labels" + std::to_string(set_no++)).c_str());
      for (const auto& vl : from->string_labels) readstat_label_string_value(ls, vl.first.c_str(), vl.second.c_str());
      readstat_variable_set_label_set(v, ls);
    }
  }
  if (!v) throw DataError("cannot add variable '" + name + "'", Location::in_file(f.name()), "a valid SPSS variable");
  if (!label.empty()) readstat_variable_set_label(v, label.c_str());
  return v;
}

// The header's variables, in output order: labels from the table, or the kept input variable's own.
std::vector<readstat_variable_t*> add_variables(SavFile& f, std::vector<SavColumn>& cols, const ScoringPlan& plan, const BatchOptions& opt,
                                                const SavOutputOptions& sav) {
  const auto labels = column_labels(plan, opt);
  const std::vector<SavVariable> kept_variables = sav.kept_variables ? sav.kept_variables() : std::vector<SavVariable>{};
  std::set<std::string> used;
  std::vector<readstat_variable_t*> vars;
  int set_no = 0;
  for (auto& c : cols) {
    const std::string name = spss_name(c.name, used);
    std::string label;
    const SavVariable* from = nullptr;
    for (const auto& k : kept_variables) if (k.name == c.name) from = &k;
    auto it = labels.find(c.name);
    if (from && !from->label.empty()) label = from->label;
    else if (it != labels.end() && !from) label = it->second;
    if (name != c.name) label = c.name + (label.empty() ? "" : ": " + label);
    vars.push_back(add_variable(f, c, name, label, from, set_no));
  }
  return vars;
}

// One value into its variable, as the column's type takes it.
void insert_value(const SavFile& f, readstat_variable_t* var, const SavColumn& c, batch::SavValues& in, std::string& text) {
  readstat_writer_t* w = f.get();
  double x = 0;
  bool have = false;
  std::string_view t;
  if (c.number_values) {
    x = in.number();
    have = !std::isnan(x);
    if (!c.shape.numeric) {  // a number column that held a text: only a non-finite number makes one
      char buf[48];
      t = have ? std::string_view(buf, detail::format_fixed(x, c.decimals, buf)) : std::string_view();
      text.assign(t.data(), std::min<std::size_t>(t.size(), c.shape.width));
      f.check(readstat_insert_string_value(w, var, text.c_str()), "string");
      return;
    }
  } else {
    t = in.text();
    have = c.shape.numeric && batch::sav_parse_number(t, x);
  }
  if (c.shape.numeric) {
    f.check(have ? readstat_insert_double_value(w, var, x) : readstat_insert_missing_value(w, var), have ? "number" : "missing value");
    return;
  }
  text.assign(t.data(), std::min<std::size_t>(t.size(), c.shape.width));
  f.check(readstat_insert_string_value(w, var, text.c_str()), "string");
}

// The second reading's chunk: its rows as cases.
void write_cases(const SavFile& f, const std::vector<SavColumn>& cols, const std::vector<readstat_variable_t*>& vars, const ChunkResult& r,
                 std::uint64_t row_base) {
  batch::SavValues in(r.text.data(), r.text.data() + r.text_len);
  std::string text;
  for (std::uint64_t k = 0; k < r.rows; ++k) {
    f.check(readstat_begin_row(f.get()), "row");
    for (std::size_t i = 0; i < cols.size(); ++i) {
      if (cols[i].row_number) f.check(readstat_insert_double_value(f.get(), vars[i], static_cast<double>(row_base + k + 1)), "number");
      else insert_value(f, vars[i], cols[i], in, text);
    }
    f.check(readstat_end_row(f.get()), "row");
  }
}

}  // namespace

BatchSummary score_to_sav(const ScoringPlan& plan, std::FILE* in, const std::string& in_name, std::FILE* out, const std::string& out_name,
                          const BatchOptions& opt, const SavOutputOptions& sav, const std::function<void(const RowError&)>& on_error) {
  const long start = std::ftell(in);
  if (start < 0)
    throw UsageError(".sav output needs to read the input twice (a .sav file states its number of rows and each column's width "
                     "before the first row), and input from a pipe can be read only once",
                     Location::in_file(in_name), "the data as a file (a path, or < FILE), or CSV or JSON Lines output");
  std::uint64_t cases = 0;
  std::vector<SavColumn> cols;
  try {
    cols = measure_columns(plan, in, in_name, opt, cases);
  } catch (const Error&) {
    // The input stops with an error (a JSON Lines syntax error, say): the rows before it are reported,
    // as by a job that reads once, then the same error stops this one.
    if (std::fseek(in, start, SEEK_SET) == 0) report_rows(plan, in, in_name, opt, on_error);
    throw;
  }
  if (std::fseek(in, start, SEEK_SET) != 0) throw IoError("cannot rewind the input for the .sav output's second reading", Location::in_file(in_name));
  SavFile f(out, out_name);
  f.check(readstat_set_data_writer(f.get(), write_bytes), "data writer");
  f.check(readstat_writer_set_file_label(f.get(), sav.file_label.c_str()), "file label");
  const std::vector<readstat_variable_t*> vars = add_variables(f, cols, plan, opt, sav);
  f.check(readstat_begin_writing_sav(f.get(), out, static_cast<long>(cases)), "header");
  std::vector<std::string> kept;
  std::uint64_t written = 0;
  const BatchSummary sum = read_through(plan, in, in_name, opt, on_error, batch::sav_value_rows, kept, [&](ChunkResult& r, std::uint64_t row_base) {
    if (row_base + r.rows > cases) throw IoError("the input changed between the .sav output's two readings", Location::in_file(in_name));
    write_cases(f, cols, vars, r, row_base);
    written = row_base + r.rows;
  });
  if (written != cases) throw IoError("the input changed between the .sav output's two readings", Location::in_file(in_name));
  f.check(readstat_end_writing(f.get()), "end");
  if (std::fflush(out) != 0) throw IoError(std::string("write failed: ") + std::strerror(errno), Location::in_file(out_name));
  return sum;
}

}  // namespace attune
