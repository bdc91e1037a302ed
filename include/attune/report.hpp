#pragma once
// A self-contained HTML report of a data file (one file, inline SVG, no scripts, no network): sample
// and missingness, scale distributions, the anxiety x avoidance plane, profile confidence,
// reliability with intervals, the correlations between the scales (raw and corrected for
// unreliability), item statistics with miskeyed-item warnings, response-quality flags, the IRT
// section with a calibration, a methods paragraph, the instrument's citation and a reference list;
// every table downloadable as CSV from a data: link. Figures have titles, ticked axes and legends. Reads the file twice (the quality indices need
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
  // A calibration (path, or id of a shipped one) for the IRT section; empty: no IRT section.
  std::string irt_calibration;
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
