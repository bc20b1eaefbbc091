//===- QuantizedLayer.h - Compiled int8 matmul and conv layers --*- C++ -*-===//
//
// The contract between the compiler and the kernels for one qnt.matmul or
// qnt.conv2d with constant weights. At compile time packLayer() turns the
// layer (weights, zero points, bias, requantization, conv geometry) into one
// self-contained byte blob that the compiled code carries as a constant; at
// run time the compiled code calls quant_layer_run() on a block of output
// rows and columns, which packs the activations (im2col for convolutions),
// runs the int8 GEMM and requantizes its sums (in the AVX-512 VNNI
// microkernel's epilogue, elsewhere from the i32 block while it is in
// cache); convolutions with u8 inputs are read in place and requantized in
// registers instead.
//
// The requantization is bit-exact with convert-qnt-to-linalg (see
// docs/semantics.md): float mode rounds f32(acc + bias) * f32(M) half to
// even, integer mode applies the Q31 multiplier with one rounding.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_KERNELS_QUANTIZEDLAYER_H
#define QUANT_KERNELS_QUANTIZEDLAYER_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::qnt::kernels {

enum class LayerKind : uint8_t {
  Matmul, ///< input [M, K] -> output [M, N], row-major.
  /// input [B, H, W, C] -> output [B, OH, OW, N]. The compiler runs NCHW
  /// models' convolutions NHWC between transposes (im2col from NHWC copies
  /// whole channel vectors; from NCHW it would gather bytes).
  Conv2dNhwc,
  /// input [B, H, W, C] -> output [B, OH, OW, C], one filter per channel
  /// (groups = C = N): K = KH * KW with k = i * KW + j.
  DepthwiseNhwc,
};

enum class LayerOutput : uint8_t { I32, U8, S8 };

enum class LayerRescale : uint8_t {
  Float,   ///< clamp(round_half_even(f32(acc) * f32(M)) + zp)
  Integer, ///< clamp(applyScale32(sat32(acc), m, shift) + zp)
};

/// Everything about one layer, as the compiler knows it.
struct LayerSpec {
  LayerKind kind = LayerKind::Matmul;
  bool inputSigned = false; ///< s8 input storage, else u8.
  int32_t inputZeroPoint = 0;
  /// Reduction size and output channels: for convolutions
  /// K = KH * KW * C with k = (i * KW + j) * C + c.
  int64_t k = 0, n = 0;
  std::vector<int8_t> weights;           ///< K x N, row-major.
  std::vector<int32_t> weightZeroPoints; ///< N entries, or empty (all 0).
  std::vector<int32_t> bias;             ///< N entries, or empty.
  LayerOutput output = LayerOutput::I32;
  LayerRescale rescale = LayerRescale::Float;
  /// Per output channel M = s_in * s_w / s_out (N entries each; unused for
  /// I32): as f32 in float mode, as a Q31 multiplier and right shift in
  /// [1, 62] in integer mode (qmath::getFixedPointMultiplier).
  std::vector<float> floatMultipliers;
  std::vector<int32_t> fixedMultipliers, shifts;
  int32_t outputZeroPoint = 0;
  int32_t clampMin = 0, clampMax = 0; ///< Final saturation range.
  /// Convolution geometry.
  int64_t channels = 0, height = 0, width = 0;
  int64_t kernelH = 1, kernelW = 1, strideH = 1, strideW = 1;
  int64_t padTop = 0, padLeft = 0, dilationH = 1, dilationW = 1;
  int64_t outH = 1, outW = 1;
  /// A max pool of the convolution's result, fused in (1 x 1 with stride 1:
  /// none): windows of poolH x poolW output pixels, poolStrideH x
  /// poolStrideW apart, without padding, the last partial window dropped.
  /// The output is then [B, (OH - poolH) / poolStrideH + 1, (OW - poolW) /
  /// poolStrideW + 1, N]. Requantization is monotone (positive
  /// multipliers), so the pool may take the maximum of the sums instead of
  /// the results.
  int64_t poolH = 1, poolW = 1, poolStrideH = 1, poolStrideW = 1;
};

/// The blob for `spec`: a 64-byte aligned header, the packed weights and
/// the per-channel tables. Returns an empty vector and sets `error` when the
/// spec is inconsistent.
std::vector<uint8_t> packLayer(const LayerSpec &spec, std::string &error);

/// Output rows of a layer run on `batch` inputs: batch for matmuls,
/// batch * OH * OW for convolutions (of the pooled size with a pool).
int64_t getLayerRows(const uint8_t *blob, int64_t batch);

} // namespace mlir::qnt::kernels

extern "C" {
/// Computes output rows [rowBegin, rowEnd) and columns [colBegin, colEnd)
/// (colBegin a multiple of kPanelWidth) of the layer in `blob` (64-byte
/// aligned). `input` points at element [0, 0(, 0, 0)] of the input, whose
/// element strides are s0..s3 (s2, s3 unused for matmuls); `output` at a
/// contiguous output of `batch` items. Single-threaded: callers run disjoint
/// blocks in parallel.
void quant_layer_run(const uint8_t *blob, const void *input, int64_t s0,
                     int64_t s1, int64_t s2, int64_t s3, int64_t batch,
                     int64_t rowBegin, int64_t rowEnd, int64_t colBegin,
                     int64_t colEnd, void *output);
}

#endif // QUANT_KERNELS_QUANTIZEDLAYER_H
