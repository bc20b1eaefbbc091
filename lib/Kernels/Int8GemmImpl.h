//===- Int8GemmImpl.h - Microkernel interface of the int8 GEMM --*- C++ -*-===//
//
// What the blocking driver (Int8Gemm.cpp) hands to a microkernel: one tile of
// up to kTileRows rows of packed A times up to four packed panels of B
// (kTileCols columns), for one pass over a block of K. The VNNI microkernel
// lives in Int8GemmVnni.cpp, the only file compiled for AVX-512.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_LIB_KERNELS_INT8GEMMIMPL_H
#define QUANT_LIB_KERNELS_INT8GEMMIMPL_H

#include "quant/Kernels/Int8Gemm.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <type_traits>

namespace mlir::qnt::kernels::detail {

/// Rows per microkernel tile: 6 rows x 4 vectors = 24 zmm accumulators.
inline constexpr int64_t kTileRows = 6;
/// Columns per microkernel tile: four panels.
inline constexpr int64_t kTileCols = 4 * kPanelWidth;

/// Scratch buffers of the GEMM drivers, and the i32 block the int8 layer
/// runtime hands them as C (64-byte aligned, so that rows of whole vectors
/// and AMX tile rows are stored without splitting cache lines).
enum class Scratch { VnniA, AmxA, AmxAcc, LayerAcc };

/// A 64-byte aligned buffer of at least `bytes` bytes for this thread and
/// use, kept and grown as needed: the layer runtime calls the GEMM for
/// every block of rows, hundreds of times per layer, with the same sizes.
/// Null when an allocation fails.
template <Scratch Use> uint8_t *getScratch(size_t bytes) {
  struct Buffer {
    uint8_t *data = nullptr;
    size_t size = 0;
    ~Buffer() { std::free(data); }
  };
  thread_local Buffer buffer;
  bytes = std::max<size_t>((bytes + 63) / 64 * 64, 64);
  if (bytes > buffer.size) {
    std::free(buffer.data);
    buffer.data = static_cast<uint8_t *>(std::aligned_alloc(64, bytes));
    buffer.size = buffer.data ? bytes : 0;
  }
  return buffer.data;
}

/// The float requantization of the int8 layers (QuantizedLayer.cpp's
/// requantizeRowFloat) done by the microkernel on the last pass instead of
/// storing i32 sums: out(i, j) = clamp(round_half_even(f32(C(i, j) +
/// bias[j]) * multipliers[j]) + zeroPoint, lo, hi) as 8 bits, at row i and
/// column j of the product (bias and multipliers from its column 0).
struct Requantize {
  const int32_t *bias;
  const float *multipliers;
  float zeroPoint, lo, hi;
  /// Every C(i, j) + bias[j] fits i32 (Header::i32Sums).
  bool i32Sums;
  uint8_t *out;
  int64_t ldOut;
};

/// One microkernel call.
struct Tile {
  /// Packed A: `groups` groups, each `rows` x 4 bytes (row r at 4r).
  const uint8_t *a;
  /// Packed B, first panel, at the first group of this pass: `groups` x 64
  /// bytes; panel v of the tile starts `bStride` bytes after panel v - 1.
  const int8_t *b;
  int64_t bStride;
  int64_t groups;
  int64_t rows; ///< Live rows, 1..kTileRows.
  int64_t cols; ///< Live columns, 1..kTileCols.
  int32_t *c;
  int64_t ldc;
  /// Add to C instead of overwriting it (not the first pass over K).
  bool accumulate;
  /// Last pass over K: add colTerm[j] and subtract rowSum[r] * zpB[j] when
  /// zpB is non-null. colTerm and zpB point at the tile's first column and
  /// hold a whole vector for each live one.
  const int32_t *colTerm;
  const int32_t *zpB;
  const int32_t *rowSum;
  /// Lines of the next pass's B to pull into L2 during this tile, four per
  /// four groups: line l of that pass is group l / 4 of its panel l % 4,
  /// from `prefetch` (its first panel) on; lines [prefetchFirst,
  /// prefetchFirst + prefetchLines) go in this tile. Both are multiples of
  /// 4, and prefetchLines may be 0.
  const int8_t *prefetch;
  int64_t prefetchFirst;
  int64_t prefetchLines;
  /// First tile of the panel in this M block: B is still in L2, so the
  /// microkernel prefetches it into L1 a few groups ahead of its loads.
  bool bFromL2;
  /// Last pass of a requantized product (VNNI microkernel only): the 8-bit
  /// results of the tile at row `row` and column `col` of the product go
  /// to requant->out; C is then only read (when accumulating).
  const Requantize *requant = nullptr;
  int64_t row = 0, col = 0;
};

/// Packs rows [0, rows) of `a` (already offset to the tile, rows <= 6) and
/// k in [k0, k0 + 4 * groups) into tile order: groups x rows x 4 bytes, zero
/// past `k`. `flip` turns s8 into the biased u8 (x ^ 0x80 == x + 128 mod 256).
/// Portable (Int8Gemm.cpp) and AVX-512 (Int8GemmVnni.cpp, after cpuHasVnni()).
void packTilePortable(const uint8_t *a, int64_t lda, int64_t rows, int64_t k,
                      int64_t k0, int64_t groups, uint8_t flip, uint8_t *out);
void packTileVnni(const uint8_t *a, int64_t lda, int64_t rows, int64_t k,
                  int64_t k0, int64_t groups, uint8_t flip, uint8_t *out);

/// Calls f(std::integral_constant<int, R>()) for R = rows, 1..kTileRows:
/// the microkernels and packers are templates on their row count.
template <typename F> void withTileRows(int64_t rows, F &&f) {
  switch (rows) {
  case 1:
    return f(std::integral_constant<int, 1>());
  case 2:
    return f(std::integral_constant<int, 2>());
  case 3:
    return f(std::integral_constant<int, 3>());
  case 4:
    return f(std::integral_constant<int, 4>());
  case 5:
    return f(std::integral_constant<int, 5>());
  default:
    static_assert(kTileRows == 6, "one case per row count");
    return f(std::integral_constant<int, 6>());
  }
}

/// Portable microkernel (Int8Gemm.cpp).
void tilePortable(const Tile &t);
/// AVX-512 VNNI microkernel (Int8GemmVnni.cpp); only call after cpuHasVnni().
void tileVnni(const Tile &t);
/// AVX-VNNI microkernel (Int8GemmAvx2Vnni.cpp), on A in the portable (and
/// AVX-512) tile order, which packTileAvx2Vnni writes with AVX2; only call
/// after cpuHasAvx2Vnni().
void tileAvx2Vnni(const Tile &t);
void packTileAvx2Vnni(const uint8_t *a, int64_t lda, int64_t rows, int64_t k,
                      int64_t k0, int64_t groups, uint8_t flip, uint8_t *out);
/// AVX2 microkernel (Int8GemmAvx2.cpp), on A packed by packTileAvx2: the
/// same order widened to i16 (8 bytes per row and group). Only call after
/// cpuHasAvx2().
void tileAvx2(const Tile &t);
void packTileAvx2(const uint8_t *a, int64_t lda, int64_t rows, int64_t k,
                  int64_t k0, int64_t groups, uint8_t flip, uint8_t *out);

/// gemmU8S8 (gemmS8S8 if aSigned) whose last pass requantizes into
/// requant.out on the AVX-512 VNNI path, without storing the sums, and
/// returns true (also when there is nothing to compute: m or n 0); other
/// paths store the sums to c as gemmU8S8 does and return false: the caller
/// requantizes c.
bool gemmRequantized(const uint8_t *a, int64_t lda, int64_t m,
                     const PackedView &b, int32_t zpA, const int32_t *zpB,
                     int32_t *c, int64_t ldc, const GemmOptions &options,
                     bool aSigned, const Requantize &requant);

/// The whole product on AMX tiles (Int8GemmAmx.cpp), zero points included;
/// m, n and k are positive. Only call it when cpuHasAmx(). Returns false,
/// having written nothing, when a scratch allocation fails (or AMX was not
/// compiled in).
bool gemmAmx(const uint8_t *a, int64_t lda, int64_t m, const PackedView &b,
             int32_t zpA, const int32_t *zpB, int32_t *c, int64_t ldc,
             const GemmOptions &options, bool aSigned);

} // namespace mlir::qnt::kernels::detail

#endif // QUANT_LIB_KERNELS_INT8GEMMIMPL_H
