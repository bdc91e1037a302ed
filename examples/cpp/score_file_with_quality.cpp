// For researchers embedding the library: the research job on a CSV file -- scores, response-quality
// columns and reliability -- as `attune score --quality --reliability` runs it, in one call.
// Build: part of the main build (target score_file_with_quality).
// Run:   ./build/examples/cpp/score_file_with_quality [IN.csv] [OUT.csv] [RELIABILITY.json]
//        (defaults: examples/data/ecr-r-synthetic.csv from the source tree, scores.csv, reliability.json)
#include <attune/research_job.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
  const std::string in_path = argc > 1 ? argv[1] : ATTUNE_EXAMPLE_DATA "/ecr-r-synthetic.csv";
  const std::string out_path = argc > 2 ? argv[2] : "scores.csv";
  const std::string rel_path = argc > 3 ? argv[3] : "reliability.json";
  std::FILE* out = std::fopen(out_path.c_str(), "wb");
  if (!out) {
    std::cerr << "cannot open " << out_path << "\n";
    return 1;
  }
  try {
    attune::ResearchJobOptions options;
    options.input = in_path;
    options.batch.mapping = attune::ColumnMapping::parse("Q{n}");  // column Q<position> holds each item
    // The quality model's first reading gives the sample's correlations (synonyms, Mahalanobis
    // distance) and the sums behind reliability; the rows it parsed are scored from memory.
    options.quality = true;
    options.reliability = true;  // with the check that the answers fit the declared response scale (docs/audit.md)
    const attune::ResearchSummary summary = attune::run_research_job(
        attune::load_instrument("ecr-r"), options, out,
        [](const attune::RowError& e) { std::cerr << "row " << e.row << ", column " << e.column_name << ": " << e.reason << "\n"; },
        out_path);
    std::ofstream(rel_path) << attune::to_json(*summary.reliability);
    if (summary.response_scale.checked && !summary.response_scale.fits) std::cerr << "warning: " << summary.response_scale.warning << "\n";
    std::cout << summary.rows.rows_in << " rows: " << summary.rows.rows_scored << " scored, " << summary.rows.rows_reported
              << " reported; flagged by any quality index: " << summary.rows.quality_any << "\n";
  } catch (const attune::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    std::fclose(out);
    return 1;
  }
  return std::fclose(out) == 0 ? 0 : 1;
}
