//===- RequantizeAvx512.h - Float requantization of 16 i32 sums -*- C++ -*-===//
//
// The float requantization of the int8 layers (QuantizedLayer.cpp's
// requantizeRowFloat) on one zmm of sums, shared by the block requantizer
// and the VNNI microkernel's epilogue so that both give the same bits. The
// functions carry their instruction sets as target attributes: they inline
// into callers compiled for AVX-512 either way (flags or attributes).
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_LIB_KERNELS_REQUANTIZEAVX512_H
#define QUANT_LIB_KERNELS_REQUANTIZEAVX512_H

#if defined(__x86_64__) && defined(__GNUC__)
#include <cstdint>
#include <immintrin.h>

#define QUANT_REQUANTIZE_AVX512                                                \
  gnu::target("avx512f,avx512dq,avx512bw,avx512vl"), gnu::always_inline

namespace mlir::qnt::kernels::detail {

/// What 16 columns share: bias (also widened to i64, both halves) and
/// multipliers, loaded once for all rows. Lanes outside `mask` are 0.
struct RequantizeColumns {
  __m512i bias, biasLo, biasHi;
  __m512 multipliers;

  [[QUANT_REQUANTIZE_AVX512]] RequantizeColumns(__mmask16 mask,
                                                const int32_t *b,
                                                const float *m) {
    bias = _mm512_maskz_loadu_epi32(mask, b);
    biasLo = _mm512_cvtepi32_epi64(_mm512_castsi512_si256(bias));
    biasHi = _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(bias, 1));
    multipliers = _mm512_maskz_loadu_ps(mask, m);
  }
};

/// clamp(round_half_even(f32(acc + bias) * m) + zp, lo, hi) per lane, as
/// bytes: the exact i64 sum converted to f32 (vcvtqq2ps rounds like the
/// scalar conversion; with I32Sums every acc + bias fits i32, and vcvtdq2ps
/// rounds it the same way: the i64 path took a 512x1024x1024 layer's
/// epilogue from 6% to 10% of its time),
/// vrndscaleps rounding half to even, then the zero point and clamp in f32,
/// exact there; the clamped values fit 8 bits, so vpmovdb's truncation is
/// exact too.
template <bool I32Sums>
[[QUANT_REQUANTIZE_AVX512]] inline __m128i
requantize16(__m512i acc, const RequantizeColumns &cols, __m512 zp, __m512 lo,
             __m512 hi) {
  __m512 v;
  if constexpr (I32Sums) {
    v = _mm512_cvtepi32_ps(_mm512_add_epi32(acc, cols.bias));
  } else {
    __m512i sumLo = _mm512_add_epi64(
        _mm512_cvtepi32_epi64(_mm512_castsi512_si256(acc)), cols.biasLo);
    __m512i sumHi = _mm512_add_epi64(
        _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(acc, 1)), cols.biasHi);
    v = _mm512_insertf32x8(_mm512_castps256_ps512(_mm512_cvtepi64_ps(sumLo)),
                           _mm512_cvtepi64_ps(sumHi), 1);
  }
  v = _mm512_mul_ps(v, cols.multipliers);
  v = _mm512_roundscale_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  v = _mm512_min_ps(_mm512_max_ps(_mm512_add_ps(v, zp), lo), hi);
  return _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(v));
}

} // namespace mlir::qnt::kernels::detail

#undef QUANT_REQUANTIZE_AVX512
#endif
#endif // QUANT_LIB_KERNELS_REQUANTIZEAVX512_H
