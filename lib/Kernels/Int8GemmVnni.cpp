//===- Int8GemmVnni.cpp - AVX-512 VNNI microkernel of the int8 GEMM -------===//
//
// The only file compiled with -mavx512f -mavx512bw -mavx512dq -mavx512vl
// -mavx512vnni; callers check cpuHasVnni() first. A tile of R rows (R <= 6)
// times V 16-lane vectors (V <= 4) keeps R x V i32 accumulators in zmm
// registers. Each group
// of 4 k loads V vectors of packed B once and, per row, broadcasts 4 bytes of
// packed A and issues V `vpdpbusd`: R + V loads feed R x V multiply-adds.
// The loop runs four groups an iteration, so that its counting and the
// prefetches cost a quarter as many instructions (512 x 1024 x 1024, one
// core: 700 -> 704-706 GOPS). On the last pass a tile stores its sums to C,
// or, for a requantized product, 8-bit results to the layer's output.
//
//===----------------------------------------------------------------------===//

#include "Int8GemmImpl.h"
#include "RequantizeAvx512.h"

#include <algorithm>
#include <cstring>

#if defined(__AVX512F__) && defined(__AVX512VNNI__)
#include <immintrin.h>

namespace mlir::qnt::kernels::detail {
namespace {

/// Mask of the live lanes of vector v of a tile with `cols` live columns
/// (none past the last).
inline __mmask16 laneMask(int64_t cols, int v) {
  int64_t live = cols - 16 * v;
  return live >= 16 ? __mmask16(0xffff)
         : live > 0 ? __mmask16((1u << live) - 1)
                    : __mmask16(0);
}

/// What the stores after the K loop need, read out of the Tile once: the
/// vector stores may alias anything (__m512i is may_alias), so reading the
/// fields through the Tile loaded them again after every store, a few
/// hundred instructions per tile (one core: 512 x 1024 x 1024 707 -> 713,
/// 256 x 4096 x 4096 638 -> 648, 128 x 4096 x 11008 632 -> 648 GOPS).
struct Epilogue {
  int32_t *c;
  int64_t ldc;
  __mmask16 mask[4];
  bool accumulate;
  const int32_t *colTerm, *zpB, *rowSum;

  explicit Epilogue(const Tile &t)
      : c(t.c), ldc(t.ldc), accumulate(t.accumulate), colTerm(t.colTerm),
        zpB(t.zpB), rowSum(t.rowSum) {
    for (int v = 0; v < 4; ++v)
      mask[v] = laneMask(t.cols, v);
  }

  /// One accumulator vector plus what the last pass owes it.
  [[gnu::always_inline]] __m512i sum(int r, int v, __m512i x) const {
    if (accumulate)
      x = _mm512_add_epi32(
          x, _mm512_maskz_loadu_epi32(mask[v], c + r * ldc + 16 * v));
    if (colTerm)
      x = _mm512_add_epi32(x, _mm512_loadu_si512(colTerm + 16 * v));
    if (zpB)
      x = _mm512_sub_epi32(
          x, _mm512_mullo_epi32(_mm512_set1_epi32(rowSum[r]),
                                _mm512_loadu_si512(zpB + 16 * v)));
    return x;
  }

  /// Stores the live lanes of sum(r, v, x) to C.
  [[gnu::always_inline]] void store(int r, int v, __m512i x) const {
    _mm512_mask_storeu_epi32(c + r * ldc + 16 * v, mask[v], sum(r, v, x));
  }
};

/// The epilogue of a tile with t.requant: the sums' requantized bytes go to
/// requant->out; C is only read (when accumulating). Out of line, with the
/// sums passed through memory (L1): inlined, it changed how GCC allocates
/// the K loop's registers (128 x 4096 x 11008, one core: 638 -> 583 GOPS).
template <int R, int V, bool I32Sums>
[[gnu::always_inline]] inline void
storeRequantizedRows(const Tile &t, const __m512i (&sums)[R][V]) {
  const Epilogue epilogue(t);
  const Requantize &q = *t.requant;
  const __m512 zp = _mm512_set1_ps(q.zeroPoint), lo = _mm512_set1_ps(q.lo),
               hi = _mm512_set1_ps(q.hi);
  uint8_t *out = q.out + t.row * q.ldOut + t.col;
  // Vector by vector: what a vector's rows share is loaded once.
  for (int v = 0; v < V; ++v) {
    const RequantizeColumns columns(epilogue.mask[v], q.bias + t.col + 16 * v,
                                    q.multipliers + t.col + 16 * v);
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r)
      _mm_mask_storeu_epi8(out + r * q.ldOut + 16 * v, epilogue.mask[v],
                           requantize16<I32Sums>(epilogue.sum(r, v, sums[r][v]),
                                                 columns, zp, lo, hi));
  }
}

template <int R, int V>
[[gnu::noinline]] void storeRequantized(const Tile &t,
                                        const __m512i (&sums)[R][V]) {
  if (t.requant->i32Sums)
    storeRequantizedRows<R, V, true>(t, sums);
  else
    storeRequantizedRows<R, V, false>(t, sums);
}

/// Prefetches `offset` bytes after `base`, which may lie past the end of
/// the packed panels (the last groups, absent tail panels): a prefetch does
/// not fault, and the address is formed as an integer, not a pointer.
template <_mm_hint Hint>
inline void prefetch(const int8_t *base, int64_t offset) {
  _mm_prefetch(reinterpret_cast<const char *>(
                   reinterpret_cast<uintptr_t>(base) + uintptr_t(offset)),
               Hint);
}

inline __m512i broadcast4(const uint8_t *p) {
  int32_t word;
  std::memcpy(&word, p, 4);
  return _mm512_set1_epi32(word);
}

// The accumulators are separate named variables, not an array: GCC keeps an
// array of __m512i in memory and would store all 24 of them every k group.
#define QUANT_ROW_DECL(r)                                                      \
  __m512i c##r##0 = _mm512_setzero_si512(), c##r##1 = c##r##0,                 \
          c##r##2 = c##r##0, c##r##3 = c##r##0;
#define QUANT_ROW_STEP(r)                                                      \
  if constexpr (R > r) {                                                       \
    __m512i av = broadcast4(a + 4 * r);                                        \
    c##r##0 = _mm512_dpbusd_epi32(c##r##0, av, b0);                            \
    if constexpr (V > 1)                                                       \
      c##r##1 = _mm512_dpbusd_epi32(c##r##1, av, b1);                          \
    if constexpr (V > 2)                                                       \
      c##r##2 = _mm512_dpbusd_epi32(c##r##2, av, b2);                          \
    if constexpr (V > 3)                                                       \
      c##r##3 = _mm512_dpbusd_epi32(c##r##3, av, b3);                          \
  }
#define QUANT_ROW_STORE(r)                                                     \
  if constexpr (R > r) {                                                       \
    epilogue.store(r, 0, c##r##0);                                             \
    if constexpr (V > 1)                                                       \
      epilogue.store(r, 1, c##r##1);                                           \
    if constexpr (V > 2)                                                       \
      epilogue.store(r, 2, c##r##2);                                           \
    if constexpr (V > 3)                                                       \
      epilogue.store(r, 3, c##r##3);                                           \
  }
#define QUANT_ROW_SAVE(r)                                                      \
  if constexpr (R > r) {                                                       \
    sums[r][0] = c##r##0;                                                      \
    if constexpr (V > 1)                                                       \
      sums[r][1] = c##r##1;                                                    \
    if constexpr (V > 2)                                                       \
      sums[r][2] = c##r##2;                                                    \
    if constexpr (V > 3)                                                       \
      sums[r][3] = c##r##3;                                                    \
  }

/// How many groups ahead a tile that brings B into L1 prefetches it.
constexpr int kBAhead = 8;

template <int R, int V> void tile(const Tile &t) {
  QUANT_ROW_DECL(0)
  QUANT_ROW_DECL(1)
  QUANT_ROW_DECL(2)
  QUANT_ROW_DECL(3)
  QUANT_ROW_DECL(4)
  QUANT_ROW_DECL(5)
  // C is read and written only after the K loop: fetch its lines now so that
  // the misses overlap the multiply-adds instead of stalling the epilogue.
  if (!t.requant || t.accumulate)
    for (int r = 0; r < R; ++r)
      for (int v = 0; v < V; ++v)
        _mm_prefetch(reinterpret_cast<const char *>(t.c + r * t.ldc + 16 * v),
                     _MM_HINT_T0);
  const uint8_t *a = t.a;
  const int8_t *b = t.b;
  const int64_t stride = t.bStride;
  // One group: V vectors of B, then per row a broadcast of A and V
  // multiply-adds.
  auto step = [&]() __attribute__((always_inline)) {
    __m512i b0 = _mm512_load_si512(b);
    __m512i b1 = V > 1 ? _mm512_load_si512(b + stride) : b0;
    __m512i b2 = V > 2 ? _mm512_load_si512(b + 2 * stride) : b0;
    __m512i b3 = V > 3 ? _mm512_load_si512(b + 3 * stride) : b0;
    QUANT_ROW_STEP(0)
    QUANT_ROW_STEP(1)
    QUANT_ROW_STEP(2)
    QUANT_ROW_STEP(3)
    QUANT_ROW_STEP(4)
    QUANT_ROW_STEP(5)
    a += 4 * R;
    b += 64;
  };
  // Four groups per iteration, with the prefetches of one group index of
  // the next pass's four panels (t.prefetchFirst and t.prefetchLines are
  // multiples of 4) and, for a tile that brings B into L1, of its own.
  const int8_t *next =
      t.prefetchLines ? t.prefetch + t.prefetchFirst / 4 * 64 : nullptr;
  const int8_t *nextEnd = next ? next + t.prefetchLines / 4 * 64 : nullptr;
  int64_t g = 0;
  for (; g + 4 <= t.groups; g += 4) {
    if (next < nextEnd) {
      for (int p = 0; p < 4; ++p)
        prefetch<_MM_HINT_T1>(next, p * stride);
      next += 64;
    }
    if (t.bFromL2)
      for (int v = 0; v < V; ++v)
        for (int q = 0; q < 4; ++q)
          prefetch<_MM_HINT_T0>(b, (kBAhead + q) * 64 + v * stride);
    step();
    step();
    step();
    step();
  }
  for (; g < t.groups; ++g)
    step();
  if (t.requant) {
    __m512i sums[R][V];
    QUANT_ROW_SAVE(0)
    QUANT_ROW_SAVE(1)
    QUANT_ROW_SAVE(2)
    QUANT_ROW_SAVE(3)
    QUANT_ROW_SAVE(4)
    QUANT_ROW_SAVE(5)
    storeRequantized<R, V>(t, sums);
    return;
  }
  const Epilogue epilogue(t);
  QUANT_ROW_STORE(0)
  QUANT_ROW_STORE(1)
  QUANT_ROW_STORE(2)
  QUANT_ROW_STORE(3)
  QUANT_ROW_STORE(4)
  QUANT_ROW_STORE(5)
}
#undef QUANT_ROW_DECL
#undef QUANT_ROW_STEP
#undef QUANT_ROW_STORE
#undef QUANT_ROW_SAVE

/// Where the dwords of R rows x 16 groups go in tile order: output vector j,
/// lane i is dword (16j + i) / R of row (16j + i) % R.
template <int R> struct PackTables {
  int32_t index[R][16] = {};
  __mmask16 rowLanes[R][R] = {};
  constexpr PackTables() {
    for (int j = 0; j < R; ++j)
      for (int i = 0; i < 16; ++i) {
        index[j][i] = (16 * j + i) / R;
        rowLanes[j][(16 * j + i) % R] |= __mmask16(1u << i);
      }
  }
};

template <int R>
void packTile(const uint8_t *a, int64_t lda, int64_t k, int64_t k0,
              int64_t groups, uint8_t flip, uint8_t *out) {
  static constexpr PackTables<R> tables;
  const __m512i flipBytes = _mm512_set1_epi8(char(flip));
  // 16 groups (64 bytes of each row) at a time: R row loads, then R output
  // vectors each gathered from the rows by masked permutes.
  for (int64_t g = 0; g < groups; g += 16) {
    int64_t kk = k0 + 4 * g;
    int64_t live = std::clamp<int64_t>(k - kk, 0, 64);
    __mmask64 bytes = live == 64 ? ~__mmask64(0) : (__mmask64(1) << live) - 1;
    __m512i rows[R];
    for (int r = 0; r < R; ++r)
      rows[r] = _mm512_maskz_mov_epi8(
          bytes,
          _mm512_xor_si512(_mm512_maskz_loadu_epi8(bytes, a + r * lda + kk),
                           flipBytes));
    int64_t dwords = std::min<int64_t>(16, groups - g) * R;
    for (int j = 0; j < R && 16 * j < dwords; ++j) {
      __m512i idx = _mm512_loadu_si512(tables.index[j]);
      __m512i x = _mm512_setzero_si512();
      for (int r = 0; r < R; ++r)
        x = _mm512_mask_permutexvar_epi32(x, tables.rowLanes[j][r], idx,
                                          rows[r]);
      int64_t left = dwords - 16 * j;
      __mmask16 store =
          left >= 16 ? __mmask16(0xffff) : __mmask16((1u << left) - 1);
      _mm512_mask_storeu_epi32(out + 64 * j, store, x);
    }
    out += 64 * R;
  }
}

using TileFn = void (*)(const Tile &);

template <int R> TileFn pick(int64_t vectors) {
  switch (vectors) {
  case 1:
    return tile<R, 1>;
  case 2:
    return tile<R, 2>;
  case 3:
    return tile<R, 3>;
  default:
    return tile<R, 4>;
  }
}
} // namespace

void packTileVnni(const uint8_t *a, int64_t lda, int64_t rows, int64_t k,
                  int64_t k0, int64_t groups, uint8_t flip, uint8_t *out) {
  withTileRows(rows,
               [&](auto r) { packTile<r>(a, lda, k, k0, groups, flip, out); });
}

void tileVnni(const Tile &t) {
  const int64_t vectors = (t.cols + 15) / 16;
  withTileRows(t.rows, [&](auto r) { pick<r>(vectors)(t); });
}

} // namespace mlir::qnt::kernels::detail

#else
// Not built for AVX-512 (a non-x86 host): cpuHasVnni() is false there, but
// keep the symbol defined and correct.
namespace mlir::qnt::kernels::detail {
void tileVnni(const Tile &t) { tilePortable(t); }
void packTileVnni(const uint8_t *a, int64_t lda, int64_t rows, int64_t k,
                  int64_t k0, int64_t groups, uint8_t flip, uint8_t *out) {
  packTilePortable(a, lda, rows, k, k0, groups, flip, out);
}
} // namespace mlir::qnt::kernels::detail
#endif
