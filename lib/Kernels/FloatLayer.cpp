//===- FloatLayer.cpp - Compiled fp32 matmul and conv layers --------------===//
//
// The blob: a fixed header, then the weights in panels of 32 columns, each
// K rows of 32 floats (zero past N). A run packs up to kBlockRows rows of
// activations (im2col for convolutions), multiplies them panel by panel in
// 6-row tiles straight into the output.
//
//===----------------------------------------------------------------------===//

#include "quant/Kernels/FloatLayer.h"

#include "FloatLayerImpl.h"
#include "LayerBlocks.h"

#include <algorithm>
#include <cstring>

namespace mlir::qnt::kernels {
namespace {

constexpr uint32_t kMagic = 0x594c4651; // "QFLY"
constexpr uint32_t kVersion = 1;
constexpr int64_t kHeaderBytes = 256;
constexpr int64_t kBlockRows = 96;

struct Header {
  uint32_t magic, version;
  uint8_t kind, reserved[7];
  int64_t k, n;
  int64_t channels, height, width, kernelH, kernelW, strideH, strideW;
  int64_t padTop, padLeft, dilationH, dilationW, outH, outW;
};
static_assert(sizeof(Header) <= kHeaderBytes, "header outgrew its slot");

int64_t panels(int64_t n) {
  return (n + kFloatPanelWidth - 1) / kFloatPanelWidth;
}

bool cpuHasAvx512Fma() {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool has =
      __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
  return has;
#else
  return false;
#endif
}

/// The portable tile: the same order of sums as the AVX-512 one.
void tilePortable(const float *a, int64_t lda, int64_t rows, const float *b,
                  int64_t k, float *c, int64_t ldc, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    float acc[kFloatPanelWidth] = {};
    for (int64_t q = 0; q < k; ++q) {
      float av = a[r * lda + q];
      for (int64_t j = 0; j < kFloatPanelWidth; ++j)
        acc[j] += av * b[q * kFloatPanelWidth + j];
    }
    std::copy(acc, acc + cols, c + r * ldc);
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
  if (spec.kind != LayerKind::Matmul &&
      (spec.channels * spec.kernelH * spec.kernelW != k || spec.outH <= 0 ||
       spec.outW <= 0)) {
    error = "convolution geometry does not match K";
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
  std::vector<float> packed(size_t(panels(n) * k * kFloatPanelWidth), 0.0f);
  for (int64_t q = 0; q < k; ++q)
    for (int64_t j = 0; j < n; ++j)
      packed[size_t(((j / kFloatPanelWidth) * k + q) * kFloatPanelWidth +
                    j % kFloatPanelWidth)] = spec.weights[size_t(q * n + j)];
  std::vector<uint8_t> blob(size_t(kHeaderBytes) + packed.size() * 4);
  std::memcpy(blob.data(), &h, sizeof(h));
  std::memcpy(blob.data() + kHeaderBytes, packed.data(), packed.size() * 4);
  return blob;
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
  const int64_t pixels = h.outH * h.outW;
  rowEnd = std::min(rowEnd, matmul ? batch : batch * pixels);
  colEnd = std::min(colEnd, h.n);
  if (rowBegin >= rowEnd || colBegin >= colEnd)
    return;
  const float *b = reinterpret_cast<const float *>(blob + kHeaderBytes);
  float *out = static_cast<float *>(output);
  const int64_t cols = colEnd - colBegin;
  const bool avx512 = cpuHasAvx512Fma();
  // Per-thread scratch, grown once: runs are many and small.
  thread_local std::vector<uint8_t> aBlock;
  const detail::ConvGeometry conv{
      h.k,         h.channels,  h.height,  h.width,  h.kernelH,
      h.kernelW,   h.strideH,   h.strideW, h.padTop, h.padLeft,
      h.dilationH, h.dilationW, h.outH,    h.outW};

  for (int64_t r0 = rowBegin; r0 < rowEnd; r0 += kBlockRows) {
    const int64_t rows = std::min(kBlockRows, rowEnd - r0);
    int64_t lda = 0;
    const auto *a = reinterpret_cast<const float *>(
        detail::packActivationRows(matmul ? nullptr : &conv, h.k, 4, 0,
                                   static_cast<const uint8_t *>(input), s0, s1,
                                   s2, s3, r0, rows, aBlock, lda));
    float *c = out + r0 * h.n + colBegin;
    const int64_t ldc = h.n;
    for (int64_t j = 0; j < cols; j += kFloatPanelWidth) {
      const float *panel =
          b + ((colBegin + j) / kFloatPanelWidth) * h.k * kFloatPanelWidth;
      const int64_t width = std::min(kFloatPanelWidth, cols - j);
      const bool narrow = avx512 && width <= 16;
      const int64_t tileRows =
          narrow ? detail::kFloatNarrowTileRows : detail::kFloatTileRows;
      auto tileFn = !avx512  ? tilePortable
                    : narrow ? detail::floatTileAvx512Narrow
                             : detail::floatTileAvx512;
      for (int64_t r = 0; r < rows; r += tileRows)
        tileFn(a + r * lda, lda, std::min(tileRows, rows - r), panel, h.k,
               c + r * ldc + j, ldc, width);
    }
  }
}
