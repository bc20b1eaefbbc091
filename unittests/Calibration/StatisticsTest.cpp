//===- StatisticsTest.cpp - Tests of the observer statistics --------------===//
//
// Histogram bins against hand-computed exponents and indices, and the
// exactness of merging: any batching order or sharding of the same batches
// gives bit-identical statistics.
//
//===----------------------------------------------------------------------===//

#include "quant/Calibration/Statistics.h"
#include "StatsTestUtils.h"
#include "quant/Calibration/StatsFile.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <random>
#include <thread>

using namespace mlir::qnt::calib;

namespace {

/// The bin index of `value` relative to the histogram's first bin.
size_t slot(const Histogram &h, float value) {
  return size_t(histogramBinIndex(value, h.exponent) - h.firstBin);
}

TEST(CalibStatisticsTest, HistogramUnitBins) {
  // Range [0, 2047.5]: floor(2047.5 / 2^0) - 0 = 2047 < 2048 but
  // floor(2047.5 / 2^-1) = 4095 is not, so w = 1 and bins 0..2047.
  ObserverStats stats = statsOf({{0, 1024, 1500.75, 2047, 2047.5}});
  const Histogram &h = stats.histogram();
  EXPECT_EQ(h.exponent, 0);
  EXPECT_EQ(h.firstBin, 0);
  ASSERT_EQ(h.counts.size(), 2048u);
  EXPECT_EQ(h.counts[0], 1u);
  EXPECT_EQ(h.counts[1024], 1u);
  EXPECT_EQ(h.counts[1500], 1u);
  EXPECT_EQ(h.counts[2047], 2u);
  EXPECT_EQ(h.totalCount(), 5u);
  EXPECT_EQ(h.binWidth(), 1.0);
  EXPECT_EQ(h.lowerEdge(), 0.0);
  EXPECT_EQ(h.upperEdge(), 2048.0);
}

TEST(CalibStatisticsTest, HistogramHalfSteps) {
  // Range [0, 3]: 3 * 2^9 = 1536 < 2048, 3 * 2^10 = 3072 is not: w = 2^-9.
  ObserverStats stats = statsOf({{0, 0.5, 1, 1.5}, {2, 2.5, 3}});
  const Histogram &h = stats.histogram();
  EXPECT_EQ(h.exponent, -9);
  EXPECT_EQ(h.firstBin, 0);
  ASSERT_EQ(h.counts.size(), 1537u);
  for (int i = 0; i <= 6; ++i)
    EXPECT_EQ(h.counts[i * 256], 1u) << i;
  EXPECT_EQ(h.totalCount(), 7u);
  EXPECT_EQ(h.upperEdge(), 1537.0 / 512);
}

TEST(CalibStatisticsTest, HistogramNegativeValues) {
  // Range [-1.5, 0.25]: at 2^-10, 256 - (-1536) = 1792 bins; at 2^-11,
  // 512 - (-3072) = 3584 is too many. Bin k holds [k, k+1) * 2^-10, so
  // -0.0001 (-0.1024 bins) falls in bin -1 and -1 exactly in bin -1024.
  ObserverStats stats = statsOf({{-1.5f, -1, -0.5f, -0.25f, -0.0001f, 0.25f}});
  const Histogram &h = stats.histogram();
  EXPECT_EQ(h.exponent, -10);
  EXPECT_EQ(h.firstBin, -1536);
  ASSERT_EQ(h.counts.size(), 1793u);
  EXPECT_EQ(h.counts[0], 1u);    // -1.5
  EXPECT_EQ(h.counts[512], 1u);  // -1
  EXPECT_EQ(h.counts[1024], 1u); // -0.5
  EXPECT_EQ(h.counts[1280], 1u); // -0.25
  EXPECT_EQ(h.counts[1535], 1u); // -0.0001
  EXPECT_EQ(h.counts[1792], 1u); // 0.25
  EXPECT_EQ(h.lowerEdge(), -1.5);
}

// Long batches take the vector path (16 values at a time) where the CPU has
// AVX-512; every value must land in floor(x * 2^-exponent) - firstBin, as
// the scalar loop puts it: negatives between bins, exact bin edges, a tail
// shorter than 16, and the same values with a NaN (the scalar path).
TEST(CalibStatisticsTest, LongBatchBins) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> uniform(-3.0f, 5.0f);
  std::vector<float> batch;
  for (int i = 0; i < 1000; ++i)
    batch.push_back(uniform(rng));
  for (float edge : {-3.0f, -2.0f, -1.0f / 1024, 0.0f, 1.0f / 1024, 5.0f})
    batch.push_back(edge);
  for (NonFinitePolicy policy :
       {NonFinitePolicy::Error, NonFinitePolicy::Ignore}) {
    std::vector<float> values = batch;
    if (policy == NonFinitePolicy::Ignore)
      values.push_back(std::numeric_limits<float>::quiet_NaN());
    ObserverStats stats = statsOf({values}, policy);
    const Histogram &h = stats.histogram();
    std::vector<uint64_t> expected(h.counts.size(), 0);
    for (float x : batch)
      ++expected[size_t(std::floor(std::ldexp(double(x), -h.exponent)) -
                        double(h.firstBin))];
    EXPECT_EQ(h.counts, expected);
  }
}

TEST(CalibStatisticsTest, LongBatchRange) {
  // The one-pass range of whole vectors and a tail: the extremes in the
  // first vector, in the middle and in the tail, and a non-finite value in
  // the tail, which the range must not miss.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (size_t n : {1, 15, 16, 17, 33, 100})
    for (size_t at : {size_t(0), n / 2, n - 1}) {
      std::vector<float> values(n);
      for (size_t i = 0; i < n; ++i)
        values[i] = float(i % 7) - 3.0f;
      // The minimum at `at`, the maximum next to it (or first).
      values[at] = -9.5f;
      values[at + 1 < n ? at + 1 : 0] = 8.25f;
      ObserverStats stats = statsOf({values});
      EXPECT_EQ(stats.min(), n == 1 ? 8.25f : -9.5f) << n << " " << at;
      EXPECT_EQ(stats.max(), 8.25f) << n << " " << at;
      EXPECT_EQ(stats.values(), n);

      for (float bad : {nan, inf, -inf}) {
        std::vector<float> withBad = values;
        withBad.push_back(bad);
        ObserverStats none;
        EXPECT_TRUE(
            llvm::errorToBool(none.addBatch(withBad, NonFinitePolicy::Error)))
            << n << " " << at;
        ObserverStats skipped = statsOf({withBad}, NonFinitePolicy::Ignore);
        EXPECT_EQ(skipped.nonFinite(), 1u);
        EXPECT_EQ(skipped.min(), stats.min());
        EXPECT_EQ(skipped.max(), stats.max());
      }
    }
  // Only zeros of both signs, past one vector: the range is +0.
  ObserverStats zeros = statsOf({std::vector<float>(37, -0.0f)});
  EXPECT_EQ(zeros.min(), 0.0f);
  EXPECT_FALSE(std::signbit(zeros.min()));
  EXPECT_FALSE(std::signbit(zeros.max()));
}

/// The histogram of finite `values` at `h`'s bins, computed value by value.
std::vector<uint64_t> countDirectly(const Histogram &h,
                                    const std::vector<float> &values) {
  std::vector<uint64_t> counts(h.counts.size(), 0);
  for (float x : values)
    if (std::isfinite(x))
      ++counts[size_t(std::floor(std::ldexp(double(x), -h.exponent)) -
                      double(h.firstBin))];
  return counts;
}

TEST(CalibStatisticsTest, ZeroBinCountedByMask) {
  // Most values in the bin of 0 (as after a ReLU): +0, -0 and tiny ones
  // that floor to it, with the bin of 0 first, last, inside and absent.
  std::mt19937 rng(11);
  for (auto [lo, hi] : {std::pair(0.0f, 6.0f), std::pair(-6.0f, 0.0f),
                        std::pair(-2.0f, 5.0f), std::pair(1.0f, 3.0f)}) {
    std::uniform_real_distribution<float> uniform(lo, hi);
    std::vector<float> values;
    for (int i = 0; i < 5000; ++i) {
      float x = uniform(rng);
      bool inRange = lo <= 0.0f && hi >= 0.0f;
      values.push_back(inRange && i % 3 ? (i % 7 == 0 ? -0.0f : 0.0f) : x);
      if (inRange && i % 11 == 0)
        values.back() = std::ldexp(1.0f, -20);
    }
    ObserverStats stats = statsOf({values});
    EXPECT_EQ(stats.histogram().counts,
              countDirectly(stats.histogram(), values))
        << lo << " " << hi;
  }
}

TEST(CalibStatisticsTest, LaterBatchesCountedInTheirBins) {
  // After the first batch, one that stays in the bins is counted in one
  // pass with its range; one that widens them, or holds a skipped NaN, is
  // counted again after rebinning. Each time, the histogram is the direct
  // count of everything seen, for lengths with and without a tail.
  std::mt19937 rng(3);
  auto uniform = [&](float lo, float hi, size_t n) {
    std::uniform_real_distribution<float> dist(lo, hi);
    std::vector<float> values(n);
    for (float &x : values)
      x = dist(rng);
    return values;
  };
  std::vector<std::vector<float>> batches = {
      uniform(-4.0f, 4.0f, 1000), uniform(-1.0f, 1.0f, 1001),
      uniform(-4.0f, 4.0f, 17),   uniform(-0.5f, 0.0f, 5),
      uniform(-4.0f, 9.0f, 999),  uniform(-30.0f, 30.0f, 3)};
  batches[1][500] = 0.0f;
  batches[4][7] = std::numeric_limits<float>::quiet_NaN();
  ObserverStats stats;
  std::vector<float> seen;
  for (const std::vector<float> &batch : batches) {
    ASSERT_FALSE(
        static_cast<bool>(stats.addBatch(batch, NonFinitePolicy::Ignore)));
    seen.insert(seen.end(), batch.begin(), batch.end());
    EXPECT_EQ(stats.histogram().counts, countDirectly(stats.histogram(), seen))
        << seen.size();
    EXPECT_EQ(stats.values(), seen.size() - stats.nonFinite());
  }
  EXPECT_EQ(stats.batches(), batches.size());
}

TEST(CalibStatisticsTest, LaterValueJustOutsideOneSignedRange) {
  // Ranges on one side of 0 (the bin of 0 outside the bins), then a value
  // one bin below or above them: its lane must count as outside, never as
  // the bin of 0 (which would be written outside the sub-histograms).
  struct Case {
    std::vector<float> first, later;
  };
  for (const Case &c :
       {Case{{1.0f, 2.0f}, {0.9995f}}, Case{{1.0f, 2.0f}, {2.001f, 1.5f}},
        Case{{-1000.0f, -999.0f}, {-1000.0005f}},
        Case{{-2.0f, -1.0f}, {-2.001f, -0.999f}},
        Case{{-2.0f, -1.0f}, std::vector<float>(33, -0.9995f)}}) {
    ObserverStats stats = statsOf({c.first, c.later});
    std::vector<float> seen = c.first;
    seen.insert(seen.end(), c.later.begin(), c.later.end());
    EXPECT_EQ(stats.histogram().counts, countDirectly(stats.histogram(), seen));
    EXPECT_EQ(stats.values(), seen.size());
  }
}

TEST(CalibStatisticsTest, SlicedBatchesMatchOnePass) {
  // Batches long enough to be cut into slices, counted on other threads
  // and in any order, give the statistics of one pass over them.
  std::mt19937 rng(5);
  std::normal_distribution<float> normal(0.5f, 2.0f);
  std::vector<float> relu, wide, ignored;
  for (int i = 0; i < 700001; ++i) {
    float x = normal(rng);
    relu.push_back(std::max(x, 0.0f));
    wide.push_back(x * 1000.0f + 7.0f);
  }
  // The extremes in the last slice.
  relu.back() = 40.0f;
  wide.back() = -30000.0f;
  ignored = wide;
  ignored[123456] = std::numeric_limits<float>::quiet_NaN();
  ignored[654321] = std::numeric_limits<float>::infinity();

  auto runReversed = [](unsigned tasks,
                        llvm::function_ref<void(unsigned)> body) {
    for (unsigned task = tasks; task-- > 0;)
      body(task);
  };
  ParallelFor reversed{3, runReversed};
  unsigned slicesSeen = 0;
  auto runThreads = [&](unsigned tasks,
                        llvm::function_ref<void(unsigned)> body) {
    slicesSeen = std::max(slicesSeen, tasks);
    std::vector<std::thread> threads;
    for (unsigned task = 0; task < tasks; ++task)
      threads.emplace_back([=] { body(task); });
    for (std::thread &thread : threads)
      thread.join();
  };
  ParallelFor threaded{64, runThreads};
  for (NonFinitePolicy policy :
       {NonFinitePolicy::Error, NonFinitePolicy::Ignore}) {
    std::vector<std::vector<float>> batches = {relu, wide};
    if (policy == NonFinitePolicy::Ignore)
      batches.push_back(ignored);
    ObserverStats serial = statsOf(batches, policy);
    EXPECT_TRUE(statsOf(batches, policy, reversed) == serial);
    EXPECT_TRUE(statsOf(batches, policy, threaded) == serial);
    EXPECT_EQ(serial.min(), -30000.0f);
  }
  // 700001 values: 85 slices' worth, cut in as many as there may be.
  EXPECT_EQ(slicesSeen, 16u);

  // And each one's histogram is the direct count.
  for (const std::vector<float> &values : {relu, wide}) {
    ObserverStats stats = statsOf({values}, NonFinitePolicy::Error, threaded);
    EXPECT_EQ(stats.max(), values == relu
                               ? 40.0f
                               : *std::max_element(wide.begin(), wide.end()));
    EXPECT_EQ(stats.histogram().counts,
              countDirectly(stats.histogram(), values));
  }
  ObserverStats skipped = statsOf({ignored}, NonFinitePolicy::Ignore, threaded);
  EXPECT_EQ(skipped.nonFinite(), 2u);
  EXPECT_EQ(skipped.histogram().counts,
            countDirectly(skipped.histogram(), ignored));
}

TEST(CalibStatisticsTest, ConstantValue) {
  // min == max == 5: the floor ilogb(5) - 34 = -32 sets the width, and 5
  // is bin 5 * 2^32.
  ObserverStats stats = statsOf({{5, 5}, {5}});
  const Histogram &h = stats.histogram();
  EXPECT_EQ(h.exponent, -32);
  EXPECT_EQ(h.firstBin, int64_t(5) << 32);
  EXPECT_EQ(h.counts, std::vector<uint64_t>({3}));
  EXPECT_EQ(stats.min(), 5.0f);
  EXPECT_EQ(stats.max(), 5.0f);
  EXPECT_EQ(stats.avgMin(), 5.0);
  EXPECT_EQ(stats.avgMax(), 5.0);
}

TEST(CalibStatisticsTest, ConstantZero) {
  // All zeros: the width is the float32 floor 2^-149; -0 counts as +0.
  ObserverStats stats = statsOf({{0.0f, -0.0f}, {-0.0f}});
  const Histogram &h = stats.histogram();
  EXPECT_EQ(h.exponent, -149);
  EXPECT_EQ(h.firstBin, 0);
  EXPECT_EQ(h.counts, std::vector<uint64_t>({3}));
  EXPECT_FALSE(std::signbit(stats.min()));
  EXPECT_FALSE(std::signbit(stats.max()));
}

TEST(CalibStatisticsTest, Subnormals) {
  // The smallest subnormals are bins 1 and 2 at the floor width 2^-149.
  float tiny = std::numeric_limits<float>::denorm_min();
  ObserverStats stats = statsOf({{tiny, 2 * tiny, -tiny}});
  const Histogram &h = stats.histogram();
  EXPECT_EQ(h.exponent, -149);
  EXPECT_EQ(h.firstBin, -1);
  EXPECT_EQ(h.counts, std::vector<uint64_t>({1, 0, 1, 1}));
}

TEST(CalibStatisticsTest, TinyRange) {
  std::vector<float> values;
  for (int i = -500; i <= 500; ++i)
    values.push_back(float(i) * 1e-33f);
  ObserverStats stats = statsOf({values});
  const Histogram &h = stats.histogram();
  EXPECT_LE(h.counts.size(), size_t(kHistogramBins));
  EXPECT_EQ(h.counts.size(), 1300u);
  EXPECT_EQ(h.totalCount(), 1001u);
  // 5e-31 / 2^-110 = 649.1, so bins -650..649 (1300); at 2^-111 there
  // would be 2598. The floor ilogb(5e-31) - 34 = -135 does not bind.
  EXPECT_EQ(h.exponent, -110);
}

TEST(CalibStatisticsTest, HugeRange) {
  // Range [-3e38, 3e38]: 3e38 / 2^118 = 902.6, so bins -903..902 (1806);
  // at 2^117 it would be -1806..1805 (3612).
  ObserverStats stats = statsOf({{-3e38f, 0, 1, 3e38f}});
  const Histogram &h = stats.histogram();
  EXPECT_EQ(h.exponent, 118);
  EXPECT_EQ(h.firstBin, -903);
  ASSERT_EQ(h.counts.size(), 1806u);
  EXPECT_EQ(h.counts.front(), 1u);
  EXPECT_EQ(h.counts[903], 2u); // 0 and 1
  EXPECT_EQ(h.counts.back(), 1u);

  float big = std::numeric_limits<float>::max();
  ObserverStats extreme = statsOf({{-big, big}, {big}});
  EXPECT_LE(extreme.histogram().counts.size(), size_t(kHistogramBins));
  EXPECT_EQ(extreme.histogram().totalCount(), 3u);
  EXPECT_EQ(extreme.avgMax(), double(big));
}

TEST(CalibStatisticsTest, CoarseningMatchesOnePass) {
  // First [0, 1] at 2^-10, then 100 widens the range to 2^-4: the old bins
  // merge into exactly the bins a single pass at 2^-4 gives.
  ObserverStats grown = statsOf({{0, 0.03f, 0.0625f, 0.999f}, {100}});
  ObserverStats once = statsOf({{0, 0.03f, 0.0625f, 0.999f, 100}});
  EXPECT_EQ(grown.histogram(), once.histogram());
  const Histogram &h = grown.histogram();
  EXPECT_EQ(h.exponent, -4);
  EXPECT_EQ(h.counts[0], 2u); // 0 and 0.03 < 1/16
  EXPECT_EQ(h.counts[1], 1u); // 0.0625 = 1/16
  EXPECT_EQ(h.counts[15], 1u);
  EXPECT_EQ(h.counts[1600], 1u);
}

TEST(CalibStatisticsTest, MovingAverageIsExact) {
  // Batch minima 1, -1, 0.5 and maxima 2, 5, 0.5.
  ObserverStats stats = statsOf({{1, 2}, {-1, 5}, {0.5f}});
  EXPECT_EQ(stats.batches(), 3u);
  EXPECT_EQ(stats.values(), 5u);
  EXPECT_EQ(stats.avgMin(), 0.5 / 3);
  EXPECT_EQ(stats.avgMax(), 2.5);
  // 2^-149 and 2^127 together: a float sum would lose the small one.
  float tiny = std::numeric_limits<float>::denorm_min();
  ObserverStats mixed = statsOf({{tiny}, {0x1p127f}, {-0x1p127f}});
  EXPECT_EQ(mixed.state().sumBatchMin,
            llvm::APInt(kFixedPointBits, 1)); // 2^-149 * 2^149
}

TEST(CalibStatisticsTest, NonFiniteError) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  float inf = std::numeric_limits<float>::infinity();
  ObserverStats stats;
  llvm::Error e =
      stats.addBatch({1.0f, nan, inf, -inf, nan}, NonFinitePolicy::Error);
  ASSERT_TRUE(static_cast<bool>(e));
  EXPECT_EQ(llvm::toString(std::move(e)),
            "4 non-finite values (2 NaN, 1 +Inf, 1 -Inf)");
  EXPECT_TRUE(stats.empty());
  EXPECT_EQ(stats.batches(), 0u);
  EXPECT_EQ(stats.nonFinite(), 0u);
  e = stats.addBatch({-inf}, NonFinitePolicy::Error);
  EXPECT_EQ(llvm::toString(std::move(e)), "1 non-finite value (1 -Inf)");
}

TEST(CalibStatisticsTest, NonFiniteIgnore) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  float inf = std::numeric_limits<float>::infinity();
  ObserverStats stats;
  ASSERT_FALSE(static_cast<bool>(
      stats.addBatch({1.0f, nan, inf, -inf, 3.0f}, NonFinitePolicy::Ignore)));
  EXPECT_EQ(stats.nonFinite(), 3u);
  EXPECT_EQ(stats.values(), 2u);
  EXPECT_EQ(stats.batches(), 1u);
  EXPECT_EQ(stats.min(), 1.0f);
  EXPECT_EQ(stats.max(), 3.0f);
  // Only skipped values, or nothing at all: not a batch.
  ASSERT_FALSE(
      static_cast<bool>(stats.addBatch({nan}, NonFinitePolicy::Ignore)));
  ASSERT_FALSE(static_cast<bool>(stats.addBatch({}, NonFinitePolicy::Error)));
  EXPECT_EQ(stats.batches(), 1u);
  EXPECT_EQ(stats.nonFinite(), 4u);
}

//===----------------------------------------------------------------------===//
// Exact merging
//===----------------------------------------------------------------------===//

/// 3000 values whose magnitude grows from about 2^-15 to 2^15 along the
/// sequence, with pseudo-random mantissas and signs (fixed seed; only the
/// raw mt19937 stream, which the standard fixes).
std::vector<float> mixedData() {
  std::mt19937 rng(20240611);
  std::vector<float> values;
  for (int i = 0; i < 3000; ++i) {
    uint32_t bits = rng();
    float mantissa = float(bits & 0xffffff) / float(1 << 24);
    float value = std::ldexp(0.5f + mantissa, i / 100 - 15);
    if (bits >> 31)
      value = -value;
    if (i % 97 == 0)
      value = 0;
    values.push_back(value);
  }
  return values;
}

std::vector<std::vector<float>> split(const std::vector<float> &values,
                                      llvm::ArrayRef<size_t> sizes) {
  std::vector<std::vector<float>> batches;
  size_t pos = 0, i = 0;
  while (pos < values.size()) {
    size_t n = std::min(sizes[i++ % sizes.size()], values.size() - pos);
    batches.emplace_back(values.begin() + pos, values.begin() + pos + n);
    pos += n;
  }
  return batches;
}

std::string printOne(const ObserverStats &stats) {
  CalibrationStats file;
  file.observers["x"] = stats;
  return printStats(file);
}

TEST(CalibStatisticsTest, BatchOrderDoesNotMatter) {
  std::vector<std::vector<float>> batches = split(mixedData(), {100});
  ObserverStats forward = statsOf(batches);
  std::vector<std::vector<float>> reversed(batches.rbegin(), batches.rend());
  std::vector<std::vector<float>> shuffled = batches;
  std::mt19937 rng(7);
  for (size_t i = shuffled.size() - 1; i > 0; --i)
    std::swap(shuffled[i], shuffled[rng() % (i + 1)]);
  for (const auto &order : {reversed, shuffled}) {
    ObserverStats other = statsOf(order);
    EXPECT_TRUE(other == forward);
    EXPECT_EQ(printOne(other), printOne(forward));
  }
  EXPECT_EQ(forward.values(), 3000u);
  EXPECT_EQ(forward.batches(), 30u);
}

TEST(CalibStatisticsTest, BatchSizeDoesNotChangeHistogram) {
  std::vector<float> data = mixedData();
  ObserverStats reference = statsOf(split(data, {100}));
  // Vectors, not ArrayRefs of braced lists (those die with the loop's
  // initializer).
  for (const std::vector<size_t> &sizes :
       std::vector<std::vector<size_t>>{{1}, {7, 333, 2}, {3000}}) {
    std::vector<std::vector<float>> batches = split(data, sizes);
    std::reverse(batches.begin(), batches.end());
    ObserverStats other = statsOf(batches);
    EXPECT_EQ(other.histogram(), reference.histogram());
    EXPECT_EQ(other.values(), reference.values());
    EXPECT_EQ(other.min(), reference.min());
    EXPECT_EQ(other.max(), reference.max());
  }
}

TEST(CalibStatisticsTest, ShardGroupingDoesNotMatter) {
  std::vector<std::vector<float>> batches = split(mixedData(), {100});
  ObserverStats onePass = statsOf(batches);
  // Three shards of very different ranges (the data grow along the
  // sequence), hence different exponents; shard 1 runs its batches backwards.
  std::vector<std::vector<float>> s0(batches.begin(), batches.begin() + 10);
  std::vector<std::vector<float>> s1(batches.rbegin(), batches.rbegin() + 5);
  std::vector<std::vector<float>> s2(batches.begin() + 10,
                                     batches.begin() + 25);
  ObserverStats a = statsOf(s0), b = statsOf(s1), c = statsOf(s2);
  EXPECT_NE(a.histogram().exponent, b.histogram().exponent);

  ObserverStats left = a; // (a + b) + c
  left.merge(b);
  left.merge(c);
  ObserverStats bc = b; // a + (b + c)
  bc.merge(c);
  ObserverStats right = a;
  right.merge(bc);
  ObserverStats shuffled = c; // (c + a) + b, starting from empty
  ObserverStats start;
  start.merge(shuffled);
  start.merge(a);
  start.merge(b);
  for (const ObserverStats *merged : {&left, &right, &start}) {
    EXPECT_TRUE(*merged == onePass);
    EXPECT_EQ(printOne(*merged), printOne(onePass));
    EXPECT_EQ(merged->avgMin(), onePass.avgMin());
    EXPECT_EQ(merged->avgMax(), onePass.avgMax());
  }
}

TEST(CalibStatisticsTest, FromStateRejectsInconsistentState) {
  ObserverStats stats = statsOf({{1, 2}, {3}});
  ObserverState state = stats.state();
  auto same = ObserverStats::fromState(state);
  ASSERT_TRUE(static_cast<bool>(same));
  EXPECT_TRUE(*same == stats);

  ObserverState bad = state;
  bad.histogram.counts.back() += 1;
  auto result = ObserverStats::fromState(bad);
  ASSERT_FALSE(static_cast<bool>(result));
  EXPECT_EQ(llvm::toString(result.takeError()),
            "histogram counts sum to 4 but values is 3");

  bad = state;
  bad.histogram.exponent += 1;
  result = ObserverStats::fromState(bad);
  ASSERT_FALSE(static_cast<bool>(result));
  EXPECT_NE(llvm::toString(result.takeError()).find("histogram exponent is"),
            std::string::npos);
}

} // namespace
