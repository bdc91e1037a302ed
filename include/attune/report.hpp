#pragma once
// A self-contained HTML report of a data file (one file, inline SVG, no scripts, no network): sample
// and missingness, scale distributions, the anxiety x avoidance plane, profile confidence,
// reliability with intervals, item statistics with miskeyed-item warnings, response-quality flags,
// the instrument's citation and a methods paragraph. Reads the file twice (the quality indices need
// the sample's correlations), so the input must be a regular file.
#include <attune/batch.hpp>
#include <attune/export.hpp>
#include <attune/quality.hpp>
#include <attune/reliability.hpp>

#include <cstdio>
#include <string>

namespace attune {

struct ReportOptions {
  ReliabilityOptions reliability;
  QualityThresholds quality;
  std::string title;  // default: "<instrument short name>: <file name>"
  // The caller vouches for the declared response scale: the check (attune/audit.hpp) is not run.
  bool response_scale_confirmed = false;
};

struct ReportResult {
  std::string html;
  BatchSummary summary;
  ReliabilityReport reliability;  // the numbers the report shows (same as `attune reliability`)
  ResponseScaleStatus response_scale;  // the response-scale check; a warning in the report when it fails
};

ATTUNE_API ReportResult html_report(const ScoringPlan& plan, std::FILE* in, const std::string& in_name, const BatchOptions& options,
                                    const ReportOptions& report_options, const std::function<void(const RowError&)>& on_error);

}  // namespace attune
