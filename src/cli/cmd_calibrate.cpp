// `attune calibrate`: fits the graded response model to each item scale of an instrument from a
// data file (attune/irt.hpp) and writes the calibration, with its provenance, as JSON.
#include "commands.hpp"
#include "../stats/byte_accumulator.hpp"
#include "options.hpp"
#include "output_file.hpp"

#include <attune/irt.hpp>
#include <attune/version.hpp>

#include <chrono>
#include <cmath>
#include <ctime>
#include <memory>

namespace attune::cli {

namespace {

struct CalibrateArgs {
  DataArgs data;
  std::string output;
  std::string description;
  std::string source;
  bool complete_only = false;
  int max_iterations = 500;
  double tolerance = 1e-4;
};

// Collects the parsed answers (rows x items, NaN = not answered) of the rows that were read
// without error, in input order.
class AnswerMatrix : public attune::detail::InternalAccumulator {
 public:
  explicit AnswerMatrix(bool complete_only) : complete_only_(complete_only) {}
  std::unique_ptr<ChunkAccumulator> fresh() const override { return std::make_unique<AnswerMatrix>(complete_only_); }
  void add(const double* answers, std::size_t rows, std::size_t items, const std::uint8_t* scored,
           const BlockScores&) override {
    for (std::size_t r = 0; r < rows; ++r) {
      if (!scored[r]) continue;
      const double* row = answers + r * items;
      bool complete = true;
      for (std::size_t j = 0; j < items && complete; ++j) complete = !std::isnan(row[j]);
      if (complete_only_ && !complete) continue;
      values.insert(values.end(), row, row + items);
      ++rows_;
    }
  }
  void merge(ChunkAccumulator& chunk) override {
    auto& c = static_cast<AnswerMatrix&>(chunk);
    values.insert(values.end(), c.values.begin(), c.values.end());
    rows_ += c.rows_;
  }
  bool reads_scores() const override { return false; }
  std::size_t rows() const { return rows_; }
  std::vector<double> values;

 private:
  bool complete_only_;
  std::size_t rows_ = 0;
};

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The input's SHA-256, read once more from the start; standard input cannot be read twice.
std::string input_sha256(const std::string& path) {
  if (path == "-" || path.empty()) return "";
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw IoError("cannot read the input again for its SHA-256", Location::in_file(path));
  irt::Sha256 h;
  std::vector<char> buf(1 << 16);
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) h.update(buf.data(), n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) throw IoError("cannot read the input again for its SHA-256", Location::in_file(path));
  return h.hex();
}

void describe_method(irt::Calibration& c, const irt::CalibrationOptions& o) {
  char tolerance[32];
  std::snprintf(tolerance, sizeof tolerance, "%g", o.tolerance);
  c.provenance.method =
      "Graded response model (Samejima 1969), marginal maximum likelihood by EM (Bock & Aitkin 1981) over " +
      std::to_string(o.grid.nodes) + " equally spaced points on [" + std::to_string(static_cast<int>(o.grid.lo)) + ", " +
      std::to_string(static_cast<int>(o.grid.hi)) +
      "] with N(0, 1) weights; M-step by Newton-Raphson per item; stops when no parameter moves more than " +
      tolerance + " in a cycle; standard errors from the cross-product of the rows' scores (XPD); "
      "missing answers contribute nothing to a row's likelihood.";
}

void print_summary(const irt::Calibration& c, const BatchSummary& s, double seconds) {
  std::fprintf(stderr, "attune: %llu rows in, %llu used for the calibration (%.2f s)\n",
               static_cast<unsigned long long>(s.rows_in), static_cast<unsigned long long>(c.provenance.rows_used), seconds);
  for (const irt::ScaleCalibration& sc : c.scales) {
    std::fprintf(stderr, "attune: %s: %zu items, %llu rows, %d EM cycles%s, marginal reliability %.3f\n", sc.id.c_str(),
                 sc.items.size(), static_cast<unsigned long long>(sc.rows_used), sc.iterations,
                 sc.converged ? "" : " (NOT converged)", sc.marginal_reliability);
  }
}

int run(const CalibrateArgs& a) {
  claim_data_inputs(a.data);
  ScoringPlan plan = make_plan(a.data);
  // Opened first, so an output that names the input is refused before any reading or fitting.
  OutputFile out(a.output);
  BatchOptions bo = batch_options(a.data);
  AnswerMatrix matrix(a.complete_only);
  bo.accumulators = {&matrix};
  std::unique_ptr<ErrorSink> errors;
  std::string in_name;
  BatchSummary s = accumulate_data(plan, a.data, bo, errors, &in_name);
  irt::CalibrationOptions o;
  o.max_iterations = a.max_iterations;
  o.tolerance = a.tolerance;
  o.threads = a.data.threads;
  const auto t0 = std::chrono::steady_clock::now();
  irt::Calibration c = irt::calibrate(plan.instrument(), plan.data_scale(), matrix.values.data(), matrix.rows(), o);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  describe_method(c, o);
  c.provenance.description = a.description;
  c.provenance.source = a.source;
  c.provenance.date = utc_now();
  c.provenance.attune_version = version();
  c.provenance.input_name = in_name;
  c.provenance.input_sha256 = input_sha256(a.data.input);
  c.provenance.rows_in = s.rows_in;
  c.provenance.complete_only = a.complete_only;
  out.write(c.to_json());
  out.flush();
  errors->flush();
  out.commit();
  errors->commit();
  if (!a.data.quiet) print_summary(c, s, seconds);
  return s.rows_reported ? Exit::rows_reported : Exit::ok;
}

}  // namespace

Runner add_calibrate(CLI::App& app) {
  auto a = std::make_shared<CalibrateArgs>();
  CLI::App* c = app.add_subcommand("calibrate", "Fit the graded response model to each scale of a data file (item parameters for theta scoring)");
  add_data_options(c, a->data);
  c->add_option("-o,--output", a->output, "Calibration file to write ('-' for standard output)")->required();
  c->add_flag("--complete-only", a->complete_only, "Use only rows that answered every item (default: every row, missing answers left out of its likelihood)");
  c->add_option("--description", a->description, "What the data are (sample, how collected), kept in the file's provenance");
  c->add_option("--source", a->source, "Where the data come from (citation, address, terms), kept in the file's provenance");
  c->add_option("--max-iterations", a->max_iterations, "Most EM cycles per scale (default 500)")->check(CLI::Range(1, 100000));
  c->add_option("--tolerance", a->tolerance, "Stop when no parameter moves more than this in a cycle (default 1e-4)")->check(CLI::PositiveNumber);
  c->footer(
      "Model, grid, prior and standard errors: docs/irt.md. A calibration belongs to the response scale of\n"
      "its data (--response-scale); scoring answers on another scale with it is refused. Exit codes: 0 ok;\n"
      "1 some rows reported as errors (not used); 2 usage; 3 invalid instrument; 4 invalid data; 5 I/O;\n"
      "7 a limit was exceeded.");
  return [a] { return run(*a); };
}

}  // namespace attune::cli
