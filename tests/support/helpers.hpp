#pragma once
// Shared test helpers: loading plans, answering by position, reading small CSV references.
#include <attune/attune.hpp>

#include "../../src/batch/job/parsed_rows.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace attune_test {

inline std::string source_path(const std::string& rel) { return std::string(ATTUNE_TEST_SOURCE_DIR) + "/" + rel; }
inline std::string shared_data(const std::string& rel) { return std::string(ATTUNE_TEST_SHARED_DATA) + "/" + rel; }

// A row-level reference of the real data (tools/r/make_row_references.sh writes them into a build
// folder at test time; they are never committed). ATTUNE_TEST_ROW_REFERENCE names the folder, else
// the build's own reference-rows/. Empty when the file is not there: the caller skips.
inline std::string row_reference(const std::string& name) {
  const char* dir = std::getenv("ATTUNE_TEST_ROW_REFERENCE");
  const std::string path = std::string(dir && *dir ? dir : ATTUNE_TEST_ROW_REFERENCE_DEFAULT) + "/" + name;
  return std::ifstream(path).good() ? path : std::string();
}

// The attune::Error that f throws, or an internal-kind error saying "(accepted)" when f throws none,
// so a test can check the kind and the location of what was refused.
template <class F>
attune::Error error_of(F&& f) {
  try {
    f();
  } catch (const attune::Error& e) {
    return e;
  }
  return attune::Error(attune::ErrorKind::internal, "(accepted)");
}

inline bool file_exists(const std::string& p) {
  std::ifstream f(p);
  return f.good();
}

// Line feeds in a text (the batch and robustness tests count output rows with it).
inline std::size_t count_lines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// `s` with the first `from` replaced by `to`; a missing `from` is a broken test.
inline std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  if (pos == std::string::npos) throw std::runtime_error("test setup: '" + from + "' not found");
  return s.replace(pos, from.size(), to);
}

// Batch options that map columns Q1..QN to the items in order, as the example and bench files are named.
inline attune::BatchOptions q_map() {
  attune::BatchOptions o;
  o.mapping = attune::ColumnMapping::parse("Q{n}");
  return o;
}

inline attune::ScoringPlan plan_for(const std::string& id, attune::ScoringOptions o = {}) {
  return attune::ScoringPlan::compile(attune::load_instrument(id), o);
}

// The ECR answered on 1..5, the scale of its shipped calibration and norm set (the open ECR data).
inline attune::ScoringPlan ecr_on_1to5() {
  attune::ResponseScale five;
  five.min = 1;
  five.max = 5;
  attune::ScoringOptions so;
  so.data_scale = five;
  return plan_for("ecr", so);
}

// Runs use(path) on a scratch file holding `text`, removed afterwards.
template <class Use>
auto with_scratch_file(const std::string& text, const Use& use) -> decltype(use(std::string())) {
  char name[] = "/tmp/attune-test-XXXXXX";
  const int fd = mkstemp(name);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  std::FILE* f = fdopen(fd, "wb");
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
  try {
    auto r = use(std::string(name));
    std::remove(name);
    return r;
  } catch (...) {
    std::remove(name);
    throw;
  }
}

// Answers JSON by item id for a two-scale instrument (ECR-R: "anxiety" and the other scale), every
// keyed anxiety answer `anx` and every other keyed answer `avo`, so the scale means are exactly anx and
// avo: a reverse-keyed item is written as (min + max) - keyed.
inline std::string keyed_answers_json(const attune::ScoringPlan& plan, int anx, int avo) {
  const attune::Instrument& ins = plan.instrument();
  const int flip = ins.response_scale.min + ins.response_scale.max;
  std::ostringstream js;
  js << "{";
  bool first = true;
  for (const auto& s : ins.scales) {
    const int keyed = s.id == "anxiety" ? anx : avo;
    for (const auto& item : s.items) {
      js << (first ? "" : ",") << "\"" << item << "\":" << (s.is_reversed(item) ? flip - keyed : keyed);
      first = false;
    }
  }
  js << "}";
  return js.str();
}

// Answers every item with `value`, by position.
inline attune::Responses all_answers(const attune::ScoringPlan& plan, double value) {
  attune::Responses r(plan);
  for (std::size_t p = 1; p <= plan.item_count(); ++p) r.set_position(static_cast<int>(p), value);
  return r;
}

inline double raw(const attune::Result& r, const std::string& scale) {
  const attune::ScaleScore* s = r.find_scale(scale);
  if (!s) throw std::runtime_error("no scale " + scale);
  return s->raw;
}

// A small CSV reader for reference files (no quotes in them): header -> columns of strings.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int col(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i) if (header[i] == name) return static_cast<int>(i);
    throw std::runtime_error("no column " + name);
  }
};

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool q = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (q) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') { cur += '"'; ++i; }
      else if (c == '"') q = false;
      else cur += c;
    } else if (c == '"') q = true;
    else if (c == ',') { out.push_back(cur); cur.clear(); }
    else if (c != '\r') cur += c;
  }
  out.push_back(cur);
  return out;
}

inline Table read_table(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  Table t;
  std::string line;
  std::getline(in, line);
  t.header = split_csv_line(line);
  while (std::getline(in, line)) {
    if (!line.empty()) t.rows.push_back(split_csv_line(line));
  }
  return t;
}

inline Table read_table_text(const std::string& text) {
  Table t;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  t.header = split_csv_line(line);
  while (std::getline(in, line)) {
    if (!line.empty()) t.rows.push_back(split_csv_line(line));
  }
  return t;
}

// Collects the raw scale scores of every row in input order, straight from the scoring kernel.
class RawCollector : public attune::ChunkAccumulator {
 public:
  explicit RawCollector(std::size_t scales) : scales_(scales) {}
  std::unique_ptr<attune::ChunkAccumulator> fresh() const override { return std::make_unique<RawCollector>(scales_); }
  void add(const double*, std::size_t rows, std::size_t, const std::uint8_t* scored, const attune::BlockScores& b) override {
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t s = 0; s < scales_; ++s) raw.push_back(b.raw[r * scales_ + s]);
      answered.insert(answered.end(), b.answered.begin() + static_cast<long>(r * scales_), b.answered.begin() + static_cast<long>((r + 1) * scales_));
      ok.push_back(scored[r]);
    }
  }
  void merge(attune::ChunkAccumulator& other) override {
    auto& o = static_cast<RawCollector&>(other);
    raw.insert(raw.end(), o.raw.begin(), o.raw.end());
    answered.insert(answered.end(), o.answered.begin(), o.answered.end());
    ok.insert(ok.end(), o.ok.begin(), o.ok.end());
  }
  std::size_t scales_;
  std::vector<double> raw;
  std::vector<std::uint16_t> answered;
  std::vector<std::uint8_t> ok;
};

// Runs score_csv on a file into a temporary output; returns the output text and the summary.
struct BatchRun {
  std::string output;
  attune::BatchSummary summary;
  std::vector<attune::RowError> errors;
};

// What write(out) writes to a scratch output file.
template <class Write>
std::string written_by(const Write& write) {
  std::FILE* out = std::tmpfile();
  try {
    write(out);
  } catch (...) {
    std::fclose(out);
    throw;
  }
  std::fflush(out);
  std::rewind(out);
  std::string text;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, out)) > 0) text.append(buf, n);
  std::fclose(out);
  return text;
}

// score_csv from an open input (with `kept`: rows kept by accumulate_csv from the same position).
inline BatchRun run_batch_open(const attune::ScoringPlan& plan, std::FILE* in, const std::string& path,
                               const attune::BatchOptions& opt, attune::ParsedRows* kept = nullptr) {
  BatchRun run;
  run.output = written_by([&](std::FILE* out) {
    run.summary = attune::score_csv(plan, in, path, out, opt, [&](const attune::RowError& e) { run.errors.push_back(e); }, kept);
  });
  return run;
}

inline BatchRun run_batch(const attune::ScoringPlan& plan, const std::string& path, attune::BatchOptions opt) {
  std::FILE* in = std::fopen(path.c_str(), "rb");
  if (!in) throw std::runtime_error("cannot open " + path);
  try {
    BatchRun run = run_batch_open(plan, in, path, opt);
    std::fclose(in);
    return run;
  } catch (...) {
    std::fclose(in);
    throw;
  }
}

inline BatchRun run_batch_text(const attune::ScoringPlan& plan, const std::string& csv, attune::BatchOptions opt) {
  return with_scratch_file(csv, [&](const std::string& path) { return run_batch(plan, path, opt); });
}

}  // namespace attune_test
