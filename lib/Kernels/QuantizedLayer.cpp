//===- QuantizedLayer.cpp - Compiled int8 matmul and conv layers ----------===//
//
// The blob is a fixed header followed by 64-byte aligned sections: packed
// weights (Int8Gemm's panels), column sums, weight zero points, bias and the
// per-channel multipliers, each padded to whole panels so that a column
// range starting at a panel boundary indexes them directly. A run packs up
// to kBlockRows rows of activations and multiplies them; on its last pass
// over K the VNNI microkernel requantizes float-mode layers straight into
// the output, other paths store an i32 block that stays in cache and is
// requantized from there. The per-row paths of RegisterPaths.cpp keep their
// sums in registers.
//
//===----------------------------------------------------------------------===//

#include "quant/Kernels/QuantizedLayer.h"

#include "Int8GemmImpl.h"
#include "LayerBlocks.h"
#include "LayerHeader.h"
#include "RequantizeAvx512.h"
#include "quant/Kernels/Int8Gemm.h"
#include "quant/Support/QuantMath.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace mlir::qnt::kernels {
using namespace detail;
namespace {

int64_t alignTo64(int64_t x) { return (x + 63) / 64 * 64; }

/// Rows of activations packed and multiplied per step: a multiple of the
/// VNNI tile (6) and the AMX block (32).
constexpr int64_t kBlockRows = 96;

/// Layers with a shallower reduction run on VNNI even where AMX is there:
/// AMX steps K by 64 and sets up tiles per block, which shallow layers do
/// not amortize. On the bundled CNN (one core, batch 64, six alternating
/// runs of 100), through im2col, its K = 144 layers on AMX gave 2.43 ms
/// against 2.57 ms on VNNI; all its convolutions now take runDirectConv.
constexpr int64_t kAmxMinDepth = 128;

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
/// dominate), each vector by requantize16; a last partial group of columns
/// is masked.
template <typename T, bool I32Sums>
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
    const RequantizeColumns columns(mask, bias + j, m + j);
    for (int64_t r = 0; r < rows; ++r) {
      __m512i a = _mm512_maskz_loadu_epi32(mask, acc + r * cols + j);
      _mm_mask_storeu_epi8(dst + r * ldDst + j, mask,
                           requantize16<I32Sums>(a, columns, vzp, vlo, vhi));
    }
  }
}

/// requantizeBlockAvx512 on 8 columns, for sums + bias that fit i32 (AVX2
/// has no i64 to f32 conversion): vroundps rounds half to even like
/// vrndscaleps, and a byte shuffle keeps the low byte of each clamped lane.
template <typename T>
[[gnu::target("avx2")]] void
requantizeBlockAvx2(const int32_t *acc, int64_t rows, int64_t cols,
                    const int32_t *bias, const float *m, float zp, float lo,
                    float hi, T *dst, int64_t ldDst) {
  static_assert(sizeof(T) == 1, "8-bit results only");
  const __m256 vzp = _mm256_set1_ps(zp), vlo = _mm256_set1_ps(lo),
               vhi = _mm256_set1_ps(hi);
  // Byte 0 of each dword to the first 4 bytes of each 128-bit half, then
  // the halves' first dwords together.
  const __m256i lowBytes = _mm256_setr_epi8(
      0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 4, 8, 12,
      -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  const __m256i halves = _mm256_setr_epi32(0, 4, 0, 0, 0, 0, 0, 0);
  for (int64_t j = 0; j < cols; j += 8) {
    const int64_t live = std::min<int64_t>(8, cols - j);
    const __m256i mask =
        _mm256_cmpgt_epi32(_mm256_set1_epi32(int32_t(live)),
                           _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    const __m256i b = _mm256_maskload_epi32(bias + j, mask);
    const __m256 vm = _mm256_maskload_ps(m + j, mask);
    for (int64_t r = 0; r < rows; ++r) {
      const int32_t *row = acc + r * cols + j;
      __m256i a =
          live == 8 ? _mm256_loadu_si256(reinterpret_cast<const __m256i *>(row))
                    : _mm256_maskload_epi32(row, mask);
      __m256 v = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(a, b)), vm);
      v = _mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      v = _mm256_min_ps(_mm256_max_ps(_mm256_add_ps(v, vzp), vlo), vhi);
      __m256i bytes = _mm256_permutevar8x32_epi32(
          _mm256_shuffle_epi8(_mm256_cvttps_epi32(v), lowBytes), halves);
      if (live == 8) {
        _mm_storel_epi64(reinterpret_cast<__m128i *>(dst + r * ldDst + j),
                         _mm256_castsi256_si128(bytes));
        continue;
      }
      int64_t packed = _mm_cvtsi128_si64(_mm256_castsi256_si128(bytes));
      std::memcpy(dst + r * ldDst + j, &packed, size_t(live));
    }
  }
}
#endif

template <typename T> BlockFn<T> selectBlockFn(bool i32Sums) {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool avx512 =
      isCpuIsaAllowed(CpuIsa::Avx512) && __builtin_cpu_supports("avx512f") &&
      __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
  if constexpr (sizeof(T) == 1) {
    if (avx512)
      return i32Sums ? requantizeBlockAvx512<T, true>
                     : requantizeBlockAvx512<T, false>;
    if (i32Sums && cpuHasAvx2())
      return requantizeBlockAvx2<T>;
  }
#endif
  return requantizeBlockPortable<T>;
}

/// Writes acc (rows x cols, row-major) plus bias, requantized, to the
/// output elements (r, c0 + j) of dst (row stride N).
template <typename T>
void requantizeBlock(const Header &h, const uint8_t *blob, const int32_t *acc,
                     int64_t rows, int64_t c0, int64_t cols, void *dst) {
  const int32_t *bias = section<int32_t>(blob, h.bias) + c0;
  const float *fm = section<float>(blob, h.floatMultipliers) + c0;
  const int32_t *qm = section<int32_t>(blob, h.fixedMultipliers) + c0;
  const int32_t *qs = section<int32_t>(blob, h.shifts) + c0;
  const int64_t lo = h.clampMin, hi = h.clampMax, zp = h.outputZeroPoint;
  T *block = static_cast<T *>(dst) + c0;
  const int64_t ld = h.n;
  if (h.output != uint8_t(LayerOutput::I32) &&
      h.rescale == uint8_t(LayerRescale::Float)) {
    selectBlockFn<T>(h.i32Sums)(acc, rows, cols, bias, fm, float(zp), float(lo),
                                float(hi), block, ld);
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

/// requantizeBlock for the layer's output type.
void requantizeRows(const Header &h, const uint8_t *blob, const int32_t *acc,
                    int64_t rows, int64_t c0, int64_t cols, void *dst) {
  switch (LayerOutput(h.output)) {
  case LayerOutput::I32:
    return requantizeBlock<int32_t>(h, blob, acc, rows, c0, cols, dst);
  case LayerOutput::U8:
    return requantizeBlock<uint8_t>(h, blob, acc, rows, c0, cols, dst);
  case LayerOutput::S8:
    return requantizeBlock<int8_t>(h, blob, acc, rows, c0, cols, dst);
  }
}

int64_t getElementBytes(const Header &h) {
  return h.output == uint8_t(LayerOutput::I32) ? 4 : 1;
}

/// One tap of a depthwise layer over `cols` channels: acc[j] += (x[j * s3]
/// - zx) * (w[j] - zw[j]), in wrapping i32 arithmetic as the generic loops'.
/// The channels are the inner loop, so that the compiler vectorizes it where
/// they are contiguous.
template <typename X>
[[gnu::always_inline]] inline void
depthwiseTap(const uint8_t *x, int64_t s3, const int32_t *w, const int32_t *zw,
             int32_t zx, int64_t cols, uint32_t *acc) {
  const auto *xs = reinterpret_cast<const X *>(x);
  if (s3 == 1) {
    for (int64_t j = 0; j < cols; ++j)
      acc[j] += uint32_t(int32_t(xs[j]) - zx) * uint32_t(w[j] - zw[j]);
    return;
  }
  for (int64_t j = 0; j < cols; ++j)
    acc[j] += uint32_t(int32_t(xs[j * s3]) - zx) * uint32_t(w[j] - zw[j]);
}

/// The i32 sums (bias not included) of output rows [r0, r0 + rows) x
/// columns [c0, c0 + cols) of a depthwise layer, row-major into acc, from
/// any input strides; `zeros` holds at least `cols` zeros.
template <typename X>
[[gnu::always_inline]] inline void
depthwiseSumsImpl(const Header &h, const uint8_t *blob, const uint8_t *in,
                  int64_t s0, int64_t s1, int64_t s2, int64_t s3, int64_t r0,
                  int64_t rows, int64_t c0, int64_t cols, const int32_t *zeros,
                  int32_t *acc) {
  const int64_t np = (h.n + 15) / 16 * 16, pixels = h.outH * h.outW;
  const int32_t *weights = section<int32_t>(blob, h.packed) + c0;
  const int32_t *zpW = h.hasWeightZeroPoints
                           ? section<int32_t>(blob, h.weightZeroPoints) + c0
                           : zeros;
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t item = (r0 + r) / pixels, p = (r0 + r) % pixels;
    const int64_t oy = p / h.outW, ox = p % h.outW;
    auto *sums = reinterpret_cast<uint32_t *>(acc + r * cols);
    std::fill(sums, sums + cols, 0u);
    for (int64_t i = 0; i < h.kernelH; ++i) {
      const int64_t y = oy * h.strideH - h.padTop + i * h.dilationH;
      if (y < 0 || y >= h.height)
        continue; // the zero point: (zx - zx) * w
      for (int64_t t = 0; t < h.kernelW; ++t) {
        const int64_t x = ox * h.strideW - h.padLeft + t * h.dilationW;
        if (x < 0 || x >= h.width)
          continue;
        depthwiseTap<X>(in + item * s0 + y * s1 + x * s2 + c0 * s3, s3,
                        weights + (i * h.kernelW + t) * np, zpW,
                        h.inputZeroPoint, cols, sums);
      }
    }
  }
}

template <typename X>
void depthwiseSumsPortable(const Header &h, const uint8_t *blob,
                           const uint8_t *in, int64_t s0, int64_t s1,
                           int64_t s2, int64_t s3, int64_t r0, int64_t rows,
                           int64_t c0, int64_t cols, const int32_t *zeros,
                           int32_t *acc) {
  depthwiseSumsImpl<X>(h, blob, in, s0, s1, s2, s3, r0, rows, c0, cols, zeros,
                       acc);
}

#if defined(__x86_64__) && defined(__GNUC__)
/// The same loops, vectorized for AVX2.
template <typename X>
[[gnu::target("avx2")]] void
depthwiseSumsAvx2(const Header &h, const uint8_t *blob, const uint8_t *in,
                  int64_t s0, int64_t s1, int64_t s2, int64_t s3, int64_t r0,
                  int64_t rows, int64_t c0, int64_t cols, const int32_t *zeros,
                  int32_t *acc) {
  depthwiseSumsImpl<X>(h, blob, in, s0, s1, s2, s3, r0, rows, c0, cols, zeros,
                       acc);
}
#endif

/// depthwiseSumsImpl for the input's signedness, on AVX2 where the CPU has
/// it.
void depthwiseSums(const Header &h, const uint8_t *blob, const uint8_t *in,
                   int64_t s0, int64_t s1, int64_t s2, int64_t s3, int64_t r0,
                   int64_t rows, int64_t c0, int64_t cols, int32_t *acc) {
  thread_local std::vector<int32_t> zeros;
  if (zeros.size() < size_t(cols))
    zeros.assign(size_t(cols), 0);
  auto *fn = h.inputSigned ? depthwiseSumsPortable<int8_t>
                           : depthwiseSumsPortable<uint8_t>;
#if defined(__x86_64__) && defined(__GNUC__)
  if (cpuHasAvx2())
    fn = h.inputSigned ? depthwiseSumsAvx2<int8_t> : depthwiseSumsAvx2<uint8_t>;
#endif
  fn(h, blob, in, s0, s1, s2, s3, r0, rows, c0, cols, zeros.data(), acc);
}

/// Output rows [r0, r0 + rows) x columns [c0, c0 + cols) of a layer without
/// a pool into dst (row r0, row stride N).
void runRows(const Header &h, const uint8_t *blob, const uint8_t *in,
             int64_t s0, int64_t s1, int64_t s2, int64_t s3, int64_t r0,
             int64_t rows, int64_t c0, int64_t cols, uint8_t *dst) {
  if (h.kind == uint8_t(LayerKind::DepthwiseNhwc)
          ? runDepthwise(h, blob, in, s0, s1, s2, s3, r0, rows, c0, cols, dst)
          : runDirectConv(h, blob, in, s0, s1, s2, s3, r0, rows, c0, cols,
                          dst))
    return;
  const PackedView weights =
      PackedView{section<int8_t>(blob, h.packed),
                 section<int32_t>(blob, h.colSums), h.k, h.n}
          .columns(c0, c0 + cols);
  const int32_t *zpB =
      h.hasWeightZeroPoints ? section<int32_t>(blob, h.weightZeroPoints) + c0
                            : nullptr;
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
  const int64_t rowBytes = h.n * getElementBytes(h);
  // Float requantization to 8 bits happens in the VNNI microkernel's
  // epilogue: the i32 block is then stored only between passes over K.
  const bool fused = h.output != uint8_t(LayerOutput::I32) &&
                     h.rescale == uint8_t(LayerRescale::Float);
  Requantize requant{section<int32_t>(blob, h.bias) + c0,
                     section<float>(blob, h.floatMultipliers) + c0,
                     float(h.outputZeroPoint),
                     float(h.clampMin),
                     float(h.clampMax),
                     bool(h.i32Sums),
                     nullptr,
                     h.n};
  for (int64_t r = r0; r < r0 + rows; r += kBlockRows) {
    const int64_t block = std::min(kBlockRows, r0 + rows - r);
    uint8_t *out = dst + (r - r0) * rowBytes;
    if (h.kind == uint8_t(LayerKind::DepthwiseNhwc)) {
      depthwiseSums(h, blob, in, s0, s1, s2, s3, r, block, c0, cols, acc);
      requantizeRows(h, blob, acc, block, c0, cols, out);
      continue;
    }
    int64_t lda = 0;
    const uint8_t *a = detail::packActivationRows(
        matmul ? nullptr : &conv, h.k, 1, uint8_t(h.inputZeroPoint), in, s0, s1,
        s2, s3, r, block, aBlock, lda);
    const bool paddedRows = a == aBlock.data();
    if (runSmallDepth(h, blob, a, lda, paddedRows, block, c0, cols, out))
      continue;
    if (fused) {
      requant.out = out + c0;
      if (gemmRequantized(a, lda, block, weights, h.inputZeroPoint, zpB, acc,
                          cols, options, h.inputSigned, requant))
        continue;
    } else if (h.inputSigned) {
      gemmS8S8(reinterpret_cast<const int8_t *>(a), lda, block, weights,
               h.inputZeroPoint, zpB, acc, cols, options);
    } else {
      gemmU8S8(a, lda, block, weights, h.inputZeroPoint, zpB, acc, cols,
               options);
    }
    requantizeRows(h, blob, acc, block, c0, cols, out);
  }
}

/// Pooled pixels [p0, p1) x columns [c0, c0 + cols) of one item into dst
/// (pixel p0, row stride N): the maximum over each window of the layer's
/// unpooled results `conv`, output rows y0 on (row-major, row stride N).
/// The channels are the inner loop, contiguous in both, so that the
/// compiler vectorizes it.
template <typename T>
void poolPixels(const Header &h, const uint8_t *conv, int64_t y0, int64_t p0,
                int64_t p1, int64_t c0, int64_t cols, uint8_t *dst) {
  const auto *in = reinterpret_cast<const T *>(conv) + c0;
  auto *out = reinterpret_cast<T *>(dst) + c0;
  const int64_t outW = getPooledW(h);
  for (int64_t p = p0; p < p1; ++p, out += h.n) {
    const int64_t y = p / outW * h.poolStrideH - y0;
    const int64_t x = p % outW * h.poolStrideW;
    std::fill(out, out + cols, std::numeric_limits<T>::lowest());
    for (int64_t i = 0; i < h.poolH; ++i)
      for (int64_t t = 0; t < h.poolW; ++t) {
        const T *window = in + ((y + i) * h.outW + x + t) * h.n;
        for (int64_t j = 0; j < cols; ++j)
          out[j] = std::max(out[j], window[j]);
      }
  }
}

/// Rows [r0, r0 + rows) x columns [c0, c0 + cols) of a layer with a pool
/// that runDirectConv does not take, into dst (row r0): per item, the
/// unpooled rows the pooled ones need (through runRows), then their pool.
void runPooledRows(const Header &h, const uint8_t *blob, const uint8_t *in,
                   int64_t s0, int64_t s1, int64_t s2, int64_t s3, int64_t r0,
                   int64_t rows, int64_t c0, int64_t cols, uint8_t *dst) {
  Header unpooled = h;
  unpooled.poolH = unpooled.poolW = unpooled.poolStrideH =
      unpooled.poolStrideW = 1;
  const int64_t outW = getPooledW(h), pixels = getPooledH(h) * outW;
  const int64_t rowBytes = h.n * getElementBytes(h);
  thread_local std::vector<uint8_t> conv;
  for (int64_t r = r0; r < r0 + rows;) {
    const int64_t item = r / pixels, p0 = r % pixels;
    const int64_t p1 = std::min(pixels, p0 + (r0 + rows - r));
    const int64_t y0 = p0 / outW * h.poolStrideH;
    const int64_t y1 = (p1 - 1) / outW * h.poolStrideH + h.poolH;
    conv.resize(size_t((y1 - y0) * h.outW * rowBytes));
    runRows(unpooled, blob, in, s0, s1, s2, s3, (item * h.outH + y0) * h.outW,
            (y1 - y0) * h.outW, c0, cols, conv.data());
    uint8_t *out = dst + (r - r0) * rowBytes;
    switch (LayerOutput(h.output)) {
    case LayerOutput::I32:
      poolPixels<int32_t>(h, conv.data(), y0, p0, p1, c0, cols, out);
      break;
    case LayerOutput::U8:
      poolPixels<uint8_t>(h, conv.data(), y0, p0, p1, c0, cols, out);
      break;
    case LayerOutput::S8:
      poolPixels<int8_t>(h, conv.data(), y0, p0, p1, c0, cols, out);
      break;
    }
    r += p1 - p0;
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
  const bool depthwise = spec.kind == LayerKind::DepthwiseNhwc;
  if (spec.kind != LayerKind::Matmul &&
      ((depthwise ? 1 : spec.channels) * spec.kernelH * spec.kernelW != k ||
       spec.outH <= 0 || spec.outW <= 0))
    return fail("convolution geometry does not match K");
  if (depthwise && spec.channels != n)
    return fail("a depthwise convolution has one filter per channel");
  const bool pooled = spec.poolH != 1 || spec.poolW != 1 ||
                      spec.poolStrideH != 1 || spec.poolStrideW != 1;
  if (pooled) {
    if (spec.kind == LayerKind::Matmul)
      return fail("only a convolution takes a pool");
    if (spec.poolH < 1 || spec.poolW < 1 || spec.poolStrideH < 1 ||
        spec.poolStrideW < 1 || spec.poolH > spec.outH ||
        spec.poolW > spec.outW || spec.poolH > INT32_MAX ||
        spec.poolW > INT32_MAX || spec.poolStrideH > INT32_MAX ||
        spec.poolStrideW > INT32_MAX)
      return fail("the pool window is empty or larger than the output");
    // Pooling the sums equals pooling the results only while the
    // requantization is monotone.
    if (spec.output != LayerOutput::I32 &&
        (spec.rescale == LayerRescale::Float
             ? std::any_of(spec.floatMultipliers.begin(),
                           spec.floatMultipliers.end(),
                           [](float m) { return !(m > 0); })
             : std::any_of(spec.fixedMultipliers.begin(),
                           spec.fixedMultipliers.end(),
                           [](int32_t m) { return m <= 0; })))
      return fail("a pool needs positive multipliers");
  }

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
  h.i32Sums = true;
  for (int64_t col = 0; col < n; ++col) {
    int64_t zw = spec.weightZeroPoints.empty() ? 0 : spec.weightZeroPoints[col];
    int64_t bound = spec.bias.empty() ? 0 : std::abs(int64_t(spec.bias[col]));
    for (int64_t row = 0; row < k; ++row)
      bound += 255 * std::abs(int64_t(spec.weights[row * n + col]) - zw);
    if (bound >= (int64_t(1) << 24))
      h.smallSums = false;
    if (bound > INT32_MAX)
      h.i32Sums = false;
  }
  const bool wholeRange = (spec.output == LayerOutput::U8 &&
                           spec.clampMin == 0 && spec.clampMax == 255) ||
                          (spec.output == LayerOutput::S8 &&
                           spec.clampMin == -128 && spec.clampMax == 127);
  h.narrowSaturates = h.smallSums && wholeRange &&
                      spec.rescale == LayerRescale::Float &&
                      int64_t(spec.floatMultipliers.size()) == n;
  for (int64_t col = 0; col < n && h.narrowSaturates; ++col) {
    // |acc + bias| < 2^24 (smallSums), so this bounds every product.
    if (!(std::fabs(spec.floatMultipliers[col]) < 0x1p6f))
      h.narrowSaturates = false;
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
  h.poolH = int32_t(spec.poolH);
  h.poolW = int32_t(spec.poolW);
  h.poolStrideH = int32_t(spec.poolStrideH);
  h.poolStrideW = int32_t(spec.poolStrideW);

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
  // Depthwise weights are K rows of N i32, padded to whole vectors.
  const int64_t depthwiseRow = (n + 15) / 16 * 16;
  const int64_t packedBytes =
      depthwise ? k * depthwiseRow * 4
                : getPackedSize(k, n) - (k < kAmxMinDepth ? kPackSlack : 0);
  h.packed = place(packedBytes);
  h.colSums = place(table);
  h.weightZeroPoints = place(h.hasWeightZeroPoints ? table : 0);
  h.bias = place(table);
  h.floatMultipliers = place(floatMode ? table : 0);
  h.fixedMultipliers = place(integerMode ? table : 0);
  h.shifts = place(integerMode ? table : 0);
  // Convolutions read in place: the weights again with each kernel row
  // rounded up to whole dwords, unless that changes nothing.
  const int64_t kernelRow = spec.kernelW * spec.channels;
  const int64_t rowBytes = getDirectRowBytes(spec.kernelW, spec.channels);
  const int64_t kRows = spec.kernelH * rowBytes;
  const bool rowPacking = isDirectConvLayer(h) && rowBytes != kernelRow;
  if (isDirectConvLayer(h))
    h.rowPacked =
        rowPacking ? place(getPackedSize(kRows, n) - kPackSlack) : h.packed;

  std::vector<uint8_t> blob(size_t(offset), 0);
  std::memcpy(blob.data(), &h, sizeof(h));
  // The packer wants aligned memory; the blob's own alignment is the
  // caller's business, so pack into a scratch copy first.
  std::vector<int64_t> scratch(size_t(alignTo64(getPackedSize(k, n)) / 8));
  std::vector<int32_t> colSums(static_cast<size_t>(np), 0);
  if (depthwise) {
    std::vector<int32_t> wide(size_t(k * depthwiseRow), 0);
    for (int64_t row = 0; row < k; ++row)
      for (int64_t col = 0; col < n; ++col) {
        int32_t w = spec.weights[size_t(row * n + col)];
        wide[size_t(row * depthwiseRow + col)] = w;
        colSums[size_t(col)] += w;
      }
    std::memcpy(blob.data() + h.packed, wide.data(), size_t(packedBytes));
  } else {
    packWeightsInto(spec.weights.data(), k, n, n,
                    reinterpret_cast<int8_t *>(scratch.data()), colSums.data());
    std::memcpy(blob.data() + h.packed, scratch.data(), size_t(packedBytes));
  }
  if (rowPacking) {
    std::vector<int8_t> rows(size_t(kRows * n), 0);
    for (int64_t i = 0; i < spec.kernelH; ++i)
      std::memcpy(rows.data() + i * rowBytes * n,
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
  return h.kind == uint8_t(LayerKind::Matmul)
             ? batch
             : batch * getPooledH(h) * getPooledW(h);
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
  const auto *in = static_cast<const uint8_t *>(input);
  uint8_t *dst = static_cast<uint8_t *>(output) +
                 rowBegin * h.n * getElementBytes(h);
  const int64_t rows = rowEnd - rowBegin, cols = colEnd - colBegin;
  if (!isPooled(h))
    return runRows(h, blob, in, s0, s1, s2, s3, rowBegin, rows, colBegin, cols,
                   dst);
  if (runDirectConv(h, blob, in, s0, s1, s2, s3, rowBegin, rows, colBegin,
                    cols, dst))
    return;
  runPooledRows(h, blob, in, s0, s1, s2, s3, rowBegin, rows, colBegin, cols,
                dst);
}
