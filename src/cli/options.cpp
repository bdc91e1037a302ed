#include "options.hpp"
#include "output_file.hpp"

#include <cerrno>
#include <cstring>

namespace attune::cli {

struct ErrorSinkFile {
  OutputFile out;
  explicit ErrorSinkFile(const std::string& p) : out(p) {}
};

void add_data_options(CLI::App* c, DataArgs& a) {
  c->add_option("--instrument,-i", a.instrument, "Built-in instrument id or path of an instrument file")->required();
  c->add_option("input", a.input, "CSV file ('-' for standard input)")->required();
  c->add_option("--map", a.map, "Columns to items: a pattern like 'Q{n}' or '{id}', a list of columns in item order, or item=column pairs");
  c->add_option("--missing", a.missing, "Values that mean 'not answered' besides empty cells, e.g. 0 or NA,-99");
  c->add_option("--response-scale", a.response_scale, "Scale the data were collected on, MIN..MAX, when it differs from the instrument's");
  c->add_option("--profile-method", a.method, "Profile method (see 'attune instruments show ID'); default: the instrument's");
  c->add_option("--skip-rows", a.skip_rows, "Rows to skip after the header (e.g. 2 for Qualtrics exports)");
  c->add_option("--delimiter", a.delimiter, "Field delimiter (one character, or 'tab')");
  c->add_option("--threads", a.threads, "Worker threads (default: all cores)");
  c->add_option("--errors", a.errors, "Write error records (CSV) to this file instead of standard error");
  c->add_flag("--quiet,-q", a.quiet, "No summary on standard error");
}

std::vector<std::string> split_commas(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& s : in) {
    std::string cur;
    for (char ch : s) {
      if (ch == ',') { out.push_back(cur); cur.clear(); } else cur.push_back(ch);
    }
    out.push_back(cur);
  }
  return out;
}

ResponseScale parse_scale(const std::string& s) {
  auto dots = s.find("..");
  ResponseScale rs;
  try {
    if (dots == std::string::npos) throw std::invalid_argument("no ..");
    std::size_t u1 = 0, u2 = 0;
    rs.min = std::stoi(s.substr(0, dots), &u1);
    rs.max = std::stoi(s.substr(dots + 2), &u2);
    if (u1 != dots || u2 != s.size() - dots - 2) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    throw UsageError("--response-scale '" + s + "' is not MIN..MAX", {}, "e.g. 1..5");
  }
  if (rs.min >= rs.max) throw UsageError("--response-scale '" + s + "' is empty", {}, "MIN < MAX");
  return rs;
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
  bo.threads = a.threads;
  bo.skip_rows = a.skip_rows;
  if (a.delimiter == "\\t" || a.delimiter == "tab") bo.delimiter = '\t';
  else if (a.delimiter.size() == 1) bo.delimiter = a.delimiter[0];
  else throw UsageError("--delimiter must be one character", {}, "e.g. ',' ';' or tab");
  return bo;
}

InputFile::InputFile(const std::string& path) : name(path == "-" ? "<stdin>" : path) {
  if (path == "-") { f = stdin; return; }
  f = std::fopen(path.c_str(), "rb");
  if (!f) throw IoError(std::string("cannot open input: ") + std::strerror(errno), Location::in_file(path));
}
InputFile::~InputFile() {
  if (f && f != stdin) std::fclose(f);
}

ErrorSink::ErrorSink(const std::string& path, const std::string& in_name) : in_name_(in_name) {
  if (!path.empty() && path != "-") {
    file_ = std::make_unique<ErrorSinkFile>(path);
    f_ = file_->out.get();
  }
}
ErrorSink::~ErrorSink() = default;

void ErrorSink::operator()(const RowError& e) {
  auto csv = [](const std::string& s) {
    std::string o = "\"";
    for (char c : s) { if (c == '"') o += '"'; o += c; }
    return o + "\"";
  };
  if (!header_) { std::fputs("file,row,line,column,column_name,item,value,reason,expected\n", f_); header_ = true; }
  std::fprintf(f_, "%s,%lld,%lld,%lld,%s,%s,%s,%s,%s\n", csv(in_name_).c_str(), static_cast<long long>(e.row),
               static_cast<long long>(e.line), static_cast<long long>(e.column), csv(e.column_name).c_str(), csv(e.item).c_str(),
               csv(e.value).c_str(), csv(e.reason).c_str(), csv(e.expected).c_str());
}

void ErrorSink::commit() {
  if (file_) {
    if (!header_) std::fputs("file,row,line,column,column_name,item,value,reason,expected\n", f_);
    file_->out.commit();
  }
}

}  // namespace attune::cli
