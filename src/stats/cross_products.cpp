// The packed cross-product kernel (see cross_products.hpp).
#include "cross_products.hpp"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__EMSCRIPTEN__)
#include <immintrin.h>
#define ATTUNE_PACKED_AVX2 1
#endif

namespace attune::detail {

void PackedRows::reset(std::size_t k, std::size_t max_rows) {
  // Cells past k are never written, so they stay zero while k stays the same; only a new k
  // (another block reusing this buffer) needs the whole buffer cleared.
  const std::size_t width = (k + 7) / 8 * 8;
  const std::size_t need = (max_rows + 1) / 2 * width * 2;
  if (width != width_ || k != k_) {
    std::fill(data_.begin(), data_.end(), std::int16_t{0});
    width_ = width;
    k_ = k;
  }
  // 16 cells of slack: the AVX2 tiles read 16 cells from the last block of 8 (the extra lanes are
  // dropped).
  if (data_.size() < need + 32) data_.resize(need + 32);  // new cells are zero
  rows_ = 0;
}

void put_byte_pair(const std::int8_t* a, const std::int8_t* b, std::size_t k, std::size_t width, std::int16_t* out) {
  std::size_t i = 0;
#if defined(__SSE2__)
  // Eight items of each row at a time: sign-extended to 16 bits, -128 masked to 0, interleaved.
  const __m128i missing = _mm_set1_epi8(-128);
  auto load8 = [&](const std::int8_t* r, std::size_t at) {
    if (!r) return _mm_setzero_si128();
    std::int64_t v = 0;
    if (at + 8 <= k) {
      std::memcpy(&v, r + at, 8);
    } else if (k >= 8) {  // the row's last 8 bytes, shifted down to its last k - at: never past the row
      std::memcpy(&v, r + k - 8, 8);
      v = static_cast<std::int64_t>(static_cast<std::uint64_t>(v) >> (8 * (8 - (k - at))));
    } else {
      std::memcpy(&v, r + at, k - at);
    }
    const __m128i x = _mm_cvtsi64_si128(v);
    const __m128i y = _mm_andnot_si128(_mm_cmpeq_epi8(x, missing), x);
    return _mm_srai_epi16(_mm_unpacklo_epi8(y, y), 8);
  };
  for (; i < k; i += 8) {
    const __m128i x = load8(a, i), y = load8(b, i);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 2 * i), _mm_unpacklo_epi16(x, y));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 2 * i + 8), _mm_unpackhi_epi16(x, y));
  }
#endif
  for (; i < width; ++i) {
    const int va = a && i < k && a[i] != -128 ? a[i] : 0, vb = b && i < k && b[i] != -128 ? b[i] : 0;
    out[2 * i] = static_cast<std::int16_t>(va);
    out[2 * i + 1] = static_cast<std::int16_t>(vb);
  }
}

namespace {

// Adds a tile's sums, row a of `lanes` (width values each) for item i0 + a and items j0 + t, to
// the upper triangle of T.
inline void flush_tile(const std::int32_t* lanes, std::size_t width, std::size_t i0, std::size_t j0, std::size_t k, double* T,
                       std::size_t ld) {
  for (std::size_t a = 0; a < 4 && i0 + a < k; ++a) {
    const std::size_t i = i0 + a;
    for (std::size_t t = 0; t < width; ++t) {
      const std::size_t j = j0 + t;
      if (j >= i && j < k) T[i * ld + j] += lanes[a * width + t];
    }
  }
}

// Adds the 4 x 8 tile of the upper triangle at (i0, j0) over `pairs` packed row pairs.
#if defined(__SSE2__)
void tile(const std::int16_t* data, std::size_t pairs, std::size_t width, std::size_t i0, std::size_t j0, std::size_t k,
          double* T, std::size_t ld) {
  __m128i acc[4][2];
  for (auto& a : acc) a[0] = a[1] = _mm_setzero_si128();
  const std::size_t stride = width * 2;  // int16 values per row pair
  for (std::size_t p = 0; p < pairs; ++p) {
    const std::int16_t* row = data + p * stride;
    const __m128i xi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + 2 * i0));
    const __m128i xj0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + 2 * j0));
    const __m128i xj1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + 2 * j0 + 8));
    const __m128i b[4] = {_mm_shuffle_epi32(xi, 0x00), _mm_shuffle_epi32(xi, 0x55), _mm_shuffle_epi32(xi, 0xAA),
                          _mm_shuffle_epi32(xi, 0xFF)};
    for (int a = 0; a < 4; ++a) {
      acc[a][0] = _mm_add_epi32(acc[a][0], _mm_madd_epi16(b[a], xj0));
      acc[a][1] = _mm_add_epi32(acc[a][1], _mm_madd_epi16(b[a], xj1));
    }
  }
  std::int32_t lanes[4 * 8];
  for (std::size_t a = 0; a < 4; ++a) {
    std::memcpy(lanes + 8 * a, &acc[a][0], 16);
    std::memcpy(lanes + 8 * a + 4, &acc[a][1], 16);
  }
  flush_tile(lanes, 8, i0, j0, k, T, ld);
}
#else
// Portable form of the same sums (WebAssembly builds): the same integers, so the same result.
void tile(const std::int16_t* data, std::size_t pairs, std::size_t width, std::size_t i0, std::size_t j0, std::size_t k,
          double* T, std::size_t ld) {
  std::int32_t acc[4][8] = {};
  const std::size_t stride = width * 2;
  for (std::size_t p = 0; p < pairs; ++p) {
    const std::int16_t* row = data + p * stride;
    for (std::size_t a = 0; a < 4; ++a)
      for (std::size_t t = 0; t < 8; ++t)
        acc[a][t] += row[2 * (i0 + a)] * row[2 * (j0 + t)] + row[2 * (i0 + a) + 1] * row[2 * (j0 + t) + 1];
  }
  flush_tile(&acc[0][0], 8, i0, j0, k, T, ld);
}
#endif

#if defined(ATTUNE_PACKED_AVX2)
// The same sums as tile(), 4 x 16 at a time in 256-bit registers (the same integers, so the same
// result): chosen at run time on CPUs that have AVX2.
__attribute__((target("avx2"))) void tile16(const std::int16_t* data, std::size_t pairs, std::size_t width, std::size_t i0,
                                            std::size_t j0, std::size_t k, double* T, std::size_t ld) {
  __m256i acc[4][2];
  for (auto& a : acc) a[0] = a[1] = _mm256_setzero_si256();
  const std::size_t stride = width * 2;
  for (std::size_t p = 0; p < pairs; ++p) {
    const std::int16_t* row = data + p * stride;
    const __m256i xj0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + 2 * j0));
    const __m256i xj1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + 2 * j0 + 16));
    for (int a = 0; a < 4; ++a) {
      std::int32_t cell;
      std::memcpy(&cell, row + 2 * (i0 + static_cast<std::size_t>(a)), sizeof cell);
      const __m256i b = _mm256_set1_epi32(cell);
      acc[a][0] = _mm256_add_epi32(acc[a][0], _mm256_madd_epi16(b, xj0));
      acc[a][1] = _mm256_add_epi32(acc[a][1], _mm256_madd_epi16(b, xj1));
    }
  }
  std::int32_t lanes[4 * 16];
  for (std::size_t a = 0; a < 4; ++a) {
    std::memcpy(lanes + 16 * a, &acc[a][0], 32);
    std::memcpy(lanes + 16 * a + 8, &acc[a][1], 32);
  }
  flush_tile(lanes, 16, i0, j0, k, T, ld);
}

// The 4 x 8 tile in one 256-bit register per item: for the last columns when at most 8 remain
// (36 items: 32..35), where a 16-wide tile would do twice the work for nothing.
__attribute__((target("avx2"))) void tile8(const std::int16_t* data, std::size_t pairs, std::size_t width, std::size_t i0,
                                           std::size_t j0, std::size_t k, double* T, std::size_t ld) {
  __m256i acc[4];
  for (auto& a : acc) a = _mm256_setzero_si256();
  const std::size_t stride = width * 2;
  for (std::size_t p = 0; p < pairs; ++p) {
    const std::int16_t* row = data + p * stride;
    const __m256i xj = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + 2 * j0));
    for (int a = 0; a < 4; ++a) {
      std::int32_t cell;
      std::memcpy(&cell, row + 2 * (i0 + static_cast<std::size_t>(a)), sizeof cell);
      acc[a] = _mm256_add_epi32(acc[a], _mm256_madd_epi16(_mm256_set1_epi32(cell), xj));
    }
  }
  std::int32_t lanes[4 * 8];
  for (std::size_t a = 0; a < 4; ++a) std::memcpy(lanes + 8 * a, &acc[a], 32);
  flush_tile(lanes, 8, i0, j0, k, T, ld);
}
#endif

}  // namespace

void add_packed_cross(const PackedRows& rows, std::size_t k, double* T, std::size_t ld) {
  const std::size_t width = rows.width();
#if defined(ATTUNE_PACKED_AVX2)
  static const bool avx2 = __builtin_cpu_supports("avx2");
#endif
  for (std::size_t p0 = 0; p0 < rows.pairs(); p0 += kMaxPairs) {
    const std::size_t n = std::min(kMaxPairs, rows.pairs() - p0);
    const std::int16_t* data = rows.data() + p0 * width * 2;
#if defined(ATTUNE_PACKED_AVX2)
    if (avx2) {
      for (std::size_t i0 = 0; i0 < k; i0 += 4)
        for (std::size_t j0 = i0 / 16 * 16; j0 < k; j0 += 16) {
          if (k - j0 <= 8) tile8(data, n, width, i0, j0, k, T, ld);
          else tile16(data, n, width, i0, j0, k, T, ld);
        }
      continue;
    }
#endif
    for (std::size_t i0 = 0; i0 < k; i0 += 4)
      for (std::size_t j0 = i0 / 8 * 8; j0 < k; j0 += 8) tile(data, n, width, i0, j0, k, T, ld);
  }
}

#if defined(ATTUNE_PACKED_AVX2)
namespace {
// lanes[l] = how many pairs in [p0, p1) hold v at int16 position l of the pair; the same counts as
// the SSE2 loop in add_packed_counts, 16 positions per compare. False when the rows are too wide.
__attribute__((target("avx2"))) bool count_value16(const std::int16_t* data, std::size_t p0, std::size_t p1, std::size_t stride,
                                                   int v, std::int32_t* lanes) {
  constexpr std::size_t kMaxVectors = 16;
  const std::size_t nvec = (stride + 15) / 16;  // reads up to 15 values of slack past the last pair
  if (nvec > kMaxVectors) return false;
  __m256i acc[kMaxVectors];
  for (std::size_t c = 0; c < nvec; ++c) acc[c] = _mm256_setzero_si256();
  const __m256i want = _mm256_set1_epi16(static_cast<short>(v));
  for (std::size_t p = p0; p < p1; ++p) {
    const std::int16_t* row = data + p * stride;
    for (std::size_t c = 0; c < nvec; ++c)
      acc[c] = _mm256_sub_epi16(acc[c], _mm256_cmpeq_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + 16 * c)), want));
  }
  for (std::size_t c = 0; c < nvec; ++c) {
    std::int16_t t[16];
    std::memcpy(t, &acc[c], sizeof t);
    for (std::size_t l = 0; l < 16 && 16 * c + l < stride; ++l) lanes[16 * c + l] = static_cast<std::uint16_t>(t[l]);
  }
  return true;
}
}  // namespace
#endif

void add_packed_counts(const PackedRows& rows, std::size_t k, int vmin, int vmax, double* freq) {
#if defined(ATTUNE_PACKED_AVX2)
  static const bool avx2 = __builtin_cpu_supports("avx2");
#endif
  const std::size_t width = rows.width(), nv = static_cast<std::size_t>(vmax - vmin + 1);
  const std::size_t stride = width * 2;
  constexpr std::size_t kGroup = 32767;  // a 16-bit count per lane stays exact
  std::vector<std::int32_t> lanes(stride);
  for (std::size_t p0 = 0; p0 < rows.pairs(); p0 += kGroup) {
    const std::size_t p1 = std::min(rows.pairs(), p0 + kGroup);
    for (int v = vmin; v <= vmax; ++v) {
      bool counted = false;
#if defined(ATTUNE_PACKED_AVX2)
      counted = avx2 && count_value16(rows.data(), p0, p1, stride, v, lanes.data());
#endif
#if defined(__SSE2__)
      constexpr std::size_t kMaxVectors = 32;  // counts kept in registers up to 128 items
      if (!counted && width / 8 <= kMaxVectors) {
        counted = true;
        __m128i acc[kMaxVectors];
        const std::size_t nvec = width / 4;  // 8 values (4 cells) per vector
        for (std::size_t c = 0; c < nvec; ++c) acc[c] = _mm_setzero_si128();
        const __m128i want = _mm_set1_epi16(static_cast<short>(v));
        for (std::size_t p = p0; p < p1; ++p) {
          const std::int16_t* row = rows.data() + p * stride;
          for (std::size_t c = 0; c < nvec; ++c)
            acc[c] = _mm_sub_epi16(acc[c], _mm_cmpeq_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + 8 * c)), want));
        }
        for (std::size_t c = 0; c < nvec; ++c) {
          std::int16_t t[8];
          std::memcpy(t, &acc[c], sizeof t);
          for (int l = 0; l < 8; ++l) lanes[8 * c + static_cast<std::size_t>(l)] = static_cast<std::uint16_t>(t[l]);
        }
      }
#endif
      if (!counted) {
        std::fill(lanes.begin(), lanes.end(), 0);
        for (std::size_t p = p0; p < p1; ++p) {
          const std::int16_t* row = rows.data() + p * stride;
          for (std::size_t l = 0; l < stride; ++l) lanes[l] += row[l] == v;
        }
      }
      for (std::size_t i = 0; i < k; ++i)
        freq[i * nv + static_cast<std::size_t>(v - vmin)] += lanes[2 * i] + lanes[2 * i + 1];
    }
  }
  // The zeros that pad an odd count out to a pair are no answers.
  if ((rows.rows() & 1) && vmin <= 0 && vmax >= 0)
    for (std::size_t i = 0; i < k; ++i) freq[i * nv + static_cast<std::size_t>(-vmin)] -= 1;
}

}  // namespace attune::detail
