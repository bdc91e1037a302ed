// The scoring stage of a chunk (score_chunk.hpp), and the order of the stages on a worker thread.
#include "score_chunk.hpp"

#include <attune/irt.hpp>

#include "../kernel.hpp"
#include "../stats/byte_accumulator.hpp"
#include "read/kept_rows.hpp"
#include "write/text_rows.hpp"

#include <cmath>

namespace attune::batch {

namespace {

Workspace& workspace() {
  thread_local Workspace ws;
  return ws;
}

// The chunk's scores (unless no one reads them) and each accumulator's sums of it.
void score_and_accumulate(const Job& job, Workspace& ws, ChunkResult& res) {
  const auto& d = job.plan->data();
  const BatchOptions& opt = *job.opt;
  const std::size_t P = d.n_items, rows = res.rows;
  // A statistics-only pass whose accumulators read only the answers has nothing to score.
  bool need_scores = !job.collect_raw;
  for (ChunkAccumulator* acc : opt.accumulators) need_scores = need_scores || detail::reads_scores(*acc);
  if (need_scores) detail::score_block_validated(d, ws.x.data(), rows, ws.scores);
  else ws.scores.resize(rows, d.n_scales);  // the accumulators' signature still hands them over
  if (opt.accumulators.empty()) return;
  ws.scored.resize(rows);
  for (std::size_t r = 0; r < rows; ++r) ws.scored[r] = ws.error_of[r] < 0 ? 1 : 0;
  for (ChunkAccumulator* acc : opt.accumulators) {
    auto a = acc->fresh();
    detail::ByteAccumulator* b = ws.have_bytes ? detail::ByteAccumulator::of(*a) : nullptr;
    if (!(b && b->add_bytes(ws.bytes.data(), rows, P, ws.scored.data(), ws.scores)))
      a->add(ws.x.data(), rows, P, ws.scored.data(), ws.scores);
    res.accumulated.push_back(std::move(a));
  }
}

// The quality columns of every row, and the count of rows each flag caught.
void score_quality(const QualityScorer& quality, Workspace& ws, ChunkResult& res) {
  const std::size_t rows = res.rows;
  ws.quality.resize(rows);
  // Every row in blocks (an error row's answers are all missing), then error rows get theirs.
  quality.score_rows(ws.x.data(), rows, ws.invalid.data(), ws.quality.data(), ws.quality_ws);
  for (std::size_t r = 0; r < rows; ++r) {
    QualityValues& q = ws.quality[r];
    if (ws.error_of[r] >= 0) quality.score_error_row(ws.invalid[r], q);
    if (!q.flags) continue;  // most rows
    for (int f = 0; f < kQualityFlags; ++f) res.quality_flagged[static_cast<std::size_t>(f)] += (q.flags >> f) & 1u;
    res.quality_any += 1;
  }
}

// Theta and its standard error per IRT scale and row, from the precomputed tables (no allocation
// per row once ws.theta has grown). Rows that could not be scored, and scales a row answered none
// of (the estimate would be the prior's 0 and 1, not the person), are left empty.
void score_theta(const irt::ThetaScorer& scorer, bool map, std::size_t items, Workspace& ws, std::size_t rows) {
  const std::size_t T = scorer.scale_count();
  ws.theta.assign(rows * 2 * T, std::nan(""));
  for (std::size_t r = 0; r < rows; ++r) {
    if (ws.error_of[r] >= 0) continue;
    const double* x = &ws.x[r * items];
    double* out = &ws.theta[r * 2 * T];
    for (std::size_t s = 0; s < T; ++s) {
      const irt::ThetaEstimate e = map ? scorer.map(s, x) : scorer.eap(s, x);
      if (e.answered == 0) continue;
      out[2 * s] = e.theta;
      out[2 * s + 1] = e.se;
    }
  }
}

void finish_chunk(const Job& job, Workspace& ws, ChunkResult& res) {
  score_and_accumulate(job, ws, res);
  if (job.collect_raw) return;  // statistics only: nothing to format
  if (job.opt->quality) score_quality(*job.opt->quality, ws, res);
  if (job.opt->theta) score_theta(*job.opt->theta, job.opt->theta_map, job.plan->data().n_items, ws, res.rows);
  format_rows(job, ws, res);
}

}  // namespace

ChunkResult process_chunk(const Job& job, const char* chunk_data, std::size_t chunk_size) {
  ChunkResult res;
  if (job.cancel->load()) return res;
  Workspace& ws = workspace();
  job.reader->parse(job, ws, res, chunk_data, chunk_size);
  ws.have_bytes = false;
  const auto& d = job.plan->data();
  bool bytes = job.retain;
  for (ChunkAccumulator* acc : job.opt->accumulators) bytes = bytes || detail::reads_bytes(*acc);
  if (bytes && answers_fit_bytes(d)) answers_to_bytes(res.rows, d.n_items, ws);
  if (job.retain) res.parsed = keep_parsed(job, ws, res);
  finish_chunk(job, ws, res);
  return res;
}

ChunkResult process_parsed(const Job& job, ParsedChunk& pc) {
  ChunkResult res;
  if (job.cancel->load()) return res;
  Workspace& ws = workspace();
  restore_parsed(job, ws, res, pc);
  finish_chunk(job, ws, res);
  return res;
}

}  // namespace attune::batch
