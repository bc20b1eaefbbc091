//===- PeakVnni.cpp - vpdpbusd zmm throughput kernel ----------------------===//
//
// Built with -mavx512vnni: the only code in the program that uses VNNI
// directly. Twelve independent accumulators cover vpdpbusd's latency
// (5 cycles) at two instructions per cycle.
//
//===----------------------------------------------------------------------===//
#include "Peaks.h"

#include <immintrin.h>

namespace quant::bench {

/// Keeps the accumulators alive so the loop is not removed.
static volatile int32_t vnniSink;

uint64_t vnniPeakKernel(uint64_t iters) {
  __m512i a = _mm512_set1_epi8(1);
  __m512i b = _mm512_set1_epi8(-1);
  // Distinct starting values: identical chains would be merged into one.
  __m512i c0 = _mm512_set1_epi32(0), c1 = _mm512_set1_epi32(1),
          c2 = _mm512_set1_epi32(2), c3 = _mm512_set1_epi32(3),
          c4 = _mm512_set1_epi32(4), c5 = _mm512_set1_epi32(5),
          c6 = _mm512_set1_epi32(6), c7 = _mm512_set1_epi32(7),
          c8 = _mm512_set1_epi32(8), c9 = _mm512_set1_epi32(9),
          c10 = _mm512_set1_epi32(10), c11 = _mm512_set1_epi32(11);
  for (uint64_t i = 0; i < iters; ++i) {
    // The empty asm hides the operands' values so the loop stays a loop.
    asm volatile("" : "+v"(a), "+v"(b));
    c0 = _mm512_dpbusd_epi32(c0, a, b);
    c1 = _mm512_dpbusd_epi32(c1, a, b);
    c2 = _mm512_dpbusd_epi32(c2, a, b);
    c3 = _mm512_dpbusd_epi32(c3, a, b);
    c4 = _mm512_dpbusd_epi32(c4, a, b);
    c5 = _mm512_dpbusd_epi32(c5, a, b);
    c6 = _mm512_dpbusd_epi32(c6, a, b);
    c7 = _mm512_dpbusd_epi32(c7, a, b);
    c8 = _mm512_dpbusd_epi32(c8, a, b);
    c9 = _mm512_dpbusd_epi32(c9, a, b);
    c10 = _mm512_dpbusd_epi32(c10, a, b);
    c11 = _mm512_dpbusd_epi32(c11, a, b);
  }
  __m512i s = _mm512_add_epi32(
      _mm512_add_epi32(_mm512_add_epi32(c0, c1), _mm512_add_epi32(c2, c3)),
      _mm512_add_epi32(_mm512_add_epi32(c4, c5), _mm512_add_epi32(c6, c7)));
  s = _mm512_add_epi32(s, _mm512_add_epi32(_mm512_add_epi32(c8, c9),
                                           _mm512_add_epi32(c10, c11)));
  vnniSink = _mm512_reduce_add_epi32(s);
  // 12 instructions x 16 lanes x 4 multiply-adds x 2 operations.
  return iters * 12 * 16 * 4 * 2;
}

} // namespace quant::bench
