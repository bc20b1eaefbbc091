//===- FloatLayerImpl.h - Microkernels of the fp32 layers -------*- C++ -*-===//
//
// One tile of up to kFloatTileRows rows of A times one packed 32-column
// panel of B (K x 32 floats, 64-byte aligned) into C.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_LIB_KERNELS_FLOATLAYERIMPL_H
#define QUANT_LIB_KERNELS_FLOATLAYERIMPL_H

#include "quant/Kernels/FloatLayer.h"

#include <cmath>
#include <cstdint>

namespace mlir::qnt::kernels::detail {

inline constexpr int64_t kFloatTileRows = 6;
/// Rows of the tiles of panels with at most 16 live columns: 14 accumulators
/// hide the multiply-adds' latency, and 14- and 28-pixel rows (MNIST-sized
/// layers) split into whole tiles.
inline constexpr int64_t kFloatNarrowTileRows = 14;

/// The rows of A a tile reads: row r, reduction index k = i * segment + q
/// (i < segments) at a[i * segmentStride + r * lda + q]. One segment of K is
/// a matrix (im2col rows); a segment per kernel row reads a convolution's
/// zero-padded NHWC input in place (lda: the pixel step).
struct FloatTileA {
  const float *a;
  int64_t lda, segments, segment, segmentStride;
};

/// What a tile does to its sums before storing them: add the bias of its
/// columns (null: none; whole panels, zero past N), then the ReLU.
struct FloatEpilogue {
  const float *bias;
  bool relu;
};

/// arith.maximumf on floats: NaN if either is NaN (a's when both are),
/// else the larger, +0.0 over -0.0.
inline float maximumf(float a, float b) {
  if (a != a)
    return a;
  if (b != b)
    return b;
  if (a == b)
    return (a == 0.0f && std::signbit(a)) ? b : a;
  return a > b ? a : b;
}

/// `pixels` pooled pixels of `cols` columns: pixel p's out[p * outStep + j]
/// = maximumf over its window of window[p * pixelStep + i * rowStep +
/// t * columnStep + j] (i < poolH, t < poolW), from init. Portable
/// (FloatLayer.cpp) and AVX-512 (FloatGemmAvx512.cpp).
struct FloatPool {
  int64_t pixels, pixelStep, rowStep, columnStep, poolH, poolW, cols;
  float init;
  int64_t outStep;
};
void floatWindowMax(const FloatPool &pool, const float *window, float *out);
void floatWindowMaxAvx512(const FloatPool &pool, const float *window,
                          float *out);

/// AVX-512 F + FMA (FloatGemmAvx512.cpp); only call where the CPU has both.
void floatTileAvx512(const FloatTileA &a, int64_t rows, const float *b,
                     float *c, int64_t ldc, int64_t cols,
                     const FloatEpilogue &e);
/// The same for cols <= 16 and rows <= kFloatNarrowTileRows.
void floatTileAvx512Narrow(const FloatTileA &a, int64_t rows, const float *b,
                           float *c, int64_t ldc, int64_t cols,
                           const FloatEpilogue &e);

} // namespace mlir::qnt::kernels::detail

#endif // QUANT_LIB_KERNELS_FLOATLAYERIMPL_H
