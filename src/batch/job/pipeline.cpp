// The reading loop, the worker threads and the order of results (pipeline.hpp).
#include "pipeline.hpp"

#include <attune/error.hpp>
#include <attune/norms.hpp>

#include "../../io/column_map.hpp"
#include "../../io/header_read.hpp"
#include "../../io/thread_pool.hpp"
#include "../columns.hpp"
#include "../read/kept_rows.hpp"
#include "../read/source.hpp"
#include "../score_chunk.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <future>
#include <thread>

namespace attune::batch {

namespace {

// The gender and age columns of --norm-group are kept too (once), so that each row's cell can be
// read at the write stage and checked in the output.
void keep_norm_columns(const BatchOptions& opt, const std::string& file, Layout& layout) {
  if (!opt.norms) return;
  for (const std::string* name : {&opt.norms->gender_column, &opt.norms->age_column}) {
    const int c = io::find_column(layout.header, *name, file, "--norm-group");
    if (std::find(layout.keep_col.begin(), layout.keep_col.end(), c) == layout.keep_col.end()) layout.keep_col.push_back(c);
  }
}

// With no --keep, a column named id is kept (when the options ask for it); then the output's
// names must be unique.
void finish_kept_columns(const ScoringPlan& plan, const BatchOptions& opt, const std::string& file, Layout& layout) {
  const std::vector<std::string>& header = layout.header;
  if (opt.keep.empty() && opt.keep_id_column) {
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (header[c] == "id" || header[c] == "ID" || header[c] == "Id") { layout.keep_col.push_back(static_cast<int>(c)); break; }
    }
  }
  keep_norm_columns(opt, file, layout);
  std::vector<std::string> kept;
  for (int c : layout.keep_col) kept.push_back(header[static_cast<std::size_t>(c)]);
  const std::size_t first_kept = opt.row_numbers ? 1 : 0;
  io::check_unique_output(output_columns(plan, opt, kept), first_kept, first_kept + kept.size());
}

}  // namespace

Head read_head(const ScoringPlan& plan, std::FILE* in, const std::string& file, const BatchOptions& opt, bool keep_columns) {
  check_batch_options(opt);
  io::HeaderRead r = read_source_header(in, source_of(in), file, opt);
  Head h;
  h.rest = std::move(r.rest);
  h.lines = r.lines;
  h.bytes = r.bytes;
  h.skipped = r.skipped;
  h.eof = r.eof;
  h.layout.header = std::move(r.header);
  const std::vector<std::string>& header = h.layout.header;
  try {
    h.layout.item_col = io::map_item_columns(plan, header, opt.mapping, file);
    if (keep_columns)
      for (const auto& k : opt.keep) h.layout.keep_col.push_back(io::find_column(header, k, file, "--keep"));
  } catch (const DataError& e) {
    // Its "(header: ...)" list would print the first person's answers.
    if (!io::header_looks_like_answers(header)) throw;
    throw DataError(e.message() + "; the first row looks like answers, not column names", e.where(),
                    "a header row naming the columns, then one row per person");
  }
  h.layout.col_item.assign(header.size(), -1);
  for (std::size_t i = 0; i < h.layout.item_col.size(); ++i) h.layout.col_item[static_cast<std::size_t>(h.layout.item_col[i])] = static_cast<int>(i);
  if (keep_columns) finish_kept_columns(plan, opt, file, h.layout);
  return h;
}

namespace {

// One run of the pipeline: the chunks in flight and the reading position.
class Pipeline {
 public:
  Pipeline(const Job& job, unsigned threads, TextRecycler& texts, const ChunkSink& sink, std::uint64_t bytes, bool eof)
      : job_(job), pool_(threads), max_inflight_(2 * threads + 2), texts_(texts), sink_(sink), bytes_(bytes), eof_(eof),
        lines_(0) {}
  // The kept chunks of a first reading; true when they reach the end of the input.
  bool replay(ParsedRows::Impl& kept);
  // The input from head.rest and then `in`.
  void read(std::FILE* in, Head& head);
  void finish() {
    while (!inflight_.empty()) drain_one();
  }
  void start_lines(std::uint64_t lines) { lines_ = lines; }

 private:
  void drain_one();
  void submit(std::future<ChunkResult> f) {
    inflight_.push_back(std::move(f));
    while (inflight_.size() >= max_inflight_) drain_one();
  }
  void fill(std::FILE* in);
  [[noreturn]] void record_too_long();
  void cancel_all() {
    *job_.cancel = true;
    for (auto& f : inflight_) f.wait();
  }

  const Job& job_;
  io::ThreadPool pool_;
  std::deque<std::future<ChunkResult>> inflight_;
  const std::size_t max_inflight_;
  TextRecycler& texts_;
  const ChunkSink& sink_;
  std::uint64_t bytes_;
  bool eof_;
  std::uint64_t lines_;  // line feeds handed to workers, when a record is a line (to name one too long)
  Chunk cur_;
};

void Pipeline::drain_one() {
  ChunkResult r = inflight_.front().get();
  inflight_.pop_front();
  try {
    sink_(r, std::max(bytes_, r.end));
    texts_.give(std::move(r.text));
  } catch (...) {
    cancel_all();
    throw;
  }
}

bool Pipeline::replay(ParsedRows::Impl& kept) {
  while (!kept.chunks.empty()) {
    std::shared_ptr<ParsedChunk> pc = std::move(kept.chunks.front());
    kept.chunks.pop_front();
    const std::uint64_t end = pc->end;
    submit(pool_.submit([&job = job_, pc = std::move(pc), end] {
      ChunkResult r = process_parsed(job, *pc);
      r.end = end;
      return r;
    }));
  }
  return kept.whole;
}

std::uint64_t count_lines(const char* p, std::size_t n) {
  std::uint64_t k = 0;
  for (const char* end = p + n; (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))); ++p) ++k;
  return k;
}

// Each chunk owns its bytes (read straight into it, no zero-fill); the partial record at its end
// is copied into the next chunk before it is handed to a worker.
void Pipeline::fill(std::FILE* in) {
  std::size_t got = std::fread(cur_.data.get() + cur_.size, 1, cur_.cap - cur_.size, in);
  if (got == 0) {
    if (std::ferror(in)) throw IoError(std::string("read failed: ") + std::strerror(errno), Location::in_file(job_.file));
    eof_ = true;
  }
  cur_.size += got;
  bytes_ += got;
}

void Pipeline::record_too_long() {
  cancel_all();
  Location where;
  where.file = job_.file;
  const std::size_t max = job_.reader->max_record;
  if (job_.reader->lines) {
    where.line = static_cast<std::int64_t>(lines_) + 1;
    throw LimitError("line longer than " + std::to_string(max) + " bytes", where,
                     "one JSON object per line, each at most " + std::to_string(max) + " bytes");
  }
  throw LimitError("a record is longer than " + std::to_string(job_.opt->max_record_bytes) + " bytes", where,
                   "records shorter than the limit (an unmatched quote can also cause this)");
}

void Pipeline::read(std::FILE* in, Head& head) {
  // The input offset of cur's first byte (from where reading started).
  std::uint64_t consumed = head.bytes - head.rest.size();
  const std::size_t chunk_bytes = job_.reader->chunk_bytes;
  cur_ = Chunk::make(std::max(chunk_bytes, head.rest.size()) + chunk_bytes);
  std::memcpy(cur_.data.get(), head.rest.data(), head.rest.size());
  cur_.size = head.rest.size();
  head.rest.clear();
  for (;;) {
    if (!eof_ && cur_.size < chunk_bytes) {
      if (cur_.size == cur_.cap) cur_.grow(cur_.cap * 2);
      fill(in);
      continue;
    }
    std::size_t cut = eof_ ? cur_.size : job_.reader->record_end(cur_.data.get(), cur_.size);
    if (cut == 0) {
      if (eof_) break;
      if (cur_.size > job_.reader->max_record) record_too_long();
      cur_.grow(cur_.cap * 2);
      fill(in);
      continue;
    }
    Chunk next = Chunk::make(std::max(chunk_bytes, cur_.size - cut) + chunk_bytes);
    next.size = cur_.size - cut;
    std::memcpy(next.data.get(), cur_.data.get() + cut, next.size);
    cur_.size = cut;
    if (job_.reader->lines) lines_ += count_lines(cur_.data.get(), cut);
    const std::uint64_t begin = consumed;
    consumed += cut;
    submit(pool_.submit([&job = job_, chunk = std::make_shared<Chunk>(std::move(cur_)), begin, end = consumed] {
      ChunkResult r = process_chunk(job, chunk->data.get(), chunk->size);
      r.begin = begin;
      r.end = end;
      return r;
    }));
    cur_ = std::move(next);
    if (eof_ && cur_.size == 0) break;
  }
}

}  // namespace

void run_pipeline(const ScoringPlan& plan, std::FILE* in, const std::string& file, const BatchOptions& opt, Head& head,
                  bool collect_raw, const ChunkSink& sink, bool retain, ParsedRows::Impl* replay,
                  void (*format)(const Job&, Workspace&, ChunkResult&)) {
  const MissingCodes codes(opt.missing_codes);
  std::atomic<bool> cancel{false};
  TextRecycler texts;
  std::vector<std::string> kept;
  for (int c : head.layout.keep_col) kept.push_back(head.layout.header[static_cast<std::size_t>(c)]);
  const std::vector<OutputColumn> columns = output_table(plan, opt, kept);
  const Reader reader = reader_for(source_of(in), opt);
  Job job{&plan, &head.layout, &opt, &codes, file, &cancel, collect_raw, &texts, retain, &columns, &reader, format};
  unsigned threads = opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  Pipeline pipeline(job, threads, texts, sink, head.bytes, head.eof);
  pipeline.start_lines(head.lines);
  if (!(replay && pipeline.replay(*replay))) pipeline.read(in, head);
  pipeline.finish();
}

namespace {

[[noreturn]] void throw_reader_stop(const ReaderStop& s, std::uint64_t line_base) {
  Location where = s.where;
  where.line = static_cast<std::int64_t>(line_base) + where.line + 1;
  if (s.kind == ErrorKind::limit) throw LimitError(s.message, where, s.expected);
  throw DataError(s.message, where, s.expected);
}

}  // namespace

void report_chunk_errors(ChunkResult& r, std::uint64_t row_base, std::uint64_t line_base, const std::string& file,
                         ErrorPolicy policy, const std::function<void(const RowError&)>& on_error) {
  if (r.fatal) std::rethrow_exception(r.fatal);
  // The input ends with an error in this chunk: it is what stops the job, before the rows' own
  // errors in stop mode (as the reader's error always came first), after them when they are reported.
  if (r.stop && policy == ErrorPolicy::stop) throw_reader_stop(*r.stop, line_base);
  for (auto& e : r.errors) {
    e.row = static_cast<std::int64_t>(row_base) + e.row + 1;
    e.line = static_cast<std::int64_t>(line_base) + e.line + 1;
    if (policy == ErrorPolicy::stop) {
      Location where;
      where.file = file;
      where.row = e.row;
      where.line = e.line;
      where.column = e.column;
      where.column_name = e.column_name;
      where.item = e.item;
      where.value = e.value;
      if (e.item.empty()) throw DataError(e.reason, where, e.expected);
      throw AnswerError(e.reason, where, e.expected);
    }
    on_error(e);
  }
  if (r.stop) throw_reader_stop(*r.stop, line_base);
}

// The counts of a chunk added to the summary.
void add_counts(const ChunkResult& r, BatchSummary& sum) {
  sum.rows_in += r.rows;
  sum.rows_scored += r.scored;
  sum.rows_reported += r.errors.size();
  sum.rows_with_notes += r.noted;
  for (std::size_t f = 0; f < r.quality_flagged.size(); ++f) sum.quality_flagged[f] += r.quality_flagged[f];
  sum.quality_any += r.quality_any;
  sum.blank_lines += r.blank;
}

void merge_accumulated(ChunkResult& r, const BatchOptions& opt) {
  for (std::size_t k = 0; k < r.accumulated.size(); ++k) opt.accumulators[k]->merge(*r.accumulated[k]);
}

}  // namespace attune::batch
