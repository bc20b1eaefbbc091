//===- Int8GemmAmx.cpp - AMX int8 GEMM ------------------------------------===//
//
// The only file compiled with -mamx-tile -mamx-int8 (and AVX-512 for the
// epilogue); callers check cpuHasAmx() first, which also obtained the
// XTILEDATA permission from Linux.
//
// Tiles: 0-3 hold a 32 x 32 block of i32 accumulators (2 x 2 tiles of
// 16 x 16), 4-5 two A tiles (16 rows x 64 bytes of k), 6-7 two B tiles
// (16 groups of 4 k x 16 columns x 4 bytes). B tiles are read straight from
// the PackedWeights panels: the 16 columns [16v, 16v + 16) of a panel sit at
// byte 64v of every 256-byte group, so a B tile is 16 rows of 64 bytes with a
// 256-byte stride. Past the last group of K the loads read the next panel
// (or the allocation's slack after the last one); A is zero there, so those
// products vanish exactly.
//
// A is copied once per call into a zero-padded buffer (rows to a multiple of
// 32, k to a multiple of 64), so every tile is full and tails in M, N and K
// cost only wasted multiplies; the N padding of the panels is zero too.
// u8 x s8 runs `tdpbusd`, s8 x s8 `tdpbssd`: no bias on A. Per N block and M
// block the K passes accumulate in a scratch block (tile loads and stores);
// the last pass adds the zero-point terms and writes the live part of C:
//
//   sum_k (a - zpA)(b - zpB[j]) = sum_k a*b - zpA*colSum[j]
//                                 - zpB[j]*rowSum[i] + K*zpA*zpB[j]
//
//===----------------------------------------------------------------------===//

#include "Int8GemmImpl.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#if defined(__AMX_TILE__) && defined(__AMX_INT8__) && defined(__AVX512F__)
#include <immintrin.h>

namespace mlir::qnt::kernels::detail {
namespace {

constexpr int64_t kStepK = 64;  // k per A tile row
constexpr int64_t kMicro = 32;  // rows and columns of the accumulator block
constexpr int64_t kGroup = 256; // bytes per 4-k group of a panel

/// One 32 x 32 accumulator block over `steps` x 64 k. `a` is the packed A of
/// the block's rows at the pass's first k (per step two 16 x 64 tiles, 2 KiB);
/// `b` the first B tile's first row; `acc` the block's four 16 x 16 scratch
/// tiles (1 KiB each, in the order 00, 01, 10, 11).
template <bool Signed>
void block(const uint8_t *a, const int8_t *b, int64_t steps, int32_t *acc,
           bool load) {
  if (load) {
    _tile_loadd(0, acc, 64);
    _tile_loadd(1, acc + 256, 64);
    _tile_loadd(2, acc + 512, 64);
    _tile_loadd(3, acc + 768, 64);
  } else {
    _tile_zero(0);
    _tile_zero(1);
    _tile_zero(2);
    _tile_zero(3);
  }
  for (int64_t s = 0; s < steps; ++s) {
    _tile_loadd(4, a, 64);
    _tile_loadd(6, b, kGroup);
    _tile_loadd(7, b + 64, kGroup);
    _tile_loadd(5, a + 1024, 64);
    if constexpr (Signed) {
      _tile_dpbssd(0, 4, 6);
      _tile_dpbssd(1, 4, 7);
      _tile_dpbssd(2, 5, 6);
      _tile_dpbssd(3, 5, 7);
    } else {
      _tile_dpbusd(0, 4, 6);
      _tile_dpbusd(1, 4, 7);
      _tile_dpbusd(2, 5, 6);
      _tile_dpbusd(3, 5, 7);
    }
    a += 2048;
    b += 16 * kGroup;
  }
  _tile_stored(0, acc, 64);
  _tile_stored(1, acc + 256, 64);
  _tile_stored(2, acc + 512, 64);
  _tile_stored(3, acc + 768, 64);
}

struct Aligned {
  void operator()(void *p) const { std::free(p); }
};
template <typename T> std::unique_ptr<T, Aligned> alignedArray(int64_t count) {
  size_t bytes = (size_t(count) * sizeof(T) + 63) / 64 * 64;
  return std::unique_ptr<T, Aligned>(
      static_cast<T *>(std::aligned_alloc(64, std::max<size_t>(bytes, 64))));
}

int64_t roundUp(int64_t x, int64_t to) { return (x + to - 1) / to * to; }

} // namespace

bool gemmAmx(const uint8_t *a, int64_t lda, int64_t m, const PackedView &b,
             int32_t zpA, const int32_t *zpB, int32_t *c, int64_t ldc,
             const GemmOptions &options, bool aSigned) {
  const int64_t k = b.k, n = b.n, np = b.nPadded();
  const int64_t groupsTotal = b.kPadded() / 4;
  const int64_t kA = roundUp(k, kStepK), mPad = roundUp(m, kMicro);

  int64_t kc = options.blockK > 0 ? roundUp(options.blockK, kStepK) : 4096;
  int64_t mc = options.blockM > 0 ? roundUp(options.blockM, kMicro) : 256;
  int64_t nc = options.blockN > 0 ? roundUp(options.blockN, kPanelWidth) : 64;
  kc = std::min(kc, kA);
  mc = std::min(mc, mPad);
  nc = std::min(nc, np);

  auto aPack = alignedArray<uint8_t>(mPad * kA);
  auto acc = alignedArray<int32_t>(mc * nc);
  if (!aPack || !acc)
    return false;

  // Zero-padded copy of A, and the per-row and per-column zero-point terms.
  bool anyZpB = false;
  for (int64_t j = 0; zpB && j < n && !anyZpB; ++j)
    anyZpB = zpB[j] != 0;
  std::vector<int32_t> colTerm(static_cast<size_t>(n));
  std::vector<int32_t> rowSum(anyZpB ? static_cast<size_t>(m) : 0);
  // A in tile order: per 32 rows, per 64 k, two 16 x 64 tiles (2 KiB), so a
  // tile is 1 KiB of consecutive bytes (a row stride of kA would put all its
  // rows in one L1 set when kA is a multiple of 4 KiB).
  const int64_t stepsTotal = kA / kStepK;
  std::memset(aPack.get(), 0, size_t(mPad * kA));
  for (int64_t i = 0; i < m; ++i) {
    const uint8_t *src = a + i * lda;
    uint8_t *dst =
        aPack.get() + (i / kMicro) * stepsTotal * 2048 + (i % kMicro) * 64;
    for (int64_t q = 0; q < k; q += kStepK, dst += 2048)
      std::memcpy(dst, src + q, size_t(std::min(kStepK, k - q)));
    if (anyZpB) {
      uint32_t s = 0;
      if (aSigned)
        for (int64_t q = 0; q < k; ++q)
          s += uint32_t(int32_t(int8_t(src[q])));
      else
        for (int64_t q = 0; q < k; ++q)
          s += src[q];
      rowSum[size_t(i)] = int32_t(s);
    }
  }
  const uint32_t zpAu = uint32_t(zpA);
  for (int64_t j = 0; j < n; ++j) {
    uint32_t zb = anyZpB ? uint32_t(zpB[j]) : 0u;
    colTerm[size_t(j)] =
        int32_t(0u - zpAu * uint32_t(b.colSums[j]) + uint32_t(k) * zpAu * zb);
  }

  AmxTileConfig cfg;
  std::memset(&cfg, 0, sizeof(cfg));
  cfg.paletteId = 1;
  for (int t = 0; t < 8; ++t) {
    cfg.rows[t] = 16;
    cfg.colsb[t] = 64;
  }
  _tile_loadconfig(&cfg);

  auto run = aSigned ? block<true> : block<false>;
  for (int64_t jc = 0; jc < np; jc += nc) {
    const int64_t nb = std::min(nc, np - jc);
    for (int64_t ic = 0; ic < mPad; ic += mc) {
      const int64_t mb = std::min(mc, mPad - ic);
      for (int64_t pc = 0; pc < kA; pc += kc) {
        const int64_t steps = std::min(kc, kA - pc) / kStepK;
        for (int64_t ir = 0; ir < mb; ir += kMicro) {
          const uint8_t *ap =
              aPack.get() +
              ((ic + ir) / kMicro * stepsTotal + pc / kStepK) * 2048;
          for (int64_t jr = 0; jr < nb; jr += kMicro) {
            const int64_t col = jc + jr;
            const int8_t *bp =
                b.data + ((col / kPanelWidth) * groupsTotal + pc / 4) * kGroup +
                (col % kPanelWidth) * 4;
            run(ap, bp, steps, acc.get() + ir * nb + jr * 32, pc > 0);
          }
        }
      }
      // Epilogue: zero-point terms, live rows and columns only. The scratch
      // holds 32 x 32 blocks, row-major over the M x N block, each four
      // 16 x 16 tiles in the order 00, 01, 10, 11.
      const int64_t rows = std::min(mb, m - ic), cols = std::min(nb, n - jc);
      const int32_t *ct = colTerm.data() + jc;
      const int32_t *zb = anyZpB ? zpB + jc : nullptr;
      for (int64_t r = 0; r < rows; ++r) {
        const uint32_t *src = reinterpret_cast<const uint32_t *>(
            acc.get() + (r / 32) * 32 * nb + (r % 32 / 16) * 512 +
            (r % 16) * 16);
        int32_t *dst = c + (ic + r) * ldc + jc;
        const uint32_t rs = zb ? uint32_t(rowSum[size_t(ic + r)]) : 0u;
        for (int64_t j0 = 0; j0 < cols; j0 += 16) {
          const uint32_t *t = src + (j0 / 32) * 1024 + (j0 % 32 / 16) * 256;
          const int64_t w = std::min<int64_t>(16, cols - j0);
          if (zb) {
            for (int64_t j = 0; j < w; ++j)
              dst[j0 + j] = int32_t(t[j] + uint32_t(ct[j0 + j]) -
                                    rs * uint32_t(zb[j0 + j]));
          } else {
            for (int64_t j = 0; j < w; ++j)
              dst[j0 + j] = int32_t(t[j] + uint32_t(ct[j0 + j]));
          }
        }
      }
    }
  }
  _tile_release();
  return true;
}

} // namespace mlir::qnt::kernels::detail

#else
// Not built for AMX (a non-x86 host or a compiler without it): cpuHasAmx()
// is false there; report failure so the caller takes another path.
bool mlir::qnt::kernels::detail::gemmAmx(const uint8_t *, int64_t, int64_t,
                                         const PackedView &, int32_t,
                                         const int32_t *, int32_t *, int64_t,
                                         const GemmOptions &, bool) {
  return false;
}
#endif
