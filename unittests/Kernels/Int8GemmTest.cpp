//===- Int8GemmTest.cpp - int8 GEMM kernels against a triple loop ---------===//
//
// Every path (AMX, AVX-512 VNNI, AVX-VNNI, AVX2, portable) and operand kind
// (u8 x s8, s8 x s8) must match a plain triple loop over
// (a - zpA) * (b - zpB[j]) bit for bit, on
// shapes that exercise every tail of the tiles (M, K and N not multiples of 6,
// 4 and 64 for VNNI, of 32, 64 and 32 for AMX), with zero points, strided
// operands and the extreme values.
//
//===----------------------------------------------------------------------===//

#include "quant/Kernels/Int8Gemm.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <random>
#include <string>
#include <tuple>
#include <vector>

using namespace mlir::qnt::kernels;

namespace {

enum class Fill { Random, Min, Max };

struct Case {
  int64_t m, k, n;
  bool aSigned;
  GemmPath path;
  int32_t zpA;
  bool withZpB;
  Fill fill = Fill::Random;
  GemmOptions blocks = {};
};

std::string describe(const Case &c) {
  return std::to_string(c.m) + "x" + std::to_string(c.k) + "x" +
         std::to_string(c.n) + (c.aSigned ? " s8s8" : " u8s8") +
         (c.path == GemmPath::Amx        ? " amx"
          : c.path == GemmPath::Vnni     ? " vnni"
          : c.path == GemmPath::Avx2     ? " avx2"
          : c.path == GemmPath::Avx2Vnni ? " avx2_vnni"
          : c.path == GemmPath::Auto     ? " auto"
                                         : " portable") +
         " zpA=" + std::to_string(c.zpA) + (c.withZpB ? " zpB" : "");
}

/// Runs one case with strided A, B and C (leading dimensions larger than the
/// rows) and compares the whole of C, including that the padding is untouched.
void check(const Case &c) {
  SCOPED_TRACE(describe(c));
  std::mt19937 rng(unsigned(c.m * 131 + c.k * 17 + c.n));
  const int64_t lda = c.k + 3, ldb = c.n + 5, ldc = c.n + 2;
  std::vector<uint8_t> a(size_t(c.m * lda));
  std::vector<int8_t> b(size_t(c.k * ldb));
  auto byte = [&]() -> uint8_t {
    switch (c.fill) {
    case Fill::Min:
      return c.aSigned ? 0x80 : 0x00; // -128 or 0
    case Fill::Max:
      return c.aSigned ? 0x7f : 0xff; // 127 or 255
    default:
      return uint8_t(rng());
    }
  };
  for (uint8_t &x : a)
    x = byte();
  for (int8_t &x : b)
    x = c.fill == Fill::Random ? int8_t(rng())
        : c.fill == Fill::Min  ? int8_t(-128)
                               : int8_t(127);
  std::vector<int32_t> zpB;
  if (c.withZpB)
    for (int64_t j = 0; j < c.n; ++j)
      zpB.push_back(int32_t(rng() % 256) - 128);

  // Reference: the definition, in 64-bit.
  std::vector<int32_t> want(size_t(c.m * ldc), 0x5a5a5a5a);
  for (int64_t i = 0; i < c.m; ++i)
    for (int64_t j = 0; j < c.n; ++j) {
      int64_t s = 0;
      for (int64_t kk = 0; kk < c.k; ++kk) {
        uint8_t raw = a[size_t(i * lda + kk)];
        int64_t av = c.aSigned ? int64_t(int8_t(raw)) : int64_t(raw);
        int64_t bv = b[size_t(kk * ldb + j)];
        s += (av - c.zpA) * (bv - (c.withZpB ? zpB[size_t(j)] : 0));
      }
      ASSERT_GE(s, INT32_MIN);
      ASSERT_LE(s, INT32_MAX);
      want[size_t(i * ldc + j)] = int32_t(s);
    }

  PackedWeights w = packWeights(b.data(), c.k, c.n, ldb);
  ASSERT_TRUE(w.valid());
  std::vector<int32_t> got(size_t(c.m * ldc), 0x5a5a5a5a);
  GemmOptions options = c.blocks;
  options.path = c.path;
  const int32_t *zp = c.withZpB ? zpB.data() : nullptr;
  if (c.aSigned)
    gemmS8S8(reinterpret_cast<const int8_t *>(a.data()), lda, c.m, w, c.zpA, zp,
             got.data(), ldc, options);
  else
    gemmU8S8(a.data(), lda, c.m, w, c.zpA, zp, got.data(), ldc, options);

  int64_t bad = 0;
  for (size_t i = 0; i < got.size(); ++i)
    if (got[i] != want[i] && bad++ < 5)
      ADD_FAILURE() << "C[" << i / size_t(ldc) << "][" << i % size_t(ldc)
                    << "] = " << got[i] << ", expected " << want[i];
  EXPECT_EQ(bad, 0);
}

std::vector<GemmPath> paths() {
  std::vector<GemmPath> p = {GemmPath::Portable};
  if (cpuHasAvx2())
    p.push_back(GemmPath::Avx2);
  if (cpuHasAvx2Vnni())
    p.push_back(GemmPath::Avx2Vnni);
  if (cpuHasVnni())
    p.push_back(GemmPath::Vnni);
  if (cpuHasAmx())
    p.push_back(GemmPath::Amx);
  return p;
}

#define SKIP_WITHOUT_AMX()                                                     \
  if (!cpuHasAmx())                                                            \
  GTEST_SKIP() << "this CPU (or kernel) does not run AMX-INT8"

TEST(Int8GemmTest, MatchesReferenceOnAllTailShapes) {
  for (GemmPath path : paths())
    for (bool aSigned : {false, true})
      for (int64_t m : {1, 2, 5, 7, 8, 14, 16, 33})
        for (int64_t k : {1, 3, 4, 5, 64, 257})
          for (int64_t n : {1, 3, 16, 17, 64, 100}) {
            check({m, k, n, aSigned, path, 0, false});
            check({m, k, n, aSigned, path, aSigned ? -7 : 131, true});
          }
}

TEST(Int8GemmTest, MatchesReferenceOnLargerShape) {
  for (GemmPath path : paths())
    for (bool aSigned : {false, true})
      check({128, 1024, 256, aSigned, path, aSigned ? 3 : 120, true});
}

TEST(Int8GemmTest, ExtremeValues) {
  // All-min and all-max operands, with and without zero points at the ends
  // of their ranges: the largest magnitudes vpdpbusd sees.
  for (GemmPath path : paths())
    for (bool aSigned : {false, true})
      for (Fill fill : {Fill::Min, Fill::Max})
        for (int32_t zpA : aSigned ? std::vector<int32_t>{-128, 0, 127}
                                   : std::vector<int32_t>{0, 255})
          for (bool withZpB : {false, true})
            check({7, 257, 100, aSigned, path, zpA, withZpB, fill});
}

TEST(Int8GemmTest, SmallBlocksSplitEveryLoop) {
  // Blocks smaller than the problem: several passes over K, M and N, with
  // partial last blocks, so accumulation across passes is exercised.
  GemmOptions small;
  small.blockM = 7;  // rounded up to 12: two tiles, the last partial
  small.blockK = 10; // rounded up to 12
  small.blockN = 65; // rounded up to 128
  for (GemmPath path : paths())
    for (bool aSigned : {false, true})
      check({33, 257, 300, aSigned, path, 5, true, Fill::Random, small});
}

TEST(Int8GemmTest, AmxTailsAndBlocks) {
  // The AMX path alone on shapes around its 32 x 64 x 32 step: one row,
  // odd K, N off multiples of 16 and ending in half a strip (a 2 x 1 tile
  // block), K crossing the last panel's end, and blocks that
  // split M, N and K into several partial passes.
  SKIP_WITHOUT_AMX();
  GemmOptions small;
  small.blockM = 33;  // rounded up to 64
  small.blockK = 100; // rounded up to 128
  small.blockN = 65;  // rounded up to 96
  for (bool aSigned : {false, true})
    for (auto [m, k, n] : {std::tuple<int64_t, int64_t, int64_t>{1, 1, 1},
                           {1, 63, 15},
                           {1, 129, 47},
                           {31, 65, 33},
                           {32, 64, 32},
                           {33, 191, 130},
                           {70, 300, 200}}) {
      check({m, k, n, aSigned, GemmPath::Amx, aSigned ? -3 : 129, true});
      check({m, k, n, aSigned, GemmPath::Amx, 0, false, Fill::Random, small});
      check({m, k, n, aSigned, GemmPath::Auto, aSigned ? 9 : 1, true});
    }
}

TEST(Int8GemmTest, AmxDefaultBlocks) {
  // The default blocks on shapes that take several of them: K passes with a
  // partial last one (B tiles reading past K into the next panel), N blocks
  // ending in half a strip, M blocks ending in a partial tile, so every pass
  // prefetches the next one's B and the scratch carries sums between passes.
  SKIP_WITHOUT_AMX();
  for (bool aSigned : {false, true})
    for (auto [m, k, n] : {std::tuple<int64_t, int64_t, int64_t>{40, 1100, 600},
                           {530, 130, 97},
                           {33, 2049, 1030}}) {
      check({m, k, n, aSigned, GemmPath::Amx, aSigned ? -3 : 129, true});
      check({m, k, n, aSigned, GemmPath::Amx, 0, false});
    }
}

TEST(Int8GemmTest, SimdPathsDefaultBlocks) {
  // The default blocks on shapes that take several of them: K passes with a
  // partial last one, N blocks ending in half a panel, M blocks ending in a
  // partial tile, so every pass prefetches the next one's B.
  std::vector<GemmPath> simd;
  if (cpuHasAvx2())
    simd.push_back(GemmPath::Avx2);
  if (cpuHasAvx2Vnni())
    simd.push_back(GemmPath::Avx2Vnni);
  if (cpuHasVnni())
    simd.push_back(GemmPath::Vnni);
  if (simd.empty())
    GTEST_SKIP() << "this CPU runs none of AVX2, AVX-VNNI, AVX-512 VNNI";
  for (GemmPath path : simd)
    for (bool aSigned : {false, true})
      // Narrow layers (16 and 10 output channels) over several K passes.
      for (auto [m, k, n] :
           {std::tuple<int64_t, int64_t, int64_t>{40, 1100, 600},
            {200, 130, 97},
            {13, 1030, 1100},
            {200, 1100, 16},
            {37, 600, 10}}) {
        check({m, k, n, aSigned, path, aSigned ? -3 : 129, true});
        check({m, k, n, aSigned, path, 0, false});
      }
}

TEST(Int8GemmTest, EmptyK) {
  std::vector<int8_t> b(3);
  PackedWeights w = packWeights(b.data(), 0, 3, 3);
  ASSERT_TRUE(w.valid());
  uint8_t a[2] = {1, 2};
  int32_t zpB[3] = {1, 2, 3};
  int32_t c[6] = {9, 9, 9, 9, 9, 9};
  gemmU8S8(a, 1, 2, w, 5, zpB, c, 3);
  for (int32_t x : c)
    EXPECT_EQ(x, 0);
}

TEST(Int8GemmTest, PackedLayout) {
  // b[k][n] = 10 * k + n lands at (panel * groups + k / 4) * 64 + 4 (n % 16)
  // + k % 4, with panel = n / 16.
  const int64_t k = 5, n = 70;
  std::vector<int8_t> b(size_t(k * n));
  for (int64_t kk = 0; kk < k; ++kk)
    for (int64_t j = 0; j < n; ++j)
      b[size_t(kk * n + j)] = int8_t((10 * kk + j) % 128);
  PackedWeights w = packWeights(b.data(), k, n, n);
  ASSERT_TRUE(w.valid());
  EXPECT_EQ(w.kPadded(), 8);
  EXPECT_EQ(w.nPadded(), 80);
  EXPECT_EQ(w.data()[(0 * 2 + 0) * 64 + 4 * 3 + 1], 13);   // k=1, n=3
  EXPECT_EQ(w.data()[(3 * 2 + 1) * 64 + 4 * 15 + 0], 103); // k=4, n=63
  EXPECT_EQ(w.data()[(4 * 2 + 1) * 64 + 4 * 5 + 0], 109);  // k=4, n=69
  EXPECT_EQ(w.data()[(4 * 2 + 1) * 64 + 4 * 5 + 1], 0);    // k=5: padding
  EXPECT_EQ(w.data()[(4 * 2 + 0) * 64 + 4 * 6 + 0], 0);    // n=70: padding
  // Column 69 sums (40+69)..(0+69) mod 128: 69, 79, 89, 99, 109.
  EXPECT_EQ(w.colSums()[69], 69 + 79 + 89 + 99 + 109);
  EXPECT_EQ(w.colSums()[70], 0);
}

} // namespace
