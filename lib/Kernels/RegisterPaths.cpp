//===- RegisterPaths.cpp - int8 layers with their sums in registers -------===//
//
// The per-row paths of quant_layer_run: in-place convolutions
// (runDirectConv), depthwise convolutions (runDepthwise) and shallow layers
// (runSmallDepth) keep their sums in AVX-512 registers and requantize them
// there, so neither im2col nor an i32 block goes through memory.
//
//===----------------------------------------------------------------------===//

#include "LayerHeader.h"

#include "quant/Kernels/Int8Gemm.h"

#include <algorithm>
#include <cstring>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace mlir::qnt::kernels::detail {
#if defined(__x86_64__) && defined(__GNUC__)
namespace {

/// -zx * colSum[j] + bias[j] for `live` columns, in the wrapping arithmetic
/// of the GEMM: where the per-row paths start their sums. The wrapped
/// result is exact since every true acc + bias lies within +-2^24.
void getInitialSums(const Header &h, const int32_t *colSums,
                    const int32_t *bias, int64_t live, int32_t *out) {
  const uint32_t zx = uint32_t(h.inputZeroPoint);
  for (int64_t j = 0; j < live; ++j)
    out[j] = int32_t(uint32_t(bias[j]) - zx * uint32_t(colSums[j]));
}

/// Splits rows [r0, r0 + rows) of a layer with `pixels` rows per item into
/// runs within one item: fn(item, p0, p1, r) for pixels [p0, p1) of `item`,
/// r the run's first row.
template <typename Fn>
void forEachItemRun(int64_t r0, int64_t rows, int64_t pixels, Fn &&fn) {
  for (int64_t r = r0; r < r0 + rows;) {
    const int64_t item = r / pixels, p0 = r % pixels;
    const int64_t p1 = std::min(pixels, p0 + (r0 + rows - r));
    fn(item, p0, p1, r);
    r += p1 - p0;
  }
}

/// Columns [c0, c0 + cols) in blocks of up to four 16-column panels (V = 1
/// to 4 vectors of sums): fn(p, live, initialSums) for columns
/// [p, p + live) and where their sums start.
template <typename Fn>
void forEachColumnBlock(const Header &h, const uint8_t *blob, int64_t c0,
                        int64_t cols, Fn &&fn) {
  const int32_t *colSums = section<int32_t>(blob, h.colSums);
  const int32_t *bias = section<int32_t>(blob, h.bias);
  constexpr int64_t width = 4 * kPanelWidth;
  for (int64_t p = c0; p < c0 + cols; p += width) {
    const int64_t live = std::min(width, c0 + cols - p);
    int32_t initialSums[width];
    getInitialSums(h, colSums + p, bias + p, live, initialSums);
    fn(p, live, initialSums);
  }
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
  int64_t poolH;           ///< Output rows per pool window (1: no pool).
  int64_t poolRowStep;     ///< poolStrideH * rowStep.
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

/// The sums of P pixels, `step` bytes apart from src (Step > 0: fixed at
/// compile time, so that each pixel's dword is a displacement off one
/// pointer).
template <int V, int P, int Step>
[[gnu::target("avx512f,avx512dq,avx512bw,avx512vl,avx512vnni"),
  gnu::always_inline]] inline void
directConvSums(const RegisterEpilogue<V> &e, const DirectConv &d,
               const uint8_t *src, const int8_t *panel, __m512i (&acc)[P][V]) {
  const int64_t step = Step > 0 ? Step : d.step;
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
}

/// directConvSums, each pixel stored to dst(p) unless that is null.
template <int V, int P, int Step, typename Dst>
[[gnu::target("avx512f,avx512dq,avx512bw,avx512vl,avx512vnni"),
  gnu::always_inline]] inline void
directConvBlock(const RegisterEpilogue<V> &e, const DirectConv &d,
                const uint8_t *src, const int8_t *panel, Dst dst) {
  __m512i acc[P][V];
  directConvSums<V, P, Step>(e, d, src, panel, acc);
  storePixels(e, acc, dst);
}

/// Q pooled pixels of a 2-wide pool (stride 2), each stored to dst(q)
/// unless that is null: per pool row, the sums of 2Q pixels from src, the
/// maximum of each pair and of the rows, then one requantization per pooled
/// pixel. The i32 sums are exact (Header::smallSums), and the
/// requantization is monotone, so this is the pool of the results.
template <int V, int Q, int Step, typename Dst>
[[gnu::target("avx512f,avx512dq,avx512bw,avx512vl,avx512vnni"),
  gnu::always_inline]] inline void
directConvPooledBlock(const RegisterEpilogue<V> &e, const DirectConv &d,
                      const uint8_t *src, const int8_t *panel, Dst dst) {
  __m512i pooled[Q][V];
  for (int64_t t = 0; t < d.poolH; ++t, src += d.rowStep) {
    __m512i acc[2 * Q][V];
    directConvSums<V, 2 * Q, Step>(e, d, src, panel, acc);
#pragma GCC unroll 8
    for (int q = 0; q < Q; ++q)
#pragma GCC unroll 4
      for (int v = 0; v < V; ++v) {
        const __m512i pair = _mm512_max_epi32(acc[2 * q][v], acc[2 * q + 1][v]);
        pooled[q][v] = t == 0 ? pair : _mm512_max_epi32(pooled[q][v], pair);
      }
  }
  storePixels(e, pooled, dst);
}

/// What one runDirectConv step computes: output pixels [p0, p1) of one item
/// (`out` points at pixel p0, at the first column), from a buffer whose row
/// 0 is the first input row of output row oy0 = p0 / outW; with a pool,
/// pooled pixels of a pooled row width outW, the buffer starting at the
/// first input row of pooled row p0 / outW.
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

/// Lambdas do not take their function's target: the blocks they inline need
/// it spelled out.
#define QUANT_VNNI_LAMBDA                                                      \
  __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx512vnni"),      \
                 always_inline))

/// Row mode: blocks of B output pixels within each output row of the range
/// (the last one of a row filled up with dropped pixels), output row oy's
/// buffer row rowStep bytes after the last one's, pixels pixelStep bytes
/// apart; block(src, dst) runs one from src with dst(p) as directConvBlock.
template <int B, typename Block>
[[gnu::target("avx512f,avx512dq,avx512bw,avx512vl,avx512vnni"),
  gnu::always_inline]] inline void
forEachRowBlock(const DirectRange &r, int64_t rowStep, int64_t pixelStep,
                Block &&block) {
  const int64_t outW = r.outW, oy0 = r.p0 / outW;
  for (int64_t oy = oy0; oy * outW < r.p1; ++oy) {
    const uint8_t *row = r.buffer + (oy - oy0) * rowStep;
    const int64_t end = std::min(r.p1 - oy * outW, outW);
    for (int64_t ox = std::max<int64_t>(r.p0 - oy * outW, 0); ox < end;
         ox += B) {
      uint8_t *first = r.out + (oy * outW + ox - r.p0) * r.ldDst;
      const int64_t live = end - ox;
      block(row + ox * pixelStep,
            [&](int p) { return p < live ? first + p * r.ldDst : nullptr; });
    }
  }
}

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
        dst[p] = q + p < end && ox < outW
                     ? r.out + (oy * outW + ox - r.p0) * r.ldDst
                     : nullptr;
        if (++ox == positions)
          ox = 0, ++oy;
      }
      directConvBlock<V, P, Step>(e, d, r.buffer + q * d.step, r.panel,
                                  [&](int p) { return dst[p]; });
    }
    return;
  }
  forEachRowBlock<P>(r, d.rowStep, d.step,
                     [&](const uint8_t *src, auto dst) QUANT_VNNI_LAMBDA {
                       directConvBlock<V, P, Step>(e, d, src, r.panel, dst);
                     });
}

/// directConvRange for a layer with a 2-wide pool: blocks of pooled pixels
/// within a pooled row.
template <int V, int Step>
[[gnu::target("avx512f,avx512dq,avx512bw,avx512vl,avx512vnni")]] void
directConvPooledRange(const DirectRange &r) {
  constexpr int Q = getDirectPixels(V) / 2;
  const RegisterEpilogue<V> e(*r.header, r.initialSums, r.multipliers, r.cols);
  const DirectConv &d = *r.conv;
  forEachRowBlock<Q>(r, d.poolRowStep, 2 * d.step,
                     [&](const uint8_t *src, auto dst) QUANT_VNNI_LAMBDA {
                       directConvPooledBlock<V, Q, Step>(e, d, src, r.panel,
                                                         dst);
                     });
}

using DirectFn = void (*)(const DirectRange &);

template <int V, int Step> DirectFn selectDirectFn(bool pooled) {
  return pooled ? directConvPooledRange<V, Step> : directConvRange<V, Step>;
}

template <int V> DirectFn selectDirectFn(int64_t step, bool pooled) {
  switch (step) {
  case 1:
    return selectDirectFn<V, 1>(pooled);
  case 3:
    return selectDirectFn<V, 3>(pooled);
  case 4:
    return selectDirectFn<V, 4>(pooled);
  case 8:
    return selectDirectFn<V, 8>(pooled);
  case 16:
    return selectDirectFn<V, 16>(pooled);
  case 32:
    return selectDirectFn<V, 32>(pooled);
  case 64:
    return selectDirectFn<V, 64>(pooled);
  default:
    return selectDirectFn<V, 0>(pooled);
  }
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
                           out + (oy * h.outW + ox - p0) * h.n);
    for (; ox < end; ++ox)
      depthwiseBlock<V, 1>(e, h, row + ox * step, pitch, weights, np,
                           out + (oy * h.outW + ox - p0) * h.n);
  }
}
} // namespace

/// Runs rows [r0, r0 + rows) x columns [c0, c0 + cols) of a convolution
/// reading its NHWC input (element strides s0..s3) in place (DirectConv)
/// into dst (row r0); returns false, having written nothing, when the layer
/// or the input does not qualify.
bool runDirectConv(const Header &h, const uint8_t *blob, const uint8_t *in,
                   int64_t s0, int64_t s1, int64_t s2, int64_t s3, int64_t r0,
                   int64_t rows, int64_t c0, int64_t cols, void *dst) {
  static const bool vnni = cpuHasVnni();
  const bool pooled = isPooled(h);
  // Pixels of C consecutive channels (one channel: any channel stride).
  if (!vnni || !h.rowPacked || !isDirectConvLayer(h) ||
      (h.channels > 1 && s3 != 1) || s2 != h.channels ||
      (pooled && (h.poolW != 2 || h.poolStrideW != 2 ||
                  h.poolH != h.poolStrideH)))
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
  d.poolH = h.poolH;
  d.poolRowStep = h.poolStrideH * d.rowStep;
  // Positions computed per output row: whole blocks, or the buffer's row.
  const int64_t pixelsPerBlock = getDirectPixels(
      int(std::min<int64_t>(4, (std::min(cols, 4 * kPanelWidth) + 15) / 16)));
  d.grid = !pooled && h.strideH == 1 && h.strideW == 1 &&
           d.pitch / c <
               (h.outW + pixelsPerBlock - 1) / pixelsPerBlock * pixelsPerBlock;
  // Output pixels per row and item: pooled ones with a pool, whose rows
  // need convolution rows [y * poolStrideH, y * poolStrideH + poolH).
  const int64_t outW = pooled ? getPooledW(h) : h.outW;
  const int64_t pixels = (pooled ? getPooledH(h) : h.outH) * outW;
  const float *multipliers = section<float>(blob, h.floatMultipliers);
  const int8_t *packed = section<int8_t>(blob, h.rowPacked);
  auto *out = static_cast<uint8_t *>(dst);
  thread_local std::vector<uint8_t> buffer;
  forEachItemRun(
      r0, rows, pixels, [&](int64_t item, int64_t p0, int64_t p1, int64_t r) {
        // Past the rows, room for the positions a last block reads beyond its
        // range.
        const int64_t y0 = p0 / outW, y1 = (p1 - 1) / outW;
        padInputRows(h, in, s0, s1, item, y0 * h.poolStrideH,
                     y1 * h.poolStrideH + h.poolH - 1, d.pitch,
                     d.pitch + 16 * d.step + 64, buffer);
        forEachColumnBlock(
            h, blob, c0, cols,
            [&](int64_t p, int64_t live, const int32_t *initialSums) {
              const DirectRange range{&h,
                                      &d,
                                      buffer.data(),
                                      p0,
                                      p1,
                                      outW,
                                      packed + p * h.kernelH * rowBytes,
                                      initialSums,
                                      multipliers + p,
                                      live,
                                      out + (r - r0) * h.n + p,
                                      h.n};
              DirectFn fn = live <= 16   ? selectDirectFn<1>(d.step, pooled)
                            : live <= 32 ? selectDirectFn<2>(d.step, pooled)
                            : live <= 48 ? selectDirectFn<3>(d.step, pooled)
                                         : selectDirectFn<4>(d.step, pooled);
              fn(range);
            });
      });
  return true;
}

/// Runs rows [r0, r0 + rows) x columns [c0, c0 + cols) of a depthwise layer
/// with depthwisePixels into dst (row r0); returns false, having written
/// nothing, when the layer or the input does not qualify.
bool runDepthwise(const Header &h, const uint8_t *blob, const uint8_t *in,
                  int64_t s0, int64_t s1, int64_t s2, int64_t s3, int64_t r0,
                  int64_t rows, int64_t c0, int64_t cols, void *dst) {
  static const bool vnni = cpuHasVnni();
  if (!vnni || !requantizesInRegisters(h) || isPooled(h) ||
      (h.channels > 1 && s3 != 1) || s2 != h.channels)
    return false;
  const int64_t c = h.channels, np = (h.n + 15) / 16 * 16;
  const int64_t pitch = std::max(
      (h.padLeft + h.width) * c,
      ((h.outW - 1) * h.strideW + (h.kernelW - 1) * h.dilationW + 1) * c);
  const int64_t pixels = h.outH * h.outW;
  const int32_t *weights = section<int32_t>(blob, h.packed);
  const float *multipliers = section<float>(blob, h.floatMultipliers);
  auto *out = static_cast<uint8_t *>(dst);
  thread_local std::vector<uint8_t> buffer;
  forEachItemRun(
      r0, rows, pixels, [&](int64_t item, int64_t p0, int64_t p1, int64_t r) {
        // 64 bytes of slack: the last pixel's vectors read past its channels.
        padInputRows(h, in, s0, s1, item, p0 / h.outW, (p1 - 1) / h.outW, pitch,
                     64, buffer);
        forEachColumnBlock(
            h, blob, c0, cols,
            [&](int64_t p, int64_t live, const int32_t *initialSums) {
              auto fn = live <= 16   ? depthwisePixels<1>
                        : live <= 32 ? depthwisePixels<2>
                        : live <= 48 ? depthwisePixels<3>
                                     : depthwisePixels<4>;
              fn(h, buffer.data() + p, pitch, p0, p1, weights + p, np,
                 initialSums, multipliers + p, live, out + (r - r0) * h.n + p);
            });
      });
  return true;
}

/// Runs `rows` rows of activations at `a` x columns [c0, c0 + cols) of the
/// layer with smallDepthPanel into dst, four panels at a time; returns false,
/// having written nothing, when the layer does not qualify.
bool runSmallDepth(const Header &h, const uint8_t *blob, const uint8_t *a,
                   int64_t lda, bool paddedRows, int64_t rows, int64_t c0,
                   int64_t cols, void *dst) {
  static const bool vnni = cpuHasVnni();
  // Rows are read in whole dwords: an im2col block has slack after its last
  // row, rows read in place need K to be a multiple of 4.
  if (!vnni || !isSmallDepthLayer(h) || isPooled(h) ||
      (!paddedRows && h.k % 4 != 0))
    return false;
  const PackedView weights{section<int8_t>(blob, h.packed),
                           section<int32_t>(blob, h.colSums), h.k, h.n};
  const int64_t groups = weights.kPadded() / 4;
  auto *out = static_cast<uint8_t *>(dst);
  forEachColumnBlock(
      h, blob, c0, cols,
      [&](int64_t p, int64_t live, const int32_t *initialSums) {
        const int8_t *panel = weights.data + p * weights.kPadded();
        const float *m = section<float>(blob, h.floatMultipliers) + p;
        auto fn = live <= 16   ? smallDepthPanel<1>
                  : live <= 32 ? smallDepthPanel<2>
                  : live <= 48 ? smallDepthPanel<3>
                               : smallDepthPanel<4>;
        fn(h, a, lda, rows, panel, groups, initialSums, m, live, out + p, h.n);
      });
  return true;
}
#else
bool runDirectConv(const Header &, const uint8_t *, const uint8_t *, int64_t,
                   int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                   int64_t, void *) {
  return false;
}
bool runDepthwise(const Header &, const uint8_t *, const uint8_t *, int64_t,
                  int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                  void *) {
  return false;
}
bool runSmallDepth(const Header &, const uint8_t *, const uint8_t *, int64_t,
                   bool, int64_t, int64_t, int64_t, void *) {
  return false;
}
#endif

} // namespace mlir::qnt::kernels::detail
