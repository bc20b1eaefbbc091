//===- Int8Gemm.h - int8 GEMM kernels for x86 CPUs --------------*- C++ -*-===//
//
// quant's own int8 matrix multiplication with zero points, for constant
// weights packed once: C[M,N] (i32) = (A[M,K] - zpA) * (B[K,N] - zpB[col]).
// A is u8 or s8 and row-major, B is s8 (N = output channels) and packed into
// the panel layout of `vpdpbusd`, which AMX reads as B tiles too. On CPUs
// with AMX-INT8 (for M >= kAmxMinRows) tile instructions do the work, with
// AVX-512 VNNI or AVX-VNNI a register-blocked microkernel, with AVX2 one on
// i16 multiply-adds; elsewhere a portable C++ path gives the same bits. Results
// wrap modulo 2^32 like the hardware: keeping the true sums in i32 range is the
// caller's job (the verifier's accumulator bound).
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_KERNELS_INT8GEMM_H
#define QUANT_KERNELS_INT8GEMM_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mlir::qnt::kernels {

/// Columns per packed panel of B: one 16-lane i32 vector.
inline constexpr int64_t kPanelWidth = 16;

/// Zero bytes after the packed panels: an AMX B tile (16 groups of 64
/// bytes) starting in the last groups of the last panel stays in bounds.
inline constexpr int64_t kPackSlack = 16 * 64;

/// Packed B wherever it is stored (a PackedWeights, or the bytes a compiled
/// model carries): the layout of PackedWeights below, read only.
struct PackedView {
  const int8_t *data = nullptr; ///< 64-byte aligned, followed by kPackSlack.
  const int32_t *colSums = nullptr;
  int64_t k = 0, n = 0;

  int64_t kPadded() const { return (k + 3) / 4 * 4; }
  int64_t nPadded() const {
    return (n + kPanelWidth - 1) / kPanelWidth * kPanelWidth;
  }
  /// Columns [begin, end), begin a multiple of kPanelWidth: panels are
  /// stored one after another, so a run of them is packed B as well.
  PackedView columns(int64_t begin, int64_t end) const {
    return {data + begin * kPadded(), colSums + begin, k, end - begin};
  }
};

/// Bytes of the packed panels of a K x N matrix, slack included.
inline int64_t getPackedSize(int64_t k, int64_t n) {
  PackedView shape{nullptr, nullptr, k, n};
  return shape.kPadded() * shape.nPadded() + kPackSlack;
}

/// Writes B (K x N row-major, row stride ldb >= n) into `out` in the packed
/// layout: getPackedSize(k, n) bytes, 64-byte aligned, and nPadded column
/// sums into `colSums`.
void packWeightsInto(const int8_t *b, int64_t k, int64_t n, int64_t ldb,
                     int8_t *out, int32_t *colSums);

/// B (K x N, s8) in the layout `vpdpbusd` consumes, plus its column sums.
///
/// K is padded with zeros to a multiple of 4 and N to a multiple of
/// kPanelWidth. Panel p holds columns [16p, 16p + 16); within it, each group
/// of 4 consecutive k takes one 64-byte vector: column j of the panel at
/// bytes [4j, 4j + 4). Byte `data()[(p * kPadded / 4 + g) * 64 + 4 * j + q]`
/// is `b[4g + q][16p + j]`. The VNNI microkernel reads four panels side by
/// side; sixteen consecutive groups of a panel (1 KiB) are one AMX B tile,
/// loaded in place. The allocation ends with kPackSlack zero bytes.
class PackedWeights {
public:
  PackedWeights() = default;

  int64_t k() const { return kSize; }
  int64_t n() const { return nSize; }
  int64_t kPadded() const { return (kSize + 3) / 4 * 4; }
  int64_t nPadded() const {
    return (nSize + kPanelWidth - 1) / kPanelWidth * kPanelWidth;
  }
  /// The packed bytes (64-byte aligned), kPadded() * nPadded() of them,
  /// followed by kPackSlack zeros.
  const int8_t *data() const { return storage.get(); }
  /// Sum over k of b[k][n], nPadded() entries (zero in the padding).
  const int32_t *colSums() const { return sums.data(); }
  /// False for a default-constructed object or a failed allocation.
  bool valid() const { return storage != nullptr; }
  operator PackedView() const { return {data(), colSums(), kSize, nSize}; }

private:
  friend PackedWeights packWeights(const int8_t *, int64_t, int64_t, int64_t);
  struct Free {
    void operator()(int8_t *p) const;
  };
  int64_t kSize = 0, nSize = 0;
  std::unique_ptr<int8_t, Free> storage;
  std::vector<int32_t> sums;
};

/// Packs B, K x N row-major with row stride `ldb` (>= n). Weights are
/// constants: pack once, multiply many times.
PackedWeights packWeights(const int8_t *b, int64_t k, int64_t n, int64_t ldb);

/// Which implementation a GEMM call uses.
enum class GemmPath {
  Auto,     ///< AMX for m >= kAmxMinRows, else the best of the others.
  Portable, ///< Plain C++, any CPU.
  Avx2,     ///< AVX2 (i16 multiply-adds); falls back to Portable without it.
  Avx2Vnni, ///< AVX-VNNI (ymm vpdpbusd); falls back to Avx2 without it.
  Vnni,     ///< AVX-512 VNNI; falls back to Avx2Vnni on CPUs without it.
  Amx,      ///< AMX-INT8 tiles; falls back to Vnni on CPUs without it.
};

/// GemmPath::Auto takes AMX from this many rows of A on (when cpuHasAmx()).
/// AMX works on blocks of 32 rows and sets up its tiles per call, which few
/// rows do not amortize: measured at K = N = 4096 (one core, interleaved
/// runs), the two paths tie at M = 16 and 20 (VNNI 457-583, AMX 453-580
/// GOPS); from M = 24 AMX is faster (24: 659-672 against 523-615; 32:
/// 709-909 against 508-571).
inline constexpr int64_t kAmxMinRows = 24;

/// Tuning knobs; zero means the tuned default.
struct GemmOptions {
  GemmPath path = GemmPath::Auto;
  int64_t blockM = 0; ///< Rows of A packed and kept in cache at once.
  int64_t blockK = 0; ///< Depth of one pass (rounded up to a multiple of 4).
  int64_t blockN = 0; ///< Columns per pass (rounded up to 64).
};

/// Instruction sets the kernels choose from, in order.
enum class CpuIsa { Portable, Avx2, Avx2Vnni, Avx512, Amx };

/// The environment variable QUANT_MAX_CPU_ISA (portable, avx2, avx2_vnni,
/// avx512 or amx) caps what the kernels use, like oneDNN's ONEDNN_MAX_CPU_ISA:
/// to compare paths, or to run as a smaller CPU would. Read once.
inline constexpr const char *kMaxCpuIsaVariable = "QUANT_MAX_CPU_ISA";

/// Why QUANT_MAX_CPU_ISA is not valid; empty when it is, or is not set (or
/// set to nothing). The kernels ignore an invalid value: tools report this
/// and stop.
const std::string &getMaxCpuIsaError();

/// False when QUANT_MAX_CPU_ISA excludes `isa`.
bool isCpuIsaAllowed(CpuIsa isa);

/// The most capable int8 GEMM path this process runs, under the cap:
/// "amx", "avx512_vnni", "avx2_vnni", "avx2" or "portable".
const char *getInt8GemmIsaName();

/// True when this CPU (and OS) runs the AVX2 path.
bool cpuHasAvx2();

/// True when this CPU (and OS) runs the AVX-VNNI path (AVX2 and AVX-VNNI).
bool cpuHasAvx2Vnni();

/// True when this CPU (and OS) runs the AVX-512 VNNI path.
bool cpuHasVnni();

/// True when this CPU has AMX-TILE and AMX-INT8 (and AVX-512) and Linux
/// granted this process the tile data state (ARCH_REQ_XCOMP_PERM, asked once
/// on the first call, thread-safe).
bool cpuHasAmx();

/// Why the AMX path cannot run here (cpuid, or the kernel refusing the tile
/// state); empty when cpuHasAmx().
const std::string &getAmxUnavailableReason();

/// The LDTILECFG memory operand (palette 1): rows and bytes per row of each
/// of the 16 tile registers.
struct alignas(64) AmxTileConfig {
  uint8_t paletteId;
  uint8_t startRow;
  uint8_t reserved[14];
  uint16_t colsb[16];
  uint8_t rows[16];
};

/// c[i][j] = sum_k (a[i][k] - zpA) * (b[k][j] - zpB[j]), i in [0, m), with
/// a row-major (row stride lda >= k) and c row-major (row stride ldc >= n).
/// `zpB` has b.n() entries or is null (all zero). Single-threaded.
void gemmU8S8(const uint8_t *a, int64_t lda, int64_t m, const PackedView &b,
              int32_t zpA, const int32_t *zpB, int32_t *c, int64_t ldc,
              const GemmOptions &options = {});

/// As gemmU8S8 with s8 A. AMX multiplies s8 x s8 directly (`tdpbssd`); VNNI
/// and portable run on the u8 datapath as a + 128 with the zero point
/// zpA + 128, which gives the same differences (a - zpA).
void gemmS8S8(const int8_t *a, int64_t lda, int64_t m, const PackedView &b,
              int32_t zpA, const int32_t *zpB, int32_t *c, int64_t ldc,
              const GemmOptions &options = {});

} // namespace mlir::qnt::kernels

#endif // QUANT_KERNELS_INT8GEMM_H
