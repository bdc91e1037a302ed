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

// Every error message is safe to print (docs/robustness.md): no control character from the input
// survives into what(), whatever bytes the input held.
inline void check_message(const attune::Error& e) {
  for (const char* p = e.what(); *p; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c == 0x7F) fail("a control character in Error::what()");
  }
}

// Built-in instruments are found through the source tree (ATTUNE_FUZZ_INSTRUMENTS), so the targets
// run from any directory.
inline void use_source_instruments() { setenv("ATTUNE_INSTRUMENT_PATH", ATTUNE_FUZZ_INSTRUMENTS, 0); }

}  // namespace attune_fuzz
