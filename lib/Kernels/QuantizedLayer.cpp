//===- QuantizedLayer.cpp - Compiled int8 matmul and conv layers ----------===//
//
// The blob is a fixed header followed by 64-byte aligned sections: packed
// weights (Int8Gemm's panels), column sums, weight zero points, bias and the
// per-channel multipliers, each padded to whole panels so that a column
// range starting at a panel boundary indexes them directly. A run packs up
// to kBlockRows rows of activations, multiplies them into an i32 block that
// stays in cache and requantizes that block into the output.
//
//===----------------------------------------------------------------------===//

#include "quant/Kernels/QuantizedLayer.h"

#include "quant/Kernels/Int8Gemm.h"
#include "quant/Support/QuantMath.h"

#include <algorithm>
#include <cstring>

namespace mlir::qnt::kernels {
namespace {

constexpr uint32_t kMagic = 0x52594c51; // "QLYR"
constexpr uint32_t kVersion = 1;
constexpr int64_t kHeaderBytes = 256;

/// Rows of activations packed and multiplied per step: a multiple of the
/// VNNI tile (6) and the AMX block (32).
constexpr int64_t kBlockRows = 96;

struct Header {
  uint32_t magic, version;
  uint8_t kind, inputSigned, output, rescale;
  uint8_t hasWeightZeroPoints, hasBias, reserved[2];
  int32_t inputZeroPoint, outputZeroPoint, clampMin, clampMax;
  int64_t k, n;
  int64_t channels, height, width, kernelH, kernelW, strideH, strideW;
  int64_t padTop, padLeft, dilationH, dilationW, outH, outW;
  /// Byte offsets of the sections from the start of the blob.
  int64_t packed, colSums, weightZeroPoints, bias, floatMultipliers,
      fixedMultipliers, shifts;
};
static_assert(sizeof(Header) <= kHeaderBytes, "header outgrew its slot");

int64_t alignTo64(int64_t x) { return (x + 63) / 64 * 64; }

Header readHeader(const uint8_t *blob) {
  Header h;
  std::memcpy(&h, blob, sizeof(h));
  return h;
}

template <typename T> const T *section(const uint8_t *blob, int64_t offset) {
  return reinterpret_cast<const T *>(blob + offset);
}

/// im2col of output rows [r0, r0 + rows) into `out` (rows x K): the input
/// pixels each output pixel reads, the input zero point where it reads
/// padding.
void im2col(const Header &h, const uint8_t *in, int64_t s0, int64_t s1,
            int64_t s2, int64_t s3, int64_t r0, int64_t rows, uint8_t *out) {
  const int64_t pixels = h.outH * h.outW;
  const uint8_t pad = uint8_t(h.inputZeroPoint);
  const bool nchw = h.kind == uint8_t(LayerKind::Conv2dNchw);
  for (int64_t r = 0; r < rows; ++r, out += h.k) {
    int64_t item = (r0 + r) / pixels, p = (r0 + r) % pixels;
    int64_t y0 = (p / h.outW) * h.strideH - h.padTop;
    int64_t x0 = (p % h.outW) * h.strideW - h.padLeft;
    const uint8_t *base = in + item * s0;
    for (int64_t i = 0; i < h.kernelH; ++i) {
      int64_t y = y0 + i * h.dilationH;
      bool rowInside = y >= 0 && y < h.height;
      for (int64_t j = 0; j < h.kernelW; ++j) {
        int64_t x = x0 + j * h.dilationW;
        bool inside = rowInside && x >= 0 && x < h.width;
        if (nchw) {
          // k = (c * KH + i) * KW + j
          uint8_t *dst = out + i * h.kernelW + j;
          const uint8_t *src = base + y * s2 + x * s3;
          for (int64_t c = 0; c < h.channels; ++c)
            dst[c * h.kernelH * h.kernelW] = inside ? src[c * s1] : pad;
        } else {
          // k = (i * KW + j) * C + c
          uint8_t *dst = out + (i * h.kernelW + j) * h.channels;
          const uint8_t *src = base + y * s1 + x * s2;
          if (!inside)
            std::memset(dst, pad, size_t(h.channels));
          else if (s3 == 1)
            std::memcpy(dst, src, size_t(h.channels));
          else
            for (int64_t c = 0; c < h.channels; ++c)
              dst[c] = src[c * s3];
        }
      }
    }
  }
}

/// Writes acc (rows x cols, row-major) plus bias, requantized, to the
/// output elements (r0 + r, c0 + j).
template <typename T>
void requantizeBlock(const Header &h, const uint8_t *blob, const int32_t *acc,
                     int64_t r0, int64_t rows, int64_t c0, int64_t cols,
                     void *output) {
  const int32_t *bias =
      h.hasBias ? section<int32_t>(blob, h.bias) + c0 : nullptr;
  const float *fm = section<float>(blob, h.floatMultipliers) + c0;
  const int32_t *qm = section<int32_t>(blob, h.fixedMultipliers) + c0;
  const int32_t *qs = section<int32_t>(blob, h.shifts) + c0;
  const int64_t lo = h.clampMin, hi = h.clampMax, zp = h.outputZeroPoint;
  // Matmul and NHWC outputs are [rows, N]; NCHW is [batch, N, pixels].
  const bool nchw = h.kind == uint8_t(LayerKind::Conv2dNchw);
  const int64_t pixels = h.outH * h.outW;
  const int64_t colStride = nchw ? pixels : 1;
  T *out = static_cast<T *>(output);
  for (int64_t r = 0; r < rows; ++r) {
    int64_t row = r0 + r;
    T *dst = out +
             (nchw ? (row / pixels) * h.n * pixels + row % pixels : row * h.n) +
             c0 * colStride;
    const int32_t *a = acc + r * cols;
    if (h.output == uint8_t(LayerOutput::I32)) {
      for (int64_t j = 0; j < cols; ++j)
        dst[j * colStride] =
            T(int32_t(uint32_t(a[j]) + uint32_t(bias ? bias[j] : 0)));
      continue;
    }
    if (h.rescale == uint8_t(LayerRescale::Float)) {
      for (int64_t j = 0; j < cols; ++j) {
        int64_t sum = int64_t(a[j]) + (bias ? bias[j] : 0);
        float v = __builtin_roundevenf(float(sum) * fm[j]);
        v = std::min(std::max(v, -0x1p62f), 0x1p62f);
        int64_t q = int64_t(v) + zp;
        dst[j * colStride] = T(std::min(std::max(q, lo), hi));
      }
    } else {
      for (int64_t j = 0; j < cols; ++j) {
        int64_t sum = int64_t(a[j]) + (bias ? bias[j] : 0);
        sum = std::min<int64_t>(std::max<int64_t>(sum, INT32_MIN), INT32_MAX);
        int64_t q =
            int64_t(qmath::applyScale32(int32_t(sum), qm[j], qs[j])) + zp;
        dst[j * colStride] = T(std::min(std::max(q, lo), hi));
      }
    }
  }
}

} // namespace

std::vector<uint8_t> packLayer(const LayerSpec &spec, std::string &error) {
  const int64_t k = spec.k, n = spec.n;
  auto fail = [&](const char *message) {
    error = message;
    return std::vector<uint8_t>();
  };
  if (k <= 0 || n <= 0 || int64_t(spec.weights.size()) != k * n)
    return fail("weights are not K x N");
  if (!spec.weightZeroPoints.empty() &&
      int64_t(spec.weightZeroPoints.size()) != n)
    return fail("weight zero points are not per output channel");
  if (!spec.bias.empty() && int64_t(spec.bias.size()) != n)
    return fail("bias is not per output channel");
  if (spec.output != LayerOutput::I32) {
    if (spec.rescale == LayerRescale::Float &&
        int64_t(spec.floatMultipliers.size()) != n)
      return fail("float multipliers are not per output channel");
    if (spec.rescale == LayerRescale::Integer &&
        (int64_t(spec.fixedMultipliers.size()) != n ||
         int64_t(spec.shifts.size()) != n))
      return fail("fixed-point multipliers are not per output channel");
    for (int32_t shift : spec.shifts)
      if (shift < 1 || shift > 62)
        return fail("a shift is outside [1, 62]");
  }
  if (spec.kind != LayerKind::Matmul &&
      (spec.channels * spec.kernelH * spec.kernelW != k || spec.outH <= 0 ||
       spec.outW <= 0))
    return fail("convolution geometry does not match K");

  Header h;
  std::memset(&h, 0, sizeof(h));
  h.magic = kMagic;
  h.version = kVersion;
  h.kind = uint8_t(spec.kind);
  h.inputSigned = spec.inputSigned;
  h.output = uint8_t(spec.output);
  h.rescale = uint8_t(spec.rescale);
  h.hasWeightZeroPoints =
      std::any_of(spec.weightZeroPoints.begin(), spec.weightZeroPoints.end(),
                  [](int32_t zp) { return zp != 0; });
  h.hasBias = !spec.bias.empty();
  h.inputZeroPoint = spec.inputZeroPoint;
  h.outputZeroPoint = spec.outputZeroPoint;
  h.clampMin = spec.clampMin;
  h.clampMax = spec.clampMax;
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

  const int64_t np = PackedView{nullptr, nullptr, k, n}.nPadded();
  const int64_t table = alignTo64(np * 4);
  int64_t offset = kHeaderBytes;
  auto place = [&](int64_t bytes) {
    int64_t at = offset;
    offset = alignTo64(offset + bytes);
    return at;
  };
  h.packed = place(getPackedSize(k, n));
  h.colSums = place(table);
  h.weightZeroPoints = place(table);
  h.bias = place(table);
  h.floatMultipliers = place(table);
  h.fixedMultipliers = place(table);
  h.shifts = place(table);

  std::vector<uint8_t> blob(size_t(offset), 0);
  std::memcpy(blob.data(), &h, sizeof(h));
  // The packer wants aligned memory; the blob's own alignment is the
  // caller's business, so pack into a scratch copy first.
  std::vector<int64_t> scratch(size_t(alignTo64(getPackedSize(k, n)) / 8));
  std::vector<int32_t> colSums(static_cast<size_t>(np), 0);
  packWeightsInto(spec.weights.data(), k, n, n,
                  reinterpret_cast<int8_t *>(scratch.data()), colSums.data());
  std::memcpy(blob.data() + h.packed, scratch.data(),
              size_t(getPackedSize(k, n)));
  auto put = [&](int64_t at, const void *data, size_t bytes) {
    if (bytes)
      std::memcpy(blob.data() + at, data, bytes);
  };
  put(h.colSums, colSums.data(), colSums.size() * 4);
  put(h.weightZeroPoints, spec.weightZeroPoints.data(),
      spec.weightZeroPoints.size() * 4);
  put(h.bias, spec.bias.data(), spec.bias.size() * 4);
  put(h.floatMultipliers, spec.floatMultipliers.data(),
      spec.floatMultipliers.size() * 4);
  put(h.fixedMultipliers, spec.fixedMultipliers.data(),
      spec.fixedMultipliers.size() * 4);
  put(h.shifts, spec.shifts.data(), spec.shifts.size() * 4);
  return blob;
}

int64_t getLayerRows(const uint8_t *blob, int64_t batch) {
  Header h = readHeader(blob);
  return h.kind == uint8_t(LayerKind::Matmul) ? batch : batch * h.outH * h.outW;
}

} // namespace mlir::qnt::kernels

using namespace mlir::qnt::kernels;

extern "C" void quant_layer_run(const uint8_t *blob, const void *input,
                                int64_t s0, int64_t s1, int64_t s2, int64_t s3,
                                int64_t batch, int64_t rowBegin, int64_t rowEnd,
                                int64_t colBegin, int64_t colEnd,
                                void *output) {
  const Header h = readHeader(blob);
  if (h.magic != kMagic || h.version != kVersion)
    return;
  rowEnd = std::min(rowEnd, getLayerRows(blob, batch));
  colEnd = std::min(colEnd, h.n);
  if (rowBegin >= rowEnd || colBegin >= colEnd)
    return;
  const PackedView weights =
      PackedView{section<int8_t>(blob, h.packed),
                 section<int32_t>(blob, h.colSums), h.k, h.n}
          .columns(colBegin, colEnd);
  const int32_t *zpB =
      h.hasWeightZeroPoints
          ? section<int32_t>(blob, h.weightZeroPoints) + colBegin
          : nullptr;
  const int64_t cols = colEnd - colBegin;
  const auto *in = static_cast<const uint8_t *>(input);
  // Per-thread scratch, grown once: runs are many and small.
  thread_local std::vector<uint8_t> aBlock;
  thread_local std::vector<int32_t> accBlock;
  const bool matmul = h.kind == uint8_t(LayerKind::Matmul);
  if (!matmul || s1 != 1)
    aBlock.resize(size_t(kBlockRows * h.k));
  accBlock.resize(size_t(kBlockRows * cols));

  for (int64_t r0 = rowBegin; r0 < rowEnd; r0 += kBlockRows) {
    const int64_t rows = std::min(kBlockRows, rowEnd - r0);
    const uint8_t *a = aBlock.data();
    int64_t lda = h.k;
    if (matmul && s1 == 1) {
      a = in + r0 * s0;
      lda = s0;
    } else if (matmul) {
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t q = 0; q < h.k; ++q)
          aBlock[size_t(r * h.k + q)] = in[(r0 + r) * s0 + q * s1];
    } else {
      im2col(h, in, s0, s1, s2, s3, r0, rows, aBlock.data());
    }
    if (h.inputSigned)
      gemmS8S8(reinterpret_cast<const int8_t *>(a), lda, rows, weights,
               h.inputZeroPoint, zpB, accBlock.data(), cols);
    else
      gemmU8S8(a, lda, rows, weights, h.inputZeroPoint, zpB, accBlock.data(),
               cols);
    switch (LayerOutput(h.output)) {
    case LayerOutput::I32:
      requantizeBlock<int32_t>(h, blob, accBlock.data(), r0, rows, colBegin,
                               cols, output);
      break;
    case LayerOutput::U8:
      requantizeBlock<uint8_t>(h, blob, accBlock.data(), r0, rows, colBegin,
                               cols, output);
      break;
    case LayerOutput::S8:
      requantizeBlock<int8_t>(h, blob, accBlock.data(), r0, rows, colBegin,
                              cols, output);
      break;
    }
  }
}
