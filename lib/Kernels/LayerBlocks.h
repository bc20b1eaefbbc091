//===- LayerBlocks.h - Row blocks of the int8 and fp32 layers ---*- C++ -*-===//
//
// What the int8 and fp32 layer runtimes share around their GEMMs: packing a
// block of output rows' activations (im2col from NHWC for convolutions), for
// elements of any size.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_LIB_KERNELS_LAYERBLOCKS_H
#define QUANT_LIB_KERNELS_LAYERBLOCKS_H

#include <algorithm>
#include <cstdint>
#include <vector>

namespace mlir::qnt::kernels::detail {

/// A convolution's geometry (groups 1); K = KH * KW * C.
struct ConvGeometry {
  int64_t k, channels, height, width, kernelH, kernelW, strideH, strideW;
  int64_t padTop, padLeft, dilationH, dilationW, outH, outW;
};

/// Writes output rows [r0, r0 + rows) (pixels, items after one another) as
/// rows x K elements of `bytes` bytes, k = (i * KW + j) * C + c, reading an
/// NHWC input whose strides s0..s3 are in elements and writing elements of
/// `pad` bytes where the window reads padding. `out` needs 16 bytes of slack
/// after the last row.
void im2col(const ConvGeometry &g, int64_t bytes, uint8_t pad,
            const uint8_t *in, int64_t s0, int64_t s1, int64_t s2, int64_t s3,
            int64_t r0, int64_t rows, uint8_t *out);

/// The activations of output rows [r0, r0 + rows) as rows of K elements of
/// `bytes` bytes, returned with their row stride `lda` in elements: a
/// matmul input (`conv` null) in place when its rows are contiguous, else
/// gathered into `scratch`; a convolution through im2col into `scratch`
/// (grown as needed, slack included).
const uint8_t *packActivationRows(const ConvGeometry *conv, int64_t k,
                                  int64_t bytes, uint8_t pad, const uint8_t *in,
                                  int64_t s0, int64_t s1, int64_t s2,
                                  int64_t s3, int64_t r0, int64_t rows,
                                  std::vector<uint8_t> &scratch, int64_t &lda);

} // namespace mlir::qnt::kernels::detail

#endif // QUANT_LIB_KERNELS_LAYERBLOCKS_H
