//===- Int8GemmVnni.cpp - AVX-512 VNNI microkernel of the int8 GEMM -------===//
//
// The only file compiled with -mavx512f -mavx512bw -mavx512vl -mavx512vnni;
// callers check cpuHasVnni() first. A tile of R rows (R <= 6) times V 16-lane
// vectors (V <= 4) keeps R x V i32 accumulators in zmm registers. Each group
// of 4 k loads V vectors of packed B once and, per row, broadcasts 4 bytes of
// packed A and issues V `vpdpbusd`: R + V loads feed R x V multiply-adds.
//
//===----------------------------------------------------------------------===//

#include "Int8GemmImpl.h"

#include <cstring>

#if defined(__AVX512F__) && defined(__AVX512VNNI__)
#include <immintrin.h>

namespace mlir::qnt::kernels::detail {
namespace {

/// Mask of the live lanes of vector v of a tile with `cols` live columns.
inline __mmask16 laneMask(int64_t cols, int v) {
  int64_t live = cols - 16 * v;
  return live >= 16 ? __mmask16(0xffff) : __mmask16((1u << live) - 1);
}

template <int R, int V> void tile(const Tile &t) {
  __m512i acc[R][V];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v)
      acc[r][v] = _mm512_setzero_si512();

  const uint8_t *a = t.a;
  const int8_t *b = t.b;
  for (int64_t g = 0; g < t.groups; ++g) {
    __m512i bv[V];
    for (int v = 0; v < V; ++v)
      bv[v] = _mm512_load_si512(b + 64 * v);
    for (int r = 0; r < R; ++r) {
      int32_t word;
      std::memcpy(&word, a + 4 * r, 4);
      __m512i av = _mm512_set1_epi32(word);
      for (int v = 0; v < V; ++v)
        acc[r][v] = _mm512_dpbusd_epi32(acc[r][v], av, bv[v]);
    }
    a += 4 * R;
    b += 256;
  }

  for (int r = 0; r < R; ++r) {
    int32_t *row = t.c + r * t.ldc;
    __m512i rowSum = t.zpB ? _mm512_set1_epi32(t.rowSum[r]) : __m512i();
    for (int v = 0; v < V; ++v) {
      __mmask16 mask = laneMask(t.cols, v);
      __m512i x = acc[r][v];
      if (t.accumulate)
        x = _mm512_add_epi32(x, _mm512_maskz_loadu_epi32(mask, row + 16 * v));
      if (t.colTerm)
        x = _mm512_add_epi32(x, _mm512_loadu_si512(t.colTerm + 16 * v));
      if (t.zpB)
        x = _mm512_sub_epi32(
            x, _mm512_mullo_epi32(rowSum, _mm512_loadu_si512(t.zpB + 16 * v)));
      _mm512_mask_storeu_epi32(row + 16 * v, mask, x);
    }
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

void tileVnni(const Tile &t) {
  int64_t vectors = (t.cols + 15) / 16;
  TileFn fn;
  switch (t.rows) {
  case 1:
    fn = pick<1>(vectors);
    break;
  case 2:
    fn = pick<2>(vectors);
    break;
  case 3:
    fn = pick<3>(vectors);
    break;
  case 4:
    fn = pick<4>(vectors);
    break;
  case 5:
    fn = pick<5>(vectors);
    break;
  default:
    fn = pick<6>(vectors);
    break;
  }
  fn(t);
}

} // namespace mlir::qnt::kernels::detail

#else
// Not built for AVX-512 (a non-x86 host): cpuHasVnni() is false there, but
// keep the symbol defined and correct.
void mlir::qnt::kernels::detail::tileVnni(const Tile &t) { tilePortable(t); }
#endif
