//===- FloatLayer.cpp - Compiled fp32 matmul and conv layers --------------===//
//
// The blob: a fixed header, then the weights in panels of 32 columns, each
// K rows of 32 floats (zero past N), then the bias if any (zero past N). A run
// packs up to kBlockRows rows of activations (im2col for convolutions),
// multiplies them panel by panel in 6-row tiles straight into the output.
// Convolutions over NHWC inputs read them in place instead: the input rows a
// range of output rows needs are copied once into a zero-padded buffer, where
// each kernel row of an output pixel is KW * C contiguous floats.
//
//===----------------------------------------------------------------------===//

#include "quant/Kernels/FloatLayer.h"
#include "quant/Kernels/Int8Gemm.h"

#include "FloatLayerImpl.h"
#include "LayerBlocks.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace mlir::qnt::kernels {
namespace {

constexpr uint32_t kMagic = 0x594c4651; // "QFLY"
constexpr uint32_t kVersion = 4;
constexpr int64_t kHeaderBytes = 256;
constexpr int64_t kBlockRows = 96;

struct Header {
  uint32_t magic, version;
  uint8_t kind, hasBias, relu, reserved[5];
  int64_t k, n;
  int64_t channels, height, width, kernelH, kernelW, strideH, strideW;
  int64_t padTop, padLeft, dilationH, dilationW, outH, outW;
  int64_t poolH, poolW, poolStrideH, poolStrideW;
  float poolInit;
};
static_assert(sizeof(Header) <= kHeaderBytes, "header outgrew its slot");

int64_t panels(int64_t n) {
  return (n + kFloatPanelWidth - 1) / kFloatPanelWidth;
}

/// Where the bias starts, in bytes after the packed weights' start.
int64_t getBiasOffset(const Header &h) {
  return panels(h.n) * h.k * kFloatPanelWidth * 4;
}

/// A 1 x 1 window at stride 1 still pools when its init is not -inf: it is
/// maximumf(init, x).
bool isPooled(int64_t poolH, int64_t poolW, int64_t strideH, int64_t strideW,
              float init) {
  return poolH != 1 || poolW != 1 || strideH != 1 || strideW != 1 ||
         init != -std::numeric_limits<float>::infinity();
}
bool isPooled(const Header &h) {
  return isPooled(h.poolH, h.poolW, h.poolStrideH, h.poolStrideW, h.poolInit);
}
int64_t getPooledH(const Header &h) {
  return (h.outH - h.poolH) / h.poolStrideH + 1;
}
int64_t getPooledW(const Header &h) {
  return (h.outW - h.poolW) / h.poolStrideW + 1;
}

bool cpuHasAvx512Fma() {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool has = isCpuIsaAllowed(CpuIsa::Avx512) &&
                          __builtin_cpu_supports("avx512f") &&
                          __builtin_cpu_supports("fma");
  return has;
#else
  return false;
#endif
}

/// The portable tile: the same order of sums and the same epilogue as the
/// AVX-512 one, but a multiply and an add where that one fuses them (one
/// rounding), so sums may differ in their last bits.
void tilePortable(const detail::FloatTileA &a, int64_t rows, const float *b,
                  float *c, int64_t ldc, int64_t cols,
                  const detail::FloatEpilogue &e) {
  for (int64_t r = 0; r < rows; ++r) {
    float acc[kFloatPanelWidth] = {};
    const float *bq = b;
    for (int64_t i = 0; i < a.segments; ++i)
      for (int64_t q = 0; q < a.segment; ++q, bq += kFloatPanelWidth) {
        float av = a.a[i * a.segmentStride + r * a.lda + q];
        for (int64_t j = 0; j < kFloatPanelWidth; ++j)
          acc[j] += av * bq[j];
      }
    for (int64_t j = 0; j < cols; ++j) {
      float x = e.bias ? acc[j] + e.bias[j] : acc[j];
      // arith.maximumf(x, +0.0): NaN stays, -0.0 becomes +0.0.
      if (e.relu && !(x > 0.0f || std::isnan(x)))
        x = 0.0f;
      c[r * ldc + j] = x;
    }
  }
}

using TileFn = void (*)(const detail::FloatTileA &, int64_t, const float *,
                        float *, int64_t, int64_t,
                        const detail::FloatEpilogue &);

/// Multiplies `rows` rows of A by the panels of columns [c0, c0 + cols)
/// into c (row stride ldc), in tiles.
void multiplyRows(const Header &h, const float *b, detail::FloatTileA a,
                  int64_t rows, int64_t c0, int64_t cols, float *c, int64_t ldc,
                  bool avx512) {
  for (int64_t j = 0; j < cols; j += kFloatPanelWidth) {
    const float *panel =
        b + ((c0 + j) / kFloatPanelWidth) * h.k * kFloatPanelWidth;
    const int64_t width = std::min(kFloatPanelWidth, cols - j);
    const bool narrow = avx512 && width <= 16;
    // Rows split evenly into the fewest tiles: a short last tile would have
    // too few accumulators to hide the latency of its multiply-adds (a
    // 14-pixel row: two tiles of 7, not 12 and 2).
    const int64_t maxRows =
        narrow ? detail::kFloatNarrowTileRows : detail::kFloatTileRows;
    const int64_t tiles = (rows + maxRows - 1) / maxRows;
    const int64_t tileRows = (rows + tiles - 1) / tiles;
    TileFn tileFn = !avx512  ? tilePortable
                    : narrow ? detail::floatTileAvx512Narrow
                             : detail::floatTileAvx512;
    const float *bias =
        h.hasBias
            ? reinterpret_cast<const float *>(
                  reinterpret_cast<const uint8_t *>(b) + getBiasOffset(h)) +
                  c0 + j
            : nullptr;
    const detail::FloatEpilogue e{bias, bool(h.relu)};
    detail::FloatTileA tile = a;
    for (int64_t r = 0; r < rows; r += tileRows, tile.a += tileRows * a.lda)
      tileFn(tile, std::min(tileRows, rows - r), panel, c + r * ldc + j, ldc,
             width, e);
  }
}

/// Output rows [r0, r1) x columns [c0, c0 + cols) of a convolution whose
/// NHWC input (element strides s0, s1; pixels of C contiguous floats) is
/// read in place, into out (row r0, column c0; row stride ldc): per item
/// and range of output rows, the input rows they need are copied into a
/// buffer padded with zeros, then each output row is multiplied in tiles
/// of pixels, one A segment per kernel row.
void runInPlace(const Header &h, const float *b, const float *in, int64_t s0,
                int64_t s1, int64_t r0, int64_t r1, int64_t c0, int64_t cols,
                float *out, int64_t ldc, bool avx512) {
  const int64_t c = h.channels, pixels = h.outH * h.outW;
  const int64_t pitch = std::max((h.padLeft + h.width) * c,
                                 ((h.outW - 1) * h.strideW + h.kernelW) * c);
  thread_local std::vector<float> buffer;
  for (int64_t r = r0; r < r1;) {
    const int64_t item = r / pixels, p0 = r % pixels;
    const int64_t p1 = std::min(pixels, p0 + (r1 - r));
    const int64_t oy0 = p0 / h.outW, oy1 = (p1 - 1) / h.outW;
    const int64_t inRows =
        (oy1 - oy0) * h.strideH + (h.kernelH - 1) * h.dilationH + 1;
    buffer.assign(size_t(inRows * pitch), 0.0f);
    for (int64_t t = 0; t < inRows; ++t) {
      const int64_t y = oy0 * h.strideH - h.padTop + t;
      if (y >= 0 && y < h.height)
        std::memcpy(buffer.data() + t * pitch + h.padLeft * c,
                    in + item * s0 + y * s1, size_t(h.width * c) * 4);
    }
    for (int64_t oy = oy0; oy <= oy1; ++oy) {
      const int64_t x0 = oy == oy0 ? p0 % h.outW : 0;
      const int64_t x1 = oy == oy1 ? (p1 - 1) % h.outW + 1 : h.outW;
      const detail::FloatTileA a{
          buffer.data() + (oy - oy0) * h.strideH * pitch + x0 * h.strideW * c,
          h.strideW * c, h.kernelH, h.kernelW * c, h.dilationH * pitch};
      multiplyRows(h, b, a, x1 - x0, c0, cols,
                   out + (item * pixels + oy * h.outW + x0 - r0) * ldc, ldc,
                   avx512);
    }
    r += p1 - p0;
  }
}

} // namespace

std::vector<uint8_t> packFloatLayer(const FloatLayerSpec &spec,
                                    std::string &error) {
  const int64_t k = spec.k, n = spec.n;
  if (k <= 0 || n <= 0 || int64_t(spec.weights.size()) != k * n) {
    error = "weights are not K x N";
    return {};
  }
  if (!spec.bias.empty() && int64_t(spec.bias.size()) != n) {
    error = "the bias does not have N values";
    return {};
  }
  if (spec.kind != LayerKind::Matmul &&
      (spec.channels * spec.kernelH * spec.kernelW != k || spec.outH <= 0 ||
       spec.outW <= 0)) {
    error = "convolution geometry does not match K";
    return {};
  }
  const bool pooled = isPooled(spec.poolH, spec.poolW, spec.poolStrideH,
                               spec.poolStrideW, spec.poolInit);
  if (pooled && spec.kind == LayerKind::Matmul) {
    error = "only a convolution takes a pool";
    return {};
  }
  if (pooled && (spec.poolH < 1 || spec.poolW < 1 || spec.poolStrideH < 1 ||
                 spec.poolStrideW < 1 || spec.poolH > spec.outH ||
                 spec.poolW > spec.outW)) {
    error = "the pool window is empty or larger than the output";
    return {};
  }
  Header h;
  std::memset(&h, 0, sizeof(h));
  h.magic = kMagic;
  h.version = kVersion;
  h.kind = uint8_t(spec.kind);
  h.k = k;
  h.n = n;
  h.channels = spec.channels;
  h.height = spec.height;
  h.width = spec.width;
  h.kernelH = spec.kernelH;
  h.kernelW = spec.kernelW;
  h.strideH = spec.strideH;
  h.strideW = spec.strideW;
  h.padTop = spec.padTop;
  h.padLeft = spec.padLeft;
  h.dilationH = spec.dilationH;
  h.dilationW = spec.dilationW;
  h.outH = spec.outH;
  h.outW = spec.outW;
  h.poolH = spec.poolH;
  h.poolW = spec.poolW;
  h.poolStrideH = spec.poolStrideH;
  h.poolStrideW = spec.poolStrideW;
  h.poolInit = spec.poolInit;
  h.hasBias = !spec.bias.empty();
  h.relu = spec.relu;
  std::vector<float> packed(size_t(panels(n) * k * kFloatPanelWidth), 0.0f);
  for (int64_t q = 0; q < k; ++q)
    for (int64_t j = 0; j < n; ++j)
      packed[size_t(((j / kFloatPanelWidth) * k + q) * kFloatPanelWidth +
                    j % kFloatPanelWidth)] = spec.weights[size_t(q * n + j)];
  // Whole panels of bias: the tiles load a panel's vectors unmasked.
  std::vector<float> bias(size_t(h.hasBias ? panels(n) * kFloatPanelWidth : 0),
                          0.0f);
  std::copy(spec.bias.begin(), spec.bias.end(), bias.begin());
  std::vector<uint8_t> blob(size_t(kHeaderBytes) + packed.size() * 4 +
                            bias.size() * 4);
  std::memcpy(blob.data(), &h, sizeof(h));
  std::memcpy(blob.data() + kHeaderBytes, packed.data(), packed.size() * 4);
  if (!bias.empty())
    std::memcpy(blob.data() + kHeaderBytes + packed.size() * 4, bias.data(),
                bias.size() * 4);
  return blob;
}

namespace {

/// Output rows [r0, r1) x columns [c0, c0 + cols) of a layer, unpooled,
/// into out (row r0, column c0; row stride ldc).
void runRows(const Header &h, const float *b, const void *input, int64_t s0,
             int64_t s1, int64_t s2, int64_t s3, int64_t r0, int64_t r1,
             int64_t c0, int64_t cols, float *out, int64_t ldc, bool avx512) {
  const bool matmul = h.kind == uint8_t(LayerKind::Matmul);
  // In place: NHWC pixels of C contiguous floats, kernel rows contiguous.
  if (!matmul && (h.dilationW == 1 || h.kernelW == 1) &&
      (h.channels == 1 ? s2 == 1 : s3 == 1 && s2 == h.channels))
    return runInPlace(h, b, static_cast<const float *>(input), s0, s1, r0, r1,
                      c0, cols, out, ldc, avx512);
  // Per-thread scratch, grown once: runs are many and small.
  thread_local std::vector<uint8_t> aBlock;
  const detail::ConvGeometry conv{
      h.k,         h.channels,  h.height,  h.width,  h.kernelH,
      h.kernelW,   h.strideH,   h.strideW, h.padTop, h.padLeft,
      h.dilationH, h.dilationW, h.outH,    h.outW};
  for (int64_t r = r0; r < r1; r += kBlockRows) {
    const int64_t rows = std::min(kBlockRows, r1 - r);
    int64_t lda = 0;
    const auto *a = reinterpret_cast<const float *>(
        detail::packActivationRows(matmul ? nullptr : &conv, h.k, 4, 0,
                                   static_cast<const uint8_t *>(input), s0, s1,
                                   s2, s3, r, rows, aBlock, lda));
    multiplyRows(h, b, detail::FloatTileA{a, lda, 1, h.k, 0}, rows, c0, cols,
                 out + (r - r0) * ldc, ldc, avx512);
  }
}

/// Pooled rows [r0, r1) x columns [c0, c0 + cols) into out (row r0,
/// column c0; row stride N): per item, the unpooled rows the pooled ones
/// need into a scratch block, then the maximum over each window there
/// (windows may overlap).
void runPooled(const Header &h, const float *b, const void *input, int64_t s0,
               int64_t s1, int64_t s2, int64_t s3, int64_t r0, int64_t r1,
               int64_t c0, int64_t cols, float *out, bool avx512) {
  const int64_t pooledW = getPooledW(h), pixels = getPooledH(h) * pooledW;
  auto *windowMax =
      avx512 ? detail::floatWindowMaxAvx512 : detail::floatWindowMax;
  thread_local std::vector<float> conv;
  for (int64_t r = r0; r < r1;) {
    const int64_t item = r / pixels, p0 = r % pixels;
    const int64_t p1 = std::min(pixels, p0 + (r1 - r));
    const int64_t y0 = p0 / pooledW * h.poolStrideH;
    const int64_t y1 = (p1 - 1) / pooledW * h.poolStrideH + h.poolH;
    conv.resize(size_t((y1 - y0) * h.outW * cols));
    const int64_t first = (item * h.outH + y0) * h.outW;
    runRows(h, b, input, s0, s1, s2, s3, first, first + (y1 - y0) * h.outW, c0,
            cols, conv.data(), cols, avx512);
    // Per pooled row, its pixels in one call.
    for (int64_t p = p0; p < p1;) {
      const int64_t end = std::min(p1, (p / pooledW + 1) * pooledW);
      const int64_t y = p / pooledW * h.poolStrideH - y0;
      const int64_t x = p % pooledW * h.poolStrideW;
      const detail::FloatPool pool{end - p,
                                   h.poolStrideW * cols,
                                   h.outW * cols,
                                   cols,
                                   h.poolH,
                                   h.poolW,
                                   cols,
                                   h.poolInit,
                                   h.n};
      windowMax(pool, conv.data() + (y * h.outW + x) * cols,
                out + (r - r0 + p - p0) * h.n);
      p = end;
    }
    r += p1 - p0;
  }
}

} // namespace

void detail::floatWindowMax(const FloatPool &pool, const float *window,
                            float *out) {
  for (int64_t p = 0; p < pool.pixels; ++p)
    for (int64_t j = 0; j < pool.cols; ++j) {
      float m = pool.init;
      for (int64_t i = 0; i < pool.poolH; ++i)
        for (int64_t t = 0; t < pool.poolW; ++t)
          m = maximumf(m, window[p * pool.pixelStep + i * pool.rowStep +
                                 t * pool.columnStep + j]);
      out[p * pool.outStep + j] = m;
    }
}

} // namespace mlir::qnt::kernels

using namespace mlir::qnt::kernels;

extern "C" void quant_float_layer_run(const uint8_t *blob, const void *input,
                                      int64_t s0, int64_t s1, int64_t s2,
                                      int64_t s3, int64_t batch,
                                      int64_t rowBegin, int64_t rowEnd,
                                      int64_t colBegin, int64_t colEnd,
                                      void *output) {
  Header h;
  std::memcpy(&h, blob, sizeof(h));
  if (h.magic != kMagic || h.version != kVersion)
    return;
  const bool matmul = h.kind == uint8_t(LayerKind::Matmul);
  const bool pooled = isPooled(h);
  const int64_t pixels =
      pooled ? getPooledH(h) * getPooledW(h) : h.outH * h.outW;
  rowEnd = std::min(rowEnd, matmul ? batch : batch * pixels);
  colEnd = std::min(colEnd, h.n);
  if (rowBegin >= rowEnd || colBegin >= colEnd)
    return;
  const float *b = reinterpret_cast<const float *>(blob + kHeaderBytes);
  float *out = static_cast<float *>(output) + rowBegin * h.n + colBegin;
  const int64_t cols = colEnd - colBegin;
  const bool avx512 = cpuHasAvx512Fma();
  if (pooled)
    return runPooled(h, b, input, s0, s1, s2, s3, rowBegin, rowEnd, colBegin,
                     cols, out, avx512);
  runRows(h, b, input, s0, s1, s2, s3, rowBegin, rowEnd, colBegin, cols, out,
          h.n, avx512);
}
