//===- QuantizedMatmulTest.cpp - int8 matmul layers by definition --------===//
//
// Runs matmul layers with float requantization to 8 bits through
// quant_layer_run and compares every output byte with the definition,
// computed here in 64-bit integers and scalar f32: clamp(round_half_even(
// f32(acc + bias) * M) + zp). On AVX-512 VNNI (below AMX's rows and depths,
// or with QUANT_MAX_CPU_ISA=avx512) the requantization happens in the
// microkernel's epilogue, so the shapes cover its tails (rows and columns of
// partial tiles, K not a multiple of 4), several passes over K
// (accumulating in C) with sums within and past f32's exact integers, s8
// and u8 inputs, weight zero points and runs over a range of rows and
// columns. CMakeLists.txt runs it again under the other caps.
//
//===----------------------------------------------------------------------===//

#include "quant/Kernels/QuantizedLayer.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <random>
#include <vector>

using namespace mlir::qnt::kernels;

namespace {

struct MatmulCase {
  int64_t m, k, n;
  bool inputSigned, weightZeroPoints, signedOutput;
  int32_t biasRange; ///< |bias| <= biasRange
  int32_t weightRange = 128; ///< weights in [-weightRange, weightRange)
};

/// Blobs are 64-byte aligned in compiled models, and the kernels rely on it.
struct AlignedBlob {
  std::unique_ptr<uint8_t, decltype(&std::free)> data{nullptr, &std::free};
  explicit AlignedBlob(const std::vector<uint8_t> &bytes) {
    data.reset(static_cast<uint8_t *>(
        std::aligned_alloc(64, (bytes.size() + 63) / 64 * 64)));
    std::copy(bytes.begin(), bytes.end(), data.get());
  }
};

LayerSpec makeSpec(const MatmulCase &c, std::mt19937 &rng) {
  LayerSpec spec;
  spec.kind = LayerKind::Matmul;
  spec.inputSigned = c.inputSigned;
  spec.inputZeroPoint = c.inputSigned ? -9 : 131;
  spec.k = c.k;
  spec.n = c.n;
  spec.weights.resize(size_t(c.k * c.n));
  for (int8_t &w : spec.weights)
    w = int8_t(int32_t(rng() % uint32_t(2 * c.weightRange)) - c.weightRange);
  if (c.weightZeroPoints)
    for (int64_t j = 0; j < c.n; ++j)
      spec.weightZeroPoints.push_back(int32_t(rng() % 21) - 10);
  // The largest range puts every bias at one of its ends, where acc + bias
  // leaves i32.
  const bool extreme = c.biasRange == INT32_MAX;
  for (int64_t j = 0; j < c.n; ++j)
    spec.bias.push_back(
        extreme ? (j % 2 ? INT32_MAX - int32_t(rng() % 1000)
                         : INT32_MIN + 1 + int32_t(rng() % 1000))
                : int32_t(int64_t(rng() % uint64_t(2 * int64_t(c.biasRange))) -
                          c.biasRange));
  spec.output = c.signedOutput ? LayerOutput::S8 : LayerOutput::U8;
  spec.rescale = LayerRescale::Float;
  // Scales that spread the results over the 8-bit range, varying per
  // channel: by the sums' typical size, or by the bias where it dominates.
  const float scale =
      std::max(float(c.k) * float(c.weightRange) * 30.0f, float(c.biasRange)) /
      40.0f;
  for (int64_t j = 0; j < c.n; ++j)
    spec.floatMultipliers.push_back(float(1 + rng() % 64) / 8.0f / scale);
  spec.outputZeroPoint = c.signedOutput ? -3 : 120;
  spec.clampMin = c.signedOutput ? -100 : 0;
  spec.clampMax = c.signedOutput ? 127 : 250;
  return spec;
}

/// Output (i, j) from the definition.
int32_t reference(const LayerSpec &spec, const std::vector<uint8_t> &x,
                  int64_t i, int64_t j) {
  int64_t acc = 0;
  const int64_t zpW =
      spec.weightZeroPoints.empty() ? 0 : spec.weightZeroPoints[size_t(j)];
  for (int64_t q = 0; q < spec.k; ++q) {
    uint8_t raw = x[size_t(i * spec.k + q)];
    int64_t xv = spec.inputSigned ? int64_t(int8_t(raw)) : int64_t(raw);
    acc += (xv - spec.inputZeroPoint) *
           (int64_t(spec.weights[size_t(q * spec.n + j)]) - zpW);
  }
  float v =
      float(acc + spec.bias[size_t(j)]) * spec.floatMultipliers[size_t(j)];
  int64_t q = int64_t(std::nearbyint(v)) + spec.outputZeroPoint;
  return int32_t(std::clamp<int64_t>(q, spec.clampMin, spec.clampMax));
}

void checkCase(const MatmulCase &c, unsigned seed) {
  SCOPED_TRACE(testing::Message()
               << c.m << "x" << c.k << "x" << c.n << " signed input "
               << c.inputSigned << " weight zero points " << c.weightZeroPoints
               << " bias range " << c.biasRange);
  std::mt19937 rng(seed);
  const LayerSpec spec = makeSpec(c, rng);
  std::string error;
  const std::vector<uint8_t> bytes = packLayer(spec, error);
  ASSERT_EQ(error, "");
  const AlignedBlob blob(bytes);
  std::vector<uint8_t> x(size_t(c.m * c.k));
  for (uint8_t &v : x)
    v = uint8_t(rng());

  // The whole layer, then a range of rows and columns (from a panel
  // boundary) into a poisoned output.
  struct Range {
    int64_t r0, r1, c0, c1;
  };
  const Range ranges[] = {{0, c.m, 0, c.n},
                          {c.m / 3, c.m, std::min<int64_t>(16, c.n), c.n}};
  for (const Range &range : ranges) {
    std::vector<uint8_t> out(size_t(c.m * c.n), 0xa5);
    quant_layer_run(blob.data.get(), x.data(), c.k, 1, 1, 1, c.m, range.r0,
                    range.r1, range.c0, range.c1, out.data());
    int64_t wrong = 0;
    for (int64_t i = 0; i < c.m; ++i)
      for (int64_t j = 0; j < c.n; ++j) {
        const bool inside =
            i >= range.r0 && i < range.r1 && j >= range.c0 && j < range.c1;
        const int32_t want =
            inside ? (c.signedOutput ? int32_t(int8_t(reference(spec, x, i, j)))
                                     : reference(spec, x, i, j))
                   : 0xa5;
        const int32_t got = c.signedOutput && inside
                                ? int32_t(int8_t(out[size_t(i * c.n + j)]))
                                : int32_t(out[size_t(i * c.n + j)]);
        if (got != want && ++wrong <= 5)
          ADD_FAILURE() << "rows [" << range.r0 << ", " << range.r1
                        << ") columns [" << range.c0 << ", " << range.c1
                        << "): out[" << i << "][" << j << "] = " << got
                        << ", expected " << want;
      }
    EXPECT_EQ(wrong, 0);
  }
}

TEST(QuantizedMatmulTest, FloatRequantizationMatchesDefinition) {
  const MatmulCase cases[] = {
      // Tiles of 1 to 6 rows, partial column vectors, K's tail.
      {1, 96, 1, false, false, false, 1000},
      {2, 101, 20, true, false, true, 1000},
      {7, 256, 17, false, false, true, 1000},
      {13, 301, 70, true, true, false, 5000},
      {97, 200, 150, false, true, true, 50},
      // Several passes over K, accumulating in C before the last one; sums
      // past 2^24 (not exact in f32: rounded from i32 as from i64) and,
      // with small weights, within it.
      {20, 1100, 40, false, false, false, 1 << 20},
      {45, 2102, 150, true, true, true, 1 << 26},
      {30, 1500, 64, false, false, true, 100, 8},
      // acc + bias past the i32 range (converted through i64).
      {12, 1200, 33, false, false, false, INT32_MAX},
  };
  unsigned seed = 1;
  for (const MatmulCase &c : cases)
    checkCase(c, seed++);
}

} // namespace
