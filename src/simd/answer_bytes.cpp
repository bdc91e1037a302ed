// The two conversions of answer_bytes.hpp.
#include "answer_bytes.hpp"

#include <cmath>
#include <limits>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__EMSCRIPTEN__)
#include <immintrin.h>
#endif
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace attune::simd {

namespace {
constexpr double kUnansweredValue = std::numeric_limits<double>::quiet_NaN();
}  // namespace

void doubles_to_bytes(const double* x, std::size_t cells, std::int8_t* b) {
  std::size_t k = 0;
#if defined(__SSE2__)
  // Eight at a time: a NaN converts to INT32_MIN, which the saturating packs turn into -128,
  // kMissingByte, exactly as the scalar line below does it.
  for (; k + 8 <= cells; k += 8) {
    const double* v = x + k;
    const __m128i a = _mm_unpacklo_epi64(_mm_cvttpd_epi32(_mm_loadu_pd(v)), _mm_cvttpd_epi32(_mm_loadu_pd(v + 2)));
    const __m128i c = _mm_unpacklo_epi64(_mm_cvttpd_epi32(_mm_loadu_pd(v + 4)), _mm_cvttpd_epi32(_mm_loadu_pd(v + 6)));
    const __m128i w = _mm_packs_epi32(a, c);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(b + k), _mm_packs_epi16(w, w));
  }
#endif
  for (; k < cells; ++k) {
    const double v = x[k];
    b[k] = std::isnan(v) ? kMissingByte : static_cast<std::int8_t>(v);
  }
}

// Eight at a time, sign-extended, converted, and the missing ones replaced by a lane mask.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__EMSCRIPTEN__) && !defined(ATTUNE_NO_CLONES)
namespace {
__attribute__((target("avx2"))) std::size_t bytes_to_doubles_avx2(const std::int8_t* b, std::size_t cells, double* x) {
  const __m256d missing = _mm256_set1_pd(static_cast<double>(kMissingByte)), nan = _mm256_set1_pd(kUnansweredValue);
  std::size_t k = 0;
  for (; k + 8 <= cells; k += 8) {
    const __m256i w = _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(b + k)));
    const __m256d lo = _mm256_cvtepi32_pd(_mm256_castsi256_si128(w)), hi = _mm256_cvtepi32_pd(_mm256_extracti128_si256(w, 1));
    _mm256_storeu_pd(x + k, _mm256_blendv_pd(lo, nan, _mm256_cmp_pd(lo, missing, _CMP_EQ_OQ)));
    _mm256_storeu_pd(x + k + 4, _mm256_blendv_pd(hi, nan, _mm256_cmp_pd(hi, missing, _CMP_EQ_OQ)));
  }
  return k;
}
}  // namespace
#endif

void bytes_to_doubles(const std::int8_t* b, std::size_t cells, double* x) {
  std::size_t k = 0;
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__EMSCRIPTEN__) && !defined(ATTUNE_NO_CLONES)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) k = bytes_to_doubles_avx2(b, cells, x);
#endif
#if defined(__SSE2__)
  const __m128d missing = _mm_set1_pd(static_cast<double>(kMissingByte)), nan = _mm_set1_pd(kUnansweredValue);
  for (; k + 8 <= cells; k += 8) {
    // Eight bytes sign-extended to 32 bits, converted two by two; -128 becomes NaN.
    const __m128i v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(b + k));
    const __m128i w = _mm_srai_epi16(_mm_unpacklo_epi8(v, v), 8);
    const __m128i lo = _mm_srai_epi32(_mm_unpacklo_epi16(w, w), 16), hi = _mm_srai_epi32(_mm_unpackhi_epi16(w, w), 16);
    const __m128i q[4] = {lo, _mm_shuffle_epi32(lo, 0x0E), hi, _mm_shuffle_epi32(hi, 0x0E)};
    for (int h = 0; h < 4; ++h) {
      const __m128d d = _mm_cvtepi32_pd(q[h]);
      const __m128d m = _mm_cmpeq_pd(d, missing);
      _mm_storeu_pd(x + k + 2 * static_cast<std::size_t>(h), _mm_or_pd(_mm_andnot_pd(m, d), _mm_and_pd(m, nan)));
    }
  }
#endif
  for (; k < cells; ++k) x[k] = b[k] == kMissingByte ? kUnansweredValue : static_cast<double>(b[k]);
}

}  // namespace attune::simd
