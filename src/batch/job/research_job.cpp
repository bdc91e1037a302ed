// The research job (attune/research_job.hpp): the readings of one data file in the order they must
// happen, with the state each reading leaves for the next.
#include <attune/research_job.hpp>

#include <attune/audit.hpp>
#include <attune/error.hpp>

#include "../../io/formats_sav_writer.hpp"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

#include "parsed_rows.hpp"

namespace attune {

namespace {

InputOptions research_input_options(const ResearchJobOptions& o) {
  InputOptions in = o.input_options;
  in.delimiter = o.batch.delimiter;  // the converted text must be what the pipeline splits
  return in;
}

ScoringOptions research_scoring_options(const Instrument& ins, const ResearchJobOptions& o) {
  ScoringOptions so = o.scoring;
  if (!o.sample_norms) return so;
  if (o.input == "-")
    throw UsageError("sample norms read the file twice; standard input can be read only once", {}, "a file path");
  const ScoringPlan first = ScoringPlan::compile(ins, so);
  TabularInput src(o.input, research_input_options(o));
  so.norms = src.run([&] { return sample_norms(first, src.csv(), src.name(), o.batch); });
  so.norms_source = NormsSource::sample;
  so.norms_label = o.input;
  return so;
}

// The quality scorer, with the sample's model from a first reading when the input can be rewound.
struct ResearchQuality {
  std::shared_ptr<const QualityModel> model;
  std::unique_ptr<ReliabilityAccumulator> first_pass;  // the sums behind the model (per scale too)
  std::unique_ptr<QualityScorer> scorer;
  std::string note;
};

void add_quality_note(std::string& note, const std::string& more) { note += (note.empty() ? "" : "; ") + more; }

std::unique_ptr<ResearchQuality> read_research_quality(const ScoringPlan& plan, const BatchOptions& bo, std::FILE* in,
                                                       const std::string& in_name, const QualityThresholds& t, ParsedRows* keep) {
  auto q = std::make_unique<ResearchQuality>();
  if (in != stdin && std::ftell(in) >= 0) {
    q->first_pass = std::make_unique<ReliabilityAccumulator>(plan, true);
    q->model = std::make_shared<QualityModel>(read_quality_model(plan, in, in_name, bo, *q->first_pass, t, keep));
    if (q->model->cov_inverse.empty()) add_quality_note(q->note, "mahalanobis: the sample covariance matrix is not positive definite; column left empty");
    if (q->model->synonym_pairs.size() < 3)
      add_quality_note(q->note, "synonyms: fewer than 3 item pairs correlate above " + std::to_string(t.synonym_pair_r) + "; column left empty");
  } else {
    q->note = "synonyms and mahalanobis need the sample's correlations: they are computed only for a file, not standard input";
  }
  q->scorer = std::make_unique<QualityScorer>(plan, t, q->model);
  if (!q->scorer->even_odd_available())
    add_quality_note(q->note, "even_odd needs at least 3 item scales; " + plan.instrument().id + " has fewer, column left empty");
  return q;
}

std::uint64_t regular_file_size(std::FILE* in) {
  struct stat st {};
  if (in == stdin || ::fstat(::fileno(in), &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  return static_cast<std::uint64_t>(st.st_size);
}

// The scoring reading: CSV or JSON Lines through score_csv, or the .sav writer's two readings.
BatchSummary score_output(const ScoringPlan& plan, TabularInput& source, const ResearchOutput& out, bool sav, BatchOptions& bo,
                          const std::function<void(const RowError&)>& on_error, ParsedRows& first_reading) {
  bo.output_name = out.name;
  if (!sav) return source.run([&] { return score_csv(plan, source.csv(), source.name(), out.file, bo, on_error, &first_reading); });
  first_reading = ParsedRows(0);  // read twice from the input instead: its memory is not kept meanwhile
  SavOutputOptions sav_opt;
  sav_opt.kept_variables = [&source] { return source.variables(); };
  return source.run([&] { return score_to_sav(plan, source.csv(), source.name(), out.file, out.path, bo, sav_opt, on_error); });
}

}  // namespace

struct ResearchJob::Impl {
  ResearchJobOptions options;
  ScoringPlan plan;
  bool ran = false;
  Impl(const Instrument& ins, ResearchJobOptions o)
      : options(std::move(o)), plan(ScoringPlan::compile(ins, research_scoring_options(ins, options))) {}

  // Everything the readings share: the accumulators are owned here and listed in `bo`.
  struct Readings {
    BatchOptions bo;
    ParsedRows first_reading;  // the quality reading's parsed rows, scored from memory
    std::unique_ptr<ResearchQuality> quality;
    std::unique_ptr<ReliabilityAccumulator> rel_sums;
    const ReliabilityAccumulator* rel_source = nullptr;
    std::unique_ptr<ScaleUsageAccumulator> usage;
  };

  void first_readings(TabularInput& source, Readings& r, const ResearchHooks& hooks) const {
    std::FILE* in = source.csv();
    if (hooks.progress) {
      const std::uint64_t total = regular_file_size(in);
      auto cb = hooks.progress;
      r.bo.progress = [cb, total](std::uint64_t rows, std::uint64_t bytes) { cb(rows, bytes, total); };
    }
    if (source.format() == InputFormat::csv) check_extra_header_rows(plan, in, source.name(), r.bo);
    if (options.quality) {
      r.quality = read_research_quality(plan, r.bo, in, source.name(), options.quality_thresholds, &r.first_reading);
      r.bo.quality = r.quality->scorer.get();
    }
    if (hooks.add_columns) hooks.add_columns(plan, r.bo);
    // Reliability from the same readings: the quality reading's sums when there are some, else
    // gathered while scoring.
    if (options.reliability) {
      if (r.quality && r.quality->first_pass) {
        r.rel_source = r.quality->first_pass.get();
      } else {
        r.rel_sums = std::make_unique<ReliabilityAccumulator>(plan);
        r.bo.accumulators.push_back(r.rel_sums.get());
        r.rel_source = r.rel_sums.get();
      }
    }
    if (options.check_response_scale) {
      r.usage = std::make_unique<ScaleUsageAccumulator>(plan);
      r.bo.accumulators.push_back(r.usage.get());
    }
  }

  ResearchSummary finish(const Readings& r, const BatchSummary& rows) const {
    ResearchSummary s;
    s.rows = rows;
    if (r.rel_source) s.reliability = reliability(*r.rel_source, ReliabilityOptions{});
    s.response_scale = r.usage ? check_scale(*r.usage, s.reliability ? &*s.reliability : nullptr).status() : confirmed_scale_status(plan);
    if (s.reliability) {
      s.reliability->has_response_scale = true;
      s.reliability->response_scale = s.response_scale;
    }
    if (r.quality) s.quality_note = r.quality->note;
    return s;
  }
};

ResearchJob::ResearchJob(const Instrument& instrument, ResearchJobOptions options)
    : impl_(std::make_unique<Impl>(instrument, std::move(options))) {}
ResearchJob::~ResearchJob() = default;

const ScoringPlan& ResearchJob::plan() const { return impl_->plan; }

ResearchSummary ResearchJob::run(const ResearchHooks& hooks) {
  Impl& m = *impl_;
  if (m.ran) throw UsageError("a research job runs once", {}, "a new ResearchJob for another run");
  if (!hooks.open_output) throw UsageError("the research job has no output", {}, "ResearchHooks::open_output");
  m.ran = true;
  TabularInput source(m.options.input, research_input_options(m.options));
  if (hooks.input_opened) hooks.input_opened(source.name());
  Impl::Readings r;
  r.bo = m.options.batch;
  m.first_readings(source, r, hooks);
  const ResearchOutput out = hooks.open_output();
  auto located = [&](const RowError& e) {
    if (!hooks.on_error) return;
    RowError l = e;
    source.locate(l);
    hooks.on_error(l);
  };
  const BatchSummary rows = score_output(m.plan, source, out, m.options.sav_output, r.bo, located, r.first_reading);
  return m.finish(r, rows);
}

ResearchSummary run_research_job(const Instrument& instrument, const ResearchJobOptions& options, std::FILE* out,
                                 const std::function<void(const RowError&)>& on_error, const std::string& out_name) {
  ResearchJob job(instrument, options);
  ResearchHooks hooks;
  hooks.open_output = [&] { return ResearchOutput{out, out_name, out_name}; };
  hooks.on_error = on_error;
  return job.run(hooks);
}

}  // namespace attune
