#pragma once
// What flows through the batch pipeline (HACKING.md): the file's layout, a chunk of input bytes, what
// a worker makes of it (ChunkResult), the job every stage reads (Job), and each worker thread's
// scratch memory (Workspace). The stages: read/ (bytes -> answers), score_chunk (answers -> scores,
// statistics, quality), write/ (scores -> output text), job/ (the reading loop, the threads, the order).
#include <attune/batch.hpp>
#include <attune/error.hpp>
#include <attune/quality.hpp>
#include <attune/score.hpp>

#include "../io/csv.hpp"
#include "../number_texts.hpp"
#include "../plan_data.hpp"
#include "../stats/byte_accumulator.hpp"
#include "cells.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace attune::batch {

struct Layout {
  std::vector<std::string> header;
  std::vector<int> item_col;  // per item
  std::vector<int> col_item;  // per column: item index or -1
  std::vector<int> keep_col;  // columns copied to the output
};

// Bytes of whole records, with kChunkPadding readable bytes after `size` so vector loads never
// run off the allocation.
constexpr std::size_t kChunkPadding = 64;
struct Chunk {
  std::unique_ptr<char[]> data;
  std::size_t size = 0;
  std::size_t cap = 0;
  static Chunk make(std::size_t cap) {
    Chunk c;
    c.data.reset(new char[cap + kChunkPadding]);
    c.cap = cap;
    return c;
  }
  void grow(std::size_t new_cap) {
    std::unique_ptr<char[]> d(new char[new_cap + kChunkPadding]);
    std::memcpy(d.get(), data.get(), size);
    data = std::move(d);
    cap = new_cap;
  }
};

// A chunk's rows as parsed, kept compactly so that a later reading of the same file can score
// them without parsing them again (ParsedRows). Answers are whole numbers on a scale within
// -127..127, one byte each.
constexpr std::int8_t kMissing8 = detail::kNotAnsweredByte;
struct ParsedChunk {
  std::uint64_t rows = 0, blank = 0, newlines = 0;
  std::uint64_t end = 0;                // the input offset just past the chunk
  std::vector<std::int8_t> answers;     // rows x items, kMissing8 = not answered
  std::string kept;                     // kept columns, escaped for the output format
  std::vector<std::uint32_t> kept_end;  // per row
  std::vector<std::int32_t> row_line;   // per row: local line offset where it starts; empty: row r on line r
  std::vector<RowError> errors;         // local, as parsed
  struct ErrorRow { std::uint32_t row; std::int32_t error; int invalid; };
  std::vector<ErrorRow> error_rows;     // rows that could not be scored
  std::size_t bytes() const {
    return sizeof *this + answers.capacity() + kept.capacity() + 4 * (kept_end.capacity() + row_line.capacity()) +
           errors.capacity() * (sizeof(RowError) + 64) + error_rows.capacity() * sizeof(ErrorRow);
  }
};

// A reader's error that ends the input (a JSON Lines syntax error, a line over the limit): the rows
// before it stand; its line is local to the chunk until report_chunk_errors makes it global.
struct ReaderStop {
  ErrorKind kind = ErrorKind::data;
  std::string message, expected;
  Location where;
};

struct ChunkResult {
  std::string text;                  // the first text_len bytes are the chunk's output; the rest is
  std::size_t text_len = 0;          // room kept for the buffer's next use (never zero-filled again)
  std::vector<RowError> errors;      // row = local 0-based row, line = local line offset
  std::uint64_t rows = 0, scored = 0, noted = 0, blank = 0;
  std::uint64_t newlines = 0;  // every line feed in the chunk, blank lines' included
  std::exception_ptr fatal;
  std::vector<std::uint32_t> row_end;  // with row numbers: where each row's text ends
  std::vector<std::unique_ptr<ChunkAccumulator>> accumulated;  // one per BatchOptions::accumulators
  std::array<std::uint64_t, 8> quality_flagged{};
  std::uint64_t quality_any = 0;
  std::shared_ptr<ParsedChunk> parsed;  // with Job::retain: the chunk's parsed rows, for a later reading
  std::uint64_t begin = 0, end = 0;     // the chunk's bytes in the input, from where reading started
  std::unique_ptr<ReaderStop> stop;     // the input ends in this chunk with an error
};

static_assert(kQualityFlags <= 8, "BatchSummary::quality_flagged holds 8 flags");

// Output texts handed back once written, so that a long run reuses the same few megabytes: a
// fresh std::string per chunk is zero-filled to its full size before a single row is written.
class TextRecycler {
 public:
  std::string take() {
    std::lock_guard<std::mutex> lock(mu_);
    if (texts_.empty()) return {};
    std::string t = std::move(texts_.back());
    texts_.pop_back();
    return t;
  }
  void give(std::string&& t) {
    if (t.capacity() == 0) return;
    std::lock_guard<std::mutex> lock(mu_);
    texts_.push_back(std::move(t));
  }

 private:
  std::mutex mu_;
  std::vector<std::string> texts_;
};

struct OutputColumn;
struct Job;
struct Workspace;

// How a job reads its input's bytes (read/source.hpp): a chunk's rows into the workspace, the end of
// the last whole record in a buffer (0: none yet), and the longest record. CSV by default; JSON
// Lines and .sav have readers of their own.
struct Reader {
  void (*parse)(const Job&, Workspace&, ChunkResult&, const char*, std::size_t) = nullptr;
  std::size_t (*record_end)(const char*, std::size_t) = nullptr;
  std::size_t max_record = 0;
  std::size_t chunk_bytes = 0;  // a chunk's size before it is cut
  bool lines = false;  // records are lines, and one too long is named by its line (JSON Lines)
};

struct Job {
  const ScoringPlan* plan;
  const Layout* layout;
  const BatchOptions* opt;
  const MissingCodes* codes;
  std::string file;
  std::atomic<bool>* cancel;
  bool collect_raw = false;  // statistics only (sample norms): skip formatting
  TextRecycler* texts = nullptr;
  bool retain = false;       // keep each chunk's parsed rows in ChunkResult::parsed
  const std::vector<OutputColumn>* columns = nullptr;  // the output's columns (output_table), in order
  const Reader* reader = nullptr;
  // A writer of its own (the .sav writer's readings, write/sav_rows.hpp) instead of the CSV or JSON
  // Lines text that opt->format asks for.
  void (*format)(const Job&, Workspace&, ChunkResult&) = nullptr;
};

// One table per column kind (see NumberTexts), per thread. The plane's projections and IRV have
// none: with a few thousand values each, their tables hit 82% of the time at best (21% for the
// projections with sample norms), which costs more than it saves (number_texts.hpp).
struct NumberTextCaches {
  using NumberTexts = detail::NumberTexts;
  NumberTexts scores{10};  // scale scores, their z and percentiles
  NumberTexts shares{6};   // share answered
};

struct Workspace {
  io::RecordParser parser{','};
  std::vector<double> x;
  BlockScores scores;
  std::string kept;                    // already escaped for the output format
  std::vector<std::uint32_t> kept_end; // per row
  std::vector<std::int32_t> error_of;  // per row: index into errors, or -1
  std::vector<std::int64_t> row_line;  // per row: local line offset where it starts
  std::vector<std::string_view> fields;
  std::vector<std::uint8_t> scored;
  std::vector<int> invalid;                 // with quality: invalid answer cells per row
  std::vector<QualityValues> quality;       // with quality: per row
  std::vector<double> theta;                // with BatchOptions::theta: rows x (theta, se) per IRT scale
  QualityScorer::Workspace quality_ws;
  // The answers as bytes (kMissing8 = missing) when the response scale fits in one: for kept
  // rows and for accumulators that read bytes (detail::ByteAccumulator::add_bytes).
  std::vector<std::int8_t> bytes;
  bool have_bytes = false;
  std::unique_ptr<NumberTextCaches> number_texts;  // made at the first six-decimal CSV chunk
};

// Whole answers on a scale within -127..127 fit in a byte each.
inline bool answers_fit_bytes(const detail::PlanData& d) { return d.data_min >= -127 && d.data_max <= 127; }

// Short texts copied into the output row as one fixed-size block (inlined register moves) rather
// than a call with a variable length: the output keeps far more room than that after each row.
constexpr std::size_t kTextSlack = 32;

}  // namespace attune::batch
