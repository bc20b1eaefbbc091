//===- QuantizedLayer.cpp - Compiled int8 matmul and conv layers ----------===//
//
// The blob is a fixed header followed by 64-byte aligned sections: packed
// weights (Int8Gemm's panels), column sums, weight zero points, bias and the
// per-channel multipliers, each padded to whole panels so that a column
// range starting at a panel boundary indexes them directly. A run packs up
// to kBlockRows rows of activations, multiplies them into an i32 block that
// stays in cache and requantizes that block into the output; the per-row
// paths (runDirectConv, runSmallDepth) keep their sums in registers.
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
constexpr uint32_t kVersion = 4;
constexpr int64_t kHeaderBytes = 256;

/// Rows of activations packed and multiplied per step: a multiple of the
/// VNNI tile (6) and the AMX block (32).
constexpr int64_t kBlockRows = 96;

/// Layers with a shallower reduction run on VNNI even where AMX is there:
/// AMX steps K by 64 and sets up tiles per block, which shallow layers do
/// not amortize. On the bundled CNN (one core, batch 64, six alternating
/// runs of 100), through im2col, its K = 144 layers on AMX gave 2.43 ms
/// against 2.57 ms on VNNI; all its convolutions now take runDirectConv.
constexpr int64_t kAmxMinDepth = 128;

struct Header {
  uint32_t magic, version;
  uint8_t kind, inputSigned, output, rescale;
  uint8_t hasWeightZeroPoints, hasBias;
  /// Every acc + bias lies within +-2^24: an i32 sum converts to f32
  /// exactly.
  uint8_t smallSums;
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

/// Whether the per-row paths below may run a layer, but for the CPU: u8
/// input, no weight zero points, sums that fit f32 and the float
/// requantization to 8 bits. They keep the sums in registers and requantize
/// them there: no i32 block in memory.
bool requantizesInRegisters(const Header &h) {
  return !h.inputSigned && !h.hasWeightZeroPoints && h.smallSums &&
         h.rescale == uint8_t(LayerRescale::Float) &&
         h.output != uint8_t(LayerOutput::I32);
}

/// Up to kSmallDepth reductions that runDirectConv does not take (matmuls,
/// NCHW inputs): per row, each dword of activations is broadcast against V
/// packed 16-column panels. A 6-row GEMM tile would spend more on packing
/// A, setting up and storing the i32 block than on its few vpdpbusd.
constexpr int64_t kSmallDepth = 64;

bool isSmallDepthLayer(const Header &h) {
  return h.k <= kSmallDepth && requantizesInRegisters(h);
}

/// Bytes of one kernel row as runDirectConv reads it: KW * C rounded up to
/// whole dwords (their weights are zero in the rounding).
int64_t getDirectRowBytes(int64_t kernelW, int64_t channels) {
  return (kernelW * channels + 3) / 4 * 4;
}

/// Most reductions (kernel rows rounded) that runDirectConv takes: the
/// weights of 64 columns stay in L1.
constexpr int64_t kMaxDirectDepth = 512;

/// Whether a convolution may be read in place by runDirectConv: each kernel
/// row is KW * C contiguous bytes of an NHWC row.
bool isDirectConvLayer(const Header &h) {
  return h.kind == uint8_t(LayerKind::Conv2dNhwc) &&
         (h.dilationW == 1 || h.kernelW == 1) &&
         h.kernelH * getDirectRowBytes(h.kernelW, h.channels) <=
             kMaxDirectDepth &&
         requantizesInRegisters(h);
}

/// -zx * colSum[j] + bias[j] for `live` columns, in the wrapping arithmetic
/// of the GEMM: where the per-row paths start their sums. The wrapped
/// result is exact since every true acc + bias lies within +-2^24.
void getInitialSums(const Header &h, const int32_t *colSums,
                    const int32_t *bias, int64_t live, int32_t *out) {
  const uint32_t zx = uint32_t(h.inputZeroPoint);
  for (int64_t j = 0; j < live; ++j)
    out[j] = int32_t(uint32_t(bias[j]) - zx * uint32_t(colSums[j]));
}

/// Output rows oy0..oy1 of `item` need input rows from oy0 * strideH -
/// padTop on: copies them into `buffer`, `pitch` bytes per row, each after
/// padLeft pixels of zero point and followed by zero point (as are rows
/// outside the image), then `slack` bytes of zero point. Returns the number
/// of rows. The input's rows must be W * C contiguous bytes (s2 = C, s3 =
/// 1, or one channel with s2 = 1).
int64_t padInputRows(const Header &h, const uint8_t *in, int64_t s0, int64_t s1,
                     int64_t item, int64_t oy0, int64_t oy1, int64_t pitch,
                     int64_t slack, std::vector<uint8_t> &buffer) {
  const int64_t rows =
      (oy1 - oy0) * h.strideH + (h.kernelH - 1) * h.dilationH + 1;
  buffer.resize(size_t(rows * pitch + slack));
  std::memset(buffer.data(), uint8_t(h.inputZeroPoint), buffer.size());
  for (int64_t t = 0; t < rows; ++t) {
    const int64_t y = oy0 * h.strideH - h.padTop + t;
    if (y >= 0 && y < h.height)
      std::memcpy(buffer.data() + t * pitch + h.padLeft * h.channels,
                  in + item * s0 + y * s1, size_t(h.width * h.channels));
  }
  return rows;
}

#if defined(__x86_64__) && defined(__GNUC__)
/// How the per-row paths narrow requantized i32 lanes to 8 bits: truncating
/// after the clamp, or, where the header allows (narrowSaturates), with the
/// saturating vpmovusdb / vpmovsdb as the clamp.
enum class Narrow { Clamp, SaturateU8, SaturateS8 };

/// What the per-row paths start V vectors of sums from, and how they turn
/// them into 8-bit results: multiplier, clamp to [lo - zp, hi - zp] (whole
/// numbers, so clamping before rounding equals clamping after), rounding
/// half to even, zero point, then the truncating vpmovdb of values already
/// in the 8-bit range; the same bits for u8 and s8 results. Without the
/// clamp, the saturating narrowing gives the same bits when the clamp is the
/// whole range and rounding cannot overflow.
template <int V> struct RegisterEpilogue {
  __mmask16 mask[V];
  __m512i init[V];
  __m512 m[V];
  __m512 lo, hi;
  __m512i zp;
  Narrow narrow;

  [[gnu::target("avx512f,avx512dq,avx512bw,avx512vl"), gnu::always_inline]]
  RegisterEpilogue(const Header &h, const int32_t *initialSums, const float *mu,
                   int64_t cols) {
    narrow = !h.narrowSaturates                     ? Narrow::Clamp
             : h.output == uint8_t(LayerOutput::U8) ? Narrow::SaturateU8
                                                    : Narrow::SaturateS8;
    zp = _mm512_set1_epi32(h.outputZeroPoint);
    lo = _mm512_set1_ps(float(h.clampMin) - float(h.outputZeroPoint));
    hi = _mm512_set1_ps(float(h.clampMax) - float(h.outputZeroPoint));
    for (int v = 0; v < V; ++v) {
      int64_t live = cols - 16 * v;
      mask[v] = live >= 16 ? __mmask16(0xffff) : __mmask16((1u << live) - 1);
      init[v] = _mm512_maskz_loadu_epi32(mask[v], initialSums + 16 * v);
      m[v] = _mm512_maskz_loadu_ps(mask[v], mu + 16 * v);
    }
  }

  template <Narrow N>
  [[gnu::target("avx512f,avx512dq,avx512bw,avx512vl"), gnu::always_inline]]
  void storeAs(const __m512i *acc, uint8_t *dst) const {
    for (int v = 0; v < V; ++v) {
      __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(acc[v]), m[v]);
      if constexpr (N == Narrow::Clamp)
        f = _mm512_min_ps(_mm512_max_ps(f, lo), hi);
      __m512i q = _mm512_add_epi32(
          _mm512_cvt_roundps_epi32(f, _MM_FROUND_TO_NEAREST_INT |
                                          _MM_FROUND_NO_EXC),
          zp);
      __m128i bytes = N == Narrow::Clamp ? _mm512_cvtepi32_epi8(q)
                      : N == Narrow::SaturateU8
                          ? _mm512_cvtusepi32_epi8(
                                _mm512_max_epi32(q, _mm512_setzero_si512()))
                          : _mm512_cvtsepi32_epi8(q);
      if (mask[v] == __mmask16(0xffff))
        _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + 16 * v), bytes);
      else
        _mm_mask_storeu_epi8(dst + 16 * v, mask[v], bytes);
    }
  }

  [[gnu::target("avx512f,avx512dq,avx512bw,avx512vl"), gnu::always_inline]]
  void store(const __m512i *acc, uint8_t *dst) const {
    switch (narrow) {
    case Narrow::Clamp:
      return storeAs<Narrow::Clamp>(acc, dst);
    case Narrow::SaturateU8:
      return storeAs<Narrow::SaturateU8>(acc, dst);
    case Narrow::SaturateS8:
      return storeAs<Narrow::SaturateS8>(acc, dst);
    }
  }
};

/// Stores P pixels' sums to dst(p), skipping null ones.
template <Narrow N, int V, int P, typename Dst>
[[gnu::target("avx512f,avx512dq,avx512bw,avx512vl"), gnu::always_inline]]
inline void storePixelsAs(const RegisterEpilogue<V> &e,
                          const __m512i (&acc)[P][V], Dst &dst) {
#pragma GCC unroll 16
  for (int p = 0; p < P; ++p)
    if (uint8_t *out = dst(p))
      e.template storeAs<N>(acc[p], out);
}

/// storePixelsAs for the epilogue's narrowing: one branch per block.
template <int V, int P, typename Dst>
[[gnu::target("avx512f,avx512dq,avx512bw,avx512vl"), gnu::always_inline]]
inline void storePixels(const RegisterEpilogue<V> &e,
                        const __m512i (&acc)[P][V], Dst &&dst) {
  switch (e.narrow) {
  case Narrow::Clamp:
    return storePixelsAs<Narrow::Clamp>(e, acc, dst);
  case Narrow::SaturateU8:
    return storePixelsAs<Narrow::SaturateU8>(e, acc, dst);
  case Narrow::SaturateS8:
    return storePixelsAs<Narrow::SaturateS8>(e, acc, dst);
  }
}

template <int V>
[[gnu::target("avx512f,avx512dq,avx512bw,avx512vl,avx512vnni")]] void
smallDepthPanel(const Header &h, const uint8_t *a, int64_t lda, int64_t rows,
                const int8_t *panel, int64_t groups, const int32_t *initialSums,
                const float *m, int64_t cols, uint8_t *dst, int64_t ldDst) {
  const RegisterEpilogue<V> e(h, initialSums, m, cols);
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

/// How runDirectConv reads a convolution's input in place. It copies the
/// input rows that a range of output rows needs into a buffer, padded with
/// the zero point to `pitch` bytes per row; output pixel (oy, ox) then reads
/// kernel row i, group g (a dword) at byte (oy * strideH + i * dilationH) *
/// pitch + ox * step + 4 * g of it, with the weights packed one rounded
/// kernel row after another (Header::rowPacked). No im2col.
struct DirectConv {
  int64_t step;            ///< strideW * C.
  int64_t pitch;           ///< Bytes per buffer row, a multiple of C.
  int64_t rowStep;         ///< strideH * pitch.
  int64_t kernelRowStride; ///< dilationH * pitch.
  int64_t kernelH, groups; ///< groups: dwords per kernel row.
  int64_t panelBytes;      ///< One 16-column panel of the row packing.
  /// Stride 1 only: every buffer row holds pitch / C pixel positions, the
  /// last ones past the output width, and consecutive positions are C bytes
  /// apart across rows too, so blocks may run over the whole range, the
  /// positions past the width computed and dropped. Otherwise blocks stay
  /// within an output row, the last one of a row filled up with dropped
  /// pixels. Whichever computes fewer dropped pixels.
  bool grid;
};

/// Pixels per block: P x V accumulators (14 to 16) hide the latency of
/// vpdpbusd, and each weight vector is loaded once for P pixels. 14 for one
/// vector: a 14- or 28-pixel output row (28 x 28 and 14 x 14 feature maps)
/// is then whole blocks.
constexpr int getDirectPixels(int v) {
  return v == 1 ? 14 : v == 2 ? 8 : v == 3 ? 5 : 4;
}

/// P pixels, `step` bytes apart from src (Step > 0: fixed at compile time,
/// so that each pixel's dword is a displacement off one pointer), each
/// stored to dst(p) unless that is null.
template <int V, int P, int Step, typename Dst>
[[gnu::target("avx512f,avx512dq,avx512bw,avx512vl,avx512vnni"),
  gnu::always_inline]] inline void
directConvBlock(const RegisterEpilogue<V> &e, const DirectConv &d,
                const uint8_t *src, const int8_t *panel, Dst dst) {
  const int64_t step = Step > 0 ? Step : d.step;
  __m512i acc[P][V];
#pragma GCC unroll 16
  for (int p = 0; p < P; ++p)
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v)
      acc[p][v] = e.init[v];
  const int8_t *w = panel;
  for (int64_t i = 0; i < d.kernelH; ++i, src += d.kernelRowStride) {
    const uint8_t *a = src;
    for (int64_t g = 0; g < d.groups; ++g, a += 4, w += 64) {
      __m512i wv[V];
#pragma GCC unroll 4
      for (int v = 0; v < V; ++v)
        wv[v] = _mm512_load_si512(w + v * d.panelBytes);
#pragma GCC unroll 16
      for (int p = 0; p < P; ++p) {
        // A broadcast from memory is a load: through a scalar register
        // (GCC's choice for overlapping dwords, Step 1) it costs a shuffle
        // on the port vpdpbusd needs.
        const __m512i av =
            _mm512_broadcastd_epi32(_mm_loadu_si32(a + p * step));
#pragma GCC unroll 4
        for (int v = 0; v < V; ++v)
          acc[p][v] = _mm512_dpbusd_epi32(acc[p][v], av, wv[v]);
      }
    }
  }
  storePixels(e, acc, dst);
}

/// What one runDirectConv step computes: output pixels [p0, p1) of one item
/// (of whose output `out` is pixel 0, at the first column), from a buffer
/// whose row 0 is the first input row of output row oy0 = p0 / outW.
struct DirectRange {
  const Header *header;
  const DirectConv *conv;
  const uint8_t *buffer;
  int64_t p0, p1, outW;
  const int8_t *panel;
  const int32_t *initialSums;
  const float *multipliers;
  int64_t cols;
  uint8_t *out;
  int64_t ldDst;
};

template <int V, int Step>
[[gnu::target("avx512f,avx512dq,avx512bw,avx512vl,avx512vnni")]] void
directConvRange(const DirectRange &r) {
  constexpr int P = getDirectPixels(V);
  const RegisterEpilogue<V> e(*r.header, r.initialSums, r.multipliers, r.cols);
  const DirectConv &d = *r.conv;
  const int64_t outW = r.outW, oy0 = r.p0 / outW;
  if (d.grid) {
    uint8_t *dst[P];
    const int64_t positions = d.pitch / d.step;
    int64_t q = r.p0 % outW;
    const int64_t end =
        ((r.p1 - 1) / outW - oy0) * positions + (r.p1 - 1) % outW + 1;
    int64_t oy = oy0, ox = q;
    for (; q < end; q += P) {
      for (int p = 0; p < P; ++p) {
        dst[p] = q + p < end && ox < outW ? r.out + (oy * outW + ox) * r.ldDst
                                          : nullptr;
        if (++ox == positions)
          ox = 0, ++oy;
      }
      directConvBlock<V, P, Step>(e, d, r.buffer + q * d.step, r.panel,
                                  [&](int p) { return dst[p]; });
    }
    return;
  }
  for (int64_t oy = oy0; oy * outW < r.p1; ++oy) {
    const uint8_t *row = r.buffer + (oy - oy0) * d.rowStep;
    const int64_t end = std::min(r.p1 - oy * outW, outW);
    for (int64_t ox = std::max<int64_t>(r.p0 - oy * outW, 0); ox < end;
         ox += P) {
      uint8_t *first = r.out + (oy * outW + ox) * r.ldDst;
      const int64_t live = end - ox;
      directConvBlock<V, P, Step>(e, d, row + ox * d.step, r.panel, [&](int p) {
        return p < live ? first + p * r.ldDst : nullptr;
      });
    }
  }
}

using DirectFn = void (*)(const DirectRange &);

template <int V> DirectFn selectDirectFn(int64_t step) {
  switch (step) {
  case 1:
    return directConvRange<V, 1>;
  case 3:
    return directConvRange<V, 3>;
  case 4:
    return directConvRange<V, 4>;
  case 8:
    return directConvRange<V, 8>;
  case 16:
    return directConvRange<V, 16>;
  case 32:
    return directConvRange<V, 32>;
  case 64:
    return directConvRange<V, 64>;
  default:
    return directConvRange<V, 0>;
  }
}

/// Runs rows [r0, r0 + rows) x columns [c0, c0 + cols) of a convolution
/// reading its NHWC input (element strides s0..s3) in place (DirectConv);
/// returns false, having written nothing, when the layer or the input does
/// not qualify.
bool runDirectConv(const Header &h, const uint8_t *blob, const uint8_t *in,
                   int64_t s0, int64_t s1, int64_t s2, int64_t s3, int64_t r0,
                   int64_t rows, int64_t c0, int64_t cols, void *output) {
  static const bool vnni = cpuHasVnni();
  // Pixels of C consecutive channels (one channel: any channel stride).
  if (!vnni || !h.rowPacked || !isDirectConvLayer(h) ||
      (h.channels > 1 && s3 != 1) || s2 != h.channels)
    return false;
  const int64_t c = h.channels, rowBytes = getDirectRowBytes(h.kernelW, c);
  DirectConv d;
  d.step = h.strideW * c;
  // Wide enough for the input row after its left padding and for the last
  // pixel's rounded kernel row.
  d.pitch =
      std::max((h.padLeft + h.width) * c, (h.outW - 1) * d.step + rowBytes);
  d.pitch = (d.pitch + c - 1) / c * c;
  d.rowStep = h.strideH * d.pitch;
  d.kernelRowStride = h.dilationH * d.pitch;
  d.kernelH = h.kernelH;
  d.groups = rowBytes / 4;
  d.panelBytes = h.kernelH * rowBytes / 4 * 64;
  // Positions computed per output row: whole blocks, or the buffer's row.
  const int64_t pixelsPerBlock = getDirectPixels(
      int(std::min<int64_t>(4, (std::min(cols, 4 * kPanelWidth) + 15) / 16)));
  d.grid = h.strideH == 1 && h.strideW == 1 &&
           d.pitch / c <
               (h.outW + pixelsPerBlock - 1) / pixelsPerBlock * pixelsPerBlock;
  const int64_t pixels = h.outH * h.outW;
  const int32_t *colSums = section<int32_t>(blob, h.colSums);
  const int32_t *bias = section<int32_t>(blob, h.bias);
  const float *multipliers = section<float>(blob, h.floatMultipliers);
  const int8_t *packed = section<int8_t>(blob, h.rowPacked);
  auto *out = static_cast<uint8_t *>(output);
  thread_local std::vector<uint8_t> buffer;
  for (int64_t r = r0; r < r0 + rows;) {
    const int64_t item = r / pixels, p0 = r % pixels;
    const int64_t p1 = std::min(pixels, p0 + (r0 + rows - r));
    // Past the rows, room for the positions a last block reads beyond its
    // range.
    padInputRows(h, in, s0, s1, item, p0 / h.outW, (p1 - 1) / h.outW, d.pitch,
                 d.pitch + 16 * d.step + 64, buffer);
    constexpr int64_t width = 4 * kPanelWidth;
    for (int64_t p = c0; p < c0 + cols; p += width) {
      const int64_t live = std::min(width, c0 + cols - p);
      int32_t initialSums[width];
      getInitialSums(h, colSums + p, bias + p, live, initialSums);
      const DirectRange range{&h,
                              &d,
                              buffer.data(),
                              p0,
                              p1,
                              h.outW,
                              packed + p * h.kernelH * rowBytes,
                              initialSums,
                              multipliers + p,
                              live,
                              out + item * pixels * h.n + p,
                              h.n};
      DirectFn fn = live <= 16   ? selectDirectFn<1>(d.step)
                    : live <= 32 ? selectDirectFn<2>(d.step)
                    : live <= 48 ? selectDirectFn<3>(d.step)
                                 : selectDirectFn<4>(d.step);
      fn(range);
    }
    r += p1 - p0;
  }
  return true;
}

/// Depthwise convolutions, per output pixel and 16 channels: each tap's
/// activations zero-extended to i32 lanes against the weights stored
/// sign-extended to i32 (Header::packed), so that in vpdpwssd's sum of two
/// i16 products the upper one is 0 and the lane gets x * w; sums and
/// requantization in registers, from the zero-point-padded rows of
/// padInputRows. P pixels of one output row at a time: a pixel's taps are
/// one dependent chain, P of them hide its latency.
template <int V, int P>
[[gnu::target("avx512f,avx512dq,avx512bw,avx512vl,avx512vnni"),
  gnu::always_inline]] inline void
depthwiseBlock(const RegisterEpilogue<V> &e, const Header &h,
               const uint8_t *src, int64_t pitch, const int32_t *weights,
               int64_t np, uint8_t *out) {
  const int64_t c = h.channels, step = h.strideW * c;
  __m512i acc[P][V];
  for (int p = 0; p < P; ++p)
    for (int v = 0; v < V; ++v)
      acc[p][v] = e.init[v];
  const int32_t *w = weights;
  for (int64_t i = 0; i < h.kernelH; ++i)
    for (int64_t j = 0; j < h.kernelW; ++j, w += np) {
      const uint8_t *x = src + i * h.dilationH * pitch + j * h.dilationW * c;
      for (int v = 0; v < V; ++v) {
        const __m512i wv = _mm512_loadu_si512(w + 16 * v);
        for (int p = 0; p < P; ++p)
          acc[p][v] = _mm512_dpwssd_epi32(
              acc[p][v],
              _mm512_cvtepu8_epi32(_mm_loadu_si128(
                  reinterpret_cast<const __m128i *>(x + p * step + 16 * v))),
              wv);
      }
    }
  storePixels(e, acc, [&](int p) { return out + p * h.n; });
}

template <int V>
[[gnu::target("avx512f,avx512dq,avx512bw,avx512vl,avx512vnni")]] void
depthwisePixels(const Header &h, const uint8_t *buffer, int64_t pitch,
                int64_t p0, int64_t p1, const int32_t *weights, int64_t np,
                const int32_t *initialSums, const float *m, int64_t cols,
                uint8_t *out) {
  constexpr int P = 4;
  const RegisterEpilogue<V> e(h, initialSums, m, cols);
  const int64_t oy0 = p0 / h.outW, step = h.strideW * h.channels;
  for (int64_t oy = oy0; oy * h.outW < p1; ++oy) {
    const uint8_t *row = buffer + (oy - oy0) * h.strideH * pitch;
    const int64_t end = std::min(p1 - oy * h.outW, h.outW);
    int64_t ox = std::max<int64_t>(p0 - oy * h.outW, 0);
    for (; ox + P <= end; ox += P)
      depthwiseBlock<V, P>(e, h, row + ox * step, pitch, weights, np,
                           out + (oy * h.outW + ox) * h.n);
    for (; ox < end; ++ox)
      depthwiseBlock<V, 1>(e, h, row + ox * step, pitch, weights, np,
                           out + (oy * h.outW + ox) * h.n);
  }
}

/// Runs rows [r0, r0 + rows) x columns [c0, c0 + cols) of a depthwise layer
/// with depthwisePixels; returns false, having written nothing, when the
/// layer or the input does not qualify.
bool runDepthwise(const Header &h, const uint8_t *blob, const uint8_t *in,
                  int64_t s0, int64_t s1, int64_t s2, int64_t s3, int64_t r0,
                  int64_t rows, int64_t c0, int64_t cols, void *output) {
  static const bool vnni = cpuHasVnni();
  if (!vnni || !requantizesInRegisters(h) || (h.channels > 1 && s3 != 1) ||
      s2 != h.channels)
    return false;
  const int64_t c = h.channels, np = (h.n + 15) / 16 * 16;
  const int64_t pitch = std::max(
      (h.padLeft + h.width) * c,
      ((h.outW - 1) * h.strideW + (h.kernelW - 1) * h.dilationW + 1) * c);
  const int64_t pixels = h.outH * h.outW;
  const int32_t *weights = section<int32_t>(blob, h.packed);
  const int32_t *colSums = section<int32_t>(blob, h.colSums);
  const int32_t *bias = section<int32_t>(blob, h.bias);
  const float *multipliers = section<float>(blob, h.floatMultipliers);
  auto *out = static_cast<uint8_t *>(output);
  thread_local std::vector<uint8_t> buffer;
  for (int64_t r = r0; r < r0 + rows;) {
    const int64_t item = r / pixels, p0 = r % pixels;
    const int64_t p1 = std::min(pixels, p0 + (r0 + rows - r));
    // 64 bytes of slack: the last pixel's vectors read past its channels.
    padInputRows(h, in, s0, s1, item, p0 / h.outW, (p1 - 1) / h.outW, pitch, 64,
                 buffer);
    constexpr int64_t width = 4 * kPanelWidth;
    for (int64_t p = c0; p < c0 + cols; p += width) {
      const int64_t live = std::min(width, c0 + cols - p);
      int32_t initialSums[width];
      getInitialSums(h, colSums + p, bias + p, live, initialSums);
      auto fn = live <= 16   ? depthwisePixels<1>
                : live <= 32 ? depthwisePixels<2>
                : live <= 48 ? depthwisePixels<3>
                             : depthwisePixels<4>;
      fn(h, buffer.data() + p, pitch, p0, p1, weights + p, np, initialSums,
         multipliers + p, live, out + item * pixels * h.n + p);
    }
    r += p1 - p0;
  }
  return true;
}

/// Runs rows [0, rows) x columns [c0, c0 + cols) of the layer with
/// smallDepthPanel, four panels at a time; returns false, having written
/// nothing, when the layer does not qualify.
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
  auto *out = static_cast<uint8_t *>(output) + r0 * h.n;
  constexpr int64_t width = 4 * kPanelWidth;
  for (int64_t p = c0; p < c0 + cols; p += width) {
    const int64_t live = std::min(width, c0 + cols - p);
    int32_t initialSums[width];
    getInitialSums(h, weights.colSums + p, section<int32_t>(blob, h.bias) + p,
                   live, initialSums);
    const int8_t *panel = weights.data + p * weights.kPadded();
    const float *m = section<float>(blob, h.floatMultipliers) + p;
    auto fn = live <= 16   ? smallDepthPanel<1>
              : live <= 32 ? smallDepthPanel<2>
              : live <= 48 ? smallDepthPanel<3>
                           : smallDepthPanel<4>;
    fn(h, a, lda, rows, panel, groups, initialSums, m, live, out + p, h.n);
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

/// requantizeBlock for the layer's output type.
void requantizeRows(const Header &h, const uint8_t *blob, const int32_t *acc,
                    int64_t r0, int64_t rows, int64_t c0, int64_t cols,
                    void *output) {
  switch (LayerOutput(h.output)) {
  case LayerOutput::I32:
    return requantizeBlock<int32_t>(h, blob, acc, r0, rows, c0, cols, output);
  case LayerOutput::U8:
    return requantizeBlock<uint8_t>(h, blob, acc, r0, rows, c0, cols, output);
  case LayerOutput::S8:
    return requantizeBlock<int8_t>(h, blob, acc, r0, rows, c0, cols, output);
  }
}

/// The i32 sums (bias not included) of output rows [r0, r0 + rows) x
/// columns [c0, c0 + cols) of a depthwise layer, row-major into acc, in
/// plain C++ from any input strides.
void depthwiseSums(const Header &h, const uint8_t *blob, const uint8_t *in,
                   int64_t s0, int64_t s1, int64_t s2, int64_t s3, int64_t r0,
                   int64_t rows, int64_t c0, int64_t cols, int32_t *acc) {
  const int64_t np = (h.n + 15) / 16 * 16, pixels = h.outH * h.outW;
  const int32_t *weights = section<int32_t>(blob, h.packed);
  const int32_t *zpW = h.hasWeightZeroPoints
                           ? section<int32_t>(blob, h.weightZeroPoints)
                           : nullptr;
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t item = (r0 + r) / pixels, p = (r0 + r) % pixels;
    const int64_t oy = p / h.outW, ox = p % h.outW;
    for (int64_t j = 0; j < cols; ++j) {
      const int64_t ch = c0 + j;
      const int32_t zw = zpW ? zpW[ch] : 0;
      uint32_t sum = 0; // i32 arithmetic, wrapping as the generic loops'
      for (int64_t i = 0; i < h.kernelH; ++i) {
        const int64_t y = oy * h.strideH - h.padTop + i * h.dilationH;
        for (int64_t t = 0; t < h.kernelW; ++t) {
          const int64_t x = ox * h.strideW - h.padLeft + t * h.dilationW;
          if (y < 0 || y >= h.height || x < 0 || x >= h.width)
            continue; // the zero point: (zx - zx) * w
          const uint8_t raw = in[item * s0 + y * s1 + x * s2 + ch * s3];
          const int32_t xv =
              h.inputSigned ? int32_t(int8_t(raw)) : int32_t(raw);
          const int32_t w = weights[(i * h.kernelW + t) * np + ch];
          sum += uint32_t(xv - h.inputZeroPoint) * uint32_t(w - zw);
        }
      }
      acc[r * cols + j] = int32_t(sum);
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
  const bool depthwise = spec.kind == LayerKind::DepthwiseNhwc;
  if (spec.kind != LayerKind::Matmul &&
      ((depthwise ? 1 : spec.channels) * spec.kernelH * spec.kernelW != k ||
       spec.outH <= 0 || spec.outW <= 0))
    return fail("convolution geometry does not match K");
  if (depthwise && spec.channels != n)
    return fail("a depthwise convolution has one filter per channel");

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

  if (h.kind == uint8_t(LayerKind::DepthwiseNhwc)) {
#if defined(__x86_64__) && defined(__GNUC__)
    if (runDepthwise(h, blob, in, s0, s1, s2, s3, rowBegin, rowEnd - rowBegin,
                     colBegin, cols, output))
      return;
#endif
    for (int64_t r0 = rowBegin; r0 < rowEnd; r0 += kBlockRows) {
      const int64_t rows = std::min(kBlockRows, rowEnd - r0);
      depthwiseSums(h, blob, in, s0, s1, s2, s3, r0, rows, colBegin, cols, acc);
      requantizeRows(h, blob, acc, r0, rows, colBegin, cols, output);
    }
    return;
  }
#if defined(__x86_64__) && defined(__GNUC__)
  if (runDirectConv(h, blob, in, s0, s1, s2, s3, rowBegin, rowEnd - rowBegin,
                    colBegin, cols, output))
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
    if (runSmallDepth(h, blob, a, lda, paddedRows, r0, rows, colBegin, cols,
                      output))
      continue;
#endif
    if (h.inputSigned)
      gemmS8S8(reinterpret_cast<const int8_t *>(a), lda, rows, weights,
               h.inputZeroPoint, zpB, acc, cols, options);
    else
      gemmU8S8(a, lda, rows, weights, h.inputZeroPoint, zpB, acc, cols,
               options);
    requantizeRows(h, blob, acc, r0, rows, colBegin, cols, output);
  }
}
