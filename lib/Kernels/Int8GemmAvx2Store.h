//===- Int8GemmAvx2Store.h - 8-column epilogue of the ymm tiles -*- C++ -*-===//
//
// The store shared by the AVX2 and AVX-VNNI microkernels, the two files
// compiled for AVX2. Internal linkage (static), so that each keeps its own
// copy compiled with its own instruction set.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_LIB_KERNELS_INT8GEMMAVX2STORE_H
#define QUANT_LIB_KERNELS_INT8GEMMAVX2STORE_H

#include "Int8GemmImpl.h"

#if defined(__AVX2__)
#include <immintrin.h>

namespace mlir::qnt::kernels::detail {

/// Stores the 8 sums `x` of row r, columns [col, col + 8) of the tile, with
/// what the last pass owes; lanes past the tile's columns are not written.
static inline void storeColumns8(const Tile &t, int64_t r, int64_t col,
                                 __m256i x) {
  int64_t live = std::min<int64_t>(8, t.cols - col);
  if (live <= 0)
    return;
  int32_t *out = t.c + r * t.ldc + col;
  __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(int32_t(live)),
                                    _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  if (t.accumulate)
    x = _mm256_add_epi32(x, _mm256_maskload_epi32(out, mask));
  // colTerm and zpB hold whole panels: all 8 lanes are readable.
  if (t.colTerm)
    x = _mm256_add_epi32(
        x,
        _mm256_loadu_si256(reinterpret_cast<const __m256i *>(t.colTerm + col)));
  if (t.zpB)
    x = _mm256_sub_epi32(
        x,
        _mm256_mullo_epi32(_mm256_set1_epi32(t.rowSum[r]),
                           _mm256_loadu_si256(reinterpret_cast<const __m256i *>(
                               t.zpB + col))));
  _mm256_maskstore_epi32(out, mask, x);
}

} // namespace mlir::qnt::kernels::detail

#endif
#endif // QUANT_LIB_KERNELS_INT8GEMMAVX2STORE_H
