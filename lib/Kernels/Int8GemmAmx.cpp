//===- Int8GemmAmx.cpp - AMX int8 GEMM ------------------------------------===//
//
// The only file compiled with -mamx-tile -mamx-int8 (and AVX-512 for the
// epilogue); callers check cpuHasAmx() first, which also obtained the
// XTILEDATA permission from Linux.
//
// Tiles: 0-3 hold a 32 x 32 block of i32 accumulators (2 x 2 tiles of
// 16 x 16), 4-5 two A tiles (16 rows x 64 bytes of k), 6-7 two B tiles
// (16 groups of 4 k x 16 columns x 4 bytes). A B tile is 16 consecutive
// groups of one PackedWeights panel, 1 KiB of consecutive bytes, loaded in
// place; each pass prefetches the next pass's B from memory into L2.
//
// A is copied once per call into a zero-padded buffer in tile order (rows to
// a multiple of 32, k to a multiple of 64), so every tile is full and tails
// in M, N and K cost only wasted multiplies: the groups a tile reads past K
// (the next panel, or the zero slack after the last) meet zero bytes of A.
// A strip whose second panel is past N runs on half of the tiles (2 x 1). u8 x
// s8 runs `tdpbusd`, s8 x s8 `tdpbssd`: no bias on A. Per N block and M block
// the K passes accumulate in a scratch block (tile loads and stores); the last
// pass adds the zero-point terms and writes the live part of C straight from
// the tiles:
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
constexpr int64_t kGroup = 64;  // bytes per 4-k group of a panel
constexpr int64_t kTileBytes = 16 * kGroup; // one B tile: 16 groups

/// What the last pass over K adds to a 32 x 32 block before it lands in C.
struct Epilogue {
  int32_t *c; ///< C at the block's first row and column.
  int64_t ldc;
  int64_t rows, cols;     ///< Live rows and columns, 1..32.
  /// -zpA*colSum[j] + K*zpA*zpB[j], 32 entries; null when the tiles
  /// started from it.
  const int32_t *colTerm;
  const int32_t *zpB;     ///< 32 entries, or null.
  const int32_t *rowSum;  ///< `rows` entries when zpB is non-null.
};

/// Where the accumulators of a block start: zero, the sums of the earlier
/// passes, or (first pass, no zpB) colTerm in every row, so that the terms
/// need no pass of their own.
struct Init {
  const int32_t *acc = nullptr;     ///< Earlier passes' sums, or null.
  const int32_t *colTerm = nullptr; ///< 32 entries, or null.
};

/// Writes a 32 x 32 block of sums (four 16 x 16 tiles, in the order 00, 01,
/// 10, 11) to C with the zero-point terms, live rows and columns only.
void writeBlock(const int32_t *tiles, const Epilogue &e) {
  for (int64_t h = 0; h < 2; ++h) {
    const int64_t live = e.cols - 16 * h;
    if (live <= 0)
      break;
    const __mmask16 mask =
        live >= 16 ? __mmask16(0xffff) : __mmask16((1u << live) - 1);
    const __m512i ct = e.colTerm ? _mm512_loadu_si512(e.colTerm + 16 * h)
                                 : _mm512_setzero_si512();
    const __m512i zb =
        e.zpB ? _mm512_loadu_si512(e.zpB + 16 * h) : _mm512_setzero_si512();
    for (int64_t r = 0; r < e.rows; ++r) {
      __m512i x =
          _mm512_load_si512(tiles + (r / 16 * 2 + h) * 256 + (r % 16) * 16);
      x = _mm512_add_epi32(x, ct);
      if (e.zpB)
        x = _mm512_sub_epi32(
            x, _mm512_mullo_epi32(_mm512_set1_epi32(e.rowSum[r]), zb));
      _mm512_mask_storeu_epi32(e.c + r * e.ldc + 16 * h, mask, x);
    }
  }
}

/// Brings the packed B of the next pass towards L2 while this one computes,
/// a few lines per k step: those reads come from memory, and the tile loads
/// of the first M block would wait for them. The `lines` lines form runs of
/// `chunkLines` consecutive lines, `chunkStride` bytes apart (one run per
/// panel).
struct Prefetch {
  const int8_t *base = nullptr;
  int64_t chunkStride = 0, chunkLines = 0, lines = 0;
  int64_t next = 0, perStep = 0;

  void step() {
    for (int64_t i = 0; i < perStep && next < lines; ++i, ++next)
      _mm_prefetch(
          reinterpret_cast<const char *>(
              base + next / chunkLines * chunkStride + next % chunkLines * 64),
          _MM_HINT_T1);
  }
};

/// One 32 x 32 accumulator block (32 x 16 when not Wide) over `steps` x 64
/// k. `a` is the packed A of the block's rows at the pass's first k (per step
/// two 16 x 64 tiles, 2 KiB); `b0` and `b1` the strip's two panels at the
/// pass's first group (`b1` unread when not Wide); `acc` the block's
/// four 16 x 16 scratch tiles (1 KiB each, in the order 00, 01, 10, 11) that
/// passes before the last store to. With an epilogue (the last pass) the sums
/// go to C instead: straight from the tiles when the block is whole and its
/// terms were in `init`.
template <bool Signed, bool Wide>
void block(const uint8_t *a, const int8_t *b0, const int8_t *b1, int64_t steps,
           int32_t *acc, const Init &init, const Epilogue *epilogue,
           Prefetch *prefetch) {
  if (init.acc) {
    _tile_loadd(0, init.acc, 64);
    _tile_loadd(2, init.acc + 512, 64);
    if constexpr (Wide) {
      _tile_loadd(1, init.acc + 256, 64);
      _tile_loadd(3, init.acc + 768, 64);
    }
  } else if (init.colTerm) {
    // A stride of 0 repeats the row in all 16 rows of the tile.
    _tile_loadd(0, init.colTerm, 0);
    _tile_loadd(2, init.colTerm, 0);
    if constexpr (Wide) {
      _tile_loadd(1, init.colTerm + 16, 0);
      _tile_loadd(3, init.colTerm + 16, 0);
    }
  } else {
    _tile_zero(0);
    _tile_zero(2);
    if constexpr (Wide) {
      _tile_zero(1);
      _tile_zero(3);
    }
  }
  for (int64_t s = 0; s < steps; ++s) {
    if (prefetch)
      prefetch->step();
    _tile_loadd(4, a, 64);
    _tile_loadd(6, b0, 64);
    if constexpr (Wide)
      _tile_loadd(7, b1, 64);
    _tile_loadd(5, a + 1024, 64);
    if constexpr (Signed) {
      _tile_dpbssd(0, 4, 6);
      if constexpr (Wide)
        _tile_dpbssd(1, 4, 7);
      _tile_dpbssd(2, 5, 6);
      if constexpr (Wide)
        _tile_dpbssd(3, 5, 7);
    } else {
      _tile_dpbusd(0, 4, 6);
      if constexpr (Wide)
        _tile_dpbusd(1, 4, 7);
      _tile_dpbusd(2, 5, 6);
      if constexpr (Wide)
        _tile_dpbusd(3, 5, 7);
    }
    a += 2048;
    b0 += kTileBytes;
    b1 += kTileBytes;
  }
  if (epilogue && !epilogue->colTerm && !epilogue->zpB &&
      epilogue->rows == kMicro && epilogue->cols == (Wide ? kMicro : 16)) {
    const int64_t stride = epilogue->ldc * int64_t(sizeof(int32_t));
    int32_t *c = epilogue->c;
    _tile_stored(0, c, stride);
    _tile_stored(2, c + 16 * epilogue->ldc, stride);
    if constexpr (Wide) {
      _tile_stored(1, c + 16, stride);
      _tile_stored(3, c + 16 * epilogue->ldc + 16, stride);
    }
    return;
  }
  alignas(64) int32_t tiles[4 * 256];
  int32_t *out = epilogue ? tiles : acc;
  _tile_stored(0, out, 64);
  _tile_stored(2, out + 512, 64);
  if constexpr (Wide) {
    _tile_stored(1, out + 256, 64);
    _tile_stored(3, out + 768, 64);
  }
  if (epilogue)
    writeBlock(tiles, *epilogue);
}

/// Copies rows [0, rows) of A (k bytes each) into tile order: per 32 rows,
/// per 64 k, two 16 x 64 tiles (2 KiB), zero past k and past `rows` up to a
/// multiple of 32.
void packA(const uint8_t *a, int64_t lda, int64_t rows, int64_t k,
           uint8_t *out) {
  const int64_t steps = (k + kStepK - 1) / kStepK;
  const int64_t full = k / kStepK;
  const __mmask64 tail = k % kStepK ? (~0ull >> (64 - k % kStepK)) : 0;
  const int64_t rowsPad = (rows + kMicro - 1) / kMicro * kMicro;
  for (int64_t i = 0; i < rowsPad; ++i) {
    uint8_t *dst = out + (i / kMicro) * steps * 2048 + (i % kMicro) * 64;
    if (i >= rows) {
      for (int64_t q = 0; q < steps; ++q)
        _mm512_store_si512(dst + q * 2048, _mm512_setzero_si512());
      continue;
    }
    const uint8_t *src = a + i * lda;
    for (int64_t q = 0; q < full; ++q)
      _mm512_store_si512(dst + q * 2048, _mm512_loadu_si512(src + q * 64));
    if (tail)
      _mm512_store_si512(dst + full * 2048,
                         _mm512_maskz_loadu_epi8(tail, src + full * 64));
  }
}

int64_t roundUp(int64_t x, int64_t to) { return (x + to - 1) / to * to; }

} // namespace

bool gemmAmx(const uint8_t *a, int64_t lda, int64_t m, const PackedView &b,
             int32_t zpA, const int32_t *zpB, int32_t *c, int64_t ldc,
             const GemmOptions &options, bool aSigned) {
  const int64_t k = b.k, n = b.n, np = b.nPadded();
  const int64_t groupsTotal = b.kPadded() / 4;
  const int64_t kA = roundUp(k, kStepK), mPad = roundUp(m, kMicro);
  const int64_t nPad = roundUp(n, kMicro);

  // Up to 1024 k in one pass (no sums carried between passes); deeper
  // products in passes of 512, whose A panel (32 rows) stays in L1.
  int64_t kc = options.blockK > 0 ? roundUp(options.blockK, kStepK)
               : kA <= 1024       ? kA
                                  : 512;
  int64_t mc = options.blockM > 0 ? roundUp(options.blockM, kMicro) : 512;
  int64_t nc = options.blockN > 0 ? roundUp(options.blockN, kMicro) : 512;
  kc = std::min(kc, kA);
  mc = std::min(mc, mPad);
  nc = std::min(nc, nPad);

  uint8_t *aPack = getScratch<Scratch::AmxA>(size_t(mPad * kA));
  // Sums of the passes before the last, for one M x N block.
  auto *acc = reinterpret_cast<int32_t *>(getScratch<Scratch::AmxAcc>(
      size_t(kc < kA ? mc * nc : 0) * sizeof(int32_t)));
  if (!aPack || !acc)
    return false;
  const int64_t panelBytes = groupsTotal * kGroup;

  // Zero-padded copy of A, and the per-row and per-column zero-point terms,
  // padded to whole blocks.
  bool anyZpB = false;
  for (int64_t j = 0; zpB && j < n && !anyZpB; ++j)
    anyZpB = zpB[j] != 0;
  // Kept per thread: called per block of rows, with the same sizes.
  thread_local std::vector<int32_t> colTerm, zpBPad, rowSum;
  colTerm.assign(size_t(nPad), 0);
  rowSum.assign(anyZpB ? size_t(m) : 0, 0);
  // A in tile order, so that a tile is 1 KiB of consecutive bytes (a row
  // stride of kA would put all its rows in one L1 set when kA is a multiple
  // of 4 KiB).
  const int64_t stepsTotal = kA / kStepK;
  packA(a, lda, m, k, aPack);
  if (anyZpB) {
    zpBPad.assign(size_t(nPad), 0);
    std::copy(zpB, zpB + n, zpBPad.begin());
    for (int64_t i = 0; i < m; ++i) {
      const uint8_t *src = a + i * lda;
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

  using BlockFn =
      void (*)(const uint8_t *, const int8_t *, const int8_t *, int64_t,
               int32_t *, const Init &, const Epilogue *, Prefetch *);
  const BlockFn run[2] = {aSigned ? block<true, false> : block<false, false>,
                          aSigned ? block<true, true> : block<false, true>};
  for (int64_t jc = 0; jc < nPad; jc += nc) {
    const int64_t nb = std::min(nc, nPad - jc);
    for (int64_t ic = 0; ic < mPad; ic += mc) {
      const int64_t mb = std::min(mc, mPad - ic);
      for (int64_t pc = 0; pc < kA; pc += kc) {
        const int64_t steps = std::min(kc, kA - pc) / kStepK;
        const bool last = pc + kc >= kA;
        // The pass after this one: next K block, else next M block, else
        // next N block.
        Prefetch pf;
        int64_t jn = jc, pn = pc + kc;
        if (pn >= kA) {
          pn = 0;
          if (ic + mc >= mPad)
            jn = jc + nc;
        }
        if (jn < nPad) {
          const int64_t nbn = std::min(nc, nPad - jn);
          const int64_t gn = std::min(kc / 4, groupsTotal - pn / 4);
          pf.base = b.data + jn / kPanelWidth * panelBytes + pn / 4 * kGroup;
          pf.chunkStride = panelBytes;
          pf.chunkLines = gn * kGroup / 64;
          pf.lines =
              (std::min(jn + nbn, np) - jn) / kPanelWidth * pf.chunkLines;
          const int64_t stepsHere = (mb / kMicro) * (nb / kMicro) * steps;
          pf.perStep = (pf.lines + stepsHere - 1) / stepsHere;
        }
        // Each A panel (32 rows x kc) stays in L1 while it meets every B
        // strip of the block, which stream from L2 (after the first M
        // block).
        for (int64_t ir = 0; ir < mb; ir += kMicro) {
          const int64_t row = ic + ir;
          const uint8_t *ap =
              aPack + (row / kMicro * stepsTotal + pc / kStepK) * 2048;
          for (int64_t jr = 0; jr < nb; jr += kMicro) {
            const int64_t col = jc + jr;
            int32_t *blockAcc = acc + (ir * nb + jr * kMicro);
            // Without zpB the column terms are the same in every row, and
            // the first pass starts from them.
            Init init;
            if (pc > 0)
              init.acc = blockAcc;
            else if (!anyZpB)
              init.colTerm = colTerm.data() + col;
            Epilogue e;
            if (last) {
              e.c = c + row * ldc + col;
              e.ldc = ldc;
              e.rows = std::min(kMicro, m - row);
              e.cols = std::min(kMicro, n - col);
              e.colTerm = anyZpB ? colTerm.data() + col : nullptr;
              e.zpB = anyZpB ? zpBPad.data() + col : nullptr;
              e.rowSum = anyZpB ? rowSum.data() + row : nullptr;
            }
            const int8_t *b0 =
                b.data + col / kPanelWidth * panelBytes + pc / 4 * kGroup;
            // A strip whose second panel is past N (N ending in half a
            // strip, or 16-channel layers) uses half of the tiles.
            const bool wide = col + kPanelWidth < np;
            (wide ? run[1] : run[0])(ap, b0, b0 + panelBytes, steps, blockAcc,
                                     init, last ? &e : nullptr,
                                     pf.lines ? &pf : nullptr);
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
