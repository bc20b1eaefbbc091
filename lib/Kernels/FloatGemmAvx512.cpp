//===- FloatGemmAvx512.cpp - AVX-512 FMA microkernel of the fp32 layers ---===//
//
// The only file of the fp32 layers compiled with -mavx512f -mfma; callers
// check the CPU first. A tile of R rows (R <= 6) times one 32-column panel
// keeps 2R accumulators in zmm registers over the whole K: per k, two loads
// of the panel and R broadcasts of A feed 2R fused multiply-adds.
//
//===----------------------------------------------------------------------===//

#include "FloatLayerImpl.h"

#if defined(__AVX512F__) && defined(__FMA__)
#include <immintrin.h>

namespace mlir::qnt::kernels::detail {
namespace {

template <int R>
void tile(const float *a, int64_t lda, const float *b, int64_t k, float *c,
          int64_t ldc, int64_t cols) {
  __m512 acc[R][2];
  for (int r = 0; r < R; ++r)
    acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  for (int64_t q = 0; q < k; ++q, b += kFloatPanelWidth) {
    __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
    for (int r = 0; r < R; ++r) {
      __m512 av = _mm512_set1_ps(a[r * lda + q]);
      acc[r][0] = _mm512_fmadd_ps(av, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(av, b1, acc[r][1]);
    }
  }
  __mmask16 m0 = cols >= 16 ? 0xffff : __mmask16((1u << cols) - 1);
  __mmask16 m1 = cols >= 32  ? 0xffff
                 : cols > 16 ? __mmask16((1u << (cols - 16)) - 1)
                             : 0;
  for (int r = 0; r < R; ++r) {
    _mm512_mask_storeu_ps(c + r * ldc, m0, acc[r][0]);
    _mm512_mask_storeu_ps(c + r * ldc + 16, m1, acc[r][1]);
  }
}

} // namespace

void floatTileAvx512(const float *a, int64_t lda, int64_t rows, const float *b,
                     int64_t k, float *c, int64_t ldc, int64_t cols) {
  switch (rows) {
  case 1:
    return tile<1>(a, lda, b, k, c, ldc, cols);
  case 2:
    return tile<2>(a, lda, b, k, c, ldc, cols);
  case 3:
    return tile<3>(a, lda, b, k, c, ldc, cols);
  case 4:
    return tile<4>(a, lda, b, k, c, ldc, cols);
  case 5:
    return tile<5>(a, lda, b, k, c, ldc, cols);
  default:
    return tile<6>(a, lda, b, k, c, ldc, cols);
  }
}

} // namespace mlir::qnt::kernels::detail

#else
// Not built for AVX-512: the caller never selects this path.
void mlir::qnt::kernels::detail::floatTileAvx512(const float *, int64_t,
                                                 int64_t, const float *,
                                                 int64_t, float *, int64_t,
                                                 int64_t) {}
#endif
