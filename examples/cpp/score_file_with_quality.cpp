// For researchers embedding the library: the research job on a CSV file -- scores, response-quality
// columns and reliability -- as `attune score --quality --reliability` runs it.
// Build: part of the main build (target score_file_with_quality).
// Run:   ./build/examples/cpp/score_file_with_quality [IN.csv] [OUT.csv] [RELIABILITY.json]
//        (defaults: examples/data/ecr-r-synthetic.csv from the source tree, scores.csv, reliability.json)
#include <attune/attune.hpp>
#include <attune/audit.hpp>
#include <attune/quality.hpp>
#include <attune/reliability.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

int main(int argc, char** argv) {
  const std::string in_path = argc > 1 ? argv[1] : ATTUNE_EXAMPLE_DATA "/ecr-r-synthetic.csv";
  const std::string out_path = argc > 2 ? argv[2] : "scores.csv";
  const std::string rel_path = argc > 3 ? argv[3] : "reliability.json";
  std::FILE* in = std::fopen(in_path.c_str(), "rb");
  std::FILE* out = std::fopen(out_path.c_str(), "wb");
  if (!in || !out) {
    std::cerr << "cannot open " << (in ? out_path : in_path) << "\n";
    return 1;
  }
  try {
    attune::ScoringPlan plan = attune::ScoringPlan::compile(attune::load_instrument("ecr-r"));
    attune::BatchOptions options;
    options.mapping = attune::ColumnMapping::parse("Q{n}");  // column Q<position> holds each item

    // First reading: the exact sums behind reliability and the quality model (item means,
    // covariances and correlations over all items); its parsed rows are kept for the second.
    attune::ReliabilityAccumulator sums(plan, /*all_items_block=*/true);
    attune::ParsedRows kept;
    auto model = std::make_shared<attune::QualityModel>(attune::read_quality_model(plan, in, in_path, options, sums, {}, &kept));

    // The second reading from the same position: the kept rows are scored from memory (errors
    // are reported here, once, in input order).
    attune::QualityScorer quality(plan, attune::QualityThresholds{}, model);
    options.quality = &quality;
    // Do the answers fit the response scale declared for them? (docs/audit.md)
    attune::ScaleUsageAccumulator usage(plan);
    options.accumulators = {&usage};
    attune::BatchSummary summary = attune::score_csv(
        plan, in, in_path, out, options,
        [](const attune::RowError& e) { std::cerr << "row " << e.row << ", column " << e.column_name << ": " << e.reason << "\n"; },
        &kept);

    attune::ReliabilityReport rel = attune::reliability(sums);
    const attune::ScaleCheck scale = attune::check_scale(usage, &rel);
    rel.has_response_scale = true;
    rel.response_scale = scale.status();
    std::ofstream(rel_path) << attune::to_json(rel);
    if (!scale.fits()) std::cerr << "warning: " << scale.warning() << "\n";
    std::cout << summary.rows_in << " rows: " << summary.rows_scored << " scored, " << summary.rows_reported
              << " reported; flagged by any quality index: " << summary.quality_any << "\n";
  } catch (const attune::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  std::fclose(in);
  return std::fclose(out) == 0 ? 0 : 1;
}
