#include "options.hpp"
#include "output_file.hpp"

#include <cerrno>
#include <fstream>
#include <iostream>
#include <sstream>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace attune::cli {

const char* const ErrorSink::kHeader = "file,row,line,column,column_name,item,value,reason,expected\n";

struct ErrorSinkFile {
  OutputFile out;
  explicit ErrorSinkFile(const std::string& p) : out(p) {}
};

void add_data_options(CLI::App* c, DataArgs& a) {
  c->add_option("--instrument,-i", a.instrument, "Built-in instrument id or path of an instrument file")->required();
  c->add_option("input", a.input, "Data file: CSV, SPSS .sav or JSON Lines ('-' for standard input)")->required();
  c->add_option("--input-format", a.input_format, "Input format (default: by extension: .sav, .jsonl/.ndjson, else CSV)")
      ->check(CLI::IsMember({"csv", "sav", "jsonl", "ndjson"}));
  c->add_option("--map", a.map, "Columns to items: a pattern like 'Q{n}', 'ECR_{n:02}' (zero-padded) or '{id}', a list of columns in item order, or item=column pairs (default: columns named like the item ids, case ignored where one column matches)");
  c->add_option("--missing", a.missing, "Values that mean 'not answered' besides empty cells, e.g. 0 or NA,-99")
      ->allow_extra_args(false);  // one comma list per use: the input file after it is not a code
  c->add_option("--response-scale", a.response_scale, "Scale the data were collected on, MIN..MAX, when it differs from the instrument's");
  c->add_option("--profile-method", a.method, "Profile method (see 'attune instruments show ID'); default: the instrument's");
  add_skip_rows_option(c, a.skip_rows);
  c->add_option("--delimiter", a.delimiter, "Field delimiter (one character, or 'tab'; not a quote, line end or digit)");
  c->add_option("--threads", a.threads, "Worker threads (default: all cores; at most 1024)");
  c->add_option("--errors", a.errors, "Write error records (CSV) to this file instead of standard error");
  c->add_flag("--quiet,-q", a.quiet, "No summary on standard error");
}

std::vector<std::string> split_commas(const std::vector<std::string>& in) { return split_comma_lists(in); }

std::string read_text_file(const std::string& path, const std::string& what) { return read_document(path, what); }

ResponseScale parse_scale(const std::string& s) { return parse_response_scale(s); }

void claim_data_inputs(const DataArgs& a) {
  claim_input(a.input, "the data file");
  claim_input(a.instrument, "--instrument");
}

BatchSummary accumulate_data(const ScoringPlan& plan, const DataArgs& a, const BatchOptions& bo,
                             std::unique_ptr<ErrorSink>& errors, std::string* in_name) {
  TabularInput source(a.input, input_options(a, bo));
  errors = std::make_unique<ErrorSink>(a.errors, source.name());
  if (in_name) *in_name = source.name();
  ErrorSink& sink = *errors;
  return source.run([&] {
    return accumulate_csv(plan, source.csv(), source.name(), bo, [&](const RowError& e) {
      RowError l = e;
      source.locate(l);
      sink(l);
    });
  });
}

void require_two_readings(const std::string& path, const std::string& needs) {
  struct stat st;
  if (path == "-" || ::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) return;
  Location where;
  where.file = path;
  throw UsageError(needs + " reads the input twice, and '" + path + "' is not a regular file (a pipe or device can be read only once)",
                   where, "a regular file: save the data to a file first");
}

char parse_delimiter(const std::string& s) {
  if (s == "\\t" || s == "tab") return '\t';
  if (s.size() != 1) throw UsageError("--delimiter must be one character", {}, "e.g. ',' ';' or tab");
  BatchOptions probe;
  probe.delimiter = s[0];
  try {
    check_batch_options(probe);
  } catch (const UsageError& e) {
    throw UsageError("--delimiter: " + e.message(), e.where(), e.expected());
  }
  return s[0];
}

void check_threads(unsigned threads) {
  if (threads > kMaxBatchThreads)
    throw UsageError("--threads " + std::to_string(threads) + " is more than " + std::to_string(kMaxBatchThreads), {},
                     "at most " + std::to_string(kMaxBatchThreads) + " (without --threads: one per core)");
}

CLI::Option* add_skip_rows_option(CLI::App* c, std::size_t& skip_rows) {
  // CLI11 reads "-1" into a size_t as 2^64 - 1; its own Range check would print a 300-digit bound.
  const CLI::Validator count(
      [](std::string& v) { return !v.empty() && v[0] == '-' ? "a number of rows is never negative: " + v : std::string(); }, "COUNT");
  return c->add_option("--skip-rows", skip_rows, "Rows to skip after the header (e.g. 2 for Qualtrics exports)")->check(count);
}

ScoringPlan make_plan(const DataArgs& a) {
  Instrument ins = load_instrument(a.instrument);
  ScoringOptions so;
  if (!a.response_scale.empty()) so.data_scale = parse_scale(a.response_scale);
  so.profile_method = a.method;
  return ScoringPlan::compile(ins, so);
}

BatchOptions batch_options(const DataArgs& a) {
  BatchOptions bo;
  if (!a.map.empty()) bo.mapping = ColumnMapping::parse(a.map);
  bo.missing_codes = split_commas(a.missing);
  if (a.missing.empty()) bo.missing_codes.clear();
  check_threads(a.threads);
  bo.threads = a.threads;
  bo.skip_rows = a.skip_rows;
  bo.delimiter = parse_delimiter(a.delimiter);
  return bo;
}

InputOptions input_options(const DataArgs& a, const BatchOptions& bo) {
  InputOptions o;
  o.format = input_format_for(a.input, a.input_format);
  o.delimiter = bo.delimiter;
  o.max_record_bytes = bo.max_record_bytes;
  return o;
}

ErrorSink::ErrorSink(const std::string& path, const std::string& in_name) : in_name_(in_name) {
  if (!path.empty() && path != "-") {
    file_ = std::make_unique<ErrorSinkFile>(path);
    f_ = file_->out.get();
  } else {
    // Records on a terminal are read by a person: a NUL or an escape sequence in a value must not
    // reach it raw. Redirected standard error, like --errors FILE, gets the bytes as read.
    escape_ = ::isatty(STDERR_FILENO) != 0;
  }
}
ErrorSink::~ErrorSink() = default;

void ErrorSink::write(const std::string& text) {
  if (file_) file_->out.write(text);
  else std::fwrite(text.data(), 1, text.size(), f_);
}

void ErrorSink::operator()(const RowError& e) {
  auto csv = [this](const std::string& raw) {
    const std::string s = escape_ ? printable(raw) : raw;
    std::string o = "\"";
    for (char c : s) { if (c == '"') o += '"'; o += c; }
    return o + "\"";
  };
  if (!header_) { write(kHeader); header_ = true; }
  // Built as a string and written whole: a value may hold a NUL byte, which printf's %s would cut
  // short, leaving an unterminated quote in the record.
  write(csv(in_name_) + ',' + std::to_string(e.row) + ',' + std::to_string(e.line) + ',' + std::to_string(e.column) + ',' +
        csv(e.column_name) + ',' + csv(e.item) + ',' + csv(e.value) + ',' + csv(e.reason) + ',' + csv(e.expected) + '\n');
}

void ErrorSink::flush() {
  if (!file_) return;
  if (!header_) { write(kHeader); header_ = true; }
  file_->out.flush();
}

void ErrorSink::commit() {
  if (!file_) return;
  flush();
  file_->out.commit();
}

void add_quality_options(CLI::App* c, QualityArgs& a) {
  c->add_flag("--quality", a.enabled,
              "Add response-quality columns: longstring, irv, even_odd, synonyms, mahalanobis(_p), share_answered, out_of_range, "
              "quality_flags (rows are never dropped; see docs/formulas-reliability.md)");
  c->add_option("--quality-longstring-share", a.t.longstring_share, "Flag longstring >= this share of the items (default 0.5, Curran 2016)");
  c->add_option("--quality-irv-at-most", a.t.irv_at_most, "Flag IRV <= this (default 0: all answers identical)");
  c->add_option("--quality-even-odd-below", a.t.even_odd_below, "Flag even-odd consistency below this (default 0.30, Johnson 2005)");
  c->add_option("--quality-synonym-r", a.t.synonym_pair_r, "Item pairs correlating above this are synonyms (default 0.60, Meade & Craig 2012)");
  c->add_option("--quality-synonyms-below", a.t.synonyms_below, "Flag synonym consistency below this (default 0)");
  c->add_option("--quality-mahalanobis-p", a.t.mahalanobis_p_below, "Flag Mahalanobis chi-square p below this (default 0.001)");
  c->add_option("--quality-share-answered-below", a.t.share_answered_below, "Flag rows answering less than this share of items (default 0.5)");
  c->add_option("--quality-out-of-range-above", a.t.out_of_range_above, "Flag rows with more invalid answer cells than this (default 0)");
}

std::string quality_summary(const BatchSummary& s, const std::string& note) {
  std::string o = "quality flags (rows caught):";
  for (int f = 0; f < kQualityFlags; ++f) {
    o += std::string(f ? ", " : " ") + to_string(static_cast<QualityFlag>(f)) + " " +
         std::to_string(s.quality_flagged[static_cast<std::size_t>(f)]);
  }
  o += "; any " + std::to_string(s.quality_any);
  if (!note.empty()) o += "\nattune: note: " + note;
  return o;
}

}  // namespace attune::cli
