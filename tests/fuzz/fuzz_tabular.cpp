// libFuzzer target for the readers behind attune::TabularInput: SPSS .sav through ReadStat (built as
// fuzz_sav) and JSON Lines (built as fuzz_jsonl), chosen by ATTUNE_FUZZ_FORMAT. ReadStat needs a
// seekable file, so each input is written to one temporary file per process. The input is read
// through the batch path (accumulate_csv, two threads, as the CLI reads it), which runs the
// format's own reader into the block of answers; finish() reports the .sav decoder's error.
// Invariant on every input that does not throw attune::Error: rows in = rows scored + rows reported.
#include "fuzz_common.hpp"

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>
#include "../../src/batch/tuning.hpp"

namespace {

const attune::ScoringPlan& rq_plan() {
  static const attune::ScoringPlan plan = [] {
    attune_fuzz::use_source_instruments();
    return attune::ScoringPlan::compile(attune::load_instrument("rq"));
  }();
  return plan;
}

const std::string& scratch_path() {
  static const std::string path = [] {
    char name[] = "/tmp/attune-fuzz-XXXXXX";
    const int fd = mkstemp(name);
    if (fd < 0) attune_fuzz::fail("mkstemp");
    close(fd);
    return std::string(name);
  }();
  return path;
}

struct RemoveAtExit {
  ~RemoveAtExit() { std::remove(scratch_path().c_str()); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static RemoveAtExit cleanup;
  const std::string& path = scratch_path();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) attune_fuzz::fail("cannot write the scratch file");
  if (size && std::fwrite(data, 1, size, f) != size) attune_fuzz::fail("short write to the scratch file");
  std::fclose(f);

  attune::InputOptions o;
  o.format = attune::InputFormat::ATTUNE_FUZZ_FORMAT;
  // An odd first byte gives JSON Lines a 48-byte line limit, so the fuzzer reaches the limit path
  // of the bounded line reader (the byte stays part of the input).
  if (size && (data[0] & 1)) o.max_record_bytes = 48;
  attune::BatchOptions bo;
  bo.threads = 2;
  if (size && (data[0] & 2)) attune::batch::set_chunk_bytes(bo, 64);  // records across chunk boundaries
  try {
    attune::TabularInput in(path, o);
    std::uint64_t reported = 0;
    const attune::BatchSummary s = in.run([&] {
      return attune::accumulate_csv(rq_plan(), in.csv(), in.name(), bo, [&](const attune::RowError&) { ++reported; });
    });
    if (s.rows_in != s.rows_scored + s.rows_reported || reported != s.rows_reported) attune_fuzz::fail("row counts do not add up");
    (void)in.variables();
  } catch (const attune::Error& e) {
    attune_fuzz::check_message(e);
    // expected: a truncated, damaged or malformed file
  }
  return 0;
}
