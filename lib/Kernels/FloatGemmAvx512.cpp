//===- FloatGemmAvx512.cpp - AVX-512 FMA microkernel of the fp32 layers ---===//
//
// The only file of the fp32 layers compiled with -mavx512f -mfma; callers
// check the CPU first. A tile of R rows (R <= 6) times one 32-column panel
// keeps 2R accumulators in zmm registers over the whole K: per k, two loads
// of the panel and R broadcasts of A feed 2R fused multiply-adds. Panels of
// at most 16 live columns (layers of 16 channels) take tiles of up to 14
// rows (a 14- or 28-pixel output row in whole tiles) against the panel's
// first vector only, instead of multiplying zeros.
//
//===----------------------------------------------------------------------===//

#include "FloatLayerImpl.h"

#if defined(__AVX512F__) && defined(__FMA__)
#include <immintrin.h>
#include <utility>

namespace mlir::qnt::kernels::detail {
namespace {

/// A tile's epilogue, read out of the FloatEpilogue once: the vector stores
/// may alias anything (__m512 is may_alias), so reading the fields through
/// the reference loaded and tested them again after every row's store.
class Finish {
public:
  /// `vectors` (1 or 2) bias vectors are loaded, as many as the tile has.
  Finish(const FloatEpilogue &e, int vectors) : hasBias(e.bias), relu(e.relu) {
    if (hasBias) {
      bias[0] = _mm512_loadu_ps(e.bias);
      if (vectors > 1)
        bias[1] = _mm512_loadu_ps(e.bias + 16);
    }
  }

  /// The epilogue on one vector of sums, columns [16v, 16v + 16).
  __m512 operator()(int v, __m512 x) const {
    if (hasBias)
      x = _mm512_add_ps(x, bias[v]);
    // arith.maximumf(x, +0.0): x where x > 0 or NaN, else +0.0 (so -0.0
    // too).
    if (relu)
      x = _mm512_maskz_mov_ps(
          _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_NLE_UQ), x);
    return x;
  }

private:
  bool hasBias, relu;
  __m512 bias[2] = {_mm512_setzero_ps(), _mm512_setzero_ps()};
};

template <int R>
void tile(const FloatTileA &a, const float *b, float *c, int64_t ldc,
          int64_t cols, const FloatEpilogue &e) {
  __m512 acc[R][2];
  for (int r = 0; r < R; ++r)
    acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  for (int64_t i = 0; i < a.segments; ++i) {
    const float *ai = a.a + i * a.segmentStride;
    for (int64_t q = 0; q < a.segment; ++q, b += kFloatPanelWidth) {
      __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
      for (int r = 0; r < R; ++r) {
        __m512 av = _mm512_set1_ps(ai[r * a.lda + q]);
        acc[r][0] = _mm512_fmadd_ps(av, b0, acc[r][0]);
        acc[r][1] = _mm512_fmadd_ps(av, b1, acc[r][1]);
      }
    }
  }
  __mmask16 m0 = cols >= 16 ? 0xffff : __mmask16((1u << cols) - 1);
  __mmask16 m1 = cols >= 32  ? 0xffff
                 : cols > 16 ? __mmask16((1u << (cols - 16)) - 1)
                             : 0;
  const Finish finish(e, 2);
  for (int r = 0; r < R; ++r) {
    _mm512_mask_storeu_ps(c + r * ldc, m0, finish(0, acc[r][0]));
    _mm512_mask_storeu_ps(c + r * ldc + 16, m1, finish(1, acc[r][1]));
  }
}

/// R rows times the first 16 columns of a panel: R accumulators. With
/// LDA > 0 the row step is that constant (a.lda == LDA), so every row's
/// activation is a displacement off one pointer instead of a pointer of
/// its own: 14 rows would need more registers than there are.
template <int R, int LDA = 0>
void tileNarrow(const FloatTileA &a, const float *b, float *c, int64_t ldc,
                int64_t cols, const FloatEpilogue &e) {
  const int64_t lda = LDA > 0 ? LDA : a.lda;
  __m512 acc[R];
  for (int r = 0; r < R; ++r)
    acc[r] = _mm512_setzero_ps();
  for (int64_t i = 0; i < a.segments; ++i) {
    const float *ai = a.a + i * a.segmentStride;
    for (int64_t q = 0; q < a.segment; ++q, b += kFloatPanelWidth) {
      __m512 b0 = _mm512_load_ps(b);
      for (int r = 0; r < R; ++r)
        acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(ai[r * lda + q]), b0, acc[r]);
    }
  }
  __mmask16 m0 = cols >= 16 ? 0xffff : __mmask16((1u << cols) - 1);
  const Finish finish(e, 1);
  for (int r = 0; r < R; ++r)
    _mm512_mask_storeu_ps(c + r * ldc, m0, finish(0, acc[r]));
}

/// maximumf lane by lane: maxps gives b where the lanes are unordered or
/// equal; there a + b (a NaN, a's first) and a & b (+0.0 over -0.0).
inline __m512 maximumf(__m512 a, __m512 b) {
  __m512 m = _mm512_max_ps(a, b);
  m = _mm512_castsi512_ps(_mm512_mask_and_epi32(
      _mm512_castps_si512(m), _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ),
      _mm512_castps_si512(a), _mm512_castps_si512(b)));
  return _mm512_mask_add_ps(m, _mm512_cmp_ps_mask(a, b, _CMP_UNORD_Q), a, b);
}

} // namespace

void floatWindowMaxAvx512(const FloatPool &shape, const float *window,
                          float *out) {
  // A copy: through the reference, every field would be loaded again after
  // each store (the vector stores may alias anything).
  const FloatPool pool = shape;
  for (int64_t j = 0; j < pool.cols; j += 16) {
    const __mmask16 live = pool.cols - j >= 16
                               ? __mmask16(0xffff)
                               : __mmask16((1u << (pool.cols - j)) - 1);
    // Four pixels at a time: their chains of maximumf are independent.
    int64_t p = 0;
    for (; p + 4 <= pool.pixels; p += 4) {
      __m512 m[4];
      for (int q = 0; q < 4; ++q)
        m[q] = _mm512_set1_ps(pool.init);
      for (int64_t i = 0; i < pool.poolH; ++i)
        for (int64_t t = 0; t < pool.poolW; ++t)
          for (int q = 0; q < 4; ++q)
            m[q] = maximumf(m[q], _mm512_maskz_loadu_ps(
                                      live, window + (p + q) * pool.pixelStep +
                                                i * pool.rowStep +
                                                t * pool.columnStep + j));
      for (int q = 0; q < 4; ++q)
        _mm512_mask_storeu_ps(out + (p + q) * pool.outStep + j, live, m[q]);
    }
    for (; p < pool.pixels; ++p) {
      __m512 m = _mm512_set1_ps(pool.init);
      for (int64_t i = 0; i < pool.poolH; ++i)
        for (int64_t t = 0; t < pool.poolW; ++t)
          m = maximumf(
              m, _mm512_maskz_loadu_ps(live, window + p * pool.pixelStep +
                                                 i * pool.rowStep +
                                                 t * pool.columnStep + j));
      _mm512_mask_storeu_ps(out + p * pool.outStep + j, live, m);
    }
  }
}

using NarrowFn = void (*)(const FloatTileA &, const float *, float *, int64_t,
                          int64_t, const FloatEpilogue &);

template <int LDA, int... Rows>
NarrowFn pickNarrow(int64_t rows, std::integer_sequence<int, Rows...>) {
  static constexpr NarrowFn fns[] = {tileNarrow<Rows + 1, LDA>...};
  return fns[rows - 1];
}

void floatTileAvx512Narrow(const FloatTileA &a, int64_t rows, const float *b,
                           float *c, int64_t ldc, int64_t cols,
                           const FloatEpilogue &e) {
  using All = std::make_integer_sequence<int, kFloatNarrowTileRows>;
  // The row steps of the usual narrow layers (one input channel, or 16 at
  // stride 1) as constants (bundled CNN, fp32, one core, batch 64: 1.85 ->
  // 1.66 ms).
  NarrowFn fn = a.lda == 1    ? pickNarrow<1>(rows, All())
                : a.lda == 16 ? pickNarrow<16>(rows, All())
                              : pickNarrow<0>(rows, All());
  fn(a, b, c, ldc, cols, e);
}

void floatTileAvx512(const FloatTileA &a, int64_t rows, const float *b,
                     float *c, int64_t ldc, int64_t cols,
                     const FloatEpilogue &e) {
  switch (rows) {
  case 1:
    return tile<1>(a, b, c, ldc, cols, e);
  case 2:
    return tile<2>(a, b, c, ldc, cols, e);
  case 3:
    return tile<3>(a, b, c, ldc, cols, e);
  case 4:
    return tile<4>(a, b, c, ldc, cols, e);
  case 5:
    return tile<5>(a, b, c, ldc, cols, e);
  default:
    return tile<6>(a, b, c, ldc, cols, e);
  }
}

} // namespace mlir::qnt::kernels::detail

#else
// Not built for AVX-512: the caller never selects these paths.
void mlir::qnt::kernels::detail::floatWindowMaxAvx512(const FloatPool &,
                                                      const float *, float *) {}
void mlir::qnt::kernels::detail::floatTileAvx512(const FloatTileA &, int64_t,
                                                 const float *, float *,
                                                 int64_t, int64_t,
                                                 const FloatEpilogue &) {}
void mlir::qnt::kernels::detail::floatTileAvx512Narrow(const FloatTileA &,
                                                       int64_t, const float *,
                                                       float *, int64_t,
                                                       int64_t,
                                                       const FloatEpilogue &) {}
#endif
