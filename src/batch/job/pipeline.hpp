#pragma once
// The job: the calling thread reads the file in chunks cut at record boundaries, workers run each
// chunk through the stages (score_chunk.hpp), and the calling thread hands the results to a sink in
// input order. Memory is bounded by (chunk size x chunks in flight), whatever the file's size.
#include "../chunk.hpp"
#include "parsed_rows.hpp"

#include <cstdio>
#include <functional>
#include <string>

namespace attune::batch {

// The header (and skipped rows) read and the layout worked out; the unread rest is in `rest`.
struct Head {
  Layout layout;
  std::string rest;
  std::uint64_t lines = 0;
  std::uint64_t bytes = 0;
  std::uint64_t skipped = 0;
  bool eof = false;
};

// keep_columns: the output's kept columns are looked up (and the output's names checked unique).
Head read_head(const ScoringPlan& plan, std::FILE* in, const std::string& file, const BatchOptions& opt, bool keep_columns);

// Each chunk's result, in input order, with the bytes read so far.
using ChunkSink = std::function<void(ChunkResult&, std::uint64_t bytes)>;

// Runs the pipeline, handing each chunk's result to `sink` in input order. collect_raw: statistics
// only, nothing formatted. With `replay`, its kept chunks are scored first (and released as they go),
// then the input is read from where they end (unless they reach the end). With `retain`, each
// chunk's parsed rows come back in ChunkResult::parsed. With `format`, it writes each chunk's rows
// (Job::format) instead of the CSV or JSON Lines writer.
void run_pipeline(const ScoringPlan& plan, std::FILE* in, const std::string& file, const BatchOptions& opt, Head& head,
                  bool collect_raw, const ChunkSink& sink, bool retain = false, ParsedRows::Impl* replay = nullptr,
                  void (*format)(const Job&, Workspace&, ChunkResult&) = nullptr);

// A chunk's counts added to the summary, and its accumulators' sums merged into opt.accumulators.
void add_counts(const ChunkResult& r, BatchSummary& sum);
void merge_accumulated(ChunkResult& r, const BatchOptions& opt);

// Makes a chunk's row errors global (row and line numbers) and reports them in input order, or
// throws the first one under ErrorPolicy::stop.
void report_chunk_errors(ChunkResult& r, std::uint64_t row_base, std::uint64_t line_base, const std::string& file,
                         ErrorPolicy policy, const std::function<void(const RowError&)>& on_error);

}  // namespace attune::batch
