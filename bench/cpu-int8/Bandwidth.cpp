//===- Bandwidth.cpp - Streaming read kernel ------------------------------===//
//
// Built with -mavx512f: 512-bit loads into four independent accumulators, so
// the loop is bound by memory, not by the adds.
//
//===----------------------------------------------------------------------===//
#include "Peaks.h"

#include <immintrin.h>

namespace quant::bench {

uint64_t readStreamKernel(const void *data, size_t bytes) {
  const __m512i *p = static_cast<const __m512i *>(data);
  size_t n = bytes / sizeof(__m512i);
  __m512i s0 = _mm512_setzero_si512(), s1 = s0, s2 = s0, s3 = s0;
  for (size_t i = 0; i + 4 <= n; i += 4) {
    s0 = _mm512_add_epi64(s0, _mm512_load_si512(p + i));
    s1 = _mm512_add_epi64(s1, _mm512_load_si512(p + i + 1));
    s2 = _mm512_add_epi64(s2, _mm512_load_si512(p + i + 2));
    s3 = _mm512_add_epi64(s3, _mm512_load_si512(p + i + 3));
  }
  __m512i s =
      _mm512_add_epi64(_mm512_add_epi64(s0, s1), _mm512_add_epi64(s2, s3));
  return static_cast<uint64_t>(_mm512_reduce_add_epi64(s));
}

} // namespace quant::bench
