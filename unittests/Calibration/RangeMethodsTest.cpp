//===- RangeMethodsTest.cpp - Tests of the clip range methods -------------===//
//
// Each method against hand-computed ranges on small histograms; the entropy
// search against KL divergences worked out by hand for a 4-bin histogram.
//
//===----------------------------------------------------------------------===//

#include "quant/Calibration/RangeMethods.h"
#include "StatsTestUtils.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir::qnt::calib;

namespace {

Range rangeOf(const ObserverStats &stats, const RangeOptions &options) {
  llvm::Expected<Range> range = computeRange(stats, options);
  if (!range) {
    ADD_FAILURE() << llvm::toString(range.takeError());
    return {0, 0};
  }
  return *range;
}

std::string errorOf(const ObserverStats &stats, const RangeOptions &options) {
  llvm::Expected<Range> range = computeRange(stats, options);
  if (range)
    return "no error";
  return llvm::toString(range.takeError());
}

RangeOptions with(RangeMethod method, unsigned bits = 8,
                  bool symmetric = false) {
  RangeOptions options;
  options.method = method;
  options.bits = bits;
  options.symmetric = symmetric;
  return options;
}

TEST(CalibRangeMethodsTest, ParseAndPrintNames) {
  for (RangeMethod method :
       {RangeMethod::MinMax, RangeMethod::MovingAverage,
        RangeMethod::Percentile, RangeMethod::Entropy, RangeMethod::Mse})
    EXPECT_EQ(parseRangeMethod(stringifyRangeMethod(method)), method);
  EXPECT_EQ(parseRangeMethod("moving-average"), RangeMethod::MovingAverage);
  EXPECT_EQ(parseRangeMethod("mse"), RangeMethod::Mse);
  EXPECT_EQ(parseRangeMethod("MinMax"), std::nullopt);
  EXPECT_EQ(parseRangeMethod("kl"), std::nullopt);
}

TEST(CalibRangeMethodsTest, EmptyStatisticsFail) {
  ObserverStats empty;
  EXPECT_EQ(errorOf(empty, with(RangeMethod::MinMax)),
            "no values were observed");
}

TEST(CalibRangeMethodsTest, MinMaxAndMovingAverage) {
  // Batch minima -4, 0, 1 (mean -1), maxima 2, 6, 1 (mean 3).
  ObserverStats stats = statsOf({{-4, 2}, {0, 6, 3}, {1}});
  Range minMax = rangeOf(stats, with(RangeMethod::MinMax));
  EXPECT_EQ(minMax.min, -4.0);
  EXPECT_EQ(minMax.max, 6.0);
  Range average = rangeOf(stats, with(RangeMethod::MovingAverage));
  EXPECT_EQ(average.min, -1.0);
  EXPECT_EQ(average.max, 3.0);
}

TEST(CalibRangeMethodsTest, PercentileInterpolatesInsideABin) {
  // Range [-1000, 1000] gives unit bins (2000 < 2048 at 2^0, 4000 at 2^-1).
  // Bin 10 = [10, 11) holds 8 values, the extremes one each: N = 10.
  // p = 75: upper rank 7.5 lies in bin 10 after 1 count:
  //   10 + (7.5 - 1) / 8 = 10.8125;
  // lower rank 2.5: 10 + (2.5 - 1) / 8 = 10.1875.
  ObserverStats stats = statsOf({{-1000, 10.1f, 10.2f, 10.3f, 10.4f},
                                 {10.5f, 10.6f, 10.7f, 10.8f, 1000}});
  ASSERT_EQ(stats.histogram().exponent, 0);
  RangeOptions options = with(RangeMethod::Percentile);
  options.percentile = 75;
  Range range = rangeOf(stats, options);
  EXPECT_EQ(range.min, 10.1875);
  EXPECT_EQ(range.max, 10.8125);
  // p = 100 keeps everything: the upper edge of bin 1000 clips to max.
  options.percentile = 100;
  range = rangeOf(stats, options);
  EXPECT_EQ(range.min, -1000.0);
  EXPECT_EQ(range.max, 1000.0);
}

TEST(CalibRangeMethodsTest, PercentileKeepsMinOfNonNegativeData) {
  // Unit bins again (range [0, 2000]); N = 4, p = 60: rank 2.4 lies in
  // bin 7 = [7, 8) holding 3 values after 1: 7 + 1.4 / 3.
  ObserverStats stats = statsOf({{3, 7.25f, 7.5f, 7.75f}, {2000}});
  RangeOptions options = with(RangeMethod::Percentile);
  options.percentile = 60;
  Range range = rangeOf(stats, options);
  EXPECT_EQ(range.min, 3.0);
  EXPECT_DOUBLE_EQ(range.max, 7 + (0.6 * 5 - 1) / 3);
  options.percentile = 50;
  EXPECT_EQ(errorOf(stats, options), "percentile must be in (50, 100], got 50");
  options.percentile = 100.5;
  EXPECT_EQ(errorOf(stats, options),
            "percentile must be in (50, 100], got 100.5");
}

TEST(CalibRangeMethodsTest, AbsoluteHistogramFoldsNegativeBins) {
  // Bins -2, -1, 0, 1 of width 1: [-2, -1) and [1, 2) fold onto |x| bin 1,
  // [-1, 0) and [0, 1) onto bin 0.
  Histogram h{0, -2, {1, 2, 3, 4}};
  Histogram absolute = absoluteHistogram(h);
  EXPECT_EQ(absolute.exponent, 0);
  EXPECT_EQ(absolute.counts, std::vector<uint64_t>({5, 5}));
  // Data far from 0 (bins 4096..4097) merge pairs until at most 2048 bins:
  // two merges give bins 1024, and |x| bins 0..1024.
  Histogram far{-3, 4096, {1, 2}};
  absolute = absoluteHistogram(far);
  EXPECT_EQ(absolute.exponent, -1);
  ASSERT_EQ(absolute.counts.size(), 1025u);
  EXPECT_EQ(absolute.counts[1024], 3u);
}

TEST(CalibRangeMethodsTest, EntropyDivergenceByHand) {
  // |x| bins H = [8, 4, 2, 2], 2 levels. No zero bins, so smoothing does
  // nothing; P and Q are normalized.
  // i = 2: P = [8, 4+2+2]/16 = [1/2, 1/2]; groups {0}, {1}: Q = [8, 4]/12.
  //   KL = 1/2 ln(3/4) + 1/2 ln(3/2) = 1/2 ln(9/8) = 0.058892...
  // i = 3: P = [8, 4, 2+2]/16; groups {0}, {1, 2} (remainder to the last):
  //   Q = [8, 3, 3]/14. KL = 1/2 ln(7/8) + 1/2 ln(7/6) = 1/2 ln(49/48)
  //   = 0.0103096...
  // i = 4: P = [8, 4, 2, 2]/16; groups {0, 1}, {2, 3}: Q = [6, 6, 2, 2]/16.
  //   KL = 1/2 ln(4/3) + 1/4 ln(2/3) = 0.042475...
  std::vector<uint64_t> h = {8, 4, 2, 2};
  EXPECT_NEAR(entropyDivergence(h, 2, 2), 0.5 * std::log(9.0 / 8), 1e-15);
  EXPECT_NEAR(entropyDivergence(h, 3, 2), 0.5 * std::log(49.0 / 48), 1e-15);
  EXPECT_NEAR(entropyDivergence(h, 4, 2),
              0.5 * std::log(4.0 / 3) + 0.25 * std::log(2.0 / 3), 1e-15);
  EXPECT_NEAR(entropyDivergence(h, 3, 2), 0.0103096, 1e-7);
  // The minimum is at i = 3.
  EXPECT_EQ(selectEntropyThreshold(h, 2), 3u);
  // Fewer bins than levels: nothing to clip.
  EXPECT_EQ(selectEntropyThreshold(h, 4), 4u);
  EXPECT_EQ(selectEntropyThreshold(h, 8), 4u);
}

TEST(CalibRangeMethodsTest, EntropyDivergenceSmoothsZeros) {
  // H = [8, 0, 4, 4], 2 levels, i = 4: P = H, groups {0, 1}, {2, 3}:
  // Q = [8, 0, 4, 4] (bin 1 is zero in P). Smoothing turns each zero into
  // 1e-4 and takes 1e-4/3 from each non-zero in both; P == Q, so KL = 0.
  std::vector<uint64_t> h = {8, 0, 4, 4};
  EXPECT_NEAR(entropyDivergence(h, 4, 2), 0.0, 1e-15);
  // i = 2: P = [8, 8], Q = [8, 0]: Q's zero smooths to 1e-4 ->
  // Q = [8 - 1e-4, 1e-4], KL = 1/2 ln(1/2 / ((8 - 1e-4)/8)) +
  // 1/2 ln(1/2 / (1e-4/8)).
  double q0 = (8 - 1e-4) / 8, q1 = 1e-4 / 8;
  EXPECT_NEAR(entropyDivergence(h, 2, 2),
              0.5 * std::log(0.5 / q0) + 0.5 * std::log(0.5 / q1), 1e-12);
  EXPECT_EQ(selectEntropyThreshold(h, 2), 4u);
}

TEST(CalibRangeMethodsTest, EntropyClipsALongTail) {
  // 4000 values spread evenly over [-1, 1] and one at 100: a 4-bit
  // threshold keeps the bulk and drops the outlier.
  std::vector<float> values;
  for (int i = 0; i < 4000; ++i)
    values.push_back(-1.0f + 2.0f * float(i) / 3999.0f);
  values.push_back(100);
  ObserverStats stats = statsOf({values});
  Range range = rangeOf(stats, with(RangeMethod::Entropy, 4));
  EXPECT_GE(range.max, 0.9);
  EXPECT_LT(range.max, 2.0);
  EXPECT_EQ(range.min, -range.max < -1 ? -1.0 : -range.max);
  // Without the outlier nothing is clipped beyond a bin or so.
  values.pop_back();
  Range plain = rangeOf(statsOf({values}), with(RangeMethod::Entropy, 8));
  EXPECT_GE(plain.max, 0.95);
  EXPECT_LE(plain.max, 1.0);
  EXPECT_EQ(errorOf(stats, with(RangeMethod::Entropy, 1)),
            "bits must be in [2, 16], got 1");
}

TEST(CalibRangeMethodsTest, EntropyIgnoresTheSpikeOfZeros) {
  // A ReLU output: 60% exact zeros, the rest exponentially distributed
  // (mean 0.5, largest about 4.1). The zero spike must not drag the
  // threshold into the bulk of the data.
  std::vector<float> values(6000, 0.0f);
  for (int i = 0; i < 4000; ++i)
    values.push_back(-0.5f * std::log(1.0f - (float(i) + 0.5f) / 4000.0f));
  Range range = rangeOf(statsOf({values}), with(RangeMethod::Entropy, 8));
  // Measured: 3.949 with bin 0 taking bin 1's count, 1.996 without.
  EXPECT_EQ(range.min, 0.0);
  EXPECT_GE(range.max, 3.5);
  EXPECT_LE(range.max, 4.5);
}

TEST(CalibRangeMethodsTest, EntropyOfNonNegativeDataKeepsMin) {
  std::vector<float> values;
  for (int i = 0; i < 1000; ++i)
    values.push_back(2.0f + float(i) / 1000.0f);
  values.push_back(50);
  ObserverStats stats = statsOf({values});
  Range range = rangeOf(stats, with(RangeMethod::Entropy, 4));
  EXPECT_EQ(range.min, 2.0);
  EXPECT_LE(range.max, 50.0);
  EXPECT_GE(range.max, 2.0);
}

TEST(CalibRangeMethodsTest, MseClipsAnOutlier) {
  // 10000 values over [-1, 1] and one at 10, 4 bits symmetric (levels
  // -7..7). Unclipped, the step is 10/7 and every bulk value rounds to 0:
  // error about 10000 * E[x^2] = 3333. Clipped to about 1, the step is 1/7:
  // error about 10000 * (1/7)^2 / 12 + (10 - 1)^2 = 17 + 81. Clipping wins.
  std::vector<float> values;
  for (int i = 0; i < 10000; ++i)
    values.push_back(-1.0f + 2.0f * float(i) / 9999.0f);
  values.push_back(10);
  ObserverStats stats = statsOf({values});
  Range range = rangeOf(stats, with(RangeMethod::Mse, 4, /*symmetric=*/true));
  EXPECT_GT(range.max, 0.5);
  EXPECT_LT(range.max, 2.0);
  EXPECT_EQ(range.min, -range.max);
  // Asymmetric on [0, 1] (min 1e-4) plus 10: candidates [min, hi], 15
  // steps. For hi >= 1 the error is about 10000 * (hi/15)^2 / 12 +
  // (10 - hi)^2, smallest at hi = 20 / (2 + 10000/1350) = 2.13 (error 79,
  // against 370 unclipped).
  for (float &v : values)
    v = std::fabs(v);
  Range asymmetric = rangeOf(statsOf({values}), with(RangeMethod::Mse, 4));
  EXPECT_EQ(asymmetric.min, double(std::fabs(-1.0f + 2.0f * 4999 / 9999.0f)));
  EXPECT_GT(asymmetric.max, 1.8);
  EXPECT_LT(asymmetric.max, 2.5);
}

TEST(CalibRangeMethodsTest, MseKeepsARangeWithoutOutliers) {
  // Half the values at 0, half at 1: with [0, 1] both are exact levels (up
  // to half a histogram bin), while any alpha < 1 moves every 1 by at
  // least 1/256. Nothing may be clipped.
  std::vector<float> values(500, 0.0f);
  values.resize(1000, 1.0f);
  ObserverStats stats = statsOf({values});
  Range range = rangeOf(stats, with(RangeMethod::Mse, 8));
  EXPECT_EQ(range.min, 0.0);
  EXPECT_EQ(range.max, 1.0);
  for (float &v : values)
    v = v == 0 ? -1.0f : 1.0f;
  range = rangeOf(statsOf({values}), with(RangeMethod::Mse, 8, true));
  EXPECT_EQ(range.min, -1.0);
  EXPECT_EQ(range.max, 1.0);
  // A constant: every alpha ties at zero error; ties keep alpha = 1.
  range = rangeOf(statsOf({{3, 3}}), with(RangeMethod::Mse, 8));
  EXPECT_EQ(range.min, 3.0);
  EXPECT_EQ(range.max, 3.0);
}

} // namespace
