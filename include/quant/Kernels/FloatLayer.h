//===- FloatLayer.h - Compiled fp32 matmul and conv layers ------*- C++ -*-===//
//
// The fp32 counterpart of QuantizedLayer.h, so that int8 and fp32 models run
// on kernels of the same build: a float matmul or convolution (groups 1) with
// constant weights is packed at compile time into one blob; at run time the
// compiled code calls quant_float_layer_run on blocks of output rows and
// columns, which packs the activations (im2col for convolutions) and runs an
// FMA GEMM (AVX-512 where the CPU has it, else portable code). Sums run in a
// different order than the generic loops (and fused multiply-adds round
// once), so results agree to float rounding, not bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_KERNELS_FLOATLAYER_H
#define QUANT_KERNELS_FLOATLAYER_H

#include "quant/Kernels/QuantizedLayer.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace mlir::qnt::kernels {

/// Columns per packed panel of fp32 weights: two 16-lane vectors.
inline constexpr int64_t kFloatPanelWidth = 32;

/// Everything about one fp32 layer. The geometry fields mean what they mean
/// in LayerSpec; weights are K x N row-major with k = (i * KW + j) * C + c.
struct FloatLayerSpec {
  LayerKind kind = LayerKind::Matmul;
  int64_t k = 0, n = 0;
  std::vector<float> weights;
  int64_t channels = 0, height = 0, width = 0;
  int64_t kernelH = 1, kernelW = 1, strideH = 1, strideW = 1;
  int64_t padTop = 0, padLeft = 0, dilationH = 1, dilationW = 1;
  int64_t outH = 1, outW = 1;
  /// Added to every output column (N values), or empty.
  std::vector<float> bias;
  /// max(x, +0.0) after the bias, with arith.maximumf's rules: NaN stays
  /// NaN, -0.0 becomes +0.0.
  bool relu = false;
  /// A max pool of the convolution's result (after bias and ReLU), as
  /// linalg.pooling_nchw_max computes it: windows of poolH x poolW output
  /// pixels at strides poolStrideH x poolStrideW, no padding or dilation;
  /// each pooled value starts at poolInit and takes arith.maximumf of its
  /// window (NaN if any value is NaN, +0.0 over -0.0). The run's rows are
  /// then pooled pixels. 1 x 1 at stride 1 from -inf is no pool; from
  /// another init it is maximumf(init, x).
  int64_t poolH = 1, poolW = 1, poolStrideH = 1, poolStrideW = 1;
  float poolInit = -std::numeric_limits<float>::infinity();
};

/// The blob for `spec` (64-byte aligned header and packed panels), or an
/// empty vector with `error` set.
std::vector<uint8_t> packFloatLayer(const FloatLayerSpec &spec,
                                    std::string &error);

} // namespace mlir::qnt::kernels

extern "C" {
/// As quant_layer_run, for a blob of packFloatLayer (colBegin a multiple of
/// kFloatPanelWidth); f32 input and output.
void quant_float_layer_run(const uint8_t *blob, const void *input, int64_t s0,
                           int64_t s1, int64_t s2, int64_t s3, int64_t batch,
                           int64_t rowBegin, int64_t rowEnd, int64_t colBegin,
                           int64_t colEnd, void *output);
}

#endif // QUANT_KERNELS_FLOATLAYER_H
