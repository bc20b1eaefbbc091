//===- Im2col.cpp - Activation packing of convolution layers --------------===//
//
// Kernel rows of a dense NHWC input without horizontal dilation are KW * C
// consecutive elements: one copy (a single 16-byte one for the first layers'
// C = 1 or 3); other windows go tap by tap.
//
//===----------------------------------------------------------------------===//

#include "Im2col.h"

#include <cstring>

namespace mlir::qnt::kernels::detail {
namespace {
/// Copies n bytes; most runs here are a few to a few dozen bytes, where a
/// loop beats a call.
inline void copyBytes(uint8_t *dst, const uint8_t *src, int64_t n) {
  if (n >= 64) {
    std::memcpy(dst, src, size_t(n));
    return;
  }
  for (int64_t q = 0; q < n; ++q)
    dst[q] = src[q];
}
} // namespace

void im2col(const ConvGeometry &g, int64_t bytes, uint8_t pad,
            const uint8_t *in, int64_t s0, int64_t s1, int64_t s2, int64_t s3,
            int64_t r0, int64_t rows, uint8_t *out) {
  const int64_t c = g.channels * bytes, kw = g.kernelW;
  s0 *= bytes, s1 *= bytes, s2 *= bytes, s3 *= bytes;
  const bool denseRows = s3 == bytes && s2 == c && g.dilationW == 1;
  int64_t item = r0 / (g.outH * g.outW), p = r0 % (g.outH * g.outW);
  int64_t oy = p / g.outW, ox = p % g.outW;
  for (int64_t r = 0; r < rows; ++r, out += g.k * bytes) {
    const int64_t y0 = oy * g.strideH - g.padTop;
    const int64_t x0 = ox * g.strideW - g.padLeft;
    const bool inside = x0 >= 0 && x0 + (kw - 1) * g.dilationW < g.width;
    const uint8_t *base = in + item * s0;
    // One item's rows end here: 16-byte copies may read up to it.
    const uint8_t *itemEnd = base + g.height * s1;
    uint8_t *dst = out;
    for (int64_t i = 0; i < g.kernelH; ++i, dst += kw * c) {
      const int64_t y = y0 + i * g.dilationH;
      if (y < 0 || y >= g.height) {
        std::memset(dst, pad, size_t(kw * c));
        continue;
      }
      const uint8_t *row = base + y * s1;
      if (inside && denseRows) {
        const uint8_t *src = row + x0 * c;
        if (kw * c <= 16 && src + 16 <= itemEnd)
          // The bytes past the run land where later taps and rows write,
          // or in the slack.
          std::memcpy(dst, src, 16);
        else
          copyBytes(dst, src, kw * c);
        continue;
      }
      for (int64_t j = 0; j < kw; ++j) {
        const int64_t x = x0 + j * g.dilationW;
        uint8_t *d = dst + j * c;
        const uint8_t *src = row + x * s2;
        if (x < 0 || x >= g.width)
          std::memset(d, pad, size_t(c));
        else if (s3 == bytes)
          copyBytes(d, src, c);
        else
          for (int64_t ch = 0; ch < g.channels; ++ch)
            std::memcpy(d + ch * bytes, src + ch * s3, size_t(bytes));
      }
    }
    if (++ox == g.outW) {
      ox = 0;
      if (++oy == g.outH) {
        oy = 0;
        ++item;
      }
    }
  }
}

} // namespace mlir::qnt::kernels::detail
