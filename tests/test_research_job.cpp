// The research job (attune/research_job.hpp): one library call runs the passes of
// `attune score --quality --reliability --norms sample` in their order, with the bytes the passes
// give when a program runs them one by one.
#include <attune/research_job.hpp>

#include <attune/audit.hpp>

#include <catch2/catch.hpp>

#include "support/helpers.hpp"

#include <cstdio>
#include <string>
#include <vector>

namespace {

const std::string kJobData = attune_test::source_path("examples/data/ecr-r-synthetic.csv");

std::string job_file_text(std::FILE* f) {
  std::string s;
  std::rewind(f);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, n);
  return s;
}

attune::BatchOptions job_batch_options() {
  attune::BatchOptions o;
  o.mapping = attune::ColumnMapping::parse("Q{n}");
  return o;
}

// The passes run one by one, as examples/cpp/score_file_with_quality did before the job existed:
// sample norms, the quality model's first reading (its sums give reliability), scoring, the scale check.
struct ByHand {
  std::string scores, reliability;
  attune::BatchSummary summary;
  std::vector<std::int64_t> error_rows;
};

ByHand job_by_hand() {
  const attune::Instrument ins = attune::load_instrument("ecr-r");
  attune::BatchOptions options = job_batch_options();
  attune::ScoringOptions so;
  std::FILE* first = std::fopen(kJobData.c_str(), "rb");
  so.norms = attune::sample_norms(attune::ScoringPlan::compile(ins, so), first, kJobData, options);
  std::fclose(first);
  so.norms_source = attune::NormsSource::sample;
  so.norms_label = kJobData;
  const attune::ScoringPlan plan = attune::ScoringPlan::compile(ins, so);
  std::FILE* in = std::fopen(kJobData.c_str(), "rb");
  attune::ReliabilityAccumulator sums(plan, true);
  attune::ParsedRows kept;
  auto model = std::make_shared<attune::QualityModel>(attune::read_quality_model(plan, in, kJobData, options, sums, {}, &kept));
  attune::QualityScorer quality(plan, attune::QualityThresholds{}, model);
  options.quality = &quality;
  attune::ScaleUsageAccumulator usage(plan);
  options.accumulators = {&usage};
  std::FILE* out = std::tmpfile();
  ByHand h;
  h.summary = attune::score_csv(plan, in, kJobData, out, options, [&](const attune::RowError& e) { h.error_rows.push_back(e.row); }, &kept);
  std::fclose(in);
  h.scores = job_file_text(out);
  std::fclose(out);
  attune::ReliabilityReport rel = attune::reliability(sums);
  rel.has_response_scale = true;
  rel.response_scale = attune::check_scale(usage, &rel).status();
  h.reliability = attune::to_json(rel);
  return h;
}

attune::ResearchJobOptions full_job_options() {
  attune::ResearchJobOptions o;
  o.input = kJobData;
  o.batch = job_batch_options();
  o.sample_norms = true;
  o.quality = true;
  o.reliability = true;
  return o;
}

}  // namespace

TEST_CASE("research job: one call gives the bytes of the passes run one by one") {
  const ByHand hand = job_by_hand();
  REQUIRE(hand.summary.rows_reported == 3);  // the example data's three bad rows, reported once

  std::FILE* out = std::tmpfile();
  std::vector<std::int64_t> error_rows;
  const attune::ResearchSummary s = attune::run_research_job(
      attune::load_instrument("ecr-r"), full_job_options(), out, [&](const attune::RowError& e) { error_rows.push_back(e.row); });
  const std::string scores = job_file_text(out);
  std::fclose(out);

  CHECK(scores == hand.scores);
  REQUIRE(s.reliability.has_value());
  CHECK(attune::to_json(*s.reliability) == hand.reliability);
  CHECK(error_rows == hand.error_rows);
  CHECK(s.rows.rows_in == hand.summary.rows_in);
  CHECK(s.rows.rows_scored == hand.summary.rows_scored);
  CHECK(s.rows.quality_any == hand.summary.quality_any);
  CHECK(s.response_scale.checked);
  CHECK(s.reliability->response_scale.checked);
}

TEST_CASE("research job: hooks are called in the order of the passes, once per job") {
  attune::ResearchJob job(attune::load_instrument("ecr-r"), full_job_options());
  CHECK(job.plan().options().norms_source == attune::NormsSource::sample);
  std::vector<std::string> calls;
  attune::ResearchHooks hooks;
  std::FILE* out = std::tmpfile();
  hooks.input_opened = [&](const std::string& name) { calls.push_back("input " + name); };
  hooks.add_columns = [&](const attune::ScoringPlan& plan, attune::BatchOptions& bo) {
    // After the quality reading: its scorer is already in the options.
    calls.push_back(std::string("columns ") + (bo.quality ? "quality" : "none") + " " + plan.instrument().id);
  };
  hooks.open_output = [&] {
    calls.push_back("output");
    return attune::ResearchOutput{out, "scores", "scores"};
  };
  const attune::ResearchSummary s = job.run(hooks);
  std::fclose(out);
  CHECK(s.rows.rows_in == 500);
  CHECK(calls == std::vector<std::string>{"input " + kJobData, "columns quality ecr-r", "output"});
  const attune::Error again = attune_test::error_of([&] { job.run(hooks); });
  CHECK(again.kind() == attune::ErrorKind::usage);
}

TEST_CASE("research job: sample norms are refused for standard input, which can be read once") {
  attune::ResearchJobOptions o = full_job_options();
  o.input = "-";
  const attune::Error e = attune_test::error_of([&] { attune::ResearchJob job(attune::load_instrument("ecr-r"), o); });
  CHECK(e.kind() == attune::ErrorKind::usage);
  CHECK(e.expected() == "a file path");
}
