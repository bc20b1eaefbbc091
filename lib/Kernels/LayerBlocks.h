//===- LayerBlocks.h - Row blocks of the int8 and fp32 layers ---*- C++ -*-===//
//
// What the int8 and fp32 layer runtimes share around their GEMMs: packing a
// block of output rows' activations (im2col from NHWC for convolutions), for
// elements of any size, and writing a row-major block of results into the
// planes of an NCHW output.
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

/// dst[c * dstStride + r] = src[r * srcStride + c] for a 16 x 16 byte
/// block (SSE2 on x86-64).
void transpose16x16(const uint8_t *src, int64_t srcStride, uint8_t *dst,
                    int64_t dstStride);

/// Writes `block` (rows x cols, row-major), the results of output rows
/// [r0, r0 + rows) and channels [c0, c0 + cols), into an NCHW output of `n`
/// channels and `pixels` pixels per plane: consecutive rows of one item are
/// consecutive elements of each channel plane. Bytes go 16 x 16 at a time.
template <typename T>
void writePlanes(const T *block, int64_t r0, int64_t rows, int64_t c0,
                 int64_t cols, int64_t n, int64_t pixels, T *out) {
  for (int64_t r = 0; r < rows;) {
    int64_t row = r0 + r, item = row / pixels, p = row % pixels;
    int64_t run = std::min(rows - r, pixels - p);
    int64_t q0 = 0;
    if constexpr (sizeof(T) == 1) {
      for (; q0 + 16 <= run && cols >= 16; q0 += 16)
        for (int64_t j = 0; j < cols; j += 16) {
          int64_t j0 = std::min(j, cols - 16); // the last block overlaps
          transpose16x16(
              reinterpret_cast<const uint8_t *>(block + (r + q0) * cols + j0),
              cols,
              reinterpret_cast<uint8_t *>(out + (item * n + c0 + j0) * pixels +
                                          p + q0),
              pixels);
        }
    }
    for (int64_t j = 0; j < cols; ++j) {
      T *dst = out + (item * n + c0 + j) * pixels + p;
      const T *src = block + r * cols + j;
      for (int64_t q = q0; q < run; ++q)
        dst[q] = src[q * cols];
    }
    r += run;
  }
}

} // namespace mlir::qnt::kernels::detail

#endif // QUANT_LIB_KERNELS_LAYERBLOCKS_H
