// The portable build (ATTUNE_PORTABLE, CMakePresets.json "portable", tools/run-tests.sh) must really
// compile the plain twins: if a compiler or flag change left __SSE2__ or the AVX2 clones on, that
// build would test the vector paths twice and the plain ones never.
#include <catch2/catch.hpp>

TEST_CASE("the portable build compiles no x86 vector path", "[portable]") {
#if defined(ATTUNE_PORTABLE)
#if defined(__SSE2__) || defined(__AVX2__)
  const bool vector_macros = true;
#else
  const bool vector_macros = false;
#endif
#if defined(ATTUNE_NO_CLONES)
  const bool clones_off = true;
#else
  const bool clones_off = false;
#endif
  CHECK_FALSE(vector_macros);
  CHECK(clones_off);
#else
  SUCCEED("not the portable build: the vector paths are compiled and tested against their twins elsewhere");
#endif
}
