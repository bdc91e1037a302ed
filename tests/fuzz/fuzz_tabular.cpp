// libFuzzer target for the converting readers behind attune::TabularInput: SPSS .sav through
// ReadStat (built as fuzz_sav) and JSON Lines (built as fuzz_jsonl), chosen by ATTUNE_FUZZ_FORMAT.
// ReadStat needs a seekable file, so each input is written to one temporary file per process.
// The converted CSV text is read to its end and finish() reports the reader's error, as the CLI does.
#include "fuzz_common.hpp"

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace {

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
  try {
    attune::TabularInput in(path, o);
    char buf[4096];
    while (std::fread(buf, 1, sizeof buf, in.csv()) > 0) {
    }
    in.finish();
    (void)in.variables();
  } catch (const attune::Error& e) {
    attune_fuzz::check_message(e);
    // expected: a truncated, damaged or malformed file
  }
  return 0;
}
