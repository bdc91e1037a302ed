// The two readings of a file through the pipeline: score_csv (scores written out) and
// accumulate_csv (statistics only, optionally keeping the parsed rows for score_csv).
#include <attune/error.hpp>

#include "../../io/csv.hpp"
#include "../read/kept_rows.hpp"
#include "pipeline.hpp"

#include <cerrno>
#include <cstring>

namespace attune {

namespace {

using batch::add_counts;
using batch::ChunkResult;
using batch::merge_accumulated;

void write_all(const char* data, std::size_t n, std::FILE* out, const BatchOptions& opt) {
  if (n && std::fwrite(data, 1, n, out) != n)
    throw IoError(std::string("write failed: ") + std::strerror(errno), Location::in_file(opt.output_name));
}

void write_csv_header(const ScoringPlan& plan, const batch::Layout& layout, std::FILE* out, const BatchOptions& opt) {
  std::string h;
  std::vector<std::string> kept;
  for (int c : layout.keep_col) kept.push_back(layout.header[static_cast<std::size_t>(c)]);
  auto cols = output_columns(plan, opt, kept);
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (i) h.push_back(opt.delimiter);
    io::append_csv_field(h, cols[i], opt.delimiter);
  }
  h.push_back('\n');
  write_all(h.data(), h.size(), out, opt);
}

// Row numbers are global, so the writer adds them in order.
void number_rows(ChunkResult& r, std::uint64_t row_base, const BatchOptions& opt) {
  std::string numbered;
  numbered.reserve(r.text_len + r.rows * 16);
  const bool json = opt.format == OutputFormat::jsonl;
  std::uint32_t begin = 0;
  for (std::size_t k = 0; k < r.row_end.size(); ++k) {
    numbered += json ? "{\"row\":" : "";
    numbered += std::to_string(row_base + k + 1);
    numbered.push_back(json ? ',' : opt.delimiter);
    numbered.append(r.text, begin, r.row_end[k] - begin);
    begin = r.row_end[k];
  }
  r.text.swap(numbered);
  r.text_len = r.text.size();
}

// On from the first row not kept: the header was read again for its layout, the rest is skipped.
void resume_after_kept(std::FILE* in, const std::string& file, const ParsedRows::Impl& replay, batch::Head& head) {
  const auto skip = static_cast<long>(replay.resume) - static_cast<long>(head.bytes);
  if (std::fseek(in, skip, SEEK_CUR) != 0)
    throw IoError("cannot seek to the rows not kept from the first reading", Location::in_file(file));
  head.rest.clear();
  head.bytes = replay.resume;
  head.eof = false;
}

}  // namespace

BatchSummary score_csv(const ScoringPlan& plan, std::FILE* in, const std::string& file, std::FILE* out,
                       const BatchOptions& opt, const std::function<void(const RowError&)>& on_error, ParsedRows* kept) {
  BatchSummary sum;
  batch::Head head = batch::read_head(plan, in, file, opt, true);
  ParsedRows::Impl* replay = kept && kept->impl().filled ? &kept->impl() : nullptr;
  if (replay && !replay->whole) resume_after_kept(in, file, *replay, head);
  sum.rows_skipped = head.skipped;
  if (opt.format == OutputFormat::csv) write_csv_header(plan, head.layout, out, opt);
  std::uint64_t line_base = head.lines;
  std::uint64_t row_base = 0;
  batch::run_pipeline(plan, in, file, opt, head, false, [&](ChunkResult& r, std::uint64_t bytes) {
    batch::report_chunk_errors(r, row_base, line_base, file, opt.on_error, on_error);
    if (opt.row_numbers) number_rows(r, row_base, opt);
    write_all(r.text.data(), r.text_len, out, opt);
    merge_accumulated(r, opt);
    row_base += r.rows;
    line_base += r.newlines;  // blank lines included
    add_counts(r, sum);
    sum.bytes_in = bytes;
    if (opt.progress) opt.progress(sum.rows_in, bytes);
  }, false, replay);
  if (replay) replay->clear();  // consumed
  return sum;
}

namespace {

// A chunk's parsed rows kept in `kp` while they fit its budget; `full` once one did not (that chunk
// and every later one are read again, from kp->resume).
void keep_chunk(ChunkResult& r, ParsedRows::Impl& kp, bool& full) {
  if (r.parsed && kp.used + r.parsed->bytes() <= kp.budget) {
    r.parsed->end = r.end;
    kp.used += r.parsed->bytes();
    kp.rows += r.parsed->rows;
    kp.chunks.push_back(std::move(r.parsed));
  } else {
    full = true;
    kp.resume = r.begin;
  }
}

}  // namespace

// Statistics only (reliability, sample moments): the same reading, validation and error records
// as score_csv, but nothing is formatted or written.
BatchSummary accumulate_csv(const ScoringPlan& plan, std::FILE* in, const std::string& file, const BatchOptions& opt,
                            const std::function<void(const RowError&)>& on_error, ParsedRows* keep) {
  BatchOptions o = opt;
  // Rows kept for score_csv are parsed as it would parse them, kept columns included.
  if (!keep) o.keep.clear();
  o.row_numbers = false;
  BatchSummary sum;
  batch::Head head = batch::read_head(plan, in, file, o, keep != nullptr);
  sum.rows_skipped = head.skipped;
  std::uint64_t line_base = head.lines, row_base = 0;
  ParsedRows::Impl* kp = keep ? &keep->impl() : nullptr;
  if (kp) {
    kp->clear();
    kp->filled = true;
  }
  // One byte per answer holds every scale within -127..127.
  const bool retain = kp && kp->budget > 0 && batch::answers_fit_bytes(plan.data());
  bool full = !retain;
  const std::uint64_t first_row = head.bytes - head.rest.size();  // where the data rows start
  batch::run_pipeline(plan, in, file, o, head, true, [&](ChunkResult& r, std::uint64_t bytes) {
    if (kp && !full) keep_chunk(r, *kp, full);
    r.parsed.reset();
    batch::report_chunk_errors(r, row_base, line_base, file, o.on_error, on_error);
    merge_accumulated(r, o);
    row_base += r.rows;
    line_base += r.newlines;  // blank lines included
    sum.rows_in += r.rows;
    sum.rows_scored += r.rows - r.errors.size();
    sum.rows_reported += r.errors.size();
    sum.blank_lines += r.blank;
    sum.bytes_in = bytes;
    if (o.progress) o.progress(sum.rows_in, bytes);
  }, retain);
  if (kp) {
    kp->whole = !full;
    if (!retain) kp->resume = first_row;  // nothing kept: from the first row
  }
  return sum;
}

BatchSummary score_csv(const ScoringPlan& plan, std::FILE* in, const std::string& file, std::FILE* out, const BatchOptions& opt,
                       const std::function<void(const RowError&)>& on_error) {
  return score_csv(plan, in, file, out, opt, on_error, nullptr);
}

BatchSummary accumulate_csv(const ScoringPlan& plan, std::FILE* in, const std::string& file, const BatchOptions& opt,
                            const std::function<void(const RowError&)>& on_error) {
  return accumulate_csv(plan, in, file, opt, on_error, nullptr);
}

}  // namespace attune
