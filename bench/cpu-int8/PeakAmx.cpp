//===- PeakAmx.cpp - tdpbssd throughput kernel ----------------------------===//
//
// Built with -mamx-tile -mamx-int8: the only code in the program that touches
// tile registers. Six accumulator tiles (16x16 int32) share two input tiles
// (16x64 int8), so the six tdpbssd per iteration are independent.
//
//===----------------------------------------------------------------------===//
#include "Peaks.h"

#include "quant/Kernels/Int8Gemm.h"

#include <cstring>
#include <immintrin.h>

namespace quant::bench {

/// Keeps the accumulators alive so the loop is not removed.
static volatile int32_t amxSink;

uint64_t amxPeakKernel(uint64_t iters) {
  mlir::qnt::kernels::AmxTileConfig cfg;
  std::memset(&cfg, 0, sizeof(cfg));
  cfg.paletteId = 1;
  for (int t = 0; t < 8; ++t) {
    cfg.rows[t] = 16;
    cfg.colsb[t] = 64;
  }
  _tile_loadconfig(&cfg);

  alignas(64) static int8_t input[16 * 64];
  alignas(64) int32_t out[16 * 16];
  for (int i = 0; i < 16 * 64; ++i)
    input[i] = static_cast<int8_t>(i % 7 - 3);
  _tile_loadd(6, input, 64);
  _tile_loadd(7, input, 64);
  _tile_zero(0);
  _tile_zero(1);
  _tile_zero(2);
  _tile_zero(3);
  _tile_zero(4);
  _tile_zero(5);
  for (uint64_t i = 0; i < iters; ++i) {
    _tile_dpbssd(0, 6, 7);
    _tile_dpbssd(1, 6, 7);
    _tile_dpbssd(2, 6, 7);
    _tile_dpbssd(3, 6, 7);
    _tile_dpbssd(4, 6, 7);
    _tile_dpbssd(5, 6, 7);
  }
  int32_t sum = 0;
  _tile_stored(0, out, 64);
  sum += out[0];
  _tile_stored(5, out, 64);
  sum += out[255];
  _tile_release();
  amxSink = sum;
  // 6 instructions x 16 x 16 outputs x 64 multiply-adds x 2 operations.
  return iters * 6 * 16 * 16 * 64 * 2;
}

} // namespace quant::bench
