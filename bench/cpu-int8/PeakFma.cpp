//===- PeakFma.cpp - vfmadd231ps zmm throughput kernel --------------------===//
//
// Built with -mavx512f -mfma. Twelve independent accumulators cover the FMA
// latency (4 cycles) at two instructions per cycle.
//
//===----------------------------------------------------------------------===//
#include "Peaks.h"

#include <immintrin.h>

namespace quant::bench {

/// Keeps the accumulators alive so the loop is not removed.
static volatile float fmaSink;

uint64_t fmaPeakKernel(uint64_t iters) {
  __m512 a = _mm512_set1_ps(0.999999f);
  __m512 b = _mm512_set1_ps(1e-7f);
  // Distinct starting values: identical chains would be merged into one.
  __m512 c0 = _mm512_set1_ps(1.0f), c1 = _mm512_set1_ps(1.1f),
         c2 = _mm512_set1_ps(1.2f), c3 = _mm512_set1_ps(1.3f),
         c4 = _mm512_set1_ps(1.4f), c5 = _mm512_set1_ps(1.5f),
         c6 = _mm512_set1_ps(1.6f), c7 = _mm512_set1_ps(1.7f),
         c8 = _mm512_set1_ps(1.8f), c9 = _mm512_set1_ps(1.9f),
         c10 = _mm512_set1_ps(2.0f), c11 = _mm512_set1_ps(2.1f);
  for (uint64_t i = 0; i < iters; ++i) {
    asm volatile("" : "+v"(a), "+v"(b));
    c0 = _mm512_fmadd_ps(c0, a, b);
    c1 = _mm512_fmadd_ps(c1, a, b);
    c2 = _mm512_fmadd_ps(c2, a, b);
    c3 = _mm512_fmadd_ps(c3, a, b);
    c4 = _mm512_fmadd_ps(c4, a, b);
    c5 = _mm512_fmadd_ps(c5, a, b);
    c6 = _mm512_fmadd_ps(c6, a, b);
    c7 = _mm512_fmadd_ps(c7, a, b);
    c8 = _mm512_fmadd_ps(c8, a, b);
    c9 = _mm512_fmadd_ps(c9, a, b);
    c10 = _mm512_fmadd_ps(c10, a, b);
    c11 = _mm512_fmadd_ps(c11, a, b);
  }
  __m512 s = _mm512_add_ps(
      _mm512_add_ps(_mm512_add_ps(c0, c1), _mm512_add_ps(c2, c3)),
      _mm512_add_ps(_mm512_add_ps(c4, c5), _mm512_add_ps(c6, c7)));
  s = _mm512_add_ps(
      s, _mm512_add_ps(_mm512_add_ps(c8, c9), _mm512_add_ps(c10, c11)));
  fmaSink = _mm512_reduce_add_ps(s);
  // 12 instructions x 16 lanes x 2 operations.
  return iters * 12 * 16 * 2;
}

} // namespace quant::bench
