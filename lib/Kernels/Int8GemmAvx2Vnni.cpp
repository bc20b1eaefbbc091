//===- Int8GemmAvx2Vnni.cpp - AVX-VNNI microkernel of the int8 GEMM -------===//
//
// For x86-64 CPUs with AVX-VNNI but without AVX-512 (Intel client cores from
// Alder Lake on): `vpdpbusd` on ymm registers (VEX encoded), on A packed in
// the portable (and AVX-512) path's order and the same panels of B; the only
// file compiled with -mavxvnni, callers check cpuHasAvx2Vnni() first. The tile
// runs over its panels one at a time: per group of 4 k, two loads of B (16
// columns) and per row a broadcast of A and two multiply-adds; 6 rows x 2
// accumulators, 2 B and 1 A take 15 of the 16 ymm registers.
//
//===----------------------------------------------------------------------===//

#include "Int8GemmAvx2Store.h"
#include "Int8GemmImpl.h"

#include <cstring>

#if defined(__AVX2__) && defined(__AVXVNNI__)
#include <immintrin.h>

namespace mlir::qnt::kernels::detail {
namespace {

inline __m256i broadcast4(const uint8_t *p) {
  int32_t word;
  std::memcpy(&word, p, 4);
  return _mm256_set1_epi32(word);
}

// Separate named accumulators: GCC keeps an array of __m256i in memory.
#define QUANT_ROW_DECL(r) __m256i lo##r = _mm256_setzero_si256(), hi##r = lo##r;
#define QUANT_ROW_STEP(r)                                                      \
  if constexpr (R > r) {                                                       \
    __m256i av = broadcast4(ap + 4 * r);                                       \
    lo##r = _mm256_dpbusd_avx_epi32(lo##r, av, b0);                            \
    hi##r = _mm256_dpbusd_avx_epi32(hi##r, av, b1);                            \
  }
#define QUANT_ROW_STORE(r)                                                     \
  if constexpr (R > r) {                                                       \
    storeColumns8(t, r, col, lo##r);                                           \
    storeColumns8(t, r, col + 8, hi##r);                                       \
  }

/// Prefetches `offset` bytes after `base`, which may lie past the end of
/// the packed panels: a prefetch does not fault, and the address is formed
/// as an integer, not a pointer.
inline void prefetchL2(const int8_t *base, int64_t offset) {
  _mm_prefetch(reinterpret_cast<const char *>(
                   reinterpret_cast<uintptr_t>(base) + uintptr_t(offset)),
               _MM_HINT_T1);
}

template <int R> void tile(const Tile &t) {
  // The next pass's lines this tile pulls into L2 (Tile::prefetch), four
  // every four groups, from the first panel on.
  const int8_t *next =
      t.prefetchLines ? t.prefetch + t.prefetchFirst / 4 * 64 : nullptr;
  const int8_t *nextEnd = next ? next + t.prefetchLines / 4 * 64 : nullptr;
  for (int64_t col = 0; col < t.cols; col += kPanelWidth) {
    const int8_t *b = t.b + col / kPanelWidth * t.bStride;
    QUANT_ROW_DECL(0)
    QUANT_ROW_DECL(1)
    QUANT_ROW_DECL(2)
    QUANT_ROW_DECL(3)
    QUANT_ROW_DECL(4)
    QUANT_ROW_DECL(5)
    const uint8_t *ap = t.a;
    for (int64_t g = 0; g < t.groups; ++g, b += 64, ap += 4 * R) {
      if (g % 4 == 0 && next < nextEnd) {
        for (int p = 0; p < 4; ++p)
          prefetchL2(next, p * t.bStride);
        next += 64;
      }
      __m256i b0 = _mm256_load_si256(reinterpret_cast<const __m256i *>(b));
      __m256i b1 = _mm256_load_si256(reinterpret_cast<const __m256i *>(b + 32));
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

/// Where the dwords of R rows x 8 groups go in tile order: output vector j,
/// lane l is dword (8j + l) / R of row (8j + l) % R.
template <int R> struct PackTables {
  int32_t index[R][8] = {};
  int32_t fromRow[R][R][8] = {}; ///< -1 where the lane comes from the row.
  constexpr PackTables() {
    for (int j = 0; j < R; ++j)
      for (int l = 0; l < 8; ++l) {
        index[j][l] = (8 * j + l) / R;
        fromRow[j][(8 * j + l) % R][l] = -1;
      }
  }
};

/// packTilePortable's layout, 8 groups (32 bytes of each row) at a time:
/// R row loads, then R output vectors each gathered from the rows by
/// permutes and blends. K's tail (under 8 groups) goes the same way from
/// masked loads: the portable code there took 9% of the bundled CNN's time
/// at the AVX-VNNI cap.
template <int R>
void packTile(const uint8_t *a, int64_t lda, int64_t k, int64_t k0,
              int64_t groups, uint8_t flip, uint8_t *out) {
  static constexpr PackTables<R> tables;
  const __m256i flipBytes = _mm256_set1_epi8(char(flip));
  // The first `dwords` dwords of the R output vectors of 8 groups.
  auto gather = [&](const __m256i(&rows)[R], int64_t dwords) {
    for (int j = 0; j < R && 8 * j < dwords; ++j) {
      const __m256i index = _mm256_loadu_si256(
          reinterpret_cast<const __m256i *>(tables.index[j]));
      __m256i x = _mm256_permutevar8x32_epi32(rows[0], index);
      for (int r = 1; r < R; ++r)
        x = _mm256_blendv_epi8(
            x, _mm256_permutevar8x32_epi32(rows[r], index),
            _mm256_loadu_si256(
                reinterpret_cast<const __m256i *>(tables.fromRow[j][r])));
      auto *dst = reinterpret_cast<__m256i *>(out + 32 * j);
      if (dwords - 8 * j >= 8)
        _mm256_storeu_si256(dst, x);
      else
        _mm256_maskstore_epi32(
            reinterpret_cast<int *>(dst),
            _mm256_cmpgt_epi32(_mm256_set1_epi32(int32_t(dwords - 8 * j)),
                               _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)),
            x);
    }
  };
  int64_t g = 0;
  for (; g + 8 <= groups && k0 + 4 * (g + 8) <= k; g += 8, out += 32 * R) {
    __m256i rows[R];
    for (int r = 0; r < R; ++r)
      rows[r] =
          _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(
                               a + r * lda + k0 + 4 * g)),
                           flipBytes);
    gather(rows, 8 * R);
  }
  if (g == groups)
    return;
  // The rest (under 8 groups, or K's last bytes) in one more round: whole
  // dwords by a masked load (no fault past the mask), the last 1-3 bytes by
  // hand, only live bytes flipped. Groups past those are all padding.
  const int64_t live = std::clamp<int64_t>(k - (k0 + 4 * g), 0, 32);
  const int64_t whole = live / 4, rest = live % 4;
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i wholeLanes =
      _mm256_cmpgt_epi32(_mm256_set1_epi32(int32_t(whole)), lanes);
  const __m256i restLane =
      _mm256_cmpeq_epi32(_mm256_set1_epi32(int32_t(whole)), lanes);
  const __m256i liveFlip = _mm256_and_si256(
      flipBytes, _mm256_cmpgt_epi8(
                     _mm256_set1_epi8(char(live)),
                     _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                                      13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                      23, 24, 25, 26, 27, 28, 29, 30, 31)));
  __m256i rows[R];
  for (int r = 0; r < R; ++r) {
    const uint8_t *src = a + r * lda + k0 + 4 * g;
    __m256i x =
        _mm256_maskload_epi32(reinterpret_cast<const int *>(src), wholeLanes);
    if (rest) {
      uint32_t word = 0;
      for (int64_t q = 0; q < rest; ++q)
        word |= uint32_t(src[4 * whole + q]) << (8 * q);
      x = _mm256_or_si256(
          x, _mm256_and_si256(_mm256_set1_epi32(int32_t(word)), restLane));
    }
    rows[r] = _mm256_xor_si256(x, liveFlip);
  }
  const int64_t tail = std::min<int64_t>(8, groups - g);
  gather(rows, tail * R);
  std::memset(out + 4 * R * tail, 0, size_t(4 * R * (groups - g - tail)));
}
} // namespace

void packTileAvx2Vnni(const uint8_t *a, int64_t lda, int64_t rows, int64_t k,
                      int64_t k0, int64_t groups, uint8_t flip, uint8_t *out) {
  withTileRows(rows,
               [&](auto r) { packTile<r>(a, lda, k, k0, groups, flip, out); });
}

void tileAvx2Vnni(const Tile &t) {
  withTileRows(t.rows, [&](auto r) { tile<r>(t); });
}

} // namespace mlir::qnt::kernels::detail

#else
// Not built for AVX-VNNI (a non-x86 host): cpuHasAvx2Vnni() is false there,
// but keep the symbol defined and correct: the layouts are the portable ones.
namespace mlir::qnt::kernels::detail {
void tileAvx2Vnni(const Tile &t) { tilePortable(t); }
void packTileAvx2Vnni(const uint8_t *a, int64_t lda, int64_t rows, int64_t k,
                      int64_t k0, int64_t groups, uint8_t flip, uint8_t *out) {
  packTilePortable(a, lda, rows, k, k0, groups, flip, out);
}
} // namespace mlir::qnt::kernels::detail
#endif
