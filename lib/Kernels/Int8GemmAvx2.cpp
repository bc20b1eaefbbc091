//===- Int8GemmAvx2.cpp - AVX2 microkernel of the int8 GEMM ---------------===//
//
// The path for x86-64 CPUs without AVX-512 VNNI; the only file compiled with
// -mavx2, callers check cpuHasAvx2() first. AVX2 has no exact u8 x s8
// multiply-add (`vpmaddubsw` saturates its pairs of products to i16), so A is
// packed widened to i16 and B is widened as it is loaded: `vpmaddwd` then
// sums pairs of exact i16 products into i32 lanes.
//
// The tile runs over its columns 8 at a time (half a panel): per group of 4
// k, two loads of B give 4 columns x 4 k each as i16, and per row one 8-byte
// broadcast of A and two `vpmaddwd` leave each column's sums of k 0-1 and
// k 2-3 in neighbouring lanes. 6 rows x 2 accumulators, 2 B, 1 A and the
// products take the 16 ymm registers. The lane pairs are added in the
// epilogue.
//
//===----------------------------------------------------------------------===//

#include "Int8GemmAvx2Store.h"
#include "Int8GemmImpl.h"

#include <cstring>

#if defined(__AVX2__)
#include <immintrin.h>

namespace mlir::qnt::kernels::detail {
namespace {

/// Adds the lane pairs (k 0-1 and k 2-3 of each column) of row r, columns
/// [col, col + 8), and stores them.
inline void storeColumns(const Tile &t, int64_t r, int64_t col, __m256i lo,
                         __m256i hi) {
  // hadd gives columns 0 1 4 5 | 2 3 6 7; the permute puts them in order.
  storeColumns8(t, r, col,
                _mm256_permute4x64_epi64(_mm256_hadd_epi32(lo, hi), 0xd8));
}

/// Widens 4 columns x 4 k of packed B (16 bytes) to i16.
inline __m256i loadB(const int8_t *p) {
  return _mm256_cvtepi8_epi16(
      _mm_loadu_si128(reinterpret_cast<const __m128i *>(p)));
}

/// One row's 4 k of packed A (4 i16), in every 64-bit lane.
inline __m256i broadcastA(const int16_t *p) {
  int64_t word;
  std::memcpy(&word, p, 8);
  return _mm256_set1_epi64x(word);
}

// The accumulators are separate named variables, not an array: GCC keeps an
// array of __m256i in memory and loads and stores it every group.
#define QUANT_ROW_DECL(r) __m256i lo##r = _mm256_setzero_si256(), hi##r = lo##r;
#define QUANT_ROW_STEP(r)                                                      \
  if constexpr (R > r) {                                                       \
    __m256i av = broadcastA(ap + 4 * r);                                       \
    lo##r = _mm256_add_epi32(lo##r, _mm256_madd_epi16(av, b0));                \
    hi##r = _mm256_add_epi32(hi##r, _mm256_madd_epi16(av, b1));                \
  }
#define QUANT_ROW_STORE(r)                                                     \
  if constexpr (R > r)                                                         \
    storeColumns(t, r, col, lo##r, hi##r);

// One row of a group in the loop of a full tile: ymm12 and ymm13 hold B,
// ymm14 the broadcast of A, ymm15 the products.
#define QUANT_AVX2_ROW(r)                                                      \
  "vpbroadcastq 8*" #r "(%[a]), %%ymm14\n\t"                                   \
  "vpmaddwd %%ymm12, %%ymm14, %%ymm15\n\t"                                     \
  "vpaddd %%ymm15, %[lo" #r "], %[lo" #r "]\n\t"                               \
  "vpmaddwd %%ymm13, %%ymm14, %%ymm15\n\t"                                     \
  "vpaddd %%ymm15, %[hi" #r "], %[hi" #r "]\n\t"

/// The K loop of a 6-row tile, `groups` > 0 groups, written out: the
/// 12 accumulators, 2 vectors of B, the broadcast and the products take all
/// 16 ymm registers, and GCC 12 compiling the intrinsics spills one
/// accumulator and moves eight at the loop's back edge.
inline void loop6(const int8_t *b, const int16_t *a, int64_t groups,
                  __m256i &lo0, __m256i &hi0, __m256i &lo1, __m256i &hi1,
                  __m256i &lo2, __m256i &hi2, __m256i &lo3, __m256i &hi3,
                  __m256i &lo4, __m256i &hi4, __m256i &lo5, __m256i &hi5) {
  // clang-format off
  asm("1:\n\t"
      "vpmovsxbw (%[b]), %%ymm12\n\t"
      "vpmovsxbw 16(%[b]), %%ymm13\n\t"
      QUANT_AVX2_ROW(0) QUANT_AVX2_ROW(1) QUANT_AVX2_ROW(2)
      QUANT_AVX2_ROW(3) QUANT_AVX2_ROW(4) QUANT_AVX2_ROW(5)
      "add $64, %[b]\n\t"
      "add $48, %[a]\n\t"
      "dec %[groups]\n\t"
      "jnz 1b"
      : [lo0] "+x"(lo0), [hi0] "+x"(hi0), [lo1] "+x"(lo1), [hi1] "+x"(hi1),
        [lo2] "+x"(lo2), [hi2] "+x"(hi2), [lo3] "+x"(lo3), [hi3] "+x"(hi3),
        [lo4] "+x"(lo4), [hi4] "+x"(hi4), [lo5] "+x"(lo5), [hi5] "+x"(hi5),
        [b] "+r"(b), [a] "+r"(a), [groups] "+r"(groups)
      :
      : "xmm12", "xmm13", "xmm14", "xmm15", "cc", "memory");
  // clang-format on
}
#undef QUANT_AVX2_ROW

template <int R> void tile(const Tile &t) {
  const auto *a = reinterpret_cast<const int16_t *>(t.a);
  for (int64_t col = 0; col < t.cols; col += 8) {
    // Half `col / 8 % 2` of panel `col / 16`.
    const int8_t *b = t.b + col / 16 * t.bStride + col / 8 % 2 * 32;
    QUANT_ROW_DECL(0)
    QUANT_ROW_DECL(1)
    QUANT_ROW_DECL(2)
    QUANT_ROW_DECL(3)
    QUANT_ROW_DECL(4)
    QUANT_ROW_DECL(5)
    const int16_t *ap = a;
    if constexpr (R == 6) {
      if (t.groups > 0)
        loop6(b, ap, t.groups, lo0, hi0, lo1, hi1, lo2, hi2, lo3, hi3, lo4, hi4,
              lo5, hi5);
    } else
      for (int64_t g = 0; g < t.groups; ++g, b += 64, ap += 4 * R) {
        __m256i b0 = loadB(b), b1 = loadB(b + 16);
        QUANT_ROW_STEP(0)
        QUANT_ROW_STEP(1)
        QUANT_ROW_STEP(2)
        QUANT_ROW_STEP(3)
        QUANT_ROW_STEP(4)
        QUANT_ROW_STEP(5)
      }
    QUANT_ROW_STORE(0)
    QUANT_ROW_STORE(1)
    QUANT_ROW_STORE(2)
    QUANT_ROW_STORE(3)
    QUANT_ROW_STORE(4)
    QUANT_ROW_STORE(5)
  }
}
#undef QUANT_ROW_DECL
#undef QUANT_ROW_STEP
#undef QUANT_ROW_STORE

template <int R>
void packTile(const uint8_t *a, int64_t lda, int64_t k, int64_t k0,
              int64_t groups, uint8_t flip, int16_t *out) {
  const __m128i flipBytes = _mm_set1_epi8(char(flip));
  const int64_t whole = std::clamp<int64_t>((k - k0) / 4, 0, groups);
  for (int64_t g = 0; g < groups; ++g) {
    int64_t kk = k0 + 4 * g;
    for (int r = 0; r < R; ++r, out += 4) {
      const uint8_t *src = a + r * lda + kk;
      uint32_t word = 0;
      if (g < whole)
        std::memcpy(&word, src, 4);
      else
        for (int64_t q = 0; q < 4 && kk + q < k; ++q)
          word |= uint32_t(src[q]) << (8 * q);
      __m128i bytes = _mm_cvtsi32_si128(int32_t(word));
      // Only the live bytes are flipped: the padding past K stays 0.
      __m128i live = _mm_cvtsi32_si128(
          g < whole
              ? -1
              : int32_t((uint64_t(1) << (8 * std::max<int64_t>(0, k - kk))) -
                        1));
      bytes = _mm_xor_si128(bytes, _mm_and_si128(flipBytes, live));
      _mm_storel_epi64(reinterpret_cast<__m128i *>(out),
                       _mm_cvtepu8_epi16(bytes));
    }
  }
}
} // namespace

void packTileAvx2(const uint8_t *a, int64_t lda, int64_t rows, int64_t k,
                  int64_t k0, int64_t groups, uint8_t flip, uint8_t *out) {
  withTileRows(rows, [&](auto r) {
    packTile<r>(a, lda, k, k0, groups, flip, reinterpret_cast<int16_t *>(out));
  });
}

void tileAvx2(const Tile &t) {
  withTileRows(t.rows, [&](auto r) { tile<r>(t); });
}

} // namespace mlir::qnt::kernels::detail

#else
// Not built for AVX2 (a non-x86 host): cpuHasAvx2() is false there, but keep
// the symbols defined and correct, on the same i16 packing.
namespace mlir::qnt::kernels::detail {
void packTileAvx2(const uint8_t *a, int64_t lda, int64_t rows, int64_t k,
                  int64_t k0, int64_t groups, uint8_t flip, uint8_t *out) {
  auto *o = reinterpret_cast<int16_t *>(out);
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t q = 0; q < 4; ++q, ++o) {
        int64_t kk = k0 + 4 * g + q;
        *o = kk < k ? int16_t(uint8_t(a[r * lda + kk] ^ flip)) : 0;
      }
}
void tileAvx2(const Tile &t) {
  const auto *a = reinterpret_cast<const int16_t *>(t.a);
  for (int64_t r = 0; r < t.rows; ++r)
    for (int64_t j = 0; j < t.cols; ++j) {
      uint32_t s = 0;
      for (int64_t g = 0; g < t.groups; ++g)
        for (int q = 0; q < 4; ++q)
          s += uint32_t(a[(g * t.rows + r) * 4 + q] *
                        t.b[j / 16 * t.bStride + g * 64 + 4 * (j % 16) + q]);
      int32_t *out = t.c + r * t.ldc + j;
      if (t.accumulate)
        s += uint32_t(*out);
      if (t.colTerm)
        s += uint32_t(t.colTerm[j]);
      if (t.zpB)
        s -= uint32_t(t.rowSum[r]) * uint32_t(t.zpB[j]);
      *out = int32_t(s);
    }
}
} // namespace mlir::qnt::kernels::detail
#endif
