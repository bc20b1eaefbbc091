//===- Int8Gemm.cpp - Packing, blocking and zero points of the int8 GEMM --===//
//
// Packs B once into vpdpbusd panels, and for every call blocks the product
// for the caches (N blocks, then K passes, then M blocks whose rows of A are
// packed into tile order), hands each 6-row x 64-column tile to the AVX-512
// VNNI, AVX-VNNI, AVX2 or portable microkernel (the best the CPU and
// QUANT_MAX_CPU_ISA allow; AMX has a driver of its own), and folds the zero
// points into the last pass:
//
//   sum_k (a - zpA)(b - zpB[j]) = sum_k a*b - zpA*colSum[j]
//                                 - zpB[j]*rowSum[i] + K*zpA*zpB[j]
//
// All of it in wrapping (mod 2^32) arithmetic, so the identity is exact.
//
//===----------------------------------------------------------------------===//

#include "quant/Kernels/Int8Gemm.h"

#include "Int8GemmImpl.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <new>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#if (defined(__x86_64__) || defined(__i386__)) && defined(__linux__)
#include <cerrno>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace mlir::qnt::kernels {

using detail::kTileCols;
using detail::kTileRows;
using detail::Tile;

void PackedWeights::Free::operator()(int8_t *p) const { std::free(p); }

void packWeightsInto(const int8_t *b, int64_t k, int64_t n, int64_t ldb,
                     int8_t *out, int32_t *colSums) {
  PackedView shape{nullptr, nullptr, k, n};
  int64_t groups = shape.kPadded() / 4;
  std::memset(out, 0, size_t(getPackedSize(k, n)));
  std::fill(colSums, colSums + shape.nPadded(), 0);
  for (int64_t kk = 0; kk < k; ++kk) {
    const int8_t *row = b + kk * ldb;
    int64_t g = kk / 4, q = kk % 4;
    for (int64_t j = 0; j < n; ++j) {
      int64_t p = j / kPanelWidth, jj = j % kPanelWidth;
      out[(p * groups + g) * 64 + 4 * jj + q] = row[j];
      colSums[j] += row[j];
    }
  }
}

PackedWeights packWeights(const int8_t *b, int64_t k, int64_t n, int64_t ldb) {
  PackedWeights w;
  if (k < 0 || n < 0 || ldb < n)
    return w;
  w.kSize = k;
  w.nSize = n;
  size_t bytes = size_t(getPackedSize(k, n));
  bytes = (bytes + 63) / 64 * 64;
  w.storage.reset(static_cast<int8_t *>(std::aligned_alloc(64, bytes)));
  if (!w.storage)
    return w;
  std::memset(w.storage.get(), 0, bytes);
  w.sums.assign(size_t(w.nPadded()), 0);
  packWeightsInto(b, k, n, ldb, w.storage.get(), w.sums.data());
  return w;
}

namespace {
struct MaxCpuIsa {
  CpuIsa isa = CpuIsa::Amx;
  std::string error;
};

const MaxCpuIsa &getMaxCpuIsa() {
  static const MaxCpuIsa max = [] {
    MaxCpuIsa m;
    const char *env = std::getenv(kMaxCpuIsaVariable);
    if (!env || !*env)
      return m;
    std::string v(env);
    for (char &ch : v)
      ch = char(std::tolower(static_cast<unsigned char>(ch)));
    if (v == "portable")
      m.isa = CpuIsa::Portable;
    else if (v == "avx2")
      m.isa = CpuIsa::Avx2;
    else if (v == "avx2_vnni")
      m.isa = CpuIsa::Avx2Vnni;
    else if (v == "avx512")
      m.isa = CpuIsa::Avx512;
    else if (v != "amx")
      m.error = std::string(kMaxCpuIsaVariable) + "='" + env +
                "' is not one of portable, avx2, avx2_vnni, avx512, amx";
    return m;
  }();
  return max;
}
} // namespace

const std::string &getMaxCpuIsaError() { return getMaxCpuIsa().error; }

bool isCpuIsaAllowed(CpuIsa isa) { return isa <= getMaxCpuIsa().isa; }

const char *getInt8GemmIsaName() {
  return cpuHasAmx()        ? "amx"
         : cpuHasVnni()     ? "avx512_vnni"
         : cpuHasAvx2Vnni() ? "avx2_vnni"
         : cpuHasAvx2()     ? "avx2"
                            : "portable";
}

bool cpuHasAvx2() {
#if defined(__x86_64__) || defined(__i386__)
  static const bool has =
      __builtin_cpu_supports("avx2") && isCpuIsaAllowed(CpuIsa::Avx2);
  return has;
#else
  return false;
#endif
}

bool cpuHasAvx2Vnni() {
#if defined(__x86_64__) || defined(__i386__)
  static const bool has = [] {
    unsigned eax, ebx, ecx, edx;
    // AVX-VNNI: leaf 7, subleaf 1, EAX bit 4 (GCC 12's
    // __builtin_cpu_supports does not know it).
    return cpuHasAvx2() && isCpuIsaAllowed(CpuIsa::Avx2Vnni) &&
           __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx) && (eax & 16u);
  }();
  return has;
#else
  return false;
#endif
}

bool cpuHasVnni() {
#if defined(__x86_64__) || defined(__i386__)
  // __builtin_cpu_supports also checks that the OS saves the zmm state.
  static const bool has = isCpuIsaAllowed(CpuIsa::Avx512) &&
                          __builtin_cpu_supports("avx512f") &&
                          __builtin_cpu_supports("avx512bw") &&
                          __builtin_cpu_supports("avx512dq") &&
                          __builtin_cpu_supports("avx512vl") &&
                          __builtin_cpu_supports("avx512vnni");
  return has;
#else
  return false;
#endif
}

const std::string &getAmxUnavailableReason() {
  static const std::string reason = []() -> std::string {
    if (!isCpuIsaAllowed(CpuIsa::Amx))
      return std::string(kMaxCpuIsaVariable) + " excludes AMX";
#if (defined(__x86_64__) || defined(__i386__)) && defined(__linux__)
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) ||
        !(edx & (1u << 24)) || !(edx & (1u << 25))) // AMX-TILE, AMX-INT8
      return "cpuid reports no AMX-TILE/AMX-INT8";
    if (!__builtin_cpu_supports("avx512f") ||
        !__builtin_cpu_supports("avx512bw") ||
        !__builtin_cpu_supports("avx512vl"))
      return "no AVX-512 F/BW/VL for the AMX path's edges";
    constexpr long archGetXcompPerm = 0x1022, archReqXcompPerm = 0x1023;
    constexpr long xfeatureXtiledata = 18;
    if (syscall(SYS_arch_prctl, archReqXcompPerm, xfeatureXtiledata) != 0)
      return std::string("arch_prctl(ARCH_REQ_XCOMP_PERM) refused: ") +
             std::strerror(errno);
    unsigned long bitmask = 0;
    if (syscall(SYS_arch_prctl, archGetXcompPerm, &bitmask) != 0 ||
        !(bitmask & (1ul << xfeatureXtiledata)))
      return "the kernel did not grant XTILEDATA";
    return "";
#else
    return "AMX needs x86-64 Linux";
#endif
  }();
  return reason;
}

bool cpuHasAmx() { return getAmxUnavailableReason().empty(); }

namespace detail {
void tilePortable(const Tile &t) {
  for (int64_t r = 0; r < t.rows; ++r) {
    int32_t *row = t.c + r * t.ldc;
    for (int64_t j = 0; j < t.cols; ++j) {
      uint32_t s = 0;
      for (int64_t g = 0; g < t.groups; ++g) {
        const uint8_t *a = t.a + (g * t.rows + r) * 4;
        const int8_t *b = t.b + j / 16 * t.bStride + g * 64 + 4 * (j % 16);
        for (int q = 0; q < 4; ++q)
          s += uint32_t(int32_t(a[q]) * int32_t(b[q]));
      }
      if (t.accumulate)
        s += uint32_t(row[j]);
      if (t.colTerm)
        s += uint32_t(t.colTerm[j]);
      if (t.zpB)
        s -= uint32_t(t.rowSum[r]) * uint32_t(t.zpB[j]);
      row[j] = int32_t(s);
    }
  }
}

void packTilePortable(const uint8_t *a, int64_t lda, int64_t rows, int64_t k,
                      int64_t k0, int64_t groups, uint8_t flip, uint8_t *out) {
  for (int64_t g = 0; g < groups; ++g) {
    int64_t kk = k0 + 4 * g;
    for (int64_t r = 0; r < rows; ++r, out += 4) {
      const uint8_t *src = a + r * lda + kk;
      if (kk + 4 <= k) {
        uint32_t w;
        std::memcpy(&w, src, 4);
        w ^= uint32_t(flip) * 0x01010101u;
        std::memcpy(out, &w, 4);
      } else {
        for (int64_t q = 0; q < 4; ++q)
          out[q] = kk + q < k ? uint8_t(src[q] ^ flip) : 0;
      }
    }
  }
}
} // namespace detail

namespace {
/// Rows of the tile at row t of an M block of mb rows: 6, except that a
/// block that would end in a tile of 1 or 2 rows ends in tiles of 4 and 3
/// or 4 (as many tiles): a 2-row tile streams a whole B panel from L2 for
/// two rows of multiply-adds (128 x 4096 x 4096, one core: 646 -> 655
/// GOPS).
int64_t getTileRows(int64_t t, int64_t mb) {
  const int64_t left = mb - t, tail = mb % kTileRows;
  if (tail != 0 && tail <= 2 && left > kTileRows && left <= kTileRows + 2)
    return 4;
  return std::min(kTileRows, left);
}

/// The product into c, or requantized into requant->out when the path is
/// AVX-512 VNNI; returns whether it requantized (true when there is nothing
/// to write).
bool gemm(const uint8_t *a, int64_t lda, int64_t m, const PackedView &b,
          int32_t zpA, const int32_t *zpB, int32_t *c, int64_t ldc,
          const GemmOptions &options, bool aSigned,
          const detail::Requantize *requant) {
  const int64_t k = b.k, n = b.n;
  if (m <= 0 || n <= 0 || !b.data)
    return true;
  // K = 0: every product is empty and so are all the terms.
  if (k == 0) {
    for (int64_t i = 0; i < m; ++i)
      std::fill(c + i * ldc, c + i * ldc + n, 0);
    return false;
  }

  bool amx = (options.path == GemmPath::Amx ||
              (options.path == GemmPath::Auto && m >= kAmxMinRows)) &&
             cpuHasAmx();
  if (amx && detail::gemmAmx(a, lda, m, b, zpA, zpB, c, ldc, options, aSigned))
    return false;

  const uint8_t flip = aSigned ? 0x80 : 0;
  const uint32_t zpAu = uint32_t(zpA) + (aSigned ? 128u : 0u);
  const int64_t np = b.nPadded(), kp = b.kPadded(), groupsTotal = kp / 4;

  // Per-column term -zpA*colSum[j] + K*zpA*zpB[j], and zpB padded to panels.
  bool anyZpB = false;
  for (int64_t j = 0; zpB && j < n && !anyZpB; ++j)
    anyZpB = zpB[j] != 0;
  // Kept per thread: called per block of rows, with the same sizes.
  thread_local std::vector<int32_t> colTerm, zpBPad, rowSum;
  colTerm.assign(size_t(np), 0);
  for (int64_t j = 0; j < n; ++j) {
    uint32_t zb = anyZpB ? uint32_t(zpB[j]) : 0u;
    colTerm[size_t(j)] =
        int32_t(0u - zpAu * uint32_t(b.colSums[j]) + uint32_t(k) * zpAu * zb);
  }
  if (anyZpB) {
    zpBPad.assign(size_t(np), 0);
    std::copy(zpB, zpB + n, zpBPad.begin());
    rowSum.assign(size_t(m), 0);
    for (int64_t i = 0; i < m; ++i) {
      uint32_t s = 0;
      for (int64_t kk = 0; kk < k; ++kk)
        s += uint8_t(a[i * lda + kk] ^ flip);
      rowSum[size_t(i)] = int32_t(s);
    }
  }

  // The best path the options allow, each falling back to the next.
  const GemmPath want = options.path;
  const bool vnni = (want == GemmPath::Auto || want == GemmPath::Amx ||
                     want == GemmPath::Vnni) &&
                    cpuHasVnni();
  const bool avx2Vnni = !vnni && want != GemmPath::Portable &&
                        want != GemmPath::Avx2 && cpuHasAvx2Vnni();
  const bool avx2 =
      !vnni && !avx2Vnni && want != GemmPath::Portable && cpuHasAvx2();
  void (*tileFn)(const Tile &) = vnni       ? detail::tileVnni
                                 : avx2Vnni ? detail::tileAvx2Vnni
                                 : avx2     ? detail::tileAvx2
                                            : detail::tilePortable;
  auto *packFn = vnni       ? detail::packTileVnni
                 : avx2Vnni ? detail::packTileAvx2Vnni
                 : avx2     ? detail::packTileAvx2
                            : detail::packTilePortable;
  // The AVX2 path packs A widened to i16.
  const int64_t aBytes = avx2 ? 2 : 1;

  // Up to 1024 deep, one pass: a second one would read and write C again
  // (512 x 1024 x 1024, one core: 689-701 GOPS against 659-669 in two).
  int64_t kc = options.blockK > 0 ? (options.blockK + 3) / 4 * 4
               : kp <= 1024       ? kp
                                  : 512;
  int64_t mc = options.blockM > 0 ? options.blockM : 96;
  int64_t nc = options.blockN > 0 ? options.blockN : 1024;
  kc = std::min(kc, kp);
  mc = (std::min(mc, m) + kTileRows - 1) / kTileRows * kTileRows;
  nc = std::min((nc + kTileCols - 1) / kTileCols * kTileCols, np);

  uint8_t *aPack =
      detail::getScratch<detail::Scratch::VnniA>(size_t(mc * kc * aBytes));
  if (!aPack) // as a std::vector would, rather than leave c unwritten
    throw std::bad_alloc();
  if (!vnni)
    requant = nullptr;

  // B comes from memory once, on the first M block of its pass, faster than
  // DRAM can deliver it. So each tile also prefetches into L2 a share of the
  // same panels of the next pass (next K block, or the next N block's first).
  const int64_t tilesPerPanel = (m + kTileRows - 1) / kTileRows;
  const int64_t panelBytes = groupsTotal * 64;
  for (int64_t jc = 0; jc < np; jc += nc) {
    int64_t jEnd = std::min(jc + nc, np);
    for (int64_t pc = 0; pc < kp; pc += kc) {
      int64_t groups = std::min(kc, kp - pc) / 4;
      bool last = pc + 4 * groups >= kp;
      int64_t nextJc = last ? jc + nc : jc, nextPc = last ? 0 : pc + kc;
      int64_t nextEnd = std::min(nextJc + nc, np);
      int64_t nextLines = nextJc < np ? std::min(kc, kp - nextPc) / 4 * 4 : 0;
      // Whole group indices (4 lines, one per panel) per tile.
      int64_t linesPerTile =
          (nextLines + 4 * tilesPerPanel - 1) / (4 * tilesPerPanel) * 4;
      for (int64_t ic = 0; ic < m; ic += mc) {
        int64_t mb = std::min(mc, m - ic);
        for (int64_t t = 0, rows; t < mb; t += rows) {
          rows = getTileRows(t, mb);
          packFn(a + (ic + t) * lda, lda, rows, k, pc, groups, flip,
                 aPack + t * 4 * groups * aBytes);
        }
        for (int64_t jr = jc; jr < jEnd && jr < n; jr += kTileCols) {
          Tile tile;
          tile.b = b.data + (jr / kPanelWidth) * panelBytes + pc / 4 * 64;
          tile.bStride = panelBytes;
          tile.groups = groups;
          tile.cols = std::min(kTileCols, n - jr);
          tile.ldc = ldc;
          tile.accumulate = pc > 0;
          tile.colTerm = last ? colTerm.data() + jr : nullptr;
          tile.zpB = last && anyZpB ? zpBPad.data() + jr : nullptr;
          int64_t nextPanel = nextJc + (jr - jc);
          const int8_t *nextB =
              nextPanel < nextEnd
                  ? b.data + (nextPanel / kPanelWidth) * panelBytes +
                        nextPc / 4 * 64
                  : nullptr;
          for (int64_t t = 0; t < mb; t += tile.rows) {
            // The tile's ordinal in the panel (the partition has as many
            // tiles as ceil(m / 6), ic is a multiple of 6).
            int64_t first = (ic + t + kTileRows - 1) / kTileRows * linesPerTile;
            tile.prefetchLines =
                nextB ? std::clamp(nextLines - first, int64_t(0), linesPerTile)
                      : 0;
            tile.prefetch = tile.prefetchLines ? nextB : nullptr;
            tile.prefetchFirst = first;
            tile.bFromL2 = t == 0;
            tile.a = aPack + t * 4 * groups * aBytes;
            tile.rows = getTileRows(t, mb);
            tile.c = c + (ic + t) * ldc + jr;
            tile.rowSum = anyZpB ? rowSum.data() + ic + t : nullptr;
            tile.requant = last ? requant : nullptr;
            tile.row = ic + t;
            tile.col = jr;
            tileFn(tile);
          }
        }
      }
    }
  }
  return requant != nullptr;
}
} // namespace

void gemmU8S8(const uint8_t *a, int64_t lda, int64_t m, const PackedView &b,
              int32_t zpA, const int32_t *zpB, int32_t *c, int64_t ldc,
              const GemmOptions &options) {
  gemm(a, lda, m, b, zpA, zpB, c, ldc, options, /*aSigned=*/false, nullptr);
}

void gemmS8S8(const int8_t *a, int64_t lda, int64_t m, const PackedView &b,
              int32_t zpA, const int32_t *zpB, int32_t *c, int64_t ldc,
              const GemmOptions &options) {
  gemm(reinterpret_cast<const uint8_t *>(a), lda, m, b, zpA, zpB, c, ldc,
       options, /*aSigned=*/true, nullptr);
}

namespace detail {
bool gemmRequantized(const uint8_t *a, int64_t lda, int64_t m,
                     const PackedView &b, int32_t zpA, const int32_t *zpB,
                     int32_t *c, int64_t ldc, const GemmOptions &options,
                     bool aSigned, const Requantize &requant) {
  return gemm(a, lda, m, b, zpA, zpB, c, ldc, options, aSigned, &requant);
}
} // namespace detail

} // namespace mlir::qnt::kernels
