//===- LayerBlocks.cpp - Row blocks of the int8 and fp32 layers -----------===//
//
// In im2col, kernel rows of a dense NHWC input without horizontal dilation
// are KW * C consecutive elements: one copy (a single 16-byte one for the
// first layers' C = 1 or 3) from a copy of the input row padded on both
// sides; other windows go tap by tap.
//
//===----------------------------------------------------------------------===//

#include "LayerBlocks.h"

#include <cstring>

namespace mlir::qnt::kernels::detail {
namespace {
/// Copies n bytes; most runs here are a few to a few dozen bytes (a kernel
/// row of 3 taps x 16 channels is 48), where fixed-size moves that may
/// overlap beat a call or a byte loop.
inline void copyBytes(uint8_t *dst, const uint8_t *src, int64_t n) {
  if (n >= 256) {
    std::memcpy(dst, src, size_t(n));
  } else if (n >= 16) {
    int64_t q = 0;
    for (; q + 16 <= n; q += 16)
      std::memcpy(dst + q, src + q, 16);
    if (q < n)
      std::memcpy(dst + n - 16, src + n - 16, 16);
  } else if (n >= 8) {
    std::memcpy(dst, src, 8);
    std::memcpy(dst + n - 8, src + n - 8, 8);
  } else if (n >= 4) {
    std::memcpy(dst, src, 4);
    std::memcpy(dst + n - 4, src + n - 4, 4);
  } else {
    for (int64_t q = 0; q < n; ++q)
      dst[q] = src[q];
  }
}

/// A kernel row of `run` bytes in 16-byte moves, the last one ending at
/// the run's end (Chunks = ceil(run / 16) >= 1, run >= 16); Chunks = 0:
/// one 16-byte move for a run under 16 bytes, whose extra bytes land where
/// later kernel rows and pixels write, or in the slack (the caller checks
/// the source has 16 bytes).
template <int Chunks>
[[gnu::always_inline]] inline void copyRun(uint8_t *dst, const uint8_t *src,
                                           int64_t run) {
  if constexpr (Chunks == 0) {
    std::memcpy(dst, src, 16);
  } else {
    for (int q = 0; q < Chunks - 1; ++q)
      std::memcpy(dst + 16 * q, src + 16 * q, 16);
    std::memcpy(dst + run - 16, src + run - 16, 16);
  }
}

/// im2col with Chunks fixed (see copyRun); Chunks < 0: any run.
template <int Chunks>
void im2colRows(const ConvGeometry &g, int64_t bytes, uint8_t pad,
                const uint8_t *in, int64_t s0, int64_t s1, int64_t s2,
                int64_t s3, int64_t r0, int64_t rows, uint8_t *out) {
  const int64_t c = g.channels * bytes, kw = g.kernelW, run = kw * c;
  const bool denseRows = s3 == bytes && s2 == c && g.dilationW == 1;
  const int64_t rowBytes = g.k * bytes;
  int64_t item = r0 / (g.outH * g.outW), p = r0 % (g.outH * g.outW);
  int64_t oy = p / g.outW, ox = p % g.outW;
  auto advance = [&] {
    if (++ox == g.outW) {
      ox = 0;
      if (++oy == g.outH) {
        oy = 0;
        ++item;
      }
    }
  };
  constexpr int64_t kMaxRows = 8;
  if (denseRows && g.kernelH <= kMaxRows) {
    // Per output row, copies of its kernel rows' input rows with padLeft
    // pixels of padding before them and padding after them up to the last
    // window (rows above or below the input are all padding): every pixel
    // then copies its KH runs without bounds checks, border pixels too.
    // 16 bytes of slack for the moves of short runs.
    const int64_t left = g.padLeft * c;
    const int64_t span = left + ((g.outW - 1) * g.strideW + kw) * c;
    const int64_t live = std::clamp<int64_t>(span - left, 0, g.width * c);
    const int64_t padded = span + 16;
    thread_local std::vector<uint8_t> buffer;
    buffer.resize(size_t(g.kernelH * padded));
    const int64_t step = g.strideW * c;
    int64_t cachedItem = -1, cachedOy = -1;
    for (int64_t r = 0; r < rows; ++r, out += rowBytes) {
      if (item != cachedItem || oy != cachedOy) {
        cachedItem = item, cachedOy = oy;
        for (int64_t i = 0; i < g.kernelH; ++i) {
          uint8_t *row = buffer.data() + i * padded;
          const int64_t y = oy * g.strideH - g.padTop + i * g.dilationH;
          if (y < 0 || y >= g.height) {
            std::memset(row, pad, size_t(padded));
            continue;
          }
          std::memset(row, pad, size_t(left));
          std::memcpy(row + left, in + item * s0 + y * s1, size_t(live));
          std::memset(row + left + live, pad, size_t(padded - left - live));
        }
      }
      const uint8_t *src = buffer.data() + ox * step;
      for (int64_t i = 0; i < g.kernelH; ++i, src += padded) {
        if constexpr (Chunks >= 0)
          copyRun<Chunks>(out + i * run, src, run);
        else
          copyBytes(out + i * run, src, run);
      }
      advance();
    }
    return;
  }
  // Strided or channel-major inputs: tap by tap.
  for (int64_t r = 0; r < rows; ++r, out += rowBytes) {
    const int64_t y0 = oy * g.strideH - g.padTop;
    const int64_t x0 = ox * g.strideW - g.padLeft;
    const uint8_t *base = in + item * s0;
    uint8_t *dst = out;
    for (int64_t i = 0; i < g.kernelH; ++i, dst += run) {
      const int64_t y = y0 + i * g.dilationH;
      if (y < 0 || y >= g.height) {
        std::memset(dst, pad, size_t(run));
        continue;
      }
      const uint8_t *row = base + y * s1;
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
    advance();
  }
}
} // namespace

void im2col(const ConvGeometry &g, int64_t bytes, uint8_t pad,
            const uint8_t *in, int64_t s0, int64_t s1, int64_t s2, int64_t s3,
            int64_t r0, int64_t rows, uint8_t *out) {
  s0 *= bytes, s1 *= bytes, s2 *= bytes, s3 *= bytes;
  // The kernel row length picks a copy with its moves unrolled.
  const int64_t run = g.kernelW * g.channels * bytes;
  auto rowsWith = run < 16    ? im2colRows<0>
                  : run <= 32 ? im2colRows<2>
                  : run <= 48 ? im2colRows<3>
                  : run <= 64 ? im2colRows<4>
                              : im2colRows<-1>;
  if (run == 16)
    rowsWith = im2colRows<1>;
  rowsWith(g, bytes, pad, in, s0, s1, s2, s3, r0, rows, out);
}

const uint8_t *packActivationRows(const ConvGeometry *conv, int64_t k,
                                  int64_t bytes, uint8_t pad, const uint8_t *in,
                                  int64_t s0, int64_t s1, int64_t s2,
                                  int64_t s3, int64_t r0, int64_t rows,
                                  std::vector<uint8_t> &scratch, int64_t &lda) {
  if (!conv && s1 == 1) {
    lda = s0;
    return in + r0 * s0 * bytes;
  }
  lda = k;
  scratch.resize(size_t(rows * k * bytes + 16)); // + im2col's slack
  if (conv) {
    im2col(*conv, bytes, pad, in, s0, s1, s2, s3, r0, rows, scratch.data());
    return scratch.data();
  }
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t q = 0; q < k; ++q)
      std::memcpy(scratch.data() + (r * k + q) * bytes,
                  in + ((r0 + r) * s0 + q * s1) * bytes, size_t(bytes));
  return scratch.data();
}

} // namespace mlir::qnt::kernels::detail
