// The kind of each input and its reader (source.hpp).
#include "source.hpp"

#include "jsonl_reader.hpp"
#include "parse_chunk.hpp"
#include "sav_reader.hpp"
#include "../tuning.hpp"

#include <map>
#include <mutex>

namespace attune::batch {

namespace {

std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}

// Looked up once per reading of a file, never per row.
std::map<std::FILE*, Source>& registry() {
  static std::map<std::FILE*, Source> r;
  return r;
}

}  // namespace

void register_source(std::FILE* f, Source s) {
  std::lock_guard<std::mutex> lk(registry_mutex());
  registry()[f] = s;
}

void forget_source(std::FILE* f) {
  std::lock_guard<std::mutex> lk(registry_mutex());
  registry().erase(f);
}

Source source_of(std::FILE* f) {
  std::lock_guard<std::mutex> lk(registry_mutex());
  auto it = registry().find(f);
  return it == registry().end() ? Source{} : it->second;
}

io::HeaderRead read_source_header(std::FILE* in, const Source& source, const std::string& file, const BatchOptions& opt) {
  switch (source.kind) {
    case SourceKind::jsonl: return read_jsonl_header(in, file, opt, source.max_line);
    case SourceKind::sav: return read_sav_header(in, file, opt);
    case SourceKind::csv: break;
  }
  return io::read_header(in, file, opt);
}

// JSON Lines repeats every key on every line, about four times the bytes of the same row in CSV:
// its chunks are four times as long, so that a chunk holds about as many rows as it would in CSV (the
// block of answers stays the size batch::chunk_bytes (tuning.hpp) aims at, and so do the per-chunk sums).
constexpr std::size_t kJsonLinesChunkFactor = 4;

Reader reader_for(const Source& source, const BatchOptions& opt) {
  Reader r;
  r.chunk_bytes = batch::chunk_bytes(opt);
  switch (source.kind) {
    case SourceKind::jsonl:
      r.parse = parse_jsonl_chunk;
      r.record_end = jsonl_lines_end;
      r.max_record = source.max_line;
      r.chunk_bytes = kJsonLinesChunkFactor * batch::chunk_bytes(opt);
      r.lines = true;
      return r;
    case SourceKind::sav:
      r.parse = parse_sav_chunk;
      r.record_end = sav_records_end;
      r.max_record = opt.max_record_bytes;
      return r;
    case SourceKind::csv: break;
  }
  r.parse = parse_chunk;
  r.record_end = io::last_record_end;
  r.max_record = opt.max_record_bytes;
  return r;
}

}  // namespace attune::batch
