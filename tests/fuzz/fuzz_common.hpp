#pragma once
// Shared by the libFuzzer targets: an attune::Error is the expected answer to a bad input and is
// swallowed; anything else (another exception, a sanitizer report, a failed invariant) must crash so
// libFuzzer saves the input.
#include <attune/attune.hpp>

#include <cstdio>
#include <cstdlib>

namespace attune_fuzz {

// A failed invariant: print why and abort, so libFuzzer records the input as a crash.
[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant failed: %s\n", what);
  std::abort();
}

// Built-in instruments are found through the source tree (ATTUNE_FUZZ_INSTRUMENTS), so the targets
// run from any directory.
inline void use_source_instruments() { setenv("ATTUNE_INSTRUMENT_PATH", ATTUNE_FUZZ_INSTRUMENTS, 0); }

}  // namespace attune_fuzz
