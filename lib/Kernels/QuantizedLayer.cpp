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

#include "Int8GemmImpl.h"
#include "LayerBlocks.h"
#include "quant/Kernels/Int8Gemm.h"
#include "quant/Support/QuantMath.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace mlir::qnt::kernels {
namespace {

constexpr uint32_t kMagic = 0x52594c51; // "QLYR"
constexpr uint32_t kVersion = 3;
constexpr int64_t kHeaderBytes = 256;

/// Rows of activations packed and multiplied per step: a multiple of the
/// VNNI tile (6) and the AMX block (32).
constexpr int64_t kBlockRows = 96;

/// Layers with a shallower reduction run on VNNI even where AMX is there:
/// AMX steps K by 64 and sets up tiles per block, which shallow layers do
/// not amortize. On the bundled CNN (one core, batch 64, six alternating
/// runs of 100) its K = 144 layers on AMX gave 2.43 ms against 2.57 ms on
/// VNNI; its K = 9 and 16 layers take the per-row path below anyway.
constexpr int64_t kAmxMinDepth = 128;

struct Header {
  uint32_t magic, version;
  uint8_t kind, inputSigned, output, rescale;
  uint8_t hasWeightZeroPoints, hasBias;
  /// Every acc + bias lies within +-2^24: an i32 sum converts to f32
  /// exactly.
  uint8_t smallSums, reserved;
  int32_t inputZeroPoint, outputZeroPoint, clampMin, clampMax;
  int64_t k, n;
  int64_t channels, height, width, kernelH, kernelW, strideH, strideW;
  int64_t padTop, padLeft, dilationH, dilationW, outH, outW;
  /// Byte offsets of the sections from the start of the blob.
  int64_t packed, colSums, weightZeroPoints, bias, floatMultipliers,
      fixedMultipliers, shifts;
  /// The weights packed again with one kernel row per group of 4 k (K' =
  /// 4 * KH) for runSmallConv, or 0.
  int64_t rowPacked;
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

/// The float requantization of one row, in float arithmetic that vectorizes
/// and gives the bits of the reference (round_half_even, then + zp and the
/// clamp in integers): below 2^22 adding and subtracting 1.5 * 2^23 rounds
/// half to even exactly and the zero-point add and clamp are exact in f32;
/// from 2^22 on, either way saturates to the 8-bit range.
template <typename T>
[[gnu::always_inline]] inline void
requantizeRowFloat(const int32_t *acc, const int32_t *bias, const float *m,
                   float zp, float lo, float hi, int64_t cols, T *dst) {
  for (int64_t j = 0; j < cols; ++j) {
    float v = float(int64_t(acc[j]) + int64_t(bias[j])) * m[j];
    float r = std::fabs(v) < 0x1p22f ? (v + 0x1.8p23f) - 0x1.8p23f : v;
    r = std::min(std::max(r + zp, lo), hi);
    dst[j] = T(int32_t(r));
  }
}

/// Requantizes a rows x cols block of acc (row-major, ld = cols) into dst
/// (row stride ldDst).
template <typename T>
using BlockFn = void (*)(const int32_t *, int64_t, int64_t, const int32_t *,
                         const float *, float, float, float, T *, int64_t);

template <typename T>
void requantizeBlockPortable(const int32_t *acc, int64_t rows, int64_t cols,
                             const int32_t *bias, const float *m, float zp,
                             float lo, float hi, T *dst, int64_t ldDst) {
  for (int64_t r = 0; r < rows; ++r)
    requantizeRowFloat(acc + r * cols, bias, m, zp, lo, hi, cols,
                       dst + r * ldDst);
}

#if defined(__x86_64__) && defined(__GNUC__)
/// 16 columns at a time, their bias and multipliers loaded once for all
/// rows (layers here are often 16 channels wide, so per-row set-up would
/// dominate): the exact i64 sum acc + bias converted to f32 (vcvtqq2ps
/// rounds like the scalar conversion), vrndscaleps rounding half to even,
/// then the zero point and clamp as in requantizeRowFloat; the clamped
/// values fit the 8-bit result, so vpmovdb's truncation is exact. A last
/// partial group of columns is masked.
template <typename T, bool SmallSums>
[[gnu::target("avx512f,avx512dq,avx512bw,avx512vl")]] void
requantizeBlockAvx512(const int32_t *acc, int64_t rows, int64_t cols,
                      const int32_t *bias, const float *m, float zp, float lo,
                      float hi, T *dst, int64_t ldDst) {
  static_assert(sizeof(T) == 1, "8-bit results only");
  const __m512 vzp = _mm512_set1_ps(zp), vlo = _mm512_set1_ps(lo),
               vhi = _mm512_set1_ps(hi);
  for (int64_t j = 0; j < cols; j += 16) {
    const __mmask16 mask =
        cols - j >= 16 ? __mmask16(0xffff) : __mmask16((1u << (cols - j)) - 1);
    const __m512i b = _mm512_maskz_loadu_epi32(mask, bias + j);
    const __m512i bLo = _mm512_cvtepi32_epi64(_mm512_castsi512_si256(b));
    const __m512i bHi = _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(b, 1));
    const __m512 vm = _mm512_maskz_loadu_ps(mask, m + j);
    for (int64_t r = 0; r < rows; ++r) {
      __m512i a = _mm512_maskz_loadu_epi32(mask, acc + r * cols + j);
      __m512 v;
      if constexpr (SmallSums) {
        v = _mm512_cvtepi32_ps(_mm512_add_epi32(a, b));
      } else {
        __m512i sumLo = _mm512_add_epi64(
            _mm512_cvtepi32_epi64(_mm512_castsi512_si256(a)), bLo);
        __m512i sumHi = _mm512_add_epi64(
            _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(a, 1)), bHi);
        v = _mm512_insertf32x8(
            _mm512_castps256_ps512(_mm512_cvtepi64_ps(sumLo)),
            _mm512_cvtepi64_ps(sumHi), 1);
      }
      v = _mm512_mul_ps(v, vm);
      v = _mm512_roundscale_ps(v,
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      v = _mm512_min_ps(_mm512_max_ps(_mm512_add_ps(v, vzp), vlo), vhi);
      _mm_mask_storeu_epi8(dst + r * ldDst + j, mask,
                           _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(v)));
    }
  }
}
#endif

template <typename T> BlockFn<T> selectBlockFn(bool smallSums) {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool avx512 =
      __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
  if constexpr (sizeof(T) == 1)
    if (avx512)
      return smallSums ? requantizeBlockAvx512<T, true>
                       : requantizeBlockAvx512<T, false>;
#endif
  return requantizeBlockPortable<T>;
}

/// Up to kSmallDepth reductions (first convolutions: 3 x 3 over one or
/// three channels): per output row, each dword of activations is broadcast
/// against V packed 16-column panels and the sums are requantized in
/// registers, as requantizeBlockAvx512<T, true> does. A 6-row GEMM tile
/// would spend more on packing A, setting up and storing the i32 block than
/// on its few vpdpbusd. For u8 activations and weights without zero points,
/// whose sums fit f32 (smallSums).
constexpr int64_t kSmallDepth = 64;

/// Most kernel rows of a layer that runSmallConv reads in place.
constexpr int64_t kMaxDirectRows = 8;

/// Whether a layer may take the per-row paths, but for the CPU: u8 input,
/// no weight zero points, sums that fit f32 and the float requantization
/// to 8 bits.
bool isSmallDepthLayer(const Header &h) {
  return h.k <= kSmallDepth && !h.inputSigned && !h.hasWeightZeroPoints &&
         h.smallSums && h.rescale == uint8_t(LayerRescale::Float) &&
         h.output != uint8_t(LayerOutput::I32);
}

/// -zx * colSum[j] for `live` columns, in the wrapping arithmetic of the GEMM.
void smallDepthColTerm(const Header &h, const int32_t *colSums, int64_t live,
                       int32_t *out) {
  const uint32_t zx = uint32_t(h.inputZeroPoint);
  for (int64_t j = 0; j < live; ++j)
    out[j] = int32_t(0u - zx * uint32_t(colSums[j]));
}

#if defined(__x86_64__) && defined(__GNUC__)
/// What the per-row paths add to and do with V vectors of sums: the column
/// terms to start from, then bias, multiplier, rounding, zero point, clamp
/// and the 8-bit store of the live columns.
template <typename T, int V> struct SmallDepthEpilogue {
  __mmask16 mask[V];
  __m512i init[V], bias[V];
  __m512 m[V];
  __m512 zp, lo, hi;

  [[gnu::target("avx512f,avx512dq,avx512bw,avx512vl"), gnu::always_inline]]
  SmallDepthEpilogue(const int32_t *colTerm, const int32_t *b, const float *mu,
                     float zpF, float loF, float hiF, int64_t cols) {
    static_assert(sizeof(T) == 1, "8-bit results only");
    zp = _mm512_set1_ps(zpF), lo = _mm512_set1_ps(loF),
    hi = _mm512_set1_ps(hiF);
    for (int v = 0; v < V; ++v) {
      int64_t live = cols - 16 * v;
      mask[v] = live >= 16 ? __mmask16(0xffff) : __mmask16((1u << live) - 1);
      init[v] = _mm512_maskz_loadu_epi32(mask[v], colTerm + 16 * v);
      bias[v] = _mm512_maskz_loadu_epi32(mask[v], b + 16 * v);
      m[v] = _mm512_maskz_loadu_ps(mask[v], mu + 16 * v);
    }
  }

  [[gnu::target("avx512f,avx512dq,avx512bw,avx512vl"), gnu::always_inline]]
  void store(const __m512i *acc, T *dst) const {
    for (int v = 0; v < V; ++v) {
      __m512 f = _mm512_cvtepi32_ps(_mm512_add_epi32(acc[v], bias[v]));
      f = _mm512_mul_ps(f, m[v]);
      f = _mm512_roundscale_ps(f,
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      f = _mm512_min_ps(_mm512_max_ps(_mm512_add_ps(f, zp), lo), hi);
      _mm_mask_storeu_epi8(dst + 16 * v, mask[v],
                           _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(f)));
    }
  }
};

template <typename T, int V>
[[gnu::target("avx512f,avx512dq,avx512bw,avx512vl,avx512vnni")]] void
smallDepthPanel(const uint8_t *a, int64_t lda, int64_t rows,
                const int8_t *panel, int64_t groups, const int32_t *colTerm,
                const int32_t *bias, const float *m, float zp, float lo,
                float hi, int64_t cols, T *dst, int64_t ldDst) {
  const SmallDepthEpilogue<T, V> e(colTerm, bias, m, zp, lo, hi, cols);
  const int64_t panelBytes = groups * 64;
  for (int64_t r = 0; r < rows; ++r, a += lda, dst += ldDst) {
    __m512i acc[V];
    for (int v = 0; v < V; ++v)
      acc[v] = e.init[v];
    for (int64_t g = 0; g < groups; ++g) {
      int32_t word;
      std::memcpy(&word, a + 4 * g, 4);
      const __m512i av = _mm512_set1_epi32(word);
      for (int v = 0; v < V; ++v)
        acc[v] = _mm512_dpbusd_epi32(
            acc[v], av, _mm512_load_si512(panel + v * panelBytes + 64 * g));
    }
    e.store(acc, dst);
  }
}

/// Convolutions whose kernel rows are at most 4 bytes (KW * C <= 4: the
/// first layer of a grayscale model) read their activations in place: with
/// the weights packed one kernel row per group of 4 k (zero past KW * C),
/// group i of output pixel (oy, ox) is the dword at column ox * strideW of
/// input row oy * strideH - padTop + i * dilationH, from a copy of that row
/// padded with the zero point on both sides. No im2col: a pixel costs KH
/// broadcasts and KH * V vpdpbusd before its requantization.
/// Pixels [0, count) of one output row, from the padded kernel rows `rows`
/// (KH of them; KH = 0: g.kernelH, not fixed at compile time).
template <typename T, int V, int KH>
[[gnu::target("avx512f,avx512dq,avx512bw,avx512vl,avx512vnni"),
  gnu::always_inline]] inline void
smallConvPixels(const SmallDepthEpilogue<T, V> &e, const uint8_t *const *rows,
                int64_t kernelH, int64_t step, int64_t count,
                const int8_t *panel, int64_t panelBytes, T *dst,
                int64_t ldDst) {
  const int64_t kh = KH > 0 ? KH : kernelH;
  for (int64_t j = 0; j < count; ++j, dst += ldDst) {
    __m512i acc[V];
    for (int v = 0; v < V; ++v)
      acc[v] = e.init[v];
    for (int64_t i = 0; i < kh; ++i) {
      int32_t word;
      std::memcpy(&word, rows[i] + j * step, 4);
      const __m512i av = _mm512_set1_epi32(word);
      for (int v = 0; v < V; ++v)
        acc[v] = _mm512_dpbusd_epi32(
            acc[v], av, _mm512_load_si512(panel + v * panelBytes + 64 * i));
    }
    e.store(acc, dst);
  }
}

template <typename T, int V>
[[gnu::target("avx512f,avx512dq,avx512bw,avx512vl,avx512vnni")]] void
smallConvPanel(const detail::ConvGeometry &g, const uint8_t *in, int64_t s0,
               int64_t s1, uint8_t pad, int64_t r0, int64_t rows,
               const int8_t *panel, const int32_t *colTerm, const int32_t *bias,
               const float *m, float zp, float lo, float hi, int64_t cols,
               T *dst, int64_t ldDst) {
  const SmallDepthEpilogue<T, V> e(colTerm, bias, m, zp, lo, hi, cols);
  const int64_t panelBytes = g.kernelH * 64;
  const int64_t rowBytes = g.width * g.channels;
  const int64_t step = g.strideW * g.channels;
  // Padded copies of the kernel rows of one output row: padLeft pixels of
  // zero point, the row, then zero point up to the last dword read.
  const int64_t padded =
      (g.padLeft + (g.outW - 1) * g.strideW) * g.channels + 4 + rowBytes;
  thread_local std::vector<uint8_t> buffer;
  buffer.resize(size_t(g.kernelH * padded));
  const uint8_t *kernelRows[kMaxDirectRows];
  int64_t item = r0 / (g.outH * g.outW), p = r0 % (g.outH * g.outW);
  int64_t oy = p / g.outW, ox = p % g.outW;
  // Per output row: its kernel rows (library calls), then its pixels in a
  // loop without calls, which keeps the epilogue's constants in registers.
  for (int64_t r = 0; r < rows;) {
    for (int64_t i = 0; i < g.kernelH; ++i) {
      uint8_t *row = buffer.data() + i * padded;
      std::memset(row, pad, size_t(padded));
      const int64_t y = oy * g.strideH - g.padTop + i * g.dilationH;
      if (y >= 0 && y < g.height)
        std::memcpy(row + g.padLeft * g.channels, in + item * s0 + y * s1,
                    size_t(rowBytes));
      kernelRows[i] = row + ox * step;
    }
    const int64_t count = std::min(rows - r, g.outW - ox);
    if (g.kernelH == 3)
      smallConvPixels<T, V, 3>(e, kernelRows, 3, step, count, panel, panelBytes,
                               dst, ldDst);
    else
      smallConvPixels<T, V, 0>(e, kernelRows, g.kernelH, step, count, panel,
                               panelBytes, dst, ldDst);
    r += count;
    dst += count * ldDst;
    ox += count;
    if (ox == g.outW) {
      ox = 0;
      if (++oy == g.outH) {
        oy = 0;
        ++item;
      }
    }
  }
}

/// Runs rows [r0, r0 + rows) x columns [c0, c0 + cols) of a layer with a
/// kernel-row packing (Header::rowPacked) by smallConvPanel, reading the
/// NHWC input (element strides s0, s1, s2, s3) in place; returns false,
/// having written nothing, when the layer or the input does not qualify.
template <typename T>
bool runSmallConv(const Header &h, const uint8_t *blob, const uint8_t *in,
                  int64_t s0, int64_t s1, int64_t s2, int64_t s3, int64_t r0,
                  int64_t rows, int64_t c0, int64_t cols, void *output) {
  static const bool vnni = cpuHasVnni();
  // Pixels of C consecutive channels (one channel: any channel stride).
  if (!vnni || !h.rowPacked || !isSmallDepthLayer(h) ||
      (h.channels > 1 && s3 != 1) || s2 != h.channels)
    return false;
  const detail::ConvGeometry g{h.k,       h.channels, h.height,    h.width,
                               h.kernelH, h.kernelW,  h.strideH,   h.strideW,
                               h.padTop,  h.padLeft,  h.dilationH, h.dilationW,
                               h.outH,    h.outW};
  const int32_t *colSums = section<int32_t>(blob, h.colSums);
  T *out = static_cast<T *>(output) + r0 * h.n;
  constexpr int64_t width = 4 * kPanelWidth;
  for (int64_t p = c0; p < c0 + cols; p += width) {
    const int64_t live = std::min(width, c0 + cols - p);
    int32_t colTerm[width];
    smallDepthColTerm(h, colSums + p, live, colTerm);
    const int8_t *panel =
        section<int8_t>(blob, h.rowPacked) + p * 4 * h.kernelH;
    auto fn = live <= 16   ? smallConvPanel<T, 1>
              : live <= 32 ? smallConvPanel<T, 2>
              : live <= 48 ? smallConvPanel<T, 3>
                           : smallConvPanel<T, 4>;
    fn(g, in, s0, s1, uint8_t(h.inputZeroPoint), r0, rows, panel, colTerm,
       section<int32_t>(blob, h.bias) + p,
       section<float>(blob, h.floatMultipliers) + p, float(h.outputZeroPoint),
       float(h.clampMin), float(h.clampMax), live, out + p, h.n);
  }
  return true;
}

/// Runs rows [0, rows) x columns [c0, c0 + cols) of the layer with
/// smallDepthPanel, four panels at a time; returns false, having written
/// nothing, when the layer does not qualify.
template <typename T>
bool runSmallDepth(const Header &h, const uint8_t *blob, const uint8_t *a,
                   int64_t lda, bool paddedRows, int64_t r0, int64_t rows,
                   int64_t c0, int64_t cols, void *output) {
  static const bool vnni = cpuHasVnni();
  // Rows are read in whole dwords: an im2col block has slack after its last
  // row, rows read in place need K to be a multiple of 4.
  if (!vnni || !isSmallDepthLayer(h) || (!paddedRows && h.k % 4 != 0))
    return false;
  const PackedView weights{section<int8_t>(blob, h.packed),
                           section<int32_t>(blob, h.colSums), h.k, h.n};
  const int64_t groups = weights.kPadded() / 4;
  T *out = static_cast<T *>(output) + r0 * h.n;
  constexpr int64_t width = 4 * kPanelWidth;
  for (int64_t p = c0; p < c0 + cols; p += width) {
    const int64_t live = std::min(width, c0 + cols - p);
    int32_t colTerm[width];
    smallDepthColTerm(h, weights.colSums + p, live, colTerm);
    const int8_t *panel = weights.data + p * weights.kPadded();
    const int32_t *bias = section<int32_t>(blob, h.bias) + p;
    const float *m = section<float>(blob, h.floatMultipliers) + p;
    auto fn = live <= 16   ? smallDepthPanel<T, 1>
              : live <= 32 ? smallDepthPanel<T, 2>
              : live <= 48 ? smallDepthPanel<T, 3>
                           : smallDepthPanel<T, 4>;
    fn(a, lda, rows, panel, groups, colTerm, bias, m, float(h.outputZeroPoint),
       float(h.clampMin), float(h.clampMax), live, out + p, h.n);
  }
  return true;
}
#endif

/// Writes acc (rows x cols, row-major) plus bias, requantized, to the
/// output elements (r0 + r, c0 + j).
template <typename T>
void requantizeBlock(const Header &h, const uint8_t *blob, const int32_t *acc,
                     int64_t r0, int64_t rows, int64_t c0, int64_t cols,
                     void *output) {
  const int32_t *bias = section<int32_t>(blob, h.bias) + c0;
  const float *fm = section<float>(blob, h.floatMultipliers) + c0;
  const int32_t *qm = section<int32_t>(blob, h.fixedMultipliers) + c0;
  const int32_t *qs = section<int32_t>(blob, h.shifts) + c0;
  const int64_t lo = h.clampMin, hi = h.clampMax, zp = h.outputZeroPoint;
  T *block = static_cast<T *>(output) + r0 * h.n + c0;
  const int64_t ld = h.n;
  if (h.output != uint8_t(LayerOutput::I32) &&
      h.rescale == uint8_t(LayerRescale::Float)) {
    selectBlockFn<T>(h.smallSums)(acc, rows, cols, bias, fm, float(zp),
                                  float(lo), float(hi), block, ld);
  } else {
    for (int64_t r = 0; r < rows; ++r) {
      T *dst = block + r * ld;
      const int32_t *a = acc + r * cols;
      if (h.output == uint8_t(LayerOutput::I32)) {
        for (int64_t j = 0; j < cols; ++j)
          dst[j] = T(int32_t(uint32_t(a[j]) + uint32_t(bias[j])));
        continue;
      }
      for (int64_t j = 0; j < cols; ++j) {
        int64_t sum = int64_t(a[j]) + bias[j];
        sum = std::min<int64_t>(std::max<int64_t>(sum, INT32_MIN), INT32_MAX);
        int64_t q =
            int64_t(qmath::applyScale32(int32_t(sum), qm[j], qs[j])) + zp;
        dst[j] = T(std::min(std::max(q, lo), hi));
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
  // |acc| <= sum_k |x - zx| |w - zw| with |x - zx| <= 255.
  h.smallSums = true;
  for (int64_t col = 0; col < n; ++col) {
    int64_t zw = spec.weightZeroPoints.empty() ? 0 : spec.weightZeroPoints[col];
    int64_t bound = spec.bias.empty() ? 0 : std::abs(int64_t(spec.bias[col]));
    for (int64_t row = 0; row < k; ++row)
      bound += 255 * std::abs(int64_t(spec.weights[row * n + col]) - zw);
    if (bound >= (int64_t(1) << 24))
      h.smallSums = false;
  }
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
  // Per-channel tables hold N entries and only exist where they are read:
  // multipliers of the requantization mode in use, weight zero points when
  // one is nonzero. Column sums and the bias (zeros if absent) always do.
  const int64_t table = alignTo64(n * 4);
  const bool requantizes = spec.output != LayerOutput::I32;
  const bool floatMode = requantizes && spec.rescale == LayerRescale::Float;
  const bool integerMode = requantizes && !floatMode;
  int64_t offset = kHeaderBytes;
  auto place = [&](int64_t bytes) {
    int64_t at = offset;
    offset = alignTo64(offset + bytes);
    return at;
  };
  // The zero slack after the panels is for AMX tiles reading past the last
  // group; layers that never take AMX (k < kAmxMinDepth) do without it.
  const int64_t packedBytes =
      getPackedSize(k, n) - (k < kAmxMinDepth ? kPackSlack : 0);
  h.packed = place(packedBytes);
  h.colSums = place(table);
  h.weightZeroPoints = place(h.hasWeightZeroPoints ? table : 0);
  h.bias = place(table);
  h.floatMultipliers = place(floatMode ? table : 0);
  h.fixedMultipliers = place(integerMode ? table : 0);
  h.shifts = place(integerMode ? table : 0);
  // Kernel rows of at most 4 bytes: the weights again, one kernel row per
  // group of 4 k, for runSmallConv.
  const int64_t kernelRow = spec.kernelW * spec.channels;
  const int64_t kRows = 4 * spec.kernelH;
  const bool rowPacking = spec.kind != LayerKind::Matmul && kernelRow <= 4 &&
                          (spec.dilationW == 1 || spec.kernelW == 1) &&
                          spec.kernelH <= kMaxDirectRows &&
                          isSmallDepthLayer(h);
  h.rowPacked = rowPacking ? place(getPackedSize(kRows, n) - kPackSlack) : 0;

  std::vector<uint8_t> blob(size_t(offset), 0);
  std::memcpy(blob.data(), &h, sizeof(h));
  // The packer wants aligned memory; the blob's own alignment is the
  // caller's business, so pack into a scratch copy first.
  std::vector<int64_t> scratch(size_t(alignTo64(getPackedSize(k, n)) / 8));
  std::vector<int32_t> colSums(static_cast<size_t>(np), 0);
  packWeightsInto(spec.weights.data(), k, n, n,
                  reinterpret_cast<int8_t *>(scratch.data()), colSums.data());
  std::memcpy(blob.data() + h.packed, scratch.data(), size_t(packedBytes));
  if (rowPacking) {
    std::vector<int8_t> rows(size_t(kRows * n), 0);
    for (int64_t i = 0; i < spec.kernelH; ++i)
      std::memcpy(rows.data() + 4 * i * n,
                  spec.weights.data() + i * kernelRow * n,
                  size_t(kernelRow * n));
    std::vector<int64_t> packed(size_t(alignTo64(getPackedSize(kRows, n)) / 8));
    std::vector<int32_t> sums(static_cast<size_t>(np));
    packWeightsInto(rows.data(), kRows, n, n,
                    reinterpret_cast<int8_t *>(packed.data()), sums.data());
    std::memcpy(blob.data() + h.rowPacked, packed.data(),
                size_t(getPackedSize(kRows, n) - kPackSlack));
  }
  auto put = [&](int64_t at, const void *data, size_t bytes) {
    if (bytes)
      std::memcpy(blob.data() + at, data, bytes);
  };
  put(h.colSums, colSums.data(), size_t(n) * 4);
  if (h.hasWeightZeroPoints)
    put(h.weightZeroPoints, spec.weightZeroPoints.data(), size_t(n) * 4);
  put(h.bias, spec.bias.data(), spec.bias.size() * 4);
  if (floatMode)
    put(h.floatMultipliers, spec.floatMultipliers.data(), size_t(n) * 4);
  if (integerMode) {
    put(h.fixedMultipliers, spec.fixedMultipliers.data(), size_t(n) * 4);
    put(h.shifts, spec.shifts.data(), size_t(n) * 4);
  }
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
  const bool matmul = h.kind == uint8_t(LayerKind::Matmul);
  GemmOptions options;
  if (h.k < kAmxMinDepth)
    options.path = GemmPath::Vnni;
  auto *acc =
      reinterpret_cast<int32_t *>(detail::getScratch<detail::Scratch::LayerAcc>(
          size_t(kBlockRows * cols) * sizeof(int32_t)));
  if (!acc) // as the std::vector it replaces would
    throw std::bad_alloc();
  const detail::ConvGeometry conv{
      h.k,         h.channels,  h.height,  h.width,  h.kernelH,
      h.kernelW,   h.strideH,   h.strideW, h.padTop, h.padLeft,
      h.dilationH, h.dilationW, h.outH,    h.outW};

#if defined(__x86_64__) && defined(__GNUC__)
  if (h.output == uint8_t(LayerOutput::U8) &&
      runSmallConv<uint8_t>(h, blob, in, s0, s1, s2, s3, rowBegin,
                            rowEnd - rowBegin, colBegin, cols, output))
    return;
  if (h.output == uint8_t(LayerOutput::S8) &&
      runSmallConv<int8_t>(h, blob, in, s0, s1, s2, s3, rowBegin,
                           rowEnd - rowBegin, colBegin, cols, output))
    return;
#endif
  for (int64_t r0 = rowBegin; r0 < rowEnd; r0 += kBlockRows) {
    const int64_t rows = std::min(kBlockRows, rowEnd - r0);
    int64_t lda = 0;
    const uint8_t *a = detail::packActivationRows(
        matmul ? nullptr : &conv, h.k, 1, uint8_t(h.inputZeroPoint), in, s0, s1,
        s2, s3, r0, rows, aBlock, lda);
#if defined(__x86_64__) && defined(__GNUC__)
    const bool paddedRows = a == aBlock.data();
    if (h.output == uint8_t(LayerOutput::U8) &&
        runSmallDepth<uint8_t>(h, blob, a, lda, paddedRows, r0, rows, colBegin,
                               cols, output))
      continue;
    if (h.output == uint8_t(LayerOutput::S8) &&
        runSmallDepth<int8_t>(h, blob, a, lda, paddedRows, r0, rows, colBegin,
                              cols, output))
      continue;
#endif
    if (h.inputSigned)
      gemmS8S8(reinterpret_cast<const int8_t *>(a), lda, rows, weights,
               h.inputZeroPoint, zpB, acc, cols, options);
    else
      gemmU8S8(a, lda, rows, weights, h.inputZeroPoint, zpB, acc, cols,
               options);
    switch (LayerOutput(h.output)) {
    case LayerOutput::I32:
      requantizeBlock<int32_t>(h, blob, acc, r0, rows, colBegin, cols, output);
      break;
    case LayerOutput::U8:
      requantizeBlock<uint8_t>(h, blob, acc, r0, rows, colBegin, cols, output);
      break;
    case LayerOutput::S8:
      requantizeBlock<int8_t>(h, blob, acc, r0, rows, colBegin, cols, output);
      break;
    }
  }
}
