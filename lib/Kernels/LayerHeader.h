//===- LayerHeader.h - The int8 layer blob's header -------------*- C++ -*-===//
//
// What QuantizedLayer.cpp (packing, the GEMM path, the entry point) and
// RegisterPaths.cpp (the paths that keep sums in registers) share: the
// blob's header and sections, and which layers the register paths take.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_LIB_KERNELS_LAYERHEADER_H
#define QUANT_LIB_KERNELS_LAYERHEADER_H

#include "quant/Kernels/QuantizedLayer.h"

#include <cstdint>
#include <cstring>

namespace mlir::qnt::kernels::detail {

constexpr uint32_t kMagic = 0x52594c51; // "QLYR"
constexpr uint32_t kVersion = 6;
constexpr int64_t kHeaderBytes = 256;

struct Header {
  uint32_t magic, version;
  uint8_t kind, inputSigned, output, rescale;
  uint8_t hasWeightZeroPoints, hasBias;
  /// Every acc + bias lies within +-2^24: an i32 sum converts to f32
  /// exactly.
  uint8_t smallSums;
  /// Every acc + bias fits i32: the sum in i32 converts to f32 (rounded to
  /// nearest even, vcvtdq2ps) as the exact sum in i64 would.
  uint8_t i32Sums;
  /// Float mode, the clamp is the whole 8-bit range of the result and every
  /// |(acc + bias) * M| < 2^30: rounding to i32 cannot overflow, and the
  /// saturating narrowing to 8 bits is the clamp.
  uint8_t narrowSaturates;
  int32_t inputZeroPoint, outputZeroPoint, clampMin, clampMax;
  int64_t k, n;
  int64_t channels, height, width, kernelH, kernelW, strideH, strideW;
  int64_t padTop, padLeft, dilationH, dilationW, outH, outW;
  /// Byte offsets of the sections from the start of the blob.
  int64_t packed, colSums, weightZeroPoints, bias, floatMultipliers,
      fixedMultipliers, shifts;
  /// The weights as runDirectConv reads them, each kernel row rounded up to
  /// whole dwords (K' = KH * getDirectRowBytes): `packed` itself where KW * C
  /// is a multiple of 4, else a section of its own; 0 for other layers.
  int64_t rowPacked;
  /// The fused max pool (LayerSpec::poolH...): 1 x 1, stride 1 for none.
  int32_t poolH, poolW, poolStrideH, poolStrideW;
};
static_assert(sizeof(Header) <= kHeaderBytes, "header outgrew its slot");

inline Header readHeader(const uint8_t *blob) {
  Header h;
  std::memcpy(&h, blob, sizeof(h));
  return h;
}

inline bool isPooled(const Header &h) {
  return h.poolH != 1 || h.poolW != 1 || h.poolStrideH != 1 ||
         h.poolStrideW != 1;
}

/// Output rows and columns of one item after the pool.
inline int64_t getPooledH(const Header &h) {
  return (h.outH - h.poolH) / h.poolStrideH + 1;
}
inline int64_t getPooledW(const Header &h) {
  return (h.outW - h.poolW) / h.poolStrideW + 1;
}

template <typename T> const T *section(const uint8_t *blob, int64_t offset) {
  return reinterpret_cast<const T *>(blob + offset);
}

/// Whether the per-row paths (RegisterPaths.cpp) may run a layer, but for the
/// CPU: u8 input, no weight zero points, sums that fit f32 and the float
/// requantization to 8 bits. They keep the sums in registers and requantize
/// them there: no i32 block in memory.
inline bool requantizesInRegisters(const Header &h) {
  return !h.inputSigned && !h.hasWeightZeroPoints && h.smallSums &&
         h.rescale == uint8_t(LayerRescale::Float) &&
         h.output != uint8_t(LayerOutput::I32);
}

/// Up to kSmallDepth reductions that runDirectConv does not take (matmuls,
/// NCHW inputs): per row, each dword of activations is broadcast against V
/// packed 16-column panels. A 6-row GEMM tile would spend more on packing
/// A, setting up and storing the i32 block than on its few vpdpbusd.
constexpr int64_t kSmallDepth = 64;

inline bool isSmallDepthLayer(const Header &h) {
  return h.k <= kSmallDepth && requantizesInRegisters(h);
}

/// Bytes of one kernel row as runDirectConv reads it: KW * C rounded up to
/// whole dwords (their weights are zero in the rounding).
inline int64_t getDirectRowBytes(int64_t kernelW, int64_t channels) {
  return (kernelW * channels + 3) / 4 * 4;
}

/// Most reductions (kernel rows rounded) that runDirectConv takes: the
/// weights of 64 columns stay in L1.
constexpr int64_t kMaxDirectDepth = 512;

/// Whether a convolution may be read in place by runDirectConv: each kernel
/// row is KW * C contiguous bytes of an NHWC row.
inline bool isDirectConvLayer(const Header &h) {
  return h.kind == uint8_t(LayerKind::Conv2dNhwc) &&
         (h.dilationW == 1 || h.kernelW == 1) &&
         h.kernelH * getDirectRowBytes(h.kernelW, h.channels) <=
             kMaxDirectDepth &&
         requantizesInRegisters(h);
}

/// The paths that keep their sums in registers (RegisterPaths.cpp; on
/// CPUs without AVX-512 VNNI, and off x86, they return false). Each runs
/// output rows [r0, r0 + rows) x columns [c0, c0 + cols) of a layer into
/// `dst`, which points at row r0 (row stride N); the first two read the
/// NHWC input (element strides s0..s3) in place, the last `rows` rows of K
/// activations at `a` (row stride lda; paddedRows: an im2col block with
/// slack after its last row). runDirectConv also takes layers with a 2-wide
/// pool (poolW = poolStrideW = 2, poolH = poolStrideH), pooling the sums in
/// registers; the others take no pool. False: the layer or the input does
/// not qualify, nothing is written.
bool runDirectConv(const Header &h, const uint8_t *blob, const uint8_t *in,
                   int64_t s0, int64_t s1, int64_t s2, int64_t s3, int64_t r0,
                   int64_t rows, int64_t c0, int64_t cols, void *dst);
bool runDepthwise(const Header &h, const uint8_t *blob, const uint8_t *in,
                  int64_t s0, int64_t s1, int64_t s2, int64_t s3, int64_t r0,
                  int64_t rows, int64_t c0, int64_t cols, void *dst);
bool runSmallDepth(const Header &h, const uint8_t *blob, const uint8_t *a,
                   int64_t lda, bool paddedRows, int64_t rows, int64_t c0,
                   int64_t cols, void *dst);

} // namespace mlir::qnt::kernels::detail

#endif // QUANT_LIB_KERNELS_LAYERHEADER_H
