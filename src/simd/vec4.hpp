#pragma once
// Four doubles as one value (GCC/Clang vector extension). Every lane is computed on its own, so a
// kernel gives bit-identical results whether it is compiled to SSE2 (two halves) or AVX2 (one
// register), and ATTUNE_CLONES builds both, chosen once at load time by the CPU.
#include <cstddef>
#include <cstring>

namespace attune::detail {

typedef double vec4 __attribute__((vector_size(32)));
// Two doubles, one SSE2 register, and the lane masks their comparisons give (-1 or 0 per lane).
typedef double pair2 __attribute__((vector_size(16)));
typedef long long mask2 __attribute__((vector_size(16)));

// Through a reference: a 32-byte vector returned by value would warn that the AVX ABI differs.
inline void load4(vec4& v, const double* p) { std::memcpy(&v, p, sizeof v); }

}  // namespace attune::detail

// ThreadSanitizer: the clones' resolver runs while the program is relocated, before the sanitizer's
// runtime is up, and the instrumented resolver crashes the program at start. One baseline build there.
#if defined(__SANITIZE_THREAD__)
#define ATTUNE_NO_CLONES 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ATTUNE_NO_CLONES 1
#endif
#endif

// No FMA: the clones must round exactly as the baseline build does.
#if defined(__x86_64__) && defined(__linux__) && !defined(__EMSCRIPTEN__) && !defined(ATTUNE_NO_CLONES)
#define ATTUNE_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define ATTUNE_CLONES
#endif
